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
    # ("!" in text first: the search scans the text in C, several times faster than the pattern.)
    return _LIBYAML and not (text.lstrip().startswith("%") or "\n%" in text or ("!" in text and _TAG.search(text)))


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


def yaml_document(text: str, limits=None):
    """fast_document for YAML text: the document `limits.check_text(text, build=True)` builds,
    when that pass would raise nothing; else None, and the caller reads the text that way.

    This pass only builds, and the bounds are checked on what it built (limits.fits): without an
    alias every node is an event of the text, so the tree holds no more than the text says, and
    the bounds give the same verdict on it. It declines what check_text would have to look at
    more closely (an anchor, an alias, a tag, a key given twice, a key that is not text, a second
    document, a document that is not a mapping) and text past a bound, whose errors check_text
    words; so it gives check_text's document or nothing, at half its cost (the libyaml events are
    most of what is left). `limits`: limits.DEFAULT unless given."""
    from hegui.manifest.limits import DEFAULT, fits  # limits reads scalars with this module
    if not may_build(text):
        return None
    limits = limits or DEFAULT
    document = _plain_yaml(text, limits.max_depth)
    return document if document is not None and fits(document, limits) else None


_NO_KEY = object()


def _plain_yaml(text: str, depth: int) -> dict | None:
    """The mapping libyaml's events build, or None at anything yaml_document declines, a
    collection more than `depth` levels deep included."""
    loader = yaml.CSafeLoader(text)
    scalar, alias, mapping, sequence = yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends, document_start, stream_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent), yaml.DocumentStartEvent, \
        yaml.StreamEndEvent
    # The collection being filled, whether it is a mapping, and its key waiting for a value; the
    # same of the collections it is in, on the stack.
    stack, container, is_map, key, root, documents = [], None, False, _NO_KEY, None, 0
    try:
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or event.tag is not None:
                    return None
                value = scalar_value(event.value, not event.style)
                if value is UNSURE:
                    return None
                if not is_map:
                    if container is None:   # a document that is one value
                        return None
                    container.append(value)
                elif key is _NO_KEY:
                    if type(value) is not str or value == "<<" or value in container:
                        return None
                    key = value
                else:
                    container[key] = value
                    key = _NO_KEY
            elif kind is mapping or kind is sequence:
                if event.anchor is not None or event.tag is not None:
                    return None
                new = {} if kind is mapping else []
                if is_map:
                    if key is _NO_KEY:   # a collection as a key
                        return None
                    container[key] = new
                elif container is not None:
                    container.append(new)
                else:
                    root = new
                stack.append((container, is_map))
                if len(stack) > depth:   # past the bound: check_text says where, before libyaml goes deeper
                    return None
                container, is_map, key = new, kind is mapping, _NO_KEY
            elif kind in ends:
                container, is_map = stack.pop()
                key = _NO_KEY
            elif kind is alias:
                return None
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    return None
            elif kind is stream_end or event is None:   # (None: no event past the end)
                break
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return root if type(root) is dict else None
