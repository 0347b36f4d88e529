"""Bounds on a manifest's size and shape, checked before any reader builds it.

A real manifest is small and shallow: its deepest field is four levels down
(concentrations[0].parties[0].name). Hostile text is not: a few hundred bytes of YAML aliases
expand to billions of values ("billion laughs"), a few thousand brackets nest deeper than
ruamel's composer (which recurses per level) or Python can go, and a list of thousands of
entities makes an assessment run for minutes. So before the document is built, its events are
walked once, without recursion, against the bounds below; the first bound passed is refused
with its field path and line. (The same pass builds the plain document where fast.py can
promise ruamel's reading, and gives errors their lines.) The README's security section lists
the same table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import NamedTuple

import yaml

from hegui.manifest.errors import InputError, Problem
from hegui.manifest.fast import UNSURE, ruamel_kind, scalar_value

# Entries allowed in each list of the manifest, by the list's field; any other list (a
# service's content, a concentration's parties) holds at most OTHER_LIST_ENTRIES.
LIST_ENTRIES = {"services": 1_000, "transfers": 1_000, "listings": 100, "concentrations": 100,
                "compliance": 10_000}
OTHER_LIST_ENTRIES = 100

SIZE_ENV = "HEGUI_MAX_MANIFEST_BYTES"


@dataclass(frozen=True)
class Limits:
    # ruamel, which reads what the fast reading cannot promise (tags, aliases), reads 1 MiB of
    # the worst text (long runs of comments) in about a second; a manifest of 1,000 services
    # is about half of that.
    max_bytes: int = 1 << 20
    # 8 times the deepest real field, and far from Python's recursion limit in ruamel's composer.
    max_depth: int = 32
    # Keys, values, lists and mappings, each alias counted as all it repeats.
    max_nodes: int = 200_000
    # Of those, the ones aliases repeat. Reading what an alias repeats costs about as much as
    # reading it written out, but the text does not grow with it; shared defaults for a few
    # hundred services fit.
    max_repeated: int = 20_000
    # Keys in one mapping: the largest part of a manifest (a service) has 46 fields.
    max_keys: int = 1_000
    list_entries: dict = field(default_factory=lambda: dict(LIST_ENTRIES))
    other_list_entries: int = OTHER_LIST_ENTRIES

    def entries(self, loc: list) -> int:
        return self.list_entries.get(loc[0], self.other_list_entries) if len(loc) == 1 else self.other_list_entries


def current_limits(max_bytes: int | None = None) -> Limits:
    """The limits in force: the defaults, with the size from max_bytes (a command's flag) or
    HEGUI_MAX_MANIFEST_BYTES."""
    if max_bytes is None:
        setting = os.environ.get(SIZE_ENV, "").strip()
        if not setting:
            return DEFAULT
        if not setting.isdigit() or int(setting) < 1:
            raise InputError([Problem("", "", None, f"{SIZE_ENV}: expected a whole number of bytes >= 1, "
                                                    f"got {setting!r}")])
        max_bytes = int(setting)
    return Limits(max_bytes=max_bytes)


DEFAULT = Limits()


def too_large(name: str, limits: Limits) -> InputError:
    return InputError([Problem(name, "", None, f"the manifest is larger than the limit of {limits.max_bytes:,} bytes "
                                               f"(set by hegui --max-manifest-bytes or {SIZE_ENV})")])


def check_size(text: str, name: str, limits: Limits) -> None:
    # Characters are never more than bytes in UTF-8; the byte count is only worked out when it can matter.
    if len(text) > limits.max_bytes // 4 and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise too_large(name, limits)


class _Walk:
    """The running count of one document's walk, and what passing each bound says."""

    def __init__(self, name: str, limits: Limits, line_of=None):
        self.name, self.limits, self.nodes, self.repeated, self.line_of = name, limits, 0, 0, line_of

    def refuse(self, loc, line, message):
        if line is None and self.line_of is not None:
            line = self.line_of(loc)
        raise InputError([Problem(self.name, dotted(loc), line, message)])

    def add(self, loc, line, nodes: int = 1, height: int = 0, depth: int = 0):
        """A node (or an alias repeating `nodes` nodes `height` levels deep) at depth `depth`."""
        self.nodes += nodes
        if self.nodes > self.limits.max_nodes:
            self.refuse(loc, line, f"the manifest holds more than {self.limits.max_nodes:,} values (aliases counted "
                                   "as all they repeat); a real manifest holds far fewer")
        if depth + height > self.limits.max_depth:
            self.refuse(loc, line, f"nested more than {self.limits.max_depth} levels deep; the manifest's "
                                   "deepest field is 4 levels down")

    def repeat(self, loc, line, nodes: int):
        """Nodes an alias repeats."""
        self.repeated += nodes
        if self.repeated > self.limits.max_repeated:
            self.refuse(loc, line, f"aliases repeat more than {self.limits.max_repeated:,} values in all; a real "
                                   "manifest repeats far fewer")

    def entry(self, list_loc, index: int, line):
        allowed = self.limits.entries(list_loc)
        if index >= allowed:
            self.refuse([*list_loc, index], line, f"at most {allowed:,} entries are allowed in this list")


def dotted(loc) -> str:
    """['services', 0, 'kind'] -> services[0].kind"""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Frame:
    __slots__ = ("loc", "is_map", "index", "key", "expect_key", "keys", "anchor", "start", "height", "value")

    def __init__(self, loc, is_map, anchor, start, value):
        self.loc, self.is_map, self.anchor, self.start, self.value = loc, is_map, anchor, start, value
        self.index, self.key, self.expect_key, self.keys, self.height = 0, None, True, {}, 0


_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


class Reading(NamedTuple):
    nodes: int | None   # values in the text; None when libyaml could not parse it
    document: object    # the plain document, when asked for and ruamel would read the same; else None


def check_text(text: str, name: str, limits: Limits, build: bool = False, lines: dict | None = None) -> Reading:
    """Raise InputError at the first bound the text passes, or at a key given twice in one
    mapping (json.loads would keep the last silently). Text libyaml cannot parse is left to
    the reader, which words the syntax error (and check_document bounds what it builds).

    With build, the same pass builds the plain document (dicts, lists, scalars) where it can
    promise ruamel's reading (fast.scalar_value); anything it cannot (tags, aliases, merge
    keys, a second document, a key that is not text) leaves the document None. Given lines,
    it records the 1-based line of each key and list entry by path (tuple), as ruamel would."""
    walk = _Walk(name, limits)
    stack: list[_Frame] = []
    sizes: dict = {}   # anchor -> (nodes, height) of what it names
    document, documents = None, 0
    loader = _PARSER(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent and stack and stack[-1].is_map and not stack[-1].expect_key:
                # the common case, a field's value: nothing to check but the count
                parent = stack[-1]
                parent.expect_key = True
                walk.nodes += 1
                if walk.nodes > limits.max_nodes:
                    walk.add([*parent.loc, parent.key], event.start_mark.line + 1, 0)
                if event.anchor is not None:
                    sizes[event.anchor] = (1, 0)
                if build:
                    value = scalar_value(event.value, not event.style) if event.tag is None else UNSURE
                    if value is UNSURE:
                        build = False
                    else:
                        parent.value[parent.key] = value
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                # A collection's height is its levels of collections: 1 over its tallest child's.
                if frame.anchor is not None:
                    sizes[frame.anchor] = (walk.nodes - frame.start, frame.height + 1)
                if stack:
                    stack[-1].height = max(stack[-1].height, frame.height + 1)
                continue
            if kind not in _NODE_EVENTS:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    build = build and documents == 1
                continue
            line = event.start_mark.line + 1
            parent = stack[-1] if stack else None
            is_key = parent is not None and parent.is_map and parent.expect_key
            loc = _place(stack, event, walk, line)
            if lines is not None:
                lines.setdefault((*loc, event.value) if is_key and kind is yaml.ScalarEvent else tuple(loc), line)
            if kind is yaml.AliasEvent:
                nodes, height = sizes.get(event.anchor, (1, 0))
                walk.repeat(loc, line, nodes)
                walk.add(loc, line, nodes, height, len(stack))
                if stack:
                    stack[-1].height = max(stack[-1].height, height)
                build = False  # ruamel reads what aliases share
                continue
            if kind is yaml.ScalarEvent:
                walk.add(loc, line)
                if event.anchor is not None:
                    sizes[event.anchor] = (1, 0)
                value = None
                if build:
                    value = scalar_value(event.value, not event.style) if event.tag is None else UNSURE
                    if value is UNSURE or (is_key and (not isinstance(value, str) or value == "<<")):
                        build = False
            else:
                walk.add(loc, line, depth=len(stack) + 1)
                value = {} if kind is yaml.MappingStartEvent else []
                build = build and event.tag is None and not is_key
                stack.append(_Frame(loc, kind is yaml.MappingStartEvent, event.anchor, walk.nodes - 1, value))
            if build and not is_key:
                if parent is None:
                    document = value
                elif parent.is_map:
                    parent.value[parent.key] = value
                else:
                    parent.value.append(value)
    except yaml.YAMLError:
        return Reading(None, None)
    finally:
        loader.dispose()
    return Reading(walk.nodes, document if build else None)


def _place(stack: list[_Frame], event, walk: _Walk, line: int) -> list:
    """The path of the node the event starts (a key's path is its mapping's), checking a
    mapping's keys for repeats and a list's length."""
    if not stack:
        return []
    parent = stack[-1]
    if not parent.is_map:
        walk.entry(parent.loc, parent.index, line)
        parent.index += 1
        return [*parent.loc, parent.index - 1]
    if not parent.expect_key:
        parent.expect_key = True
        return [*parent.loc, parent.key]
    parent.expect_key = False
    parent.key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
    if len(parent.keys) >= walk.limits.max_keys:
        walk.refuse([*parent.loc, parent.key], line, f"at most {walk.limits.max_keys:,} keys are allowed in "
                                                     "one mapping")
    if isinstance(event, yaml.ScalarEvent) and event.value != "<<":  # merge keys may repeat
        same = _key_identity(event)
        if same in parent.keys:
            walk.refuse([*parent.loc, event.value], line,
                        f"this key is given twice in one mapping (first on line {parent.keys[same]}); give each "
                        "field once")
        parent.keys[same] = line
    return parent.loc


def _key_identity(event) -> tuple:
    """Keys that read as the same value: plain `a`, 'a' and "a" are one key; plain 1 and '1' are not."""
    if event.tag is not None:
        return event.tag, event.value
    if event.style or (event.value.isidentifier() and event.value.lower() not in ("true", "false", "null")):
        return "str", event.value  # quoted, or a field's name: text without asking the resolver
    return ruamel_kind(event.value), event.value


def fits(document, limits: Limits) -> bool:
    """check_document's verdict on a document of fresh values (json's: nothing shared), without
    the paths it would name: a faster walk for the common case of a manifest within bounds."""
    budget = limits.max_nodes

    def walk(node, depth: int, key) -> bool:
        nonlocal budget
        if isinstance(node, dict):
            budget -= 1 + len(node)
            return depth < limits.max_depth and budget >= 0 and len(node) <= limits.max_keys and all(
                walk(value, depth + 1, name if depth == 0 else None) for name, value in node.items())
        if isinstance(node, list):
            budget -= 1
            allowed = limits.list_entries.get(key, limits.other_list_entries)
            return depth < limits.max_depth and budget >= 0 and len(node) <= allowed and all(
                walk(value, depth + 1, None) for value in node)
        budget -= 1
        return budget >= 0
    return walk(document, 0, None)


def check_document(document, name: str, limits: Limits, line_of=None) -> None:
    """The bounds of check_text over a built document (ruamel's nodes, or json's values), for
    text libyaml could not parse. The walk is lazy, so a document whose aliases share nodes
    stops at the bound instead of being expanded; line_of(loc) gives a line where it can."""
    walk = _Walk(name, limits, line_of)
    seen: set = set()   # the mappings and lists met: met again, they are an alias's
    pending = [(document, [], 0, False)]
    while pending:
        node, loc, depth, repeated = pending.pop()
        if isinstance(node, (dict, list)):
            repeated = repeated or id(node) in seen
            seen.add(id(node))
        if repeated:
            walk.repeat(loc, None, 1 + (len(node) if isinstance(node, dict) else 0))
        if isinstance(node, dict):
            walk.add(loc, None, depth=depth + 1)
            if len(node) > limits.max_keys:
                walk.refuse([*loc, str(list(node)[limits.max_keys])], None,
                            f"at most {limits.max_keys:,} keys are allowed in one mapping")
            walk.nodes += len(node)  # the keys
            pending.extend(reversed([(value, [*loc, str(key)], depth + 1, repeated) for key, value in node.items()]))
        elif isinstance(node, list):
            walk.add(loc, None, depth=depth + 1)
            if len(node) > limits.entries(loc):
                walk.entry(loc, limits.entries(loc), None)
            pending.extend(reversed([(value, [*loc, i], depth + 1, repeated) for i, value in enumerate(node)]))
        else:
            walk.add(loc, None)
