"""Cross-border data rules: expectations derived from the law notes, not the code.

Sources (all under /work/shared):
- regulations/data-and-cyber.md §1 (CSL Art. 37), §2 (DSL Art. 36), §3.3 (PIPL Arts. 38-41),
  §6 (CAC Order 11), §7 (CAC Order 13), §8 (CAC Order 16), §9 (CAC-SAMR Order 20);
- regulations/addendum-2026-11.md §9 (CSL renumbering: Art. 37 -> Art. 39 from 2026-01-01),
  §11.2 (Order 20 Art. 8: certificate valid 3 years);
- spec/catalogue.md (ids, in-force dates), spec/interface.md (deadlines, compliance),
  spec/manifest.md (counting windows, claims and exemptions).

Boundary words (Civil Code Art. 1259): 以上 includes the number, 不满/超过 exclude it.
Order 11 Art. 4(3) "累计向境外提供10万人" is read as reaching the number (>=).
"""

from __future__ import annotations

import datetime

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest

from builders import DROP, merge

D = datetime.date
SA = "cbdt.security-assessment"
SCC = "cbdt.standard-contract-or-certification"
NOTICE = "pipl.transfer-notice-consent-pia"
JUDICIAL = "pipl.foreign-judicial-request-approval"
LOCAL = "csl.ciio-localisation"


# Dates on which each version governs (well inside its window).
O11_DAY = D(2023, 7, 3)       # Order 11 (and Order 13 from 2023-06-01)
O16_DAY = D(2024, 6, 20)      # Order 16
O20_DAY = D(2026, 6, 1)       # Order 20 for the contract/certification band


# ---------------------------------------------------------------- builders



def org(**changes) -> dict:
    """A non-CIIO with small volumes; exports given separately via exports()."""
    return merge({"name": "X", "ciio": False, "processes_important_data": False,
                   "pi_individuals": 50_000, "registered_in_pilot_ftz": False,
                   "registered_in_gba_mainland_city": False}, changes)


def exports(**changes) -> dict:
    """Organisation-wide export counts in both windows; zero unless given."""
    return merge({"pi_individuals_current_year": 0, "sensitive_pi_individuals_current_year": 0,
                   "pi_individuals_since_previous_year": 0,
                   "sensitive_pi_individuals_since_previous_year": 0}, changes)


def transfer(**changes) -> dict:
    """A plain non-sensitive PI export with every exemption explicitly disclaimed."""
    return merge({"id": "t", "destination": "US", "started_on": "2022-10-10",
                   "includes_pi": True, "includes_sensitive_pi": False, "includes_important_data": False,
                   "basis": "none", "collected_abroad_only": False, "ftz_exempt": False,
                   "to_foreign_judicial_authority": False, "mechanism": "none"}, changes)


def manifest(organisation: dict | None = None, export_counts: dict | None = None,
             xfer: dict | None = None, compliance: list | None = None) -> Manifest:
    o = dict(organisation if organisation is not None else org())
    if export_counts is not None:
        o["exports"] = export_counts
    doc = {"format": "hegui/1", "organisation": o, "transfers": [xfer if xfer is not None else transfer()]}
    if compliance:
        doc["compliance"] = compliance
    return Manifest.model_validate(doc)


def finding(m: Manifest, as_of: datetime.date, obligation: str, subject: str = "transfer:t"):
    a = assess(m, as_of)
    return next(x for x in a.findings if x.obligation == obligation and x.subject == subject)


def run(obligation: str, as_of: datetime.date, *, o: dict | None = None, e: dict | None = None,
        t: dict | None = None, compliance: list | None = None, subject: str = "transfer:t"):
    return finding(manifest(o if o is not None else org(), e if e is not None else exports(),
                            t if t is not None else transfer(), compliance), as_of, obligation, subject)


# ========================================================================
# cbdt.security-assessment: Order 11 (2022-09-01 .. 2024-03-21)
# ========================================================================

