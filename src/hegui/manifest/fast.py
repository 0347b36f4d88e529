"""A fast reading of manifest text, for documents it can read exactly as ruamel does.

`load.read_with_lines` reads YAML with ruamel's round-trip loader, in pure Python, so that it
can name the line of every problem. That costs ~9 ms for a typical manifest, more than
assessing it. Most manifests are valid, so `parse_manifest` first asks this module, which uses
libyaml (PyYAML's C composer) or json's C decoder and accepts only what it can read exactly as
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

_PYYAML_RESOLVER = yaml.resolver.Resolver()


@lru_cache(maxsize=8192)
def _implicit_tag(kind, value: str, implicit: tuple) -> str:
    return _PYYAML_RESOLVER.resolve(kind, value, implicit)


if hasattr(yaml, "CSafeLoader"):
    class _Loader(yaml.CSafeLoader):
        """libyaml's composer, with PyYAML's tag resolution cached (keys and values repeat)."""

        def resolve(self, kind, value, implicit):
            if kind is yaml.ScalarNode:
                return _implicit_tag(kind, value, tuple(implicit))
            return super().resolve(kind, value, implicit)
else:
    _Loader = None
_RUAMEL_RESOLVER = YAML(typ="rt").resolver

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


def _yaml(text: str):
    if _Loader is None or text.lstrip().startswith("%") or "\n%" in text or _TAG.search(text):
        # No libyaml; or a %YAML directive that could change the version; or what may be an
        # explicit tag, which libyaml's nodes cannot tell from an implicit one of the same kind.
        raise _Unsure
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        raise _Unsure
    return _value(node)


def _value(node):
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _Unsure
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unsure
            key = _value(key_node)
            if not isinstance(key, str) or key == "<<" or key in out:
                raise _Unsure
            out[key] = _value(value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Unsure
        return [_value(v) for v in node.value]
    return _scalar(node)


def _scalar(node):
    value = _scalar_value(node.value, not node.style, node.tag)  # libyaml gives '' for plain, PyYAML None
    if value is _UNSURE:
        raise _Unsure
    return value


_UNSURE = object()


@lru_cache(maxsize=8192)
def _scalar_value(value: str, plain: bool, tag: str):
    """The value ruamel gives a scalar (after hegui's plain conversion), or _UNSURE. Cached: keys
    and common values repeat across requests."""
    # An explicit tag shows as a tag PyYAML would not have resolved by itself.
    if tag != _implicit_tag(yaml.ScalarNode, value, (plain, not plain)):
        return _UNSURE
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
    return _UNSURE



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
    """fast_document through libyaml. The text's nesting must already be bounded
    (limits.check_text): libyaml's composer recurses in C, where no recursion limit stops it."""
    try:
        return _yaml(text)
    except Exception:  # _Unsure, or any parser complaint: ruamel words it, with its line
        return None
