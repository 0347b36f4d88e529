"""Read a manifest from YAML or JSON (a path, or '-' for standard input) and validate it."""

from __future__ import annotations

import json
import math
import re
import sys
from contextlib import contextmanager
from dataclasses import replace
from difflib import get_close_matches

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from hegui.manifest.errors import InputError, Problem
from hegui.manifest.fast import json_document, may_build, yaml_document
from hegui.manifest.limits import (Limits, check_document, check_size, check_text, current_limits, dotted, fits,
                                   too_large)
from hegui.manifest.model import SUBJECT_LISTS, Manifest


def read_manifest(source: str, limits: Limits | None = None) -> Manifest:
    """Load and validate; raise InputError naming every problem found."""
    name, text = read_text(source, limits)
    return parse_manifest(text, name, limits)


def read_text(source: str, limits: Limits | None = None) -> tuple[str, str]:
    """The name problems are reported under ('<stdin>' for '-') and the manifest's text.

    At most the size limit and one byte more is read, so an endless source (/dev/zero, a pipe
    that never closes its data) is refused at the limit instead of filling memory."""
    limits = limits or current_limits()
    name = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            # A text stream without bytes beneath (a test's StringIO) is read as UTF-8 bytes too.
            stdin = getattr(sys.stdin, "buffer", None)
            raw = stdin.read(limits.max_bytes + 1) if stdin is not None else \
                sys.stdin.read(limits.max_bytes + 1).encode("utf-8", "surrogatepass")
        else:
            with open(source, "rb") as file:
                raw = file.read(limits.max_bytes + 1)
    except OSError as e:
        raise InputError([Problem(name, "", None, f"cannot read the file: {e.strerror}")]) from None
    if len(raw) > limits.max_bytes:
        raise too_large(name, limits)
    try:
        return name, raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError([Problem(name, "", None, f"expected UTF-8 text (bad byte at offset {e.start})")]) \
            from None


@contextmanager
def lines_from(text: str):
    """Problems found after reading (a compliance record naming an unknown obligation, found by
    the engine, which knows the rulebook but not the file) get the line of their field in text."""
    try:
        yield
    except InputError as e:
        raise InputError(locate(e.problems, text)) from None


def locate(problems: list[Problem], text: str) -> list[Problem]:
    """The problems, each without a line given the line of its field path in text where it has one."""
    if all(p.line or not p.path for p in problems):
        return problems
    document = _event_lines(text, "", current_limits())
    if document is None:
        try:
            document = _yaml().load(text)
        except YAMLError:
            return problems

    def line(p: Problem) -> int | None:
        loc = _loc(p.path)
        # A path outside the manifest (a query parameter such as `subject`) gets no line.
        inside = (loc[0],) in document.lines if isinstance(document, _EventLines) else \
            isinstance(document, CommentedMap) and loc[0] in document
        return _line(document, loc) if inside else None
    return [p if p.line or not p.path else replace(p, line=line(p)) for p in problems]


def _loc(path: str) -> list:
    """services[0].kind -> ['services', 0, 'kind'] (the inverse of limits.dotted)."""
    return [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path)]


def parse_manifest(text: str, name: str = "<manifest>", limits: Limits | None = None) -> Manifest:
    """The manifest in text (YAML or JSON), or InputError naming each problem's field path and line.

    Text past the size, depth, value-count or list-length limits (limits.py) is refused before
    any document is built from it. A manifest is read by the fast reader when it can promise
    ruamel's reading, and its errors take their lines from libyaml's events; anything else goes
    through ruamel, which knows the line of every node."""
    limits = limits or current_limits()
    check_size(text, name, limits)
    document = json_document(text)
    if document is not None and not fits(document, limits):
        check_text(text, name, limits)  # says where, with the line
        document = None
    elif document is None:
        # The common YAML manifest is built by the leaner pass (bounded by fits, as JSON is);
        # what it declines, check_text reads, bounds and words.
        document = yaml_document(text, limits)
        if document is None:
            reading = check_text(text, name, limits, build=may_build(text))
            if reading.nodes == 0:
                raise _not_a_mapping(name)  # empty, or comments alone: no need to read it again
            document = reading.document
    # Text with \u escapes goes through ruamel, whose reading joins UTF-16 pairs (_plain).
    if isinstance(document, dict) and not _may_hold_surrogates(text):
        duplicates = _duplicate_ids(document, name)
        if not duplicates:
            try:
                return Manifest.model_validate(document)
            except ValidationError as e:
                error = e
        # The problems are those ruamel's reading gives; their lines come from libyaml's events,
        # which is much faster on a large manifest (ruamel takes seconds on a megabyte of comments).
        lines = _event_lines(text, name, limits)
        if lines is not None:
            raise InputError(at_most(_duplicate_ids(document, name, lines), name) if duplicates else
                             _problems(error, lines, name)) from None
    return _read_with_lines(text, name, limits)