class TestSecurityAssessmentOrder11:

    def test_not_in_force_day_before_order_11(self):
        # Order 11 Art. 20: effective 2022-09-01 (notes §6); the catalogue's in-force date.
        f = run(SA, D(2022, 8, 31), o=org(ciio=True))
        assert f.status == "not_in_force"

    def test_in_force_on_2022_09_01(self):
        # Order 11 Art. 4(2): a CIIO exporting PI needs the assessment from the first day.
        f = run(SA, D(2022, 9, 1), o=org(ciio=True))
        assert f.status == "applies"
        assert f.citation["short"] == "CAC Order 11"

    def test_cites_order_11_on_2024_03_21(self):
        f = run(SA, D(2024, 3, 21), o=org(ciio=True))
        assert f.status == "applies"
        assert f.citation["short"] == "CAC Order 11"   # Order 11 Art. 4 still governs
        assert f.citation["article"] == "4"

    def test_cites_order_16_on_2024_03_22(self):
        f = run(SA, D(2024, 3, 22), o=org(ciio=True))
        assert f.status == "applies"
        assert f.citation["short"] == "CAC Order 16"   # Order 16 Art. 7(1) in force on publication (Art. 14)
        assert f.citation["article"] == "7"

    def test_important_data_alone(self):
        # Order 11 Art. 4(1): exporting important data needs the assessment, PI or not.
        f = run(SA, O11_DAY, t=transfer(includes_pi=False, includes_important_data=True))
        assert f.status == "applies"

    def test_ciio_exporting_pi(self):
        # Order 11 Art. 4(2): a CIIO exporting PI.
        assert run(SA, O11_DAY, o=org(ciio=True)).status == "applies"

    def test_ciio_exporting_neither_pi_nor_important_data(self):
        # Art. 4(2) needs a PI export; Art. 4(1) needs important data.
        f = run(SA, O11_DAY, o=org(ciio=True), t=transfer(includes_pi=False))
        assert f.status == "does_not_apply"

    def test_small_non_ciio_exporting_pi(self):
        # None of Art. 4(1)-(3) holds.
        assert run(SA, O11_DAY).status == "does_not_apply"

    @pytest.mark.parametrize("n, expected", [
        (999_999, "does_not_apply"),
        (1_000_000, "applies"),      # Art. 4(2) "处理100万人以上个人信息": 以上 includes the number
        (1_000_001, "applies"),
    ])
    def test_processing_volume_threshold(self, n, expected):
        f = run(SA, O11_DAY, o=org(pi_individuals=n))
        assert f.status == expected

    @pytest.mark.parametrize("n, expected", [
        (99_999, "does_not_apply"),
        (100_000, "applies"),        # Art. 4(3) "累计向境外提供10万人个人信息": reaching the number
        (100_001, "applies"),
    ])
    def test_exported_pi_since_previous_year_threshold(self, n, expected):
        f = run(SA, O11_DAY, o=org(pi_individuals=900_000),
                e=exports(pi_individuals_since_previous_year=n))
        assert f.status == expected

    @pytest.mark.parametrize("n, expected", [
        (9_999, "does_not_apply"),
        (10_000, "applies"),         # Art. 4(3) "…1万人敏感个人信息": reaching the number
        (10_001, "applies"),
    ])
    def test_exported_sensitive_since_previous_year_threshold(self, n, expected):
        f = run(SA, O11_DAY, e=exports(sensitive_pi_individuals_since_previous_year=n),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == expected

    def test_uses_previous_year_window_not_current_year(self):
        # Notes §0.2 / manifest.md: Order 11 counts since 1 January of the previous year.
        f = run(SA, O11_DAY, e=exports(pi_individuals_current_year=0,
                                        pi_individuals_since_previous_year=150_000))
        assert f.status == "applies"

    def test_no_exemptions_under_order_11(self):
        # Order 11 had no exemptions (manifest.md, Aggregates): an HR transfer above 100,000 counts.
        f = run(SA, O11_DAY, e=exports(pi_individuals_since_previous_year=120_000),
                t=transfer(basis="cross_border_hr", collected_abroad_only=True, ftz_exempt=True))
        assert f.status == "applies"

    def test_unclaimed_basis_irrelevant_under_order_11(self):
        # No exemption to claim: an absent basis does not make the finding unknown.
        f = run(SA, O11_DAY, e=exports(pi_individuals_since_previous_year=120_000),
                t=transfer(basis=DROP))
        assert f.status == "applies"
        assert f.missing_facts == []

    def test_missing_previous_year_count_is_named(self):
        # Art. 4(3) undecidable without the count; the other limbs are false.
        f = run(SA, O11_DAY, e=exports(pi_individuals_since_previous_year=DROP))
        assert f.status == "unknown"
        assert "organisation.exports.pi_individuals_since_previous_year" in f.missing_facts

    def test_missing_sensitive_count_is_named(self):
        f = run(SA, O11_DAY, e=exports(sensitive_pi_individuals_since_previous_year=DROP))
        assert f.status == "unknown"
        assert "organisation.exports.sensitive_pi_individuals_since_previous_year" in f.missing_facts

    def test_missing_processing_volume_is_named(self):
        f = run(SA, O11_DAY, o=org(pi_individuals=DROP))
        assert f.status == "unknown"
        assert "organisation.pi_individuals" in f.missing_facts

    def test_missing_ciio_is_named(self):
        f = run(SA, O11_DAY, o=org(ciio=DROP))
        assert f.status == "unknown"
        assert "organisation.ciio" in f.missing_facts

    def test_true_limb_decides_despite_unknown_one(self):
        # Kleene: true or unknown is true (catalogue.md, Statuses).
        f = run(SA, O11_DAY, o=org(pi_individuals=DROP),
                e=exports(pi_individuals_since_previous_year=100_000))
        assert f.status == "applies"

    def test_deadline_day_before_export_starts(self):
        # Apply and pass before the export starts (interface.md: "before" = the day before).
        f = run(SA, O11_DAY, o=org(ciio=True), t=transfer(started_on="2023-01-10"))
        assert f.deadline is not None and f.deadline.date == D(2023, 1, 9)

    @pytest.mark.parametrize("started", ["2021-05-01", "2022-08-31"])
    def test_deadline_for_exports_already_running(self, started):
        # Order 11 Art. 20: exports begun before 2022-09-01 rectify within 6 months -> 2023-03-01.
        f = run(SA, O11_DAY, o=org(ciio=True), t=transfer(started_on=started))
        assert f.deadline is not None and f.deadline.date == D(2023, 3, 1)

    def test_running_export_open_during_grace_period(self):
        # Order 11 Art. 20: until 2023-03-01 an export already running is not yet overdue.
        f = run(SA, D(2022, 12, 1), o=org(ciio=True), t=transfer(started_on="2022-05-01"))
        assert f.deadline.date == D(2023, 3, 1)
        assert f.compliance == "open"

    def test_compliance_satisfied_within_two_years(self):
        # Order 11 Art. 14: result valid 2 years from issue.
        f = run(SA, D(2024, 3, 21), o=org(ciio=True),
                t=transfer(mechanism="security_assessment", mechanism_effective_on="2022-10-10"))
        assert f.compliance == "satisfied"

    @pytest.mark.parametrize("as_of, expected", [
        (D(2024, 3, 1), "satisfied"),    # last day of the 2-year validity (Civil Code Art. 201/202)
        (D(2024, 3, 2), "overdue"),      # Order 11 Art. 14 validity has lapsed
    ])
    def test_compliance_lapses_after_two_years(self, as_of, expected):
        f = run(SA, as_of, o=org(ciio=True),
                t=transfer(mechanism="security_assessment", mechanism_effective_on="2022-03-01"))
        assert f.compliance == expected

    def test_compliance_overdue_without_mechanism_after_start(self):
        f = run(SA, O11_DAY, o=org(ciio=True), t=transfer(started_on="2023-01-10"))
        assert f.compliance == "overdue"

    def test_compliance_open_before_planned_start(self):
        f = run(SA, O11_DAY, o=org(ciio=True), t=transfer(started_on="2023-09-01"))
        assert f.compliance == "open"


# ========================================================================
# cbdt.security-assessment: Order 16 (from 2024-03-22)
# ========================================================================

class TestSecurityAssessmentOrder16:

    def test_important_data(self):
        # Art. 7(2): a non-CIIO exporting important data.
        f = run(SA, O16_DAY, t=transfer(includes_pi=False, includes_important_data=True))
        assert f.status == "applies"
        assert f.citation["short"] == "CAC Order 16"

    def test_ciio_exporting_small_pi(self):
        # Art. 7(1): a CIIO exporting any PI; Art. 5(4) is limited to non-CIIOs.
        f = run(SA, O16_DAY, o=org(ciio=True), e=exports(pi_individuals_current_year=10))
        assert f.status == "applies"

    def test_ciio_exporting_important_data(self):
        # Art. 7(1): a CIIO exporting important data.
        f = run(SA, O16_DAY, o=org(ciio=True), t=transfer(includes_pi=False, includes_important_data=True))
        assert f.status == "applies"

    def test_small_non_ciio_export_exempt(self):
        # Art. 5(4): non-CIIO, fewer than 100,000 non-sensitive individuals this year.
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=50_000))
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("n, expected", [
        (999_999, "does_not_apply"),
        (1_000_000, "applies"),      # Art. 7(2) "100万人以上个人信息（不含敏感个人信息）": 以上 includes
        (1_000_001, "applies"),
    ])
    def test_non_sensitive_current_year_threshold(self, n, expected):
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=n))
        assert f.status == expected

    @pytest.mark.parametrize("n, expected", [
        (9_999, "does_not_apply"),
        (10_000, "applies"),         # Art. 7(2) "1万人以上敏感个人信息": 以上 includes
        (10_001, "applies"),
    ])
    def test_sensitive_current_year_threshold(self, n, expected):
        f = run(SA, O16_DAY, e=exports(sensitive_pi_individuals_current_year=n),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == expected

    def test_processing_volume_trigger_superseded(self):
        # Notes §8.5 [M]: Order 11 Art. 4(2)'s processing volume is not in Order 16.
        f = run(SA, O16_DAY, o=org(pi_individuals=5_000_000), e=exports(pi_individuals_current_year=50_000))
        assert f.status == "does_not_apply"

    def test_uses_current_year_window(self):
        # Notes §0.2: Order 16 counts since 1 January of the current year; last year's exports do not count.
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=50_000,
                                        pi_individuals_since_previous_year=5_000_000))
        assert f.status == "does_not_apply"

    def test_switch_changes_outcome(self):
        # 150,000 since last year, 50,000 this year: Order 11 Art. 4(3) on 2024-03-21; Order 16 Art. 5(4) exempt
        # on 2024-03-22.
        e = exports(pi_individuals_current_year=50_000, pi_individuals_since_previous_year=150_000)
        before = run(SA, D(2024, 3, 21), e=e)
        after = run(SA, D(2024, 3, 22), e=e)
        assert (before.status, before.citation["short"]) == ("applies", "CAC Order 11")
        assert (after.status, after.citation["short"]) == ("does_not_apply", "CAC Order 16")

    # ---- exemptions (Arts. 4-6) against a volume that would otherwise trigger Art. 7(2)

    @pytest.mark.parametrize("claim", [
        {"collected_abroad_only": True},            # Art. 4
        {"basis": "contract_with_individual"},      # Art. 5(1)
        {"basis": "cross_border_hr"},               # Art. 5(2)
        {"basis": "emergency"},                     # Art. 5(3)
        {"ftz_exempt": True},                       # Art. 6
    ])
    def test_exemptions_defeat_volume_trigger(self, claim):
        f = run(SA, O16_DAY, o=org(registered_in_pilot_ftz=True), e=exports(pi_individuals_current_year=2_000_000),
                t=transfer(**claim))
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("claim", [
        {"basis": "contract_with_individual"},      # Art. 5(1)-(3) via Art. 7(1) "从其规定" (notes §8.3 [M])
        {"collected_abroad_only": True},            # Art. 4
        {"ftz_exempt": True},                       # Art. 6
    ])
    def test_ciio_may_rely_on_arts_4_to_6(self, claim):
        f = run(SA, O16_DAY, o=org(ciio=True, registered_in_pilot_ftz=True), t=transfer(**claim))
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("basis", ["contract_with_individual", "cross_border_hr", "emergency"])
    def test_art_5_exemptions_do_not_cover_important_data(self, basis):
        # Art. 5 last para.: exempted PI does not include important data (notes §8.2).
        f = run(SA, O16_DAY, t=transfer(basis=basis, includes_important_data=True))
        assert f.status == "applies"

    def test_collected_abroad_exemption_needs_no_important_data(self):
        # Art. 4: only if no domestic PI or important data was added.
        f = run(SA, O16_DAY, t=transfer(collected_abroad_only=True, includes_important_data=True))
        assert f.status == "applies"

    def test_small_volume_exemption_not_for_sensitive_pi(self):
        # Art. 5(4) exempts non-sensitive PI only; 10,000 sensitive individuals triggers Art. 7(2).
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=50_000,
                                        sensitive_pi_individuals_current_year=10_000),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == "applies"

    def test_unclaimed_basis_leaves_threshold_finding_unknown(self):
        # manifest.md, Claims and exemptions: an absent basis could still defeat the Art. 7(2) trigger.
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=1_000_000), t=transfer(basis=DROP))
        assert f.status == "unknown"
        assert "transfer.basis" in f.missing_facts

    @pytest.mark.parametrize("fact", ["collected_abroad_only", "ftz_exempt"])
    def test_other_unclaimed_exemptions_are_named(self, fact):
        # (ftz_exempt can only matter to a processor registered in a pilot FTZ, Art. 6.)
        f = run(SA, O16_DAY, o=org(registered_in_pilot_ftz=True), e=exports(pi_individuals_current_year=1_000_000),
                t=transfer(**{fact: DROP}))
        assert f.status == "unknown"
        assert f"transfer.{fact}" in f.missing_facts

    def test_unclaimed_basis_irrelevant_below_thresholds(self):
        # Kleene: a false base rule is false whatever the exemptions are.
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=500_000), t=transfer(basis=DROP))
        assert f.status == "does_not_apply"

    def test_missing_current_year_count_is_named(self):
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=DROP))
        assert f.status == "unknown"
        assert "organisation.exports.pi_individuals_current_year" in f.missing_facts

    def test_missing_sensitive_current_year_count_is_named(self):
        f = run(SA, O16_DAY, e=exports(sensitive_pi_individuals_current_year=DROP),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == "unknown"
        assert "organisation.exports.sensitive_pi_individuals_current_year" in f.missing_facts

    def test_deadline_day_before_start(self):
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=1_000_000),
                t=transfer(started_on="2024-05-01"))
        assert f.deadline is not None and f.deadline.date == D(2024, 4, 30)
        assert f.compliance == "overdue"

    def test_deadline_for_exports_running_before_2022_09_01(self):
        # Order 11 Art. 20 rectification by 2023-03-01, still the date under Order 16.
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=1_000_000),
                t=transfer(started_on="2021-12-01"))
        assert f.deadline is not None and f.deadline.date == D(2023, 3, 1)

    def test_compliance_open_for_planned_export(self):
        f = run(SA, O16_DAY, e=exports(pi_individuals_current_year=1_000_000),
                t=transfer(started_on="2024-09-01"))
        assert f.deadline.date == D(2024, 8, 31)
        assert f.compliance == "open"

    def test_compliance_satisfied_in_third_year(self):
        # Order 16 Art. 9: valid 3 years (Order 11's 2 years would have lapsed on 2025-03-14).
        f = run(SA, D(2025, 6, 1), e=exports(pi_individuals_current_year=1_000_000),
                t=transfer(mechanism="security_assessment", mechanism_effective_on="2023-03-14"))
        assert f.compliance == "satisfied"

    @pytest.mark.parametrize("as_of, expected", [
        (D(2027, 6, 3), "satisfied"),    # last day of 3 years from 2024-06-03 (Order 16 Art. 9)
        (D(2027, 6, 4), "overdue"),
    ])
    def test_compliance_lapses_after_three_years(self, as_of, expected):
        f = run(SA, as_of, e=exports(pi_individuals_current_year=1_000_000),
                t=transfer(mechanism="security_assessment", mechanism_effective_on="2024-06-03"))
        assert f.compliance == expected

    def test_no_compliance_when_not_applying(self):
        # interface.md: compliance is null when the obligation does not apply.
        assert run(SA, O16_DAY).compliance is None


