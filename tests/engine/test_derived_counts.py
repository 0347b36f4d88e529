"""Organisation-wide export counts bounded from the transfers (manifest.md, "Aggregates").

When `organisation.exports` is absent, the sum of the transfers' counts is an upper bound
(one person can be in several flows) and the largest single counted transfer a lower bound.
Order 16 counts leave out exempt transfers (Arts. 4, 5(1)-(3), 6); Order 11 counted all.
"""

from __future__ import annotations

import datetime

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.notices import texts

ORDER_16_DAY = datetime.date(2024, 6, 20)
ORDER_11_DAY = datetime.date(2023, 6, 20)
SA, SCC = "cbdt.security-assessment", "cbdt.standard-contract-or-certification"
CURRENT = "organisation.exports.pi_individuals_current_year"


def transfer(id, current=None, previous=None, basis="none"):
    t = {"id": id, "includes_pi": True, "includes_sensitive_pi": False, "includes_important_data": False,
         "sensitive_pi_individuals_current_year": 0, "sensitive_pi_individuals_since_previous_year": 0,
         "basis": basis, "collected_abroad_only": False, "ftz_exempt": False}
    if current is not None:
        t["pi_individuals_current_year"] = current
    if previous is not None:
        t["pi_individuals_since_previous_year"] = previous
    if basis is None:
        del t["basis"]
    return t


def findings(transfers, as_of=ORDER_16_DAY, exports=None):
    org = {"name": "Exporter", "ciio": False, "pi_individuals": 500_000}
    if exports is not None:
        org["exports"] = exports
    m = Manifest.model_validate({"format": "hegui/1", "organisation": org, "transfers": transfers})
    return {(f.obligation, f.subject): f for f in assess(m, as_of).findings}


def test_bounds_that_straddle_a_threshold_leave_it_unknown_and_ask_for_the_total():
    # 600,000 + 500,000: at least 600,000, at most 1,100,000 individuals; Art. 7(2)'s 1,000,000 undecided.
    got = findings([transfer("a", current=600_000), transfer("b", current=500_000)])
    sa = got[(SA, "transfer:a")]
    assert sa.status == "unknown"
    assert CURRENT in sa.missing_facts
    assert any("derived" in w for w in texts(sa.warnings))


def test_one_transfer_at_the_threshold_proves_it_reached():
    # The largest single transfer alone reaches 1,000,000 (以上 includes it): assessment needed.
    got = findings([transfer("a", current=1_000_000), transfer("b", current=10)])
    assert got[(SA, "transfer:a")].status == "applies"
    assert got[(SA, "transfer:b")].status == "applies"


def test_a_sum_below_the_threshold_proves_it_not_reached():
    # 30,000 + 40,000 < 100,000: Art. 5(4) exempts, and the Art. 8 band (100,000 以上) is not reached.
    got = findings([transfer("a", current=30_000), transfer("b", current=40_000)])
    assert got[(SA, "transfer:a")].status == "does_not_apply"
    assert got[(SCC, "transfer:a")].status == "does_not_apply"


def test_exempt_transfers_are_left_out_of_the_order_16_count():
    # The HR flow (Art. 5(2)) does not count: 200,000 remain, inside the Art. 8 band.
    got = findings([transfer("hr", current=900_000, basis="cross_border_hr"), transfer("crm", current=200_000)])
    assert got[(SA, "transfer:crm")].status == "does_not_apply"
    assert got[(SCC, "transfer:crm")].status == "applies"


def test_a_transfer_whose_exemption_is_unknown_only_raises_the_upper_bound():
    got = findings([transfer("maybe", current=900_000, basis=None), transfer("crm", current=200_000)])
    sa = got[(SA, "transfer:crm")]
    assert sa.status == "unknown"  # 200,000 to 1,100,000 individuals
    assert CURRENT in sa.missing_facts


def test_order_11_counted_every_transfer_even_exempt_ones():
    # Order 11 Art. 4(3) had no exemptions: the HR flow's 120,000 reaches 100,000 by itself.
    got = findings([transfer("hr", previous=120_000, basis="cross_border_hr")], as_of=ORDER_11_DAY)
    assert got[(SA, "transfer:hr")].status == "applies"


def test_a_transfer_without_a_count_removes_the_upper_bound():
    got = findings([transfer("a", current=50_000), transfer("b")])
    assert got[(SCC, "transfer:a")].status == "unknown"


def test_a_given_organisation_count_wins_over_the_transfers():
    got = findings([transfer("a", current=600_000), transfer("b", current=500_000)],
                   exports={"pi_individuals_current_year": 1_050_000, "sensitive_pi_individuals_current_year": 0})
    sa = got[(SA, "transfer:a")]
    assert sa.status == "applies"
    assert not any("derived" in w for w in texts(sa.warnings))


# -- a derived count's caveat goes only with findings judged on the days it is a legal test ----------
# The since-previous-year count is Order 11's test (Art. 4(3)) up to 2024-03-21; from 2024-03-22
# Order 16 counts the current year (Arts. 7-8, prevailing under Art. 13; manifest.md, "Aggregates").

PREVIOUS = "organisation.exports.pi_individuals_since_previous_year"


def caveats_on(fact, got):
    return {key for key, f in got.items() for n in f.warnings if n.code == "derived" and n.get("fact") == fact}


def test_the_previous_year_count_is_a_caveat_on_the_day_before_order_16_and_not_on_its_first_day():
    # 60,000 + 50,000 individuals since 1 January of the previous year: 60,000 to 110,000, so Order 11's
    # 100,000 is undecided and the caveat says why; on 2024-03-22 no finding rests on that count.
    flows = [transfer("a", current=60_000, previous=60_000), transfer("b", current=50_000, previous=50_000)]
    before = findings(flows, as_of=datetime.date(2024, 3, 21))
    assert before[(SA, "transfer:a")].status == "unknown"
    assert (SA, "transfer:a") in caveats_on(PREVIOUS, before)
    assert caveats_on(PREVIOUS, findings(flows, as_of=datetime.date(2024, 3, 22))) == set()


def test_a_count_the_condition_does_not_rest_on_is_no_caveat():
    # PIPL Art. 55(4): a listed PI transfer shows the export by itself, so the impact assessment's
    # finding carries no caveat about bounded counts, in 2023 or in 2026.
    flows = [transfer("a", current=60_000, previous=60_000)]
    for day in (ORDER_11_DAY, datetime.date(2026, 12, 1)):
        impact = findings(flows, as_of=day)[("pipl.impact-assessment", "organisation")]
        assert impact.status == "applies"
        assert not [n for n in impact.warnings if n.code == "derived"], day
