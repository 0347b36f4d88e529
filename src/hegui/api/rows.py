"""The findings' JSON rows, each worked out once per shape of finding and then reused.

Wording a finding (its steps, sentences and reason: report/json_report.py finding_dict) costs
about 30 us, most of a served assessment's CPU, and it is a pure function of the finding, the
language and the rulebook. Many requests share findings of the same shape: the same
obligation decided the same way for a subject whose facts, as far as the words read them, are
the same. So a row is remembered under what it is made of:

- everything in the finding but its `facts`, exactly: statuses, trace, deadline, warnings,
  penalty, ... (the rulebook's own objects in it, such as a trace's clauses, by identity);
- of the subject's `facts`, only those the wording read, with their values: while a row is
  worked out the first time its facts are a `_Reads`, a dict that notes every fact looked up
  (and, if the whole dict was read, all of them). A later finding with the same key and the
  same values of those facts gets the same words, since the wording saw nothing else.

Never keyed by the request: two manifests that differ only in facts a finding's words do not
read share its row, and a manifest seen before gets no row it would not get anyway. The
rows are the JSON bytes (orjson), spliced into the document with orjson.Fragment, so the
answer is byte for byte what encoding the whole document gives (tests/api/test_rows.py).

Bounded: at most MAX_SHAPES keys, forgotten all at once when full (no lock is taken: work
threads can be interrupted by the time bound at any instruction, and single dict operations
are atomic under the GIL, where a held lock would be left held).
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import orjson

from hegui.engine import Finding
from hegui.engine.finding import Performance
from hegui.lang.values import Bounds
from hegui.report.json_report import _encode, finding_dict
from hegui.rulebook.model import Prose

MAX_SHAPES = 4096
PER_SHAPE = 8          # rows kept under one key (the same finding with different facts read)
_FACTS = Finding._fields.index("facts")
_ABSENT = object()     # a fact the wording looked for and did not find
# What the wording may have read besides single facts: the whole dict, or whether it is empty.
_WHOLE, _NONEMPTY = object(), object()
# Made per assessment, so compared by value; any other object (the rulebook's clauses, windows,
# versions) is compared by identity, which the remembered key keeps alive.
_BY_FIELDS = (Performance, Bounds)


# Values whose == is exact for wording (no 1 == True == 1.0, no Prose equal to a str while its
# Chinese differs): a container holding only these is its own stand-in.
_PLAIN = {str, type(None), datetime.date}


def frozen(value, keep: list):
    """A hashable stand-in for value, equal for two values exactly when they are worded the same:
    types are part of it (True, 1 and 1.0 are written differently), and so is dict order."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is bool or kind is int or kind is float or kind is Decimal:
        return kind, value
    if kind is dict:
        if _PLAIN.issuperset(map(type, value.values())) and _PLAIN.issuperset(map(type, value)):
            return dict, tuple(value.items())
        return dict, tuple([(k, v if type(v) in _PLAIN else frozen(v, keep)) for k, v in value.items()])
    if isinstance(value, (tuple, list)):   # named tuples too: Deadline, Notice, a count's Step and Day
        if _PLAIN.issuperset(map(type, value)):
            return kind, tuple(value)
        return kind, tuple([v if type(v) in _PLAIN else frozen(v, keep) for v in value])
    if kind is Prose:
        return Prose, str(value), value.zh
    if kind in _BY_FIELDS:
        return kind, tuple([frozen(getattr(value, f.name), keep) for f in dataclasses.fields(value)])
    keep.append(value)
    return object, id(value)


def _seen(facts: dict, path, keep: list):
    """What the wording would find at `path` (or a pseudo-path) of these facts, frozen."""
    if path is _WHOLE:
        return frozen(facts, keep)
    if path is _NONEMPTY:
        return bool(facts)
    value = facts.get(path, _ABSENT)
    return value if value is _ABSENT else frozen(value, keep)


class _Reads(dict):
    """A subject's facts that note which of them are read (`read`: path -> what was found)."""

    def __init__(self, facts: dict):
        super().__init__(facts)
        self.read: dict = {}

    def _note(self, path):
        value = dict.get(self, path, _ABSENT)
        self.read.setdefault(path, value)
        return value

    def get(self, path, default=None):
        value = self._note(path)
        return default if value is _ABSENT else value

    def __getitem__(self, path):
        value = self._note(path)
        if value is _ABSENT:
            raise KeyError(path)
        return value

    def __contains__(self, path):
        return self._note(path) is not _ABSENT

    def __bool__(self):
        self.read[_NONEMPTY] = None
        return dict.__len__(self) > 0

    # Anything else reads the facts as a whole (`{**facts, **item}` too: with an __iter__ not
    # dict's own, unpacking goes through keys()).
    def _whole(self):
        self.read[_WHOLE] = None

    def __iter__(self):
        self._whole()
        return dict.__iter__(self)

    def keys(self):
        self._whole()
        return dict.keys(self)

    def items(self):
        self._whole()
        return dict.items(self)

    def values(self):
        self._whole()
        return dict.values(self)

    def __len__(self):
        self._whole()
        return dict.__len__(self)

    def copy(self):
        self._whole()
        return dict(dict.items(self))

    def __eq__(self, other):
        self._whole()
        return dict.__eq__(self, other)

    def __ne__(self, other):
        self._whole()
        return dict.__ne__(self, other)

    __hash__ = None


class Rows:
    """finding -> its JSON row as bytes, for one rulebook."""

    def __init__(self, rulebook):
        self.rulebook = rulebook
        self.shapes: dict = {}

    def row(self, f: Finding, lang: str) -> bytes | None:
        """The bytes of `finding_dict(f, lang)` as orjson writes it; None when orjson cannot (an
        integer past 64 bits, half a UTF-16 pair), for the caller to write the document another way."""
        keep: list = []
        key = (lang, f.facts is None, frozen(f[:_FACTS] + f[_FACTS + 1:], keep))
        facts = f.facts or {}
        for reads, row, _kept in self.shapes.get(key, ()):
            if all(_seen(facts, path, keep) == value for path, value in reads):
                return row
        recording = _Reads(facts)
        try:
            row = orjson.dumps(finding_dict(f if f.facts is None else f._replace(facts=recording), lang,
                                            rulebook=self.rulebook), default=_encode)
        except TypeError:
            return None
        paths = (_WHOLE,) if _WHOLE in recording.read else recording.read
        self._remember(key, (tuple((path, _seen(facts, path, keep)) for path in paths), row, keep))
        return row

    def _remember(self, key, entry) -> None:
        if len(self.shapes) >= MAX_SHAPES:
            self.shapes.clear()
        known = self.shapes.get(key)
        if known is None or len(known) >= PER_SHAPE:
            self.shapes[key] = [entry]
        else:
            known.append(entry)