# ========================================================================
# cbdt.standard-contract-or-certification
# ========================================================================

class TestContractOrder13:

    def test_not_in_force_day_before(self):
        # Order 13 Art. 13: effective 2023-06-01 (notes §7).
        assert run(SCC, D(2023, 5, 31)).status == "not_in_force"

    def test_in_force_2023_06_01(self):
        f = run(SCC, D(2023, 6, 1))
        assert f.status == "applies"               # Art. 4: small non-CIIO, any PI export
        assert f.citation["short"] == "CAC Order 13"

    def test_cites_order_13_on_2024_03_21(self):
        assert run(SCC, D(2024, 3, 21)).citation["short"] == "CAC Order 13"

    def test_ciio_excluded(self):
        # Art. 4(1): not a CIIO.
        assert run(SCC, O11_DAY, o=org(ciio=True)).status == "does_not_apply"

    def test_no_pi_no_contract(self):
        assert run(SCC, O11_DAY, t=transfer(includes_pi=False)).status == "does_not_apply"

    def test_important_data_needs_assessment_instead(self):
        # Order 11 Art. 4(1) applies, so the contract route is closed.
        f = run(SCC, O11_DAY, t=transfer(includes_important_data=True))
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("n, expected", [
        (999_999, "applies"),
        (1_000_000, "does_not_apply"),   # Art. 4(2) "处理个人信息不满100万人": 不满 excludes
        (1_000_001, "does_not_apply"),
    ])
    def test_processing_volume(self, n, expected):
        assert run(SCC, O11_DAY, o=org(pi_individuals=n)).status == expected

    @pytest.mark.parametrize("n, expected", [
        (99_999, "applies"),
        (100_000, "does_not_apply"),     # Art. 4(3) "不满10万人": excludes
        (100_001, "does_not_apply"),
    ])
    def test_exported_since_previous_year(self, n, expected):
        f = run(SCC, O11_DAY, e=exports(pi_individuals_since_previous_year=n))
        assert f.status == expected

    @pytest.mark.parametrize("n, expected", [
        (9_999, "applies"),
        (10_000, "does_not_apply"),      # Art. 4(4) "不满1万人": excludes
        (10_001, "does_not_apply"),
    ])
    def test_exported_sensitive_since_previous_year(self, n, expected):
        f = run(SCC, O11_DAY, e=exports(sensitive_pi_individuals_since_previous_year=n),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == expected

    def test_no_exemptions_under_order_13(self):
        # Order 13 had no Art. 5-type exemptions before Order 16.
        f = run(SCC, O11_DAY, t=transfer(basis="cross_border_hr"))
        assert f.status == "applies"

    def test_unknown_assessment_makes_contract_unknown(self):
        # Art. 4(3) undecidable -> whether the contract route is open is undecidable too, for the same fact.
        f = run(SCC, O11_DAY, e=exports(pi_individuals_since_previous_year=DROP))
        assert f.status == "unknown"
        assert "organisation.exports.pi_individuals_since_previous_year" in f.missing_facts

    def test_deadline_for_exports_running_before_2023_06_01(self):
        # Order 13 Art. 13: 6 months from 2023-06-01 -> 2023-12-01.
        f = run(SCC, O11_DAY, t=transfer(started_on="2023-01-10"))
        assert f.deadline is not None and f.deadline.date == D(2023, 12, 1)

    def test_deadline_before_start(self):
        # Order 13 Art. 6: the contract must take effect before the export starts.
        f = run(SCC, O11_DAY, t=transfer(started_on="2023-08-01"))
        assert f.deadline is not None and f.deadline.date == D(2023, 7, 31)

    def test_filing_deadline_10_working_days(self):
        # Order 13 Art. 7: file within 10 wd after the contract takes effect (2023-07-03 Mon -> 2023-07-17 Mon).
        f = run(SCC, D(2023, 7, 10), t=transfer(started_on="2023-07-05", mechanism="standard_contract",
                                                  mechanism_effective_on="2023-07-03"))
        assert f.deadline is not None and f.deadline.date == D(2023, 7, 17)
        assert f.compliance == "open"

    def test_certification_satisfies(self):
        # PIPL Art. 38(2): certification is the other route.
        f = run(SCC, O11_DAY, t=transfer(mechanism="certification", mechanism_effective_on="2023-06-15"))
        assert f.compliance == "satisfied"


class TestContractOrder16:

    def test_cites_order_16_art_8(self):
        f = run(SCC, D(2024, 3, 22), e=exports(pi_individuals_current_year=100_000))
        assert f.status == "applies"
        assert f.citation["short"] == "CAC Order 16"
        assert f.citation["article"] == "8"

    def test_cites_order_16_on_2025_12_31(self):
        f = run(SCC, D(2025, 12, 31), e=exports(pi_individuals_current_year=100_000))
        assert f.citation["short"] == "CAC Order 16"

    @pytest.mark.parametrize("n, expected", [
        (99_999, "does_not_apply"),      # Art. 5(4) exempt / outside the band
        (100_000, "applies"),            # Art. 8 "10万人以上": 以上 includes
        (100_001, "applies"),
        (999_999, "applies"),
        (1_000_000, "does_not_apply"),   # Art. 8 "不满100万人": excludes; Art. 7(2) assessment instead
        (1_000_001, "does_not_apply"),
    ])
    def test_non_sensitive_band(self, n, expected):
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=n))
        assert f.status == expected

    @pytest.mark.parametrize("n, expected", [
        (1, "applies"),                  # no de-minimis for sensitive PI (notes §8.4 [M])
        (9_999, "applies"),
        (10_000, "does_not_apply"),      # Art. 8 "不满1万人敏感个人信息": excludes; Art. 7(2) instead
        (10_001, "does_not_apply"),
    ])
    def test_sensitive_band(self, n, expected):
        f = run(SCC, O16_DAY, e=exports(sensitive_pi_individuals_current_year=n),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == expected

    def test_ciio_excluded(self):
        # Art. 8 is for non-CIIOs; a CIIO needs the assessment (Art. 7(1)).
        f = run(SCC, O16_DAY, o=org(ciio=True), e=exports(pi_individuals_current_year=200_000))
        assert f.status == "does_not_apply"

    def test_important_data_excluded(self):
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=200_000),
                t=transfer(includes_important_data=True))
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("claim", [
        {"collected_abroad_only": True},            # Art. 4
        {"basis": "contract_with_individual"},      # Art. 5(1)
        {"basis": "cross_border_hr"},               # Art. 5(2)
        {"basis": "emergency"},                     # Art. 5(3)
        {"ftz_exempt": True},                       # Art. 6
    ])
    def test_exemptions(self, claim):
        f = run(SCC, O16_DAY, o=org(registered_in_pilot_ftz=True), e=exports(pi_individuals_current_year=200_000),
                t=transfer(**claim))
        assert f.status == "does_not_apply"

    def test_unclaimed_basis_leaves_band_unknown(self):
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=200_000), t=transfer(basis=DROP))
        assert f.status == "unknown"
        assert "transfer.basis" in f.missing_facts

    def test_missing_current_year_count_is_named(self):
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=DROP))
        assert f.status == "unknown"
        assert "organisation.exports.pi_individuals_current_year" in f.missing_facts

    def test_filing_deadline_across_national_day_2024(self):
        # Order 13 Art. 7: 10 wd after 2024-09-27 (Fri). Sep 28 Sat rest; Sep 29 Sun make-up (1); Sep 30 (2);
        # Oct 1-7 holiday; Oct 8-11 (3-6); Oct 12 Sat make-up (7); Oct 14-16 (8-10) -> 2024-10-16.
        t = transfer(started_on="2024-10-08", mechanism="standard_contract", mechanism_effective_on="2024-09-27")
        e = exports(pi_individuals_current_year=200_000)
        f = run(SCC, D(2024, 10, 16), e=e, t=t)
        assert f.status == "applies"
        assert f.deadline is not None and f.deadline.date == D(2024, 10, 16)
        assert f.compliance == "open"
        assert run(SCC, D(2024, 10, 17), e=e, t=t).compliance == "overdue"

    def test_filing_record_satisfies(self):
        t = transfer(started_on="2024-10-08", mechanism="standard_contract", mechanism_effective_on="2024-09-27")
        f = run(SCC, D(2024, 11, 1), e=exports(pi_individuals_current_year=200_000), t=t,
                compliance=[{"obligation": SCC, "subject": "transfer:t", "done_on": "2024-10-15"}])
        assert f.compliance == "satisfied"

    def test_certification_satisfies(self):
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=200_000),
                t=transfer(mechanism="certification", mechanism_effective_on="2024-05-01"))
        assert f.compliance == "satisfied"

    def test_grace_date_for_exports_running_before_2023_06_01(self):
        # Order 13 Art. 13: rectify within 6 months of 2023-06-01 -> 2023-12-01, still under Order 16.
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=200_000), t=transfer(started_on="2023-01-10"))
        assert f.deadline is not None and f.deadline.date == D(2023, 12, 1)

    def test_deadline_before_start_without_mechanism(self):
        f = run(SCC, O16_DAY, e=exports(pi_individuals_current_year=200_000),
                t=transfer(started_on="2024-07-01"))
        assert f.deadline is not None and f.deadline.date == D(2024, 6, 30)
        assert f.compliance == "open"


