"""Setting facts in a manifest document while keeping its layout.

Round-trip YAML (ruamel) keeps comments, key order and indentation; new keys go where the
schema puts them among the keys already there.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_parts(path: str) -> list:
    """services[0].public_opinion_attributes -> ['services', 0, 'public_opinion_attributes']."""
    return [name if name else int(index) for name, index in _TOKEN.findall(path)]


def set_value(document, path: str, value) -> None:
    """Set the value at a manifest path in a plain or round-trip document, creating sections on the way.

    New keys go where the schema puts them among the keys already there, so a completed file
    reads in the usual order; comments and blank lines stay with the keys they follow.
    """
    from hegui.manifest.model import Manifest
    parts = path_parts(path)
    node, model = document, Manifest
    for i, part in enumerate(parts[:-1]):
        if isinstance(part, int):
            node = node[part]
            continue
        if node.get(part) is None:
            # A section not there yet (organisation.credit): add it whole, with the value inside.
            for name in reversed(parts[i + 1:]):
                value = {name: value}
            _put(node, part, _node(document, value), model)
            return
        node = node[part]
        model = _field_model(model, part)
    _put(node, parts[-1], _node(document, value), model)


def _field_model(model, name):
    from hegui.manifest.facts import nested_model
    info = model.model_fields.get(name) if model is not None else None
    return nested_model(info.annotation) if info is not None else None


def _node(document, value):
    """Round-trip nodes for new lists and mappings (block style) in a round-trip document."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    if not isinstance(document, CommentedMap):
        return value
    if isinstance(value, list):
        seq = CommentedSeq(_node(document, v) for v in value)
        if all(not isinstance(v, dict) for v in value):
            seq.fa.set_flow_style()        # content: [news, finance]
        return seq
    if isinstance(value, dict):
        return CommentedMap((k, _node(document, v)) for k, v in value.items())
    return value


def _put(mapping, key, value, model) -> None:
    from ruamel.yaml.comments import CommentedMap
    if key in mapping or not isinstance(mapping, CommentedMap):
        mapping[key] = value
        return
    order = list(model.model_fields) if model is not None else []
    rank = {name: i for i, name in enumerate(order)}
    keys = list(mapping)
    position = len(keys)
    if key in rank:
        after = [i for i, k in enumerate(keys) if rank.get(k, -1) < rank[key]]
        position = (max(after) + 1) if after else 0
        # keys the schema does not know stay where they are; insert after the last known predecessor
    _insert(mapping, position, key, value)


def _deepest(mapping, key):
    """The innermost last key under mapping[key]: where ruamel keeps the comments that follow it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    while True:
        value = mapping[key]
        if isinstance(value, CommentedMap) and len(value):
            mapping, key = value, list(value)[-1]
        elif isinstance(value, CommentedSeq) and len(value) and isinstance(value[-1], CommentedMap) \
                and len(value[-1]):
            mapping, key = value[-1], list(value[-1])[-1]
        else:
            return mapping, key


def _insert(mapping, position: int, key, value) -> None:
    """Insert a key, moving the blank lines and comments that followed the key before it below it.

    ruamel keeps the lines after a key (a blank line, a comment heading the next key) with the
    innermost last key before them, so a new key would otherwise land after them.
    """
    from ruamel.yaml.tokens import CommentToken
    last = list(mapping)[position - 1] if position > 0 else None
    mapping.insert(position, key, value)
    if last is None:
        return
    holder, held = _deepest(mapping, last)
    slot = holder.ca.items.get(held)
    if not slot or len(slot) < 3 or slot[2] is None:
        return
    token = slot[2]
    first, _, rest = token.value.partition("\n")
    if not rest:
        return
    if first.strip():
        token.value = first + "\n"
    else:
        slot[2] = None
    new_holder, new_held = _deepest(mapping, key)
    new_holder.ca.items[new_held] = [None, None, CommentToken("\n" + rest, token.start_mark, None), None]


@lru_cache(maxsize=1)
def _dates_constructor():
    """A round-trip constructor that reads dates as dates, so they are written back as written."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class DatesConstructor(RoundTripConstructor):
        pass
    DatesConstructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_timestamp)
    return DatesConstructor


def yaml_writer(text: str | None):
    """A round-trip YAML with the indentation the file already uses."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent
    yaml = YAML(typ="rt")
    yaml.Constructor = _dates_constructor()
    yaml.width = 4096
    yaml.brace_single_entry_mapping_in_flow_sequence = True    # transfers: [{id: t}] stays as written
    mapping, sequence, offset = 2, 4, 2
    if text:
        _, sequence, offset = load_yaml_guess_indent(text)
        sequence, offset = sequence or 2, offset or 0
        m = re.search(r"^organisation:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]+)\S", text, re.MULTILINE)
        if m:
            mapping = len(m.group(1))
        sequence = max(sequence, offset + 2)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def load_document(path: str):
    """The manifest file as a round-trip document (comments and order kept; JSON becomes block YAML)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    text = Path(path).read_text(encoding="utf-8")
    yaml = yaml_writer(text)
    document = yaml.load(text)

    def block(node):
        if isinstance(node, (CommentedMap, CommentedSeq)):
            items = node.values() if isinstance(node, CommentedMap) else node
            if isinstance(node, CommentedMap) or any(isinstance(v, (CommentedMap, CommentedSeq)) for v in items):
                node.fa.set_block_style()
            for v in (node.values() if isinstance(node, CommentedMap) else node):
                block(v)
    if text.lstrip().startswith("{"):
        block(document)
        yaml = yaml_writer(None)
    return document, yaml


def dump(document, yaml) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def plain(document):
    """The document as plain Python values, for validation."""
    from hegui.manifest.load import _plain
    return _plain(document)


