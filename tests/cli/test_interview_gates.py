"""hegui interview in a pseudo-terminal: gates first, adding entities, `?` and `<` (issue 12 §3)."""

from __future__ import annotations

import re

import pexpect

from hegui.manifest import read_manifest
from hegui.manifest.facts import areas
from test_interview import PROMPT, SAVED, next_question, spawn

AS_OF = "2026-12-03"
ADD = r"(Add a|Any other) ([^\r\n?]+)\? [^\r\n]*: "


def finish(child, lang="en"):
    child.expect(SAVED[lang])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_shop_says_what_it_does_adds_its_entities_and_is_never_asked_about_cars(tmp_path):
    child = spawn(["interview", "--as-of", AS_OF], tmp_path)
    child.expect("Name of the organisation: ")
    child.sendline("Shenzhen Shop Ltd.")
    n, about, _, _, fact = next_question(child)
    assert (n, about, fact) == (1, "organisation", "organisation.activities")   # the gates come first
    child.sendline("1, listing_abroad, 9")        # by number or code: data abroad, a listing, telecom
    # A service is offered since none is listed; a transfer and a listing since their areas are carried on.
    added = {}
    for kind, name in (("service", "shop-app"), ("cross-border transfer", "sg-cloud"), ("listing abroad", "hkex")):
        child.expect(ADD)
        assert child.match.group(1) == "Add a" and child.match.group(2).startswith(kind)
        child.sendline("bad id!")
        child.expect("Please give an id")
        child.expect(ADD)
        child.sendline(name)
        child.expect(f"Added {kind}[^\r\n]* {name}")
        child.expect(ADD)
        assert child.match.group(1) == "Any other"
        child.sendline("")
        added[kind] = name
    asked = []
    while (step := next_question(child)) is not None:
        asked.append((step[1], step[4]))
        child.sendline("s")
    finish(child)

    absent = {fact for a in areas().values() if a.code not in ("cross_border_data", "listing_abroad", "telecom")
              for fact in a.absent}
    assert not [f for _, f in asked if re.sub(r"\[\d+\]", "", f) in absent]
    assert not [f for _, f in asked if f.startswith("organisation.activities")]
    assert ("transfer:sg-cloud", "transfer.destination") in asked
    assert [f for s, f in asked if s == "listing:hkex"]
    assert ("service:shop-app", "service.kind") in asked
    manifest = read_manifest(str(tmp_path / "interview.yaml"))
    activities = manifest.organisation.activities
    assert (activities.cross_border_data, activities.listing_abroad, activities.telecom) == (True, True, True)
    assert activities.vehicles is False and activities.online_healthcare is False
    assert [s.id for s in manifest.services] == ["shop-app"]
    assert [t.id for t in manifest.transfers] == ["sg-cloud"]
    assert [x.id for x in manifest.listings] == ["hkex"]


MANIFEST = """\
format: hegui/1
organisation:
  name: Question Co
  operates_in_mainland: true
services:
  - id: app
    kind: app
"""


def test_question_mark_says_why_and_back_undoes_the_last_answer(tmp_path):
    source = tmp_path / "m.yaml"
    source.write_text(MANIFEST, encoding="utf-8")
    child = spawn(["interview", str(source), "--as-of", AS_OF], tmp_path)
    first = next_question(child)
    assert first[4] == "organisation.activities"
    child.sendline("<")
    child.expect("There is no earlier answer to go back to.")
    assert next_question(child)[4] == "organisation.activities"     # the same question again
    child.sendline("?")
    child.expect(r"Asked because the answer decides (\d+): ([^\r\n]+)\r\n")
    count, findings = int(child.match.group(1)), child.match.group(2)
    assert count == first[2] and "icv.road-testing-permit (service:app)" in findings
    child.expect("settles the detailed questions of that area")
    child.expect(PROMPT)
    child.sendline("none")
    # Nothing carried on: no transfer or listing is offered, and the next question is a detail.
    second = next_question(child)
    assert not second[4].startswith("organisation.activities")
    child.sendline("<")
    child.expect("Back one question: the previous answer is undone.")
    again = next_question(child)
    assert again[4] == "organisation.activities"                 # asked again, and open again
    child.sendline("3")                                           # online games only, this time
    child.sendline("q")
    finish(child)
    activities = read_manifest(str(tmp_path / "m.completed.yaml")).organisation.activities
    assert activities.online_games is True and activities.vehicles is False


def test_a_skipped_multi_select_asks_gate_by_gate_before_the_details(tmp_path):
    source = tmp_path / "m.yaml"
    source.write_text(MANIFEST, encoding="utf-8")
    child = spawn(["interview", str(source), "--as-of", AS_OF], tmp_path)
    assert next_question(child)[4] == "organisation.activities"
    child.sendline("s")
    asked = []
    while (step := next_question(child)) is not None:
        asked.append(step[4])
        child.sendline("s")
    finish(child)
    gate = asked.index("organisation.activities.financial_institutions")
    group = [i for i, f in enumerate(asked) if f.startswith("organisation.financial_group.")]
    assert group and gate < min(group)
    assert all(f.startswith("organisation.activities.") for f in asked[:gate + 1])


LISTED = """\
format: hegui/1
organisation:
  name: Listing Co
  incorporated_in: CN
  operates_in_mainland: true
  activities: {cross_border_data: false, listing_abroad: true, online_games: false, generative_ai: false,
               online_healthcare: false, vehicles: false, credit_reporting: false, financial_institutions: false,
               telecom: false, facial_recognition: false, blockchain: false}
listings:
  - {id: hkex, venue: HKEX, structure: direct, kind: ipo}
"""


def test_the_date_a_deadline_needs_is_asked_and_dates_the_filing(tmp_path):
    source = tmp_path / "m.yaml"
    source.write_text(LISTED, encoding="utf-8")
    out = tmp_path / "done.yaml"
    child = spawn(["interview", str(source), "--as-of", AS_OF, "--lang", "zh", "--out", str(out)], tmp_path)
    child.expect("是否添加服务")              # none listed: add one?
    child.sendline("")
    child.expect("还有其他境外上市吗")        # a listing is listed: any other?
    child.sendline("")
    while (step := next_question(child, "zh")) is not None:
        if step[4] == "listing.application_date":
            child.sendline("?")
            child.expect("可确定 1 项的期限：csrc.overseas-listing-filing \\(listing:hkex\\)")
            child.expect(PROMPT)
            child.sendline("2026-11-02")
        else:
            child.sendline("s")
    finish(child, "zh")
    assert str(read_manifest(str(out)).listings[0].application_date) == "2026-11-02"