class TestContractOrder20:

    def test_cites_order_20_art_5_from_2026_for_certification(self):
        # Order 20 Art. 2: it governs exports by certification; the route is in transfer.mechanism
        # (the other routes' citations: test_cross_border_issue10.py).
        f = run(SCC, D(2026, 1, 1), e=exports(pi_individuals_current_year=100_000),
                t=transfer(mechanism="certification", mechanism_effective_on="2025-12-20"))
        assert f.status == "applies"
        assert f.citation["short"] == "CAC-SAMR Order 20"
        assert f.citation["article"] == "5"

    @pytest.mark.parametrize("n, expected", [
        (99_999, "does_not_apply"),
        (100_000, "applies"),            # Art. 5(2) "10万人以上": includes
        (100_001, "applies"),
        (999_999, "applies"),
        (1_000_000, "does_not_apply"),   # Art. 5(2) "不满100万人": excludes
        (1_000_001, "does_not_apply"),
    ])
    def test_non_sensitive_band(self, n, expected):
        assert run(SCC, O20_DAY, e=exports(pi_individuals_current_year=n)).status == expected

    @pytest.mark.parametrize("n, expected", [
        (9_999, "applies"),
        (10_000, "does_not_apply"),      # Art. 5(2) "不满1万人敏感个人信息": excludes
        (10_001, "does_not_apply"),
    ])
    def test_sensitive_band(self, n, expected):
        f = run(SCC, O20_DAY, e=exports(sensitive_pi_individuals_current_year=n),
                t=transfer(includes_sensitive_pi=True))
        assert f.status == expected

    def test_ciio_excluded(self):
        # Art. 5(1): not a CIIO.
        f = run(SCC, O20_DAY, o=org(ciio=True), e=exports(pi_individuals_current_year=200_000))
        assert f.status == "does_not_apply"

    @pytest.mark.parametrize("claim", [
        {"collected_abroad_only": True}, {"basis": "cross_border_hr"}, {"ftz_exempt": True},
    ])
    def test_order_16_exemptions_still_apply(self, claim):
        f = run(SCC, O20_DAY, o=org(registered_in_pilot_ftz=True), e=exports(pi_individuals_current_year=200_000),
                t=transfer(**claim))
        assert f.status == "does_not_apply"

    def test_certification_valid_three_years(self):
        # Order 20 Art. 8 (addendum §11.2): certificate valid 3 years.
        f = run(SCC, O20_DAY, e=exports(pi_individuals_current_year=200_000),
                t=transfer(mechanism="certification", mechanism_effective_on="2026-01-05"))
        assert f.compliance == "satisfied"