class _EventLines:
    """The lines of a text's keys and list entries, by path, from libyaml's events: what _line
    reads from ruamel's nodes."""

    def __init__(self, lines: dict):
        self.lines = lines

    def line(self, loc) -> int:
        for end in range(len(loc), 0, -1):
            found = self.lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return 1


def _event_lines(text: str, name: str, limits: Limits) -> _EventLines | None:
    lines: dict = {}
    return _EventLines(lines) if check_text(text, name, limits, lines=lines).nodes is not None else None


def read_with_lines(text: str, name: str = "<manifest>", limits: Limits | None = None) -> Manifest:
    """parse_manifest through ruamel alone: slower, and the reading every error is worded from."""
    limits = limits or current_limits()
    check_size(text, name, limits)
    if check_text(text, name, limits).nodes == 0:
        raise _not_a_mapping(name)
    return _read_with_lines(text, name, limits)


def _not_a_mapping(name: str) -> InputError:
    return InputError([Problem(name, "", 1, "expected a mapping with format, organisation, ...")])


def _read_with_lines(text: str, name: str, limits: Limits) -> Manifest:
    document = _parse_document(text, name, limits)
    # check_text has bounded what libyaml could parse; this bounds the rest before it is expanded.
    check_document(document, name, limits, lambda loc: _line(document, loc))
    if not isinstance(document, dict):
        raise _not_a_mapping(name)
    duplicates = _duplicate_ids(document, name) + (_lone_surrogates(document, name) if _may_hold_surrogates(text)
                                                    else [])
    if duplicates:
        raise InputError(at_most(duplicates, name))
    try:
        return Manifest.model_validate(_plain(document))
    except ValidationError as e:
        raise InputError(_problems(e, document, name)) from None


class _ManifestConstructor(RoundTripConstructor):
    """Dates stay text here and are checked by the models, so an impossible date such as
    2023-02-30 is reported with its field and line instead of failing inside the parser; so
    does a whole number too long for Python to read (see _too_long_int).
    (A subclass: ruamel keeps constructors per class, and other YAML users need dates as dates.)"""

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # past Python's int-string limit (4,300 digits)
            return _too_long_int(node.value)


def _too_long_int(text: str) -> float:
    """A whole number longer than Python reads is beyond every bound a field allows: it is
    read as infinite, which every number field refuses with its range."""
    return -math.inf if text.lstrip().startswith("-") else math.inf


_ManifestConstructor.add_constructor("tag:yaml.org,2002:timestamp",
                                     lambda constructor, node: constructor.construct_scalar(node))
_ManifestConstructor.add_constructor("tag:yaml.org,2002:int", _ManifestConstructor.construct_yaml_int)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _ManifestConstructor
    return yaml


def _parse_document(text: str, name: str, limits: Limits):
    yaml = _yaml()
    too_deep = InputError([Problem(name, "", None, f"nested more than {limits.max_depth} levels deep")])
    try:
        return yaml.load(text)
    except DuplicateKeyError as e:  # never read as JSON, which would keep the last value
        raise InputError([Problem(name, "", e.problem_mark.line + 1 if e.problem_mark else None,
                                  f"not valid YAML or JSON: {e.problem}")]) from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        yaml_problem = f"not valid YAML or JSON: {e.problem or e.context}"
    except YAMLError as e:
        line, yaml_problem = None, f"not valid YAML or JSON: {e}"
    except RecursionError:  # text libyaml could not parse, so check_text could not bound it
        raise too_deep from None
    # JSON that YAML rejects (tabs for indentation, say) is still JSON.
    try:
        return json.loads(text, object_pairs_hook=_unique_keys,
                          parse_int=lambda digits: int(digits) if len(digits) < 4000 else _too_long_int(digits))
    except _RepeatedKey as e:
        raise InputError([Problem(name, "", None, f"the key {e.args[0]!r} is given twice in one JSON object; "
                                                  "give each field once")]) from None
    except RecursionError:
        raise too_deep from None
    except ValueError:
        raise InputError([Problem(name, "", line, yaml_problem)]) from None


class _RepeatedKey(Exception):
    pass


def _unique_keys(pairs: list) -> dict:
    out = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKey(key)
        out[key] = value
    return out


