"""A notice: a caveat on a finding or an assessment, as data (a code and the values it names).

The engine writes no sentences: report/notices.py words each code in the reader's language from
report/messages/notices.yaml. Text that is data of its own (a rule version's `warnings:`, a
calendar year's caveat) is carried as it is, under the codes "rule" and "calendar".
"""

from __future__ import annotations

from typing import NamedTuple


class Notice(NamedTuple):
    """(A named tuple: an assessment makes dozens, and a frozen dataclass costs a call per field.)"""
    code: str
    values: tuple = ()      # (name, value) pairs, kept as a tuple so a notice is hashable

    def get(self, name: str, default=None):
        return dict(self.values).get(name, default)

    @property
    def fields(self) -> dict:
        return dict(self.values)


def notice(code: str, **values) -> Notice:
    return Notice(code, tuple(values.items()))