# ========================================================================
# pipl.transfer-notice-consent-pia, pipl.foreign-judicial-request-approval, csl.ciio-localisation
# ========================================================================

class TestNoticeConsentPia:

    def test_not_in_force_before_pipl(self):
        # PIPL Art. 74: effective 2021-11-01.
        assert run(NOTICE, D(2021, 10, 31)).status == "not_in_force"

    def test_applies_from_2021_11_01_citing_pipl(self):
        f = run(NOTICE, D(2021, 11, 1))
        assert f.status == "applies"              # PIPL Arts. 39, 55(4)
        assert f.citation["short"] == "PIPL"

    def test_cites_pipl_on_2024_03_21(self):
        assert run(NOTICE, D(2024, 3, 21)).citation["short"] == "PIPL"

    def test_cites_pipl_restated_by_order_16_for_exports_from_2024_03_22(self):
        # PIPL Arts. 39, 55(4), 56 throughout; Order 16 Art. 10 only restates them ("按照法律、行政法规的规定").
        f = run(NOTICE, D(2024, 3, 22), t=transfer(started_on="2024-03-23"))
        assert f.status == "applies"
        assert f.citation["short"] == "PIPL"
        assert f.citation["article"] == "39, 55(4), 56 (restated by CAC Order 16 Art. 10)"

    @pytest.mark.parametrize("claim", [
        {}, {"basis": "cross_border_hr"}, {"collected_abroad_only": True}, {"ftz_exempt": True},
    ])
    def test_applies_to_exempt_exports_too(self, claim):
        # Order 16 Art. 10 / notes §3.3: notice, separate consent and PIA apply exempt or not.
        f = run(NOTICE, O16_DAY, o=org(registered_in_pilot_ftz=True), t=transfer(**claim))
        assert f.status == "applies"

    def test_does_not_apply_without_pi(self):
        f = run(NOTICE, O16_DAY, t=transfer(includes_pi=False, includes_important_data=True))
        assert f.status == "does_not_apply"

    def test_unknown_names_includes_pi(self):
        f = run(NOTICE, O16_DAY, t=transfer(includes_pi=DROP))
        assert f.status == "unknown"
        assert "transfer.includes_pi" in f.missing_facts

    def test_deadline_day_before_start(self):
        f = run(NOTICE, O16_DAY, t=transfer(started_on="2024-07-01"))
        assert f.deadline is not None and f.deadline.date == D(2024, 6, 30)


