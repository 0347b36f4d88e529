"""A deadline's basis and its working-day count are data, worded here in English and Chinese.

The dates are the official calendar's: in 2024 Sunday 09-29 was a make-up working day for
National Day, 10-01 to 10-07 the holiday (State Council General Office notice on the 2024
holidays), so 3 working days after Friday 2024-09-27 end on Tuesday 10-08.
"""

from __future__ import annotations

import datetime

from hegui.calendar import periods
from hegui.engine.finding import Deadline
from hegui.engine.notices import notice
from hegui.report.deadlines import basis_text, day_step_text

D = datetime.date.fromisoformat


def counted(kind, count, fact="listing.application_date", on=D("2024-09-27")):
    return notice("counted", kind=kind, count=count, fact=fact, date=None, on=on)


def test_a_working_day_count_in_both_languages():
    p = periods.after_working_days(D("2024-09-27"), 3)
    d = Deadline(p.date, (counted("working_days_after", 3),), "16", p.steps)
    assert d.date == D("2024-10-08")
    assert basis_text(d) == "3 working days after listing.application_date (2024-09-27)"
    assert basis_text(d, "zh") == "listing.application_date（2024-09-27）后 3 个工作日内"
    en = [day_step_text(s) for s in d.steps]
    zh = [day_step_text(s, "zh") for s in d.steps]
    assert en[:3] == ["not counted (weekend)", "working day 1 (make-up working day for National Day)",
                      "working day 2 (weekday)"]
    assert en[3] == "not counted (National Day holiday)" and en[-1] == "working day 3 (weekday)"
    assert zh[:3] == ["不计入（周末）", "第 1 个工作日（国庆节调休上班日）", "第 2 个工作日（工作日）"]
    assert zh[3] == "不计入（国庆节假期）"


def test_every_part_of_a_basis_is_worded_in_chinese_without_english():
    parts = [
        counted("before", None), counted("days_after", 30), counted("months_after", 6),
        counted("hours_after", 24), counted("working_days_before", 30),
        notice("counted", kind="by", count=None, fact=None, date=D("2025-12-31"), on=None),
        notice("needs", facts=("transfer.started_on",)),
        notice("needs_which", facts=("organisation.incident.grade",)),
        notice("annually", month=1, day=31), notice("every_years", count=2),
        notice("since_last_done", count=2, day=D("2025-05-01")),
        notice("since_start", count=2, fact=None, day=D("2025-05-01")),
        notice("counted_from_in_force", day=D("2022-03-01")), notice("under_way", day=D("2022-03-01")),
        notice("counted_back_past", day=D("2024-12-01"), due=D("2025-01-01")),
        notice("hours_latest", day=D("2024-06-08")),
        notice("valid_years", years=2, fact="transfer.mechanism_effective_on", day=D("2024-01-01"), article="7"),
        notice("broken_since", fact=None, day=D("2017-07-01"), in_force=D("2017-07-01")),
        notice("broken_since", fact="service.launched_on", day=D("2023-05-04"), in_force=D("2017-07-01")),
    ]
    for p in parts:
        en, zh = basis_text(Deadline(None, (p,))), basis_text(Deadline(None, (p,)), "zh")
        assert en and zh and "{" not in en + zh
        words = [w for w in zh.replace("（", " ").replace("）", " ").split() if w.isascii() and w.isalpha()]
        assert words == [], (p.code, zh)
    assert basis_text(Deadline(None, (notice("annually", month=1, day=31),))) == "each year by 01-31"
    both = Deadline(None, (counted("working_days_after", 3), notice("needs", facts=("a.b",))))
    assert basis_text(both) == "3 working days after listing.application_date (2024-09-27); needs a.b"
    assert basis_text(both, "zh") == "listing.application_date（2024-09-27）后 3 个工作日内；需要 a.b"


def test_a_deadline_is_frozen():
    import pytest
    with pytest.raises(AttributeError):   # a named tuple's fields cannot be set
        Deadline(None, ()).says = "x"
