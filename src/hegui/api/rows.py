"""The findings' JSON rows, each worked out once per shape of finding and then reused.

Wording a finding (its steps, sentences and reason: report/json_report.py finding_dict) costs
about 30 us, most of a served assessment's CPU, and it is a pure function of the finding, the
language and the rulebook. Many requests share findings of the same shape: the same
obligation decided the same way for a subject whose facts, as far as the words read them, are
the same. So a row is kept with the finding it was made from, and given to a later finding when

- everything in it but its `facts` is the same (`same`: exactly, types included, so that True,
  1 and 1.0, or 0.0 and -0.0, are different; the same object is the same, which covers the
  rulebook's own clauses, citations and texts, never changed once loaded): statuses, trace,
  deadline, warnings, penalty, ...;
- and of the subject's `facts`, those the wording read have the same values: while a row is
  worked out the first time its facts are a `_Reads`, a dict that notes every fact looked up
  (and, where the whole dict was read, that). The wording saw nothing else.

Never keyed by the request: two manifests that differ only in facts a finding's words do not
read share its row, and a manifest seen before gets no row it would not get anyway. The
rows are the JSON bytes (orjson), spliced into the document with orjson.Fragment, so the
answer is byte for byte what encoding the whole document gives (tests/api/test_rows.py).

Bounded: at most MAX_SHAPES (obligation, subject, status, language) shapes with PER_SHAPE rows
each and MAX_BYTES of rows, forgotten all at once when full; what a row was made from is kept
without the subject's facts, but for those its words read. No lock is taken: work threads can be interrupted by the
time bound at any instruction, and single dict and list operations are atomic under the GIL,
where a held lock would be left held.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import operator
from decimal import Decimal
from typing import NamedTuple

import orjson

from hegui.engine import Finding
from hegui.engine.finding import Performance
from hegui.lang.values import Bounds
from hegui.report.json_report import _encode, finding_dict
from hegui.rulebook.model import Prose

MAX_SHAPES = 4096
PER_SHAPE = 16         # rows kept for one shape (the same obligation and status, other facts)
# Memory: the rows kept, and what they were made from, which is about as large as the row (the
# facts a row read are in it; all the facts, when it read them all, are counted as their JSON) and
# several times that in Python's objects: some tens of MB at most.
MAX_BYTES = 8_000_000
MAX_ROW_BYTES = 64_000
_TRACE, _FACTS = Finding._fields.index("trace"), Finding._fields.index("facts")
# The fields compared one by one: not the trace (compared first, its own way), the facts (by what
# was read of them), nor those of the shape a row is looked up by (equal there already).
_REST = operator.itemgetter(*(i for i, name in enumerate(Finding._fields)
                              if name not in ("trace", "facts", "obligation", "subject", "status")))
_ABSENT = object()     # a fact the wording looked for and did not find
# What the wording may have read besides single facts: the whole dict, or whether it is empty.
_WHOLE, _NONEMPTY = object(), object()
# Values whose == says they are written alike.
_EXACT = {str, type(None), datetime.date, bool, int}
# Made per assessment, so compared field by field; any other object (the rulebook's clauses,
# windows, versions) only by identity.
_BY_FIELDS = (Performance, Bounds)


def same(a, b) -> bool:
    """Whether a and b are worded alike wherever a finding holds them."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind in _EXACT:
        return a == b
    if kind is float:
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if kind is dict:
        return len(a) == len(b) and all(k == l and type(k) is type(l) and same(v, w)
                                        for (k, v), (l, w) in zip(a.items(), b.items()))
    if isinstance(a, (tuple, list)):   # named tuples too: Deadline, Notice, a count's Step and Day
        return len(a) == len(b) and all(map(same, a, b))
    if kind is Prose:
        return a == b and a.zh == b.zh
    if kind is Decimal:
        return str(a) == str(b)
    if kind in _BY_FIELDS:
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return False


def _same_finding(f: Finding, g: Finding) -> bool:
    """Everything but the facts; the trace first (the most telling), event by event: its roles
    and nodes are the rulebook's objects, its values mostly True, False and None."""
    t, u = f[_TRACE], g[_TRACE]
    return (len(t) == len(u)
            and all(r is s and n is m and (v is w or same(v, w)) for (r, n, v), (s, m, w) in zip(t, u))
            and all(a is b or same(a, b) for a, b in zip(_REST(f), _REST(g))))


def _seen(facts: dict, path):
    """What the wording would find at `path` (or a pseudo-path) of these facts."""
    if path is _WHOLE:
        return facts
    if path is _NONEMPTY:
        return bool(facts)
    return facts.get(path, _ABSENT)


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


class _Kept(NamedTuple):
    made_from: Finding    # the finding the row was made from, without its facts
    had_facts: bool
    reads: tuple          # (path, what the wording found there) for each fact it read
    row: bytes
    weight: int           # bytes it stands for: the row, and the facts when it read them all


class Rows:
    """finding -> its JSON row as bytes, for one rulebook."""

    def __init__(self, rulebook):
        self.rulebook = rulebook
        self.shapes: dict[tuple, list[_Kept]] = {}   # by (language, obligation, subject, status)
        self.size = 0   # the weight of what is kept

    def row(self, f: Finding, lang: str) -> bytes | None:
        """The bytes of `finding_dict(f, lang)` as orjson writes it; None when orjson cannot (an
        integer past 64 bits, half a UTF-16 pair), for the caller to write the document another way."""
        shape = (lang, f.obligation, f.subject, f.status)
        facts = f.facts
        for kept in self.shapes.get(shape, ()):
            # The facts first: where rows of one shape differ, it is mostly in a fact's value.
            if (facts is not None) is kept.had_facts \
                    and all(same(_seen(facts or {}, path), found) for path, found in kept.reads) \
                    and _same_finding(f, kept.made_from):
                return kept.row
        recording = None if facts is None else _Reads(facts)
        try:
            row = orjson.dumps(finding_dict(f if recording is None else f._replace(facts=recording), lang,
                                            rulebook=self.rulebook), default=_encode)
        except TypeError:
            return None
        read = {} if recording is None else recording.read
        weight = len(row)
        if _WHOLE in read:   # words that read all the facts keep them all, to compare in full next time
            read = (_WHOLE,)
            try:
                weight += len(orjson.dumps(facts, default=_encode, option=orjson.OPT_NON_STR_KEYS))
            except TypeError:
                return row
        if weight <= MAX_ROW_BYTES:
            self._remember(shape, _Kept(f._replace(facts=None), facts is not None,
                                        tuple((path, _seen(facts or {}, path)) for path in read), row, weight))
        return row

    def _remember(self, shape, kept: _Kept) -> None:
        if len(self.shapes) >= MAX_SHAPES or self.size >= MAX_BYTES:
            self.shapes.clear()
            self.size = 0
        known = self.shapes.get(shape)
        if known is None or len(known) >= PER_SHAPE:
            self.shapes[shape] = [kept]
        else:
            known.append(kept)
        self.size += kept.weight