class TestForeignJudicialRequest:

    def test_not_in_force_before_dsl(self):
        # DSL Art. 55: effective 2021-09-01.
        f = run(JUDICIAL, D(2021, 8, 31), t=transfer(to_foreign_judicial_authority=True))
        assert f.status == "not_in_force"

    def test_dsl_art_36_from_2021_09_01(self):
        f = run(JUDICIAL, D(2021, 9, 1), t=transfer(to_foreign_judicial_authority=True))
        assert f.status == "applies"
        assert f.citation["short"] == "DSL"
        assert f.citation["article"] == "36"

    def test_dsl_still_governs_2021_10_31(self):
        f = run(JUDICIAL, D(2021, 10, 31), t=transfer(to_foreign_judicial_authority=True))
        assert f.citation["short"] == "DSL"

    def test_pipl_art_41_from_2021_11_01(self):
        f = run(JUDICIAL, D(2021, 11, 1), t=transfer(to_foreign_judicial_authority=True))
        assert f.status == "applies"
        assert f.citation["short"] == "PIPL"
        assert "41" in f.citation["article"]

    def test_does_not_apply_otherwise(self):
        assert run(JUDICIAL, O16_DAY).status == "does_not_apply"

    def test_unknown_names_fact(self):
        f = run(JUDICIAL, O16_DAY, t=transfer(to_foreign_judicial_authority=DROP))
        assert f.status == "unknown"
        assert "transfer.to_foreign_judicial_authority" in f.missing_facts

    def test_deadline_before_providing(self):
        f = run(JUDICIAL, O16_DAY, t=transfer(to_foreign_judicial_authority=True, started_on="2024-07-01"))
        assert f.deadline is not None and f.deadline.date == D(2024, 6, 30)


