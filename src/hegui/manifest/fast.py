"""A fast reading of manifest text, for documents it can read exactly as ruamel does.

`load.read_with_lines` reads YAML with ruamel's round-trip loader, in pure Python, so that it
can name the line of every problem. That costs ~9 ms for a typical manifest, more than
assessing it. Most manifests are valid, so `parse_manifest` first asks this module, which uses
json's C decoder, or libyaml's event parser (in the one pass of limits.check_text that also
bounds the text, with the scalars read here), and accepts only what it can read exactly as
ruamel does (YAML 1.2: plain decimals, true/false, null, dates kept as text, quoted text). On
anything else (explicit tags, merge keys, duplicate keys, unusual number forms, a %YAML
directive) it answers None and ruamel reads the text, so values, errors and lines are always
ruamel's.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode as RuamelScalar

_LIBYAML = hasattr(yaml, "CSafeLoader")
_RUAMEL_RESOLVER = YAML(typ="rt").resolver
# ruamel fills its table of implicit resolvers on the first resolve, into a dict other threads can
# already see: a server's threads reading their first manifests at once could find the table half
# made and read 50000000 as text, which ruamel_kind's cache would then keep for the process. Made
# here, while the module is imported (other threads wait for an import).
_RUAMEL_RESOLVER.versioned_resolver  # noqa: B018 (a property that builds the table)

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")


class _Unsure(Exception):
    """The fast path cannot promise ruamel's reading; use the slow one."""


_TAG = re.compile(r"(?:^|[\s\[\]{},:?-])!")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _json(text: str):
    if _SURROGATE_ESCAPE.search(text):
        raise _Unsure  # json joins escaped surrogate pairs; ruamel does not
    def pairs(items):
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            raise _Unsure
        return dict(items)

    def constant(_):
        raise _Unsure

    def number(value: str):
        # json accepts 1e5 and 1.0e5; ruamel reads those its own way: leave them to it.
        if "e" in value or "E" in value:
            raise _Unsure
        return float(value)

    def integer(value: str):
        # Past Python's int-string limit int() fails; ruamel's reading says what the field expects.
        if len(value) > _LONGEST_INT:
            raise _Unsure
        return int(value)

    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant, parse_float=number,
                      parse_int=integer)


_LONGEST_INT = 100  # digits: far past any bound a field allows


def may_build(text: str) -> bool:
    """Whether the YAML reading (limits.check_text, build=True) may be tried on text."""
    # Not without libyaml; nor with a %YAML directive that could change the version; nor with
    # what may be an explicit tag (the events show tags, but this keeps to what ruamel surely shares).
    return _LIBYAML and not (text.lstrip().startswith("%") or "\n%" in text or _TAG.search(text))


UNSURE = object()


@lru_cache(maxsize=8192)
def scalar_value(value: str, plain: bool):
    """The value ruamel gives an untagged scalar (after hegui's plain conversion), or UNSURE.
    Cached: keys and common values repeat across requests."""
    if not plain:
        return value
    kind = ruamel_kind(value)
    if kind in ("str", "timestamp"):  # hegui keeps dates as text for the models to check
        return value
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int" and _INT.match(value) and len(value) <= _LONGEST_INT:
        return int(value)
    if kind == "float" and _FLOAT.match(value):
        return float(value)
    return UNSURE


@lru_cache(maxsize=8192)
def ruamel_kind(value: str) -> str:
    """What ruamel reads a plain scalar as: str, int, float, bool, null, timestamp, ..."""
    return str(_RUAMEL_RESOLVER.resolve(RuamelScalar, value, (True, False))).rsplit(":", 1)[-1]


def fast_document(text: str):
    """The plain document (dicts, lists, scalars) ruamel would read from text, or None when
    this reader cannot promise that, including when the text is not valid YAML or JSON."""
    document = json_document(text)
    return document if document is not None else yaml_document(text)


def json_document(text: str):
    """fast_document for JSON text: None for text that is not a JSON object, or not one this
    reader can promise."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        return _json(text)
    except Exception:  # not JSON (a YAML flow mapping, perhaps), too deep for json, or _Unsure
        return None


def yaml_document(text: str):
    """fast_document through libyaml's events (limits.check_text, which reads and bounds in one
    pass); None also for text past the limits."""
    from hegui.manifest.errors import InputError
    from hegui.manifest.limits import DEFAULT, check_text  # limits reads scalars with this module
    if not may_build(text):
        return None
    try:
        return check_text(text, "<text>", DEFAULT, build=True).document
    except InputError:
        return None