def _duplicate_ids(document, name: str, where=None) -> list[Problem]:
    """Entities of a kind sharing an id, with lines from where (the document's own, by default)."""
    where = document if where is None else where
    problems = []
    for kind in SUBJECT_LISTS.values():
        entries = document.get(kind)
        if not isinstance(entries, list):
            continue
        first_seen: dict = {}
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            if entry["id"] in first_seen:
                problems.append(Problem(name, f"{kind}[{i}].id", _line(where, [kind, i, "id"]),
                                        f"expected a unique id; {entry['id']!r} is also {kind}"
                                        f"[{first_seen[entry['id']]}]"))
            else:
                first_seen[entry["id"]] = i
    return problems


def _lone_surrogates(document, name: str) -> list[Problem]:
    """Text whose \\u escapes leave half of a UTF-16 pair (\\ud800 alone) is no text: it cannot be written
    out as UTF-8 (a report, the API's answer) and would fail there instead of here."""
    problems = []

    def walk(node, loc):
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                if _SURROGATE.search(_paired(key)):
                    # named with the escape written out: the half pair itself cannot be printed or sent
                    problems.append(Problem(name, dotted([*loc, key.encode("ascii", "backslashreplace").decode()]),
                                            _line(document, loc), "expected a field name; a \\u escape here "
                                                                  "is half of a UTF-16 pair"))
                    continue
                walk(value, [*loc, key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, [*loc, i])
        elif isinstance(node, str) and _SURROGATE.search(_paired(node)):
            problems.append(Problem(name, dotted(loc), _line(document, loc),
                                    "expected text; a \\u escape here is half of a UTF-16 pair"))
    walk(document, [])
    return problems


_SURROGATE = re.compile("[\ud800-\udfff]")


def _may_hold_surrogates(text: str) -> bool:
    """Only a \\u escape (or a byte standard input could not decode) makes one: most text needs no walk."""
    return "\\u" in text or (not text.isascii() and _SURROGATE.search(text) is not None)


def _paired(text: str) -> str:
    """Text with each UTF-16 pair of escapes (\\ud83d\\ude00, as YAML reads them) joined into its character."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _plain(node):
    """ruamel's round-trip nodes as plain Python values (its int/float/bool subclasses included)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return _paired(str(node))
    return node


# Problems listed for one manifest: a megabyte of unknown keys made 80,000 (72 MB of messages).
MAX_PROBLEMS = 100


def _problems(error: ValidationError, document, name: str) -> list[Problem]:
    """The validation error's problems in line order, the first MAX_PROBLEMS of them worded."""
    found = []
    for item in error.errors(include_url=False):
        loc = [part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-"))]
        path = dotted(loc)
        found.append((_line(document, loc), path, loc, item))
    found.sort(key=lambda f: (f[0] or 0, f[1]))
    problems, seen = [], set()
    for index, (line, path, loc, item) in enumerate(found):
        if len(problems) == MAX_PROBLEMS:
            return problems + [_more(name, len(found) - index)]
        message = _expected(item, loc)
        if (path, message) not in seen:
            seen.add((path, message))
            problems.append(Problem(name, path, line, message))
    return problems


def at_most(problems: list, name: str) -> list[Problem]:
    """The first MAX_PROBLEMS problems, and a last one saying how many more there were."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [_more(name, len(problems) - MAX_PROBLEMS)]


def _more(name: str, count: int) -> Problem:
    return Problem(name, "", None, f"and {count:,} more problems; only the first {MAX_PROBLEMS} are listed")


def _expected(item: dict, loc: list) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        valid = _valid_fields(loc[:-1])
        near = get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
        if near:
            return f"unknown field; did you mean {near[0]!r}?"
        return f"unknown field (valid here: {', '.join(valid)})"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"expected one of {item['ctx']['expected']}, got {item['input']!r}"
    if kind == "string_pattern_mismatch":
        return f"expected text matching {item['ctx']['pattern']}, got {item['input']!r}"
    if kind in ("string_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        wanted = {"string_type": "text", "list_type": "a list", "model_type": "a mapping",
                  "dict_type": "a mapping", "model_attributes_type": "a mapping"}[kind]
        return f"expected {wanted}, got {item['input']!r}"
    message = item["msg"]
    return message.removeprefix("Value error, ")


def _valid_fields(loc) -> list[str]:
    model: type[BaseModel] | None = Manifest
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part)) if model else None
        model = _nested_model(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _nested_model(annotation):
    import typing
    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _nested_model(arg) if typing.get_args(arg) else None
        if inner:
            return inner
    return None


def _line(document, loc) -> int | None:
    """The 1-based line of the deepest part of loc that the document (ruamel's, or _EventLines) has."""
    if isinstance(document, _EventLines):
        return document.line(loc)
    node, line = document, 1 if isinstance(document, CommentedMap) else None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.data[part][0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.data[part][0] + 1
            node = node[part]
        else:
            break
    return line