class TestCiioLocalisation:

    def test_not_in_force_before_csl(self):
        # CSL Art. 79: effective 2017-06-01.
        assert run(LOCAL, D(2017, 5, 31), o=org(ciio=True), subject="organisation").status == "not_in_force"

    def test_applies_to_ciio_from_2017_06_01(self):
        f = run(LOCAL, D(2017, 6, 1), o=org(ciio=True), subject="organisation")
        assert f.status == "applies"
        assert f.citation["article"] == "37"      # CSL (2017 text) Art. 37

    def test_art_37_on_2025_12_31(self):
        f = run(LOCAL, D(2025, 12, 31), o=org(ciio=True), subject="organisation")
        assert f.citation["article"] == "37"

    def test_art_39_from_2026_01_01(self):
        # Addendum §9.2: localisation renumbered Art. 37 -> Art. 39 from 2026-01-01.
        f = run(LOCAL, D(2026, 1, 1), o=org(ciio=True), subject="organisation")
        assert f.status == "applies"
        assert f.citation["article"] == "39"

    def test_non_ciio(self):
        assert run(LOCAL, O16_DAY, subject="organisation").status == "does_not_apply"

    def test_unknown_ciio(self):
        f = run(LOCAL, O16_DAY, o=org(ciio=DROP), subject="organisation")
        assert f.status == "unknown"
        assert "organisation.ciio" in f.missing_facts

    def test_continuous_duty_has_no_deadline(self):
        f = run(LOCAL, O16_DAY, o=org(ciio=True), subject="organisation")
        assert f.deadline is None


