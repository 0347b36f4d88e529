"""Questions that matter: gate questions first, the facts a deadline needs, judgements last.

An organisation that says it carries on none of an area (organisation.activities.*) is not asked
that area's detailed facts, and the findings that need them are decided; an applying duty whose
deadline waits on a date or a choice asks for it; a legal judgement comes after the counts.
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.engine.questions import questions
from hegui.manifest import parse_manifest
from hegui.manifest.facts import areas, derivations, subjects

DAY = datetime.date(2026, 12, 3)

# The user of issue 12: a Shenzhen e-commerce company with 3M users, an H-share listing in Hong
# Kong and customer data on a Singapore cloud.
SHOP = """\
format: hegui/1
organisation:
  name: Shenzhen Shop Ltd.
  incorporated_in: CN
  operates_in_mainland: true
  pi_individuals: 3000000
{activities}
services:
  - {{id: shop-app, name: Shop App, kind: app}}
transfers:
  - {{id: sg-cloud, destination: SG, includes_pi: true}}
listings:
  - {{id: hkex, venue: HKEX, structure: direct, kind: ipo}}
"""

NONE_BUT_DATA_LISTING_TELECOM = """\
  activities:
    cross_border_data: true
    listing_abroad: true
    online_games: false
    generative_ai: false
    online_healthcare: false
    vehicles: false
    credit_reporting: false
    financial_institutions: false
    telecom: true
    facial_recognition: false
    blockchain: false"""

# Areas an e-commerce app does not carry on, and duties that exist only for them (what the reader
# must not be asked about once it has said so).
NOT_ITS_BUSINESS = [
    ("icv.road-testing-permit", "service:shop-app"), ("icv.surveying-qualification", "service:shop-app"),
    ("auto-data.domestic-storage", "service:shop-app"), ("auto-data.annual-report", "service:shop-app"),
    ("online-healthcare.physical-institution", "service:shop-app"),
    ("online-healthcare.no-ai-prescriptions", "service:shop-app"),
    ("anthropomorphic-ai.security-assessment", "service:shop-app"),
    ("anthropomorphic-ai.minor-protections", "service:shop-app"),
    ("genai.assessment-and-filing", "service:shop-app"), ("deep-synthesis.filing", "service:shop-app"),
    ("games.publication-approval", "service:shop-app"), ("minors-gaming.time-limits", "service:shop-app"),
    ("blockchain.filing", "service:shop-app"), ("fhc.licence", "organisation"),
    ("credit.personal-credit-licence", "organisation"), ("face-recognition.filing", "organisation"),
]


def shop(activities: str = "", extra: str = ""):
    return assess(parse_manifest(SHOP.format(activities=activities).replace("services:", extra + "services:")), DAY)


def status(result, obligation, subject="organisation"):
    return next(f.status for f in result.findings if (f.obligation, f.subject) == (obligation, subject))


def test_without_gates_the_shop_is_asked_about_vehicles_healthcare_and_ai():
    result = shop()
    assert {status(result, o, s) for o, s in NOT_ITS_BUSINESS} == {"unknown"}


def test_an_area_declared_absent_decides_its_findings_and_is_not_asked():
    result = shop(NONE_BUT_DATA_LISTING_TELECOM)
    assert {(o, s): status(result, o, s) for o, s in NOT_ITS_BUSINESS} == \
        {(o, s): "does_not_apply" for o, s in NOT_ITS_BUSINESS}
    asked = {q.generic for q in questions(result)}
    absent = [a for a in areas().values() if a.code not in ("cross_border_data", "listing_abroad", "telecom")]
    assert not asked & {fact for a in absent for fact in a.absent}
    assert not any(q.gate for q in questions(result))      # every gate is answered
    # Areas it carries on still ask their details: the transfer's and the listing's facts.
    assert {"transfer.basis", "organisation.exports.pi_individuals_current_year"} <= asked


def test_the_unknowns_left_are_about_what_an_e_commerce_app_does():
    before = [f for f in shop().findings if f.status == "unknown"]
    after = [f for f in shop(NONE_BUT_DATA_LISTING_TELECOM).findings if f.status == "unknown"]
    assert len(after) <= len(before) - 20
    words = ("vehicle", "auto", "icv", "healthcare", "anthropomorphic", "games", "fhc", "credit")
    assert not [f.obligation for f in after if any(w in f.obligation for w in words)]


def test_a_fact_the_manifest_gives_wins_over_its_area():
    text = SHOP.format(activities="  activities: {online_games: false}").replace(
        "{id: shop-app, name: Shop App, kind: app}", "{id: shop-app, kind: game, online_game: true}")
    manifest = parse_manifest(text)
    service = next(facts for kind, _, facts in subjects(manifest) if kind == "service")
    assert service["service.online_game"] is True
    assert status(assess(manifest, DAY), "games.publication-approval", "service:shop-app") != "does_not_apply"


@pytest.mark.parametrize("lang, words", [("en", "what it gives is used"), ("zh", "按清单给出的事实判断")])
def test_an_area_declared_absent_but_contradicted_is_pointed_out(lang, words):
    from hegui.report.notices import texts
    text = SHOP.format(activities="  activities: {online_games: false, cross_border_data: false}").replace(
        "{id: shop-app, name: Shop App, kind: app}", "{id: shop-app, kind: app, online_game: true}")
    notes = [n for n in assess(parse_manifest(text), DAY).warnings if n.code == "activity_contradicted"]
    assert [(n.get("gate"), n.get("given")) for n in notes] == [
        ("organisation.activities.cross_border_data", ("transfers (transfer:sg-cloud)",)),
        ("organisation.activities.online_games", ("service.online_game (service:shop-app)",))]
    assert words in texts(notes, lang)[1] and "service.online_game (service:shop-app)" in texts(notes, lang)[1]
    assert not [n for n in shop(NONE_BUT_DATA_LISTING_TELECOM).warnings if n.code == "activity_contradicted"]


def test_an_area_carried_on_derives_nothing():
    result = shop("  activities: {vehicles: true}")
    service = next(f.facts for f in result.findings if f.subject == "service:shop-app")
    assert "service.automotive_data_processor" not in service
    assert status(result, "auto-data.domestic-storage", "service:shop-app") == "unknown"
    asked = {q.fact for q in questions(result)}
    assert "service.automotive_data_processor" in asked and "organisation.activities.vehicles" not in asked


def test_each_derivation_follows_only_from_a_declared_absence():
    for area in areas().values():
        for fact, value in area.absent.items():
            d = derivations()[fact]
            assert d.source == area.gate and d.table == {False: value}, fact
            assert value in (False, 0, ("none",)), fact     # never a guess that something is carried on


def test_the_gates_are_asked_first_as_one_multi_select():
    found = questions(shop())
    first = found[0]
    assert (first.fact, first.type, first.gate, first.path) == \
        ("organisation.activities", "activities", True, "organisation.activities")
    assert first.values == tuple(areas())                # every area, in activities.yaml's order
    assert first.labels[first.values.index("vehicles")].startswith("vehicles")
    assert not any(q.fact.startswith("organisation.activities.") for q in found)
    # It decides the findings that wait on any gated fact, e.g. the road-testing permit.
    assert ("icv.road-testing-permit", "service:shop-app") in first.decides
    zh = questions(shop(), lang="zh")[0]
    assert zh.labels[zh.values.index("online_healthcare")] == "互联网诊疗或在线处方"
    assert zh.text.endswith("？")


def test_the_multi_select_offers_only_the_areas_not_yet_answered():
    found = questions(shop("  activities: {vehicles: false, online_games: false}"))
    assert found[0].gate and "vehicles" not in found[0].values and "online_games" not in found[0].values
    assert "generative_ai" in found[0].values


FINANCE = """\
format: hegui/1
organisation:
  name: Holding Co.
  operates_in_mainland: true
{finance}
"""


def test_does_it_control_a_financial_institution_comes_before_the_five_group_facts():
    result = assess(parse_manifest(FINANCE.format(finance="")), DAY)
    found = [q.fact for q in questions(result, grouped=False)]
    gate = found.index("organisation.activities.financial_institutions")
    group = [i for i, f in enumerate(found) if f.startswith("organisation.financial_group.")]
    assert group and gate < min(group)
    assert all(q.gate for q in questions(result, grouped=False)[:gate + 1])


def test_no_financial_institution_settles_the_financial_holding_company_licence():
    result = assess(parse_manifest(FINANCE.format(finance="  activities: {financial_institutions: false}")), DAY)
    assert status(result, "fhc.licence") == "does_not_apply"
    assert not [q for q in questions(result) if q.fact.startswith("organisation.financial_group.")]


# --- facts that set a deadline ---------------------------------------------------------------

def test_an_applying_duty_whose_deadline_needs_a_date_asks_for_it():
    result = shop(NONE_BUT_DATA_LISTING_TELECOM)
    filing = next(f for f in result.findings if (f.obligation, f.subject) == ("csrc.overseas-listing-filing",
                                                                               "listing:hkex"))
    assert filing.status == "applies" and filing.deadline.date is None
    assert filing.deadline.needs == ("listing.application_date",)
    q = next(q for q in questions(result) if q.fact == "listing.application_date")
    assert (q.path, q.subject, q.type) == ("listings[0].application_date", "listing:hkex", "date")
    assert ("csrc.overseas-listing-filing", "listing:hkex") in q.dates
    assert ("csrc.overseas-listing-filing", "listing:hkex") not in q.decides
    started = next(q for q in questions(result) if q.fact == "transfer.started_on")
    assert ("pipl.transfer-notice-consent-pia", "transfer:sg-cloud") in started.dates


def test_once_the_date_is_given_the_deadline_is_counted_and_not_asked():
    text = SHOP.format(activities=NONE_BUT_DATA_LISTING_TELECOM).replace(
        "structure: direct, kind: ipo", "structure: direct, kind: ipo, application_date: 2026-11-02")
    result = assess(parse_manifest(text), DAY)
    filing = next(f for f in result.findings if f.obligation == "csrc.overseas-listing-filing")
    # CSRC Trial Measures Art. 16: 3 working days after the application abroad (Mon 2 Nov 2026).
    assert filing.deadline.date == datetime.date(2026, 11, 5)
    assert not [q for q in questions(result) if q.fact == "listing.application_date"]


def test_a_deadline_that_depends_on_a_fact_asks_it_too():
    # questions() reads the facts a deadline rule's `when` needs from the Deadline's `needs`.
    from types import SimpleNamespace as NS
    found = questions(NS(findings=[NS(obligation="x.y", subject="transfer:t", status="applies", missing_facts=[],
                                      deadline=NS(date=None, needs=("transfer.mechanism",)), facts=None)]))
    assert [(q.fact, q.path, q.dates, q.decides) for q in found] == \
        [("transfer.mechanism", "transfers[0].mechanism", (("x.y", "transfer:t"),), ())]


# --- legal judgements after the counts -------------------------------------------------------

def test_a_legal_judgement_comes_after_the_counts_that_may_decide_without_it():
    result = assess(parse_manifest(FINANCE.format(finance="  network_platform_operator: true")), DAY)
    found = [q.fact for q in questions(result)]
    judgement = found.index("organisation.complex_business_and_significant_impact")
    assert found.index("organisation.registered_users") < judgement
    assert found.index("organisation.monthly_active_users") < judgement


# --- export counts without a transfer ---------------------------------------------------------

EXPORTER = """\
format: hegui/1
organisation:
  name: Exporter Ltd.
  operates_in_mainland: true
  exports: {{pi_individuals_current_year: {count}}}
{transfers}
"""


@pytest.mark.parametrize("lang, words", [("en", "no transfer is listed"), ("zh", "未列出任何数据出境")])
def test_export_counts_without_a_transfer_are_pointed_out(lang, words):
    from hegui.report.notices import texts
    result = assess(parse_manifest(EXPORTER.format(count=150000, transfers="")), DAY)
    notes = [n for n in result.warnings if n.code == "exports_without_transfers"]
    assert len(notes) == 1
    shown = texts(notes, lang)[0]
    assert words in shown and "organisation.exports.pi_individuals_current_year 150,000" in shown


@pytest.mark.parametrize("count, transfers", [(150000, "transfers: [{id: t, destination: SG}]"), (0, "")])
def test_no_such_notice_with_a_transfer_or_with_nothing_exported(count, transfers):
    result = assess(parse_manifest(EXPORTER.format(count=count, transfers=transfers)), DAY)
    assert not [n for n in result.warnings if n.code == "exports_without_transfers"]