# ========================================================================
# Worked cases (/work/shared/cases)
# ========================================================================

class TestWorkedCases:

    @staticmethod
    def hr_manifest() -> Manifest:
        return manifest(
            org(pi_individuals=130_000, incorporated_in="CN", operates_in_mainland=True),
            exports(pi_individuals_current_year=0, pi_individuals_since_previous_year=120_000),
            transfer(id="group-hr", basis="cross_border_hr", pi_individuals_current_year=120_000,
                     sensitive_pi_individuals_current_year=0, pi_individuals_since_previous_year=120_000,
                     sensitive_pi_individuals_since_previous_year=0))

    def test_hr_exempt_in_2024(self):
        # Order 16 Art. 5(2): cross-border HR is exempt from all three routes.
        m = self.hr_manifest()
        assert finding(m, D(2024, 6, 1), SA, "transfer:group-hr").status == "does_not_apply"
        assert finding(m, D(2024, 6, 1), SCC, "transfer:group-hr").status == "does_not_apply"
        # ... but the PIPL notice and PIA duty remains (PIPL Arts. 39, 55(4); Order 16 Art. 10).
        assert finding(m, D(2024, 6, 1), NOTICE, "transfer:group-hr").status == "applies"

    def test_hr_needs_assessment_in_2023(self):
        # Order 11 Art. 4(3): 120,000 individuals since 1 Jan of the previous year; no exemptions then.
        m = self.hr_manifest()
        assert finding(m, D(2023, 6, 1), SA, "transfer:group-hr").status == "applies"
        # ... so the Order 13 contract route is closed.
        assert finding(m, D(2023, 6, 1), SCC, "transfer:group-hr").status == "does_not_apply"

    def test_small_sensitive_export_needs_contract_2024(self):
        # Order 16 Arts. 5(4), 8: 300 sensitive individuals need the contract or certification.
        m = manifest(
            org(pi_individuals=10_000),
            {"pi_individuals_current_year": 2_000, "sensitive_pi_individuals_current_year": 300},
            transfer(id="lab-results", includes_sensitive_pi=True, pi_individuals_current_year=2_000,
                     sensitive_pi_individuals_current_year=300))
        assert finding(m, D(2024, 9, 1), SA, "transfer:lab-results").status == "does_not_apply"
        assert finding(m, D(2024, 9, 1), SCC, "transfer:lab-results").status == "applies"

    def test_same_volume_without_sensitive_is_exempt(self):
        # Art. 5(4): 2,000 non-sensitive individuals alone are exempt.
        m = manifest(org(pi_individuals=10_000),
                     {"pi_individuals_current_year": 2_000, "sensitive_pi_individuals_current_year": 0},
                     transfer(id="lab-results"))
        assert finding(m, D(2024, 9, 1), SCC, "transfer:lab-results").status == "does_not_apply"
