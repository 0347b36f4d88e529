"""Listing-abroad rules: crm.listing-review, crm.procurement-review, csrc.overseas-listing-filing.

Expected values come from the law notes, not from the rule files:

- ../shared/regulations/data-and-cyber.md section 0 (count words, Hong Kong), section 4
  (Cybersecurity Review Measures 2020 and 2021) and section 5 (CSRC Trial Measures);
- ../shared/regulations/addendum-2026-11.md section 8 (2021 Measures replace 2020 from 2022-02-15);
- ../shared/spec/catalogue.md (ids, subjects, in-force dates, statuses, Kleene logic);
- ../shared/spec/interface.md (events, deadlines, compliance).

Boundary words follow Civil Code Art. 1259: 以上 includes the number, 超过 and 不满 exclude it.
Working days follow the official mainland calendar (holidays and make-up working days).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from hegui.engine import assess
from hegui.manifest.model import Manifest
from hegui.report.notices import texts

D = datetime.date.fromisoformat

LISTING_REVIEW = "crm.listing-review"
PROCUREMENT_REVIEW = "crm.procurement-review"
CSRC_FILING = "csrc.overseas-listing-filing"

LATE_AS_OF = D("2024-06-20")  # any as-of date well after every in-force date used here


# --------------------------------------------------------------------------- helpers


def manifest(organisation: dict[str, Any] | None = None, listings: list[dict[str, Any]] | None = None,
             compliance: list[dict[str, Any]] | None = None) -> Manifest:
    doc: dict[str, Any] = {"format": "hegui/1", "organisation": {"name": "Test Co.", **(organisation or {})}}
    if listings is not None:
        doc["listings"] = listings
    if compliance is not None:
        doc["compliance"] = compliance
    return Manifest.model_validate(doc)


def finding(m: Manifest, as_of: datetime.date, obligation: str, subject: str):
    a = assess(m, as_of)
    matches = [x for x in a.findings if x.obligation == obligation and x.subject == subject]
    assert len(matches) == 1, f"expected one finding for {obligation} / {subject}, got {len(matches)}"
    return matches[0]


def listing(**kw: Any) -> dict[str, Any]:
    base = {"id": "l1", "venue": "NASDAQ", "kind": "ipo", "structure": "indirect",
            "application_date": "2024-06-03"}
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


# A network platform operator holding PI of 50 million users: Art. 7 of the 2021 Measures is met
# for any foreign venue (data-and-cyber.md section 4.2).
PLATFORM = {"network_platform_operator": True, "pi_individuals": 50_000_000}

# A red-chip/VIE group whose business is all in mainland China: Art. 15's indirect test is met
# (data-and-cyber.md section 5.1).
NEXUS_ALL = {"revenue_share": 0.98, "total_profit_share": 0.97, "total_assets_share": 0.95,
             "net_assets_share": 0.96, "main_business_in_mainland": True, "management_mostly_mainland": True}


def review(org: dict[str, Any], as_of: datetime.date = LATE_AS_OF, **lst: Any):
    return finding(manifest(org, [listing(**lst)]), as_of, LISTING_REVIEW, "listing:l1")


def csrc(org: dict[str, Any], as_of: datetime.date = LATE_AS_OF, **lst: Any):
    return finding(manifest(org, [listing(**lst)]), as_of, CSRC_FILING, "listing:l1")


def procurement(org: dict[str, Any], as_of: datetime.date = LATE_AS_OF):
    return finding(manifest(org), as_of, PROCUREMENT_REVIEW, "organisation")


def article_numbers(citation: dict[str, Any]) -> set[str]:
    """'2, 15, 16' -> {'2', '15', '16'}; tolerant of 'Art.' prefixes and '/' separators."""
    text = str(citation.get("article", "")).replace("Art.", "").replace("/", ",")
    return {part.strip() for part in text.split(",") if part.strip()}


def deadline_date(f) -> datetime.date | None:
    return None if f.deadline is None else f.deadline.date


# =========================================================================== crm.listing-review


class TestListingReviewThreshold:
    # 2021 Measures Art. 7: "掌握超过100万用户个人信息" -- 超过 excludes the number (Civil Code
    # Art. 1259; data-and-cyber.md section 0.1: "超过100万" means > 1,000,000).
    @pytest.mark.parametrize(
        ("pi_individuals", "expected"),
        [
            (999_999, "does_not_apply"),    # n-1: below
            (1_000_000, "does_not_apply"),  # n: 超过 excludes 1,000,000 itself
            (1_000_001, "applies"),         # n+1: more than 1,000,000
        ],
    )
    def test_users_threshold(self, pi_individuals, expected):
        f = review({"network_platform_operator": True, "pi_individuals": pi_individuals})
        assert f.status == expected

    def test_not_a_network_platform_operator(self):
        # Art. 7 is addressed to network platform operators only (section 4.2 encoding:
        # is_network_platform_operator AND ...).
        f = review({"network_platform_operator": False, "pi_individuals": 50_000_000})
        assert f.status == "does_not_apply"


class TestListingReviewVenue:
    # Art. 7 "赴国外上市": a foreign country. Section 0.5 and 4.2: Hong Kong is not 国外 (CAC Q&A);
    # catalogue: "HK, MO and TW are not foreign".
    @pytest.mark.parametrize(
        ("venue", "venue_country", "expected"),
        [
            ("NYSE", None, "applies"),            # US: foreign
            ("NASDAQ", None, "applies"),          # US: foreign
            ("LSE", None, "applies"),             # GB: foreign
            ("NYSE", "US", "applies"),            # explicit country, foreign
            ("HKEX", None, "does_not_apply"),     # HK is not 国外 (section 4.2, [M])
            ("HKEX", "HK", "does_not_apply"),     # same, explicit
            ("MOX", "MO", "does_not_apply"),      # Macao is not foreign (catalogue)
            ("TWSE", "TW", "does_not_apply"),     # Taiwan is not foreign (catalogue)
            ("TWSE", None, "does_not_apply"),     # Taiwan exchange, country derived from the venue
        ],
    )
    def test_foreign_country(self, venue, venue_country, expected):
        f = review(PLATFORM, venue=venue, venue_country=venue_country)
        assert f.status == expected


class TestListingReviewUnknowns:
    # catalogue "Statuses": an absent fact is unknown; the result names the missing facts.
    def test_missing_pi_individuals_is_unknown(self):
        f = review({"network_platform_operator": True})
        assert f.status == "unknown"
        assert "organisation.pi_individuals" in f.missing_facts

    def test_missing_network_platform_operator_is_unknown(self):
        f = review({"pi_individuals": 50_000_000})
        assert f.status == "unknown"
        assert "organisation.network_platform_operator" in f.missing_facts

    @pytest.mark.parametrize(
        ("org", "lst"),
        [
            # Kleene: false AND unknown is false (catalogue "Statuses").
            ({"network_platform_operator": True}, {"venue": "HKEX"}),        # HK not foreign; users unknown
            ({"pi_individuals": 50_000_000}, {"venue": "HKEX"}),            # HK not foreign; operator unknown
            ({"pi_individuals": 999_999}, {}),                              # <= 1,000,000; operator unknown
            ({"network_platform_operator": False}, {}),                     # not an operator; users unknown
        ],
    )
    def test_unknown_irrelevant_fact_does_not_matter(self, org, lst):
        f = review(org, **lst)
        assert f.status == "does_not_apply"
        assert f.missing_facts == []


class TestListingReviewInForce:
    # 2021 Measures (Order No. 8) effective 2022-02-15 (section 4.2 [H]; addendum 8.1).
    # interface.md: an event after the as-of date is a plan, judged by the rules in force on the
    # as-of date; before the in-force date the status is not_in_force.
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2022-02-14", "not_in_force"),  # day before 2022-02-15
            ("2022-02-15", "applies"),       # the day itself
        ],
    )
    def test_as_of_around_in_force(self, as_of, expected):
        f = review(PLATFORM, as_of=D(as_of), application_date="2022-06-01")
        assert f.status == expected

    # interface.md: an event that came before the obligation existed gives does_not_apply even
    # when the as-of date is later. Section 4.2: companies already listed abroad before the
    # Measures took effect do not need to file.
    @pytest.mark.parametrize(
        ("application_date", "expected"),
        [
            ("2022-02-14", "does_not_apply"),  # applied the day before 2022-02-15
            ("2022-02-15", "applies"),         # applied on the in-force day
        ],
    )
    def test_application_date_around_in_force(self, application_date, expected):
        f = review(PLATFORM, as_of=LATE_AS_OF, application_date=application_date)
        assert f.status == expected


class TestListingReviewDeadlineAndCitation:
    # Section 4.2 "Timing": file before applying to the foreign securities regulator; interface.md:
    # a duty to act "before" an event has deadline.date the day before the event, and does not move
    # (no working-day shifting for a fixed "before" date).
    @pytest.mark.parametrize(
        ("application_date", "expected_deadline"),
        [
            ("2024-06-03", "2024-06-02"),  # Monday application -> Sunday 2 June
            ("2023-10-09", "2023-10-08"),  # day before is the make-up Sunday; still the day before
            ("2024-03-01", "2024-02-29"),  # leap day
        ],
    )
    def test_deadline_is_day_before_application(self, application_date, expected_deadline):
        f = review(PLATFORM, application_date=application_date)
        assert f.status == "applies"
        assert deadline_date(f) == D(expected_deadline)

    def test_citation(self):
        # Catalogue: Cybersecurity Review Measures (2021 rev.) Art. 7, in force 2022-02-15;
        # section 4.2: Order No. 8, dated 2021-12-28.
        f = review(PLATFORM)
        c = f.citation
        assert "Cybersecurity Review Measures" in c["instrument"]
        assert "2021" in c["instrument"] or "2021" in c.get("short", "")
        assert article_numbers(c) == {"7"}
        assert str(c["in_force"]) == "2022-02-15"
        assert str(c["version"]) == "2021-12-28"

    def test_compliance_overdue_open_satisfied(self):
        # interface.md "Deadlines": overdue when not met and the deadline has passed, open when the
        # deadline is today or later, satisfied when a record shows the duty met.
        lst = [listing(application_date="2024-06-03")]
        assert finding(manifest(PLATFORM, lst), D("2024-06-20"), LISTING_REVIEW, "listing:l1").compliance == "overdue"
        assert finding(manifest(PLATFORM, lst), D("2024-06-02"), LISTING_REVIEW, "listing:l1").compliance == "open"
        rec = [{"obligation": LISTING_REVIEW, "subject": "listing:l1", "done_on": "2024-05-20"}]
        assert finding(manifest(PLATFORM, lst, rec), D("2024-06-20"), LISTING_REVIEW,
                       "listing:l1").compliance == "satisfied"

    def test_not_applicable_has_no_compliance(self):
        # interface.md: compliance is null when the obligation does not apply.
        f = review(PLATFORM, venue="HKEX")
        assert f.status == "does_not_apply"
        assert f.compliance is None


# =========================================================================== crm.procurement-review

CIIO_BUYING = {"ciio": True, "procures_network_products_affecting_national_security": True}


class TestProcurementReview:
    # 2020 Measures Art. 2 (section 4.1): only CIIO purchases of network products and services that
    # affect or may affect national security; 2021 Measures Art. 2 keeps that limb (section 4.2).
    @pytest.mark.parametrize(
        ("org", "expected"),
        [
            ({"ciio": True, "procures_network_products_affecting_national_security": True}, "applies"),
            ({"ciio": False, "procures_network_products_affecting_national_security": True}, "does_not_apply"),
            ({"ciio": True, "procures_network_products_affecting_national_security": False}, "does_not_apply"),
            ({"ciio": False, "procures_network_products_affecting_national_security": False}, "does_not_apply"),
        ],
    )
    @pytest.mark.parametrize("as_of", ["2021-01-01", "2024-06-20"])  # under each version
    def test_positive_and_negative(self, org, expected, as_of):
        assert procurement(org, D(as_of)).status == expected

    @pytest.mark.parametrize(
        ("org", "missing"),
        [
            ({"procures_network_products_affecting_national_security": True}, "organisation.ciio"),
            ({"ciio": True}, "organisation.procures_network_products_affecting_national_security"),
        ],
    )
    def test_unknown_names_missing_fact(self, org, missing):
        # catalogue "Statuses": unknown, with the missing facts that would decide it.
        f = procurement(org)
        assert f.status == "unknown"
        assert missing in f.missing_facts

    @pytest.mark.parametrize(
        "org",
        [
            {"procures_network_products_affecting_national_security": False},  # ciio unknown
            {"ciio": False},  # procurement unknown
        ],
    )
    def test_kleene_false_and_unknown(self, org):
        # Kleene: false AND unknown is false.
        f = procurement(org)
        assert f.status == "does_not_apply"
        assert f.missing_facts == []

    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2020-05-31", "not_in_force"),  # 2020 Measures effective 2020-06-01 (section 4.1 [H])
            ("2020-06-01", "applies"),       # the day itself
            ("2022-02-14", "applies"),       # last day of the 2020 Measures
            ("2022-02-15", "applies"),       # first day of the 2021 Measures (section 4.2, addendum 8.1)
        ],
    )
    def test_in_force(self, as_of, expected):
        assert procurement(CIIO_BUYING, D(as_of)).status == expected

    @pytest.mark.parametrize(
        ("as_of", "year", "order", "version", "in_force", "articles"),
        [
            # 2020 Measures: Order No. 6, dated 2020-04-13, effective 2020-06-01 (section 4.1);
            # catalogue: "Review Measures 2020 Art. 2/5".
            ("2020-06-01", "2020", "No. 6", "2020-04-13", "2020-06-01", {"2", "5"}),
            ("2021-01-01", "2020", "No. 6", "2020-04-13", "2020-06-01", {"2", "5"}),
            ("2022-02-14", "2020", "No. 6", "2020-04-13", "2020-06-01", {"2", "5"}),
            # 2021 Measures: Order No. 8, dated 2021-12-28, effective 2022-02-15, replacing the 2020
            # Measures (section 4.2; addendum 8.1); catalogue: "(2021 rev. Art. 5)".
            ("2022-02-15", "2021", "No. 8", "2021-12-28", "2022-02-15", {"5"}),
            ("2024-06-20", "2021", "No. 8", "2021-12-28", "2022-02-15", {"5"}),
        ],
    )
    def test_citation_follows_version(self, as_of, year, order, version, in_force, articles):
        c = procurement(CIIO_BUYING, D(as_of)).citation
        assert "Cybersecurity Review Measures" in c["instrument"]
        assert year in c["instrument"] or year in c.get("short", "")
        assert order in c.get("document", "")
        assert str(c["version"]) == version
        assert str(c["in_force"]) == in_force
        assert article_numbers(c) == articles

    def test_no_dated_deadline(self):
        # Catalogue deadline: "before procurement". The manifest carries no procurement date, so no
        # date can be computed (interface.md: deadline is an object or null).
        f = procurement(CIIO_BUYING)
        assert deadline_date(f) is None


# =========================================================================== csrc.overseas-listing-filing

SHARES = ("revenue_share", "total_profit_share", "total_assets_share", "net_assets_share")


def nexus(**kw: Any) -> dict[str, Any]:
    return {"china_nexus": {k: v for k, v in kw.items() if v is not None}}


class TestCsrcDirect:
    # Art. 2: a direct listing is by a PRC-registered joint-stock company (e.g. H shares); section 5.1
    # / catalogue: direct listings file whatever the Art. 15 shares say.
    @pytest.mark.parametrize(
        "org",
        [
            {},                                                                   # no nexus facts at all
            nexus(revenue_share=0.0, total_profit_share=0.0, total_assets_share=0.0, net_assets_share=0.0,
                  main_business_in_mainland=False, management_mostly_mainland=False),
        ],
    )
    @pytest.mark.parametrize("venue", ["HKEX", "NYSE", "LSE"])
    def test_direct_always_applies(self, org, venue):
        f = csrc(org, structure="direct", venue=venue)
        assert f.status == "applies"


class TestCsrcIndirectShares:
    # Art. 15(1): any one of the four shares "超过50%" -- 超过 excludes 50% (Civil Code Art. 1259;
    # section 5.1 encoding "> 0.50").
    @pytest.mark.parametrize("share", SHARES)
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0.49, "does_not_apply"),  # n-1
            (0.5, "does_not_apply"),   # n: exactly 50% is not more than 50%
            (0.51, "applies"),         # n+1
        ],
    )
    def test_each_share_threshold(self, share, value, expected):
        shares = {s: 0.0 for s in SHARES}
        shares[share] = value
        f = csrc(nexus(**shares, main_business_in_mainland=True, management_mostly_mainland=True))
        assert f.status == expected

    # Art. 15(2): main business / places of business in mainland OR most senior managers PRC.
    @pytest.mark.parametrize(
        ("main_business", "management", "expected"),
        [
            (True, True, "applies"),
            (True, False, "applies"),
            (False, True, "applies"),
            (False, False, "does_not_apply"),
        ],
    )
    def test_second_limb(self, main_business, management, expected):
        f = csrc(nexus(revenue_share=0.9, total_profit_share=0.9, total_assets_share=0.9, net_assets_share=0.9,
                       main_business_in_mainland=main_business, management_mostly_mainland=management))
        assert f.status == expected


class TestCsrcUnknowns:
    def test_second_limb_unknown(self):
        # share test met, both limb-(2) facts absent: unknown, naming them.
        f = csrc(nexus(revenue_share=0.9))
        assert f.status == "unknown"
        assert ("organisation.china_nexus.main_business_in_mainland" in f.missing_facts
                or "organisation.china_nexus.management_mostly_mainland" in f.missing_facts)

    def test_one_share_above_is_enough_when_others_unknown(self):
        # Kleene: true OR unknown is true; Art. 15(1) needs "any one" share.
        f = csrc(nexus(revenue_share=0.51, main_business_in_mainland=True))
        assert f.status == "applies"

    def test_remaining_shares_unknown(self):
        # revenue below 50%, other shares absent: any of them could exceed 50% -> unknown.
        f = csrc(nexus(revenue_share=0.4, main_business_in_mainland=True))
        assert f.status == "unknown"
        assert set(f.missing_facts) & {f"organisation.china_nexus.{s}" for s in SHARES[1:]}

    @pytest.mark.parametrize(
        "org",
        [
            # limb (2) false: the shares do not matter (false AND unknown is false)
            nexus(main_business_in_mainland=False, management_mostly_mainland=False),
            # all four shares at or below 50%: limb (2) does not matter
            nexus(revenue_share=0.2, total_profit_share=0.2, total_assets_share=0.2, net_assets_share=0.5),
        ],
    )
    def test_kleene_false_and_unknown(self, org):
        f = csrc(org)
        assert f.status == "does_not_apply"
        assert f.missing_facts == []

    def test_missing_structure_without_nexus_is_unknown(self):
        # Structure absent and no indirect facts: could be a direct listing (Art. 2) -> unknown.
        f = csrc({}, structure=None)
        assert f.status == "unknown"
        assert "listing.structure" in f.missing_facts


class TestCsrcVenue:
    # Section 0.5 / 5.1: the CSRC Trial Measures use 境外 and DO cover Hong Kong [H]; the catalogue
    # says "HK counts". Macao and Taiwan are likewise outside the mainland (境外).
    @pytest.mark.parametrize(
        ("venue", "venue_country"),
        [("NYSE", None), ("NASDAQ", None), ("LSE", None), ("HKEX", None), ("HKEX", "HK"),
         ("MOX", "MO"), ("TWSE", "TW")],
    )
    def test_covered(self, venue, venue_country):
        f = csrc(nexus(**NEXUS_ALL), venue=venue, venue_country=venue_country)
        assert f.status == "applies"

    def test_hk_direct_listing_crm_vs_csrc(self):
        # H-share IPO: CSRC filing applies (Art. 2 direct listing, HK is 境外), crm.listing-review does
        # not (HK is not 国外) even for a large platform.
        m = manifest(PLATFORM, [listing(venue="HKEX", structure="direct", application_date="2024-02-07")])
        assert finding(m, D("2024-03-01"), CSRC_FILING, "listing:l1").status == "applies"
        assert finding(m, D("2024-03-01"), LISTING_REVIEW, "listing:l1").status == "does_not_apply"


class TestCsrcInForce:
    # CSRC Announcement [2023] No. 43, effective 2023-03-31 (section 5 [H]).
    @pytest.mark.parametrize(
        ("as_of", "expected"),
        [
            ("2023-03-30", "not_in_force"),  # day before
            ("2023-03-31", "applies"),       # the day itself (application planned later)
        ],
    )
    def test_as_of_around_in_force(self, as_of, expected):
        f = csrc(nexus(**NEXUS_ALL), as_of=D(as_of), application_date="2023-05-10")
        assert f.status == expected

    # interface.md: an event before the obligation existed -> does_not_apply, unless transitional
    # provisions say otherwise. Section 5.4: companies already listed abroad ("存量企业") need not file
    # until their next filing event; those that applied before 2023-03-31 and had not listed yet must
    # file before the listing completes.
    @pytest.mark.parametrize(
        ("application_date", "listing_date", "expected", "expected_deadline"),
        [
            # applied and listed before 2023-03-31: existing company, no filing now
            ("2023-03-01", "2023-03-30", "does_not_apply", None),
            ("2021-06-11", "2021-06-30", "does_not_apply", None),
            # applied before 2023-03-31, listed after, approved abroad only on 2023-03-31 or later (notice
            # item 3): transitional, file the day before the listing (approval given in the test below)
            ("2023-03-01", "2023-04-03", "applies", "2023-04-02"),
            ("2023-03-30", "2023-05-10", "applies", "2023-05-09"),
            # applied on 2023-03-31 (Friday): ordinary Art. 16 duty, 3 working days after the
            # application: Apr 3 (1), Apr 4 (2), Apr 5 Qingming holiday, Apr 6 (3)
            ("2023-03-31", "2023-05-10", "applies", "2023-04-06"),
        ],
    )
    def test_events_around_in_force(self, application_date, listing_date, expected, expected_deadline):
        f = csrc(nexus(**NEXUS_ALL), as_of=LATE_AS_OF, application_date=application_date, listing_date=listing_date,
                 overseas_approval_date="2023-03-31")
        assert f.status == expected
        if expected_deadline is not None:
            assert deadline_date(f) == D(expected_deadline)

    def test_transitional_not_in_force_before_2023_03_31(self):
        # As of a day before the Measures exist, nothing is owed yet, even for a pending application.
        f = csrc(nexus(**NEXUS_ALL), as_of=D("2023-03-30"), application_date="2023-03-01",
                 listing_date="2023-05-10")
        assert f.status == "not_in_force"


class TestCsrcDeadlines:
    # Art. 16: IPO or listing (and a listing in another overseas market): within 3 working days after
    # submitting the application abroad (section 5.2 [H]/[M]). Civil Code: counting starts the day
    # after the event; working days follow the official calendar with 调休 (interface.md).
    @pytest.mark.parametrize("kind", ["ipo", "other_market"])
    @pytest.mark.parametrize(
        ("application_date", "expected"),
        [
            # Mon 3 June 2024: Tue (1), Wed (2), Thu 6 June (3)
            ("2024-06-03", "2024-06-06"),
            # Fri 14 June 2024: Mon 17 (1), Tue 18 (2), Wed 19 (3); the weekend does not count
            ("2024-06-14", "2024-06-19"),
            # Wed 27 Sep 2023: Sep 28 (1); Sep 29-Oct 6 Mid-autumn/National Day holiday;
            # Sat Oct 7 make-up (2); Sun Oct 8 make-up (3)
            ("2023-09-27", "2023-10-08"),
            # Wed 7 Feb 2024: Feb 8 (1), Fri Feb 9 (2); Feb 10-17 Spring Festival; Sun Feb 18 make-up (3)
            ("2024-02-07", "2024-02-18"),
            # Wed 31 Jan 2024: Feb 1 (1), Feb 2 (2), Sat Feb 3 rest, Sun Feb 4 make-up (3)
            ("2024-01-31", "2024-02-04"),
        ],
    )
    def test_ipo_and_other_market(self, kind, application_date, expected):
        f = csrc(nexus(**NEXUS_ALL), kind=kind, application_date=application_date)
        assert f.status == "applies"
        assert deadline_date(f) == D(expected)

    @pytest.mark.parametrize(
        ("application_date", "listing_date", "expected"),
        [
            # Art. 16: follow-on in the same market: 3 working days after the offering completes
            # (listing_date), not after the application.
            ("2024-05-20", "2024-06-03", "2024-06-06"),
            ("2023-09-01", "2023-09-27", "2023-10-08"),  # across National Day 2023 with make-up days
            ("2024-01-15", "2024-02-07", "2024-02-18"),  # across Spring Festival 2024
        ],
    )
    def test_follow_on_counts_from_listing_date(self, application_date, listing_date, expected):
        f = csrc(nexus(**NEXUS_ALL), kind="follow_on", application_date=application_date, listing_date=listing_date)
        assert f.status == "applies"
        assert deadline_date(f) == D(expected)

    def test_direct_h_share_spring_festival(self):
        # shared/cases/direct-h-share-spring-festival.yaml: H shares applied Wed 2024-02-07 -> 2024-02-18.
        f = csrc({"incorporated_in": "CN"}, as_of=D("2024-03-01"), venue="HKEX", structure="direct",
                 application_date="2024-02-07")
        assert f.status == "applies"
        assert deadline_date(f) == D("2024-02-18")


class TestCsrcCitationAndCompliance:
    def test_citation(self):
        # Section 5: CSRC Trial Measures, Announcement [2023] No. 43, promulgated 2023-02-17, effective
        # 2023-03-31; catalogue source "Arts. 2, 15, 16" (16 is the filing deadline).
        c = csrc(nexus(**NEXUS_ALL)).citation
        assert "Overseas Securities Offering and Listing" in c["instrument"]
        assert "16" in article_numbers(c)
        assert str(c["in_force"]) == "2023-03-31"
        assert str(c["version"]) == "2023-02-17"

    @pytest.mark.parametrize(
        ("as_of", "done_on", "expected"),
        [
            ("2024-06-05", None, "open"),          # deadline 2024-06-06 not yet passed
            ("2024-06-06", None, "open"),          # deadline is today
            ("2024-06-07", None, "overdue"),       # deadline passed, no record
            ("2024-06-20", "2024-06-05", "satisfied"),
            ("2024-06-20", "2024-06-10", "satisfied"),  # late but done: satisfied with a warning
        ],
    )
    def test_compliance(self, as_of, done_on, expected):
        # interface.md "Deadlines": satisfied / open (deadline today or later) / overdue.
        rec = None if done_on is None else [{"obligation": CSRC_FILING, "subject": "listing:l1", "done_on": done_on}]
        m = manifest(nexus(**NEXUS_ALL), [listing(application_date="2024-06-03")], rec)
        f = finding(m, D(as_of), CSRC_FILING, "listing:l1")
        assert f.status == "applies"
        assert f.compliance == expected

    def test_late_record_warns(self):
        # interface.md: "a record dated after the deadline is still satisfied, with a warning that it
        # was late". Deadline here is 2024-06-06; the record is dated 2024-06-10.
        rec = [{"obligation": CSRC_FILING, "subject": "listing:l1", "done_on": "2024-06-10"}]
        m = manifest(nexus(**NEXUS_ALL), [listing(application_date="2024-06-03")], rec)
        f = finding(m, D("2024-06-20"), CSRC_FILING, "listing:l1")
        assert f.compliance == "satisfied"
        assert any("late" in str(w).lower() or "after the deadline" in str(w).lower() for w in texts(f.warnings))


def test_csrc_application_before_the_measures_without_a_listing_date_names_the_missing_fact():
    # CSRC notice on filing arrangements: an application pending on 2023-03-31 is caught only if the
    # listing had not completed by then. Without listing.listing_date hegui cannot tell, so it asks.
    f = csrc({"china_nexus": NEXUS_ALL}, application_date="2023-03-01")
    assert f.status == "unknown"
    assert "listing.listing_date" in f.missing_facts


# =========================================================================== issue 10: kinds, OTC, transition
#
# Cybersecurity Review Measures 2021 Art. 7 "赴国外上市" (going abroad to list): a follow-on offering by an
# issuer already listed in that market is not a new listing; an IPO or a listing in another market is
# (data-and-cyber.md §4.2 [M]). CSRC Guideline No. 7 (2024-05-07), reading Trial Measures Arts. 1-2:
# offering and listing means on an overseas stock exchange; OTC quotation is outside the filing regime,
# and moving from OTC to an exchange is filed as an IPO within 3 working days of the application.


class TestListingReviewKind:

    @pytest.mark.parametrize(("kind", "expected"), [
        ("ipo", "applies"),
        ("other_market", "applies"),     # a secondary or dual-primary listing in another foreign market
        ("follow_on", "does_not_apply"),  # already listed in that market: not 赴国外上市
    ])
    def test_kind(self, kind, expected):
        assert review(PLATFORM, kind=kind).status == expected

    def test_unknown_kind_named(self):
        f = review(PLATFORM, kind=None)
        assert f.status == "unknown"
        assert f.missing_facts == ["listing.kind"]


class TestVenueType:

    @pytest.mark.parametrize("check", ["review", "csrc"])
    @pytest.mark.parametrize(("venue_type", "expected"), [
        ("otc", "does_not_apply"),   # quotation is not listing
        ("exchange", "applies"),
        (None, "applies"),           # a listing record is read as an exchange listing (venue: exchange code)
    ])
    def test_otc_quotation(self, check, venue_type, expected):
        f = review(PLATFORM, venue_type=venue_type) if check == "review" else \
            csrc(nexus(**NEXUS_ALL), venue_type=venue_type)
        assert f.status == expected

    def test_uplisting_from_otc_is_an_ipo(self):
        # Guideline No. 7: filed within 3 working days after the uplisting application. Mon 3 June 2024:
        # Tue (1), Wed (2), Thu 6 June (3).
        f = csrc(nexus(**NEXUS_ALL), kind="ipo", venue_type="exchange", application_date="2024-06-03")
        assert f.status == "applies"
        assert deadline_date(f) == D("2024-06-06")

    def test_otc_follow_on(self):
        assert csrc(nexus(**NEXUS_ALL), kind="follow_on", venue_type="otc", application_date="2024-06-03",
                    listing_date="2024-06-10").status == "does_not_apply"


def pending(**kw: Any):
    """An indirect listing applied for on 2023-03-01, before the Trial Measures took effect."""
    return csrc(nexus(**NEXUS_ALL), as_of=LATE_AS_OF, **{"application_date": "2023-03-01", **kw})


class TestCsrcTransitionIndirect:
    # CSRC notice on filing arrangements (2023-02-17), as the CSRC official explained it: an indirect
    # listing approved abroad before 2023-03-31 (HK hearing passed, US registration effective) that
    # completes within six months counts as an existing issuer; otherwise, and for applications not yet
    # approved abroad, the issuer files before the listing completes. Six months from 2023-03-31: 31 March
    # has no corresponding day in September, so 2023-09-30 (Civil Code Art. 202).

    @pytest.mark.parametrize(("approved", "expected", "deadline"), [
        ("2023-03-30", "does_not_apply", None),          # n-1: approved the day before 2023-03-31
        ("2023-03-31", "applies", "2023-06-09"),          # n: approved on the day itself, not before it
        ("2023-04-01", "applies", "2023-06-09"),          # n+1
    ])
    def test_approval_date(self, approved, expected, deadline):
        f = pending(overseas_approval_date=approved, listing_date="2023-06-10")
        assert f.status == expected
        if deadline:
            assert deadline_date(f) == D(deadline)

    @pytest.mark.parametrize(("listed", "expected", "deadline"), [
        ("2023-09-29", "does_not_apply", None),   # n-1
        ("2023-09-30", "does_not_apply", None),   # n: the last day of the six months
        ("2023-10-01", "applies", "2023-09-30"),  # n+1: too late, file before listing
    ])
    def test_six_months(self, listed, expected, deadline):
        f = pending(overseas_approval_date="2023-03-20", listing_date=listed)
        assert f.status == expected
        if deadline:
            assert deadline_date(f) == D(deadline)

    def test_existing_issuer_reason_is_the_transition(self):
        f = pending(overseas_approval_date="2023-03-20", listing_date="2023-05-10")
        assert f.status == "does_not_apply"
        assert f.compliance is None

    def test_approval_unknown_within_six_months_named(self):
        f = pending(listing_date="2023-06-10")
        assert f.status == "unknown"
        assert "listing.overseas_approval_date" in f.missing_facts

    def test_approval_unknown_after_six_months_files_anyway(self):
        # Approved before 2023-03-31 or not, a listing completed after 2023-09-30 is filed.
        f = pending(listing_date="2023-10-20")
        assert f.status == "applies"
        assert deadline_date(f) == D("2023-10-19")

    def test_approval_rule_is_for_indirect_listings_only(self):
        # Item 2 of the notice speaks of indirect listings; a direct issue needs a CSRC approval instead.
        f = pending(structure="direct", overseas_approval_date="2023-03-20", listing_date="2023-05-10",
                    csrc_approval_valid=False)
        assert f.status == "applies"
        assert deadline_date(f) == D("2023-05-09")


class TestCsrcTransitionDirect:
    # Notice item 4: H-share issuers holding a CSRC approval may list within its validity; if it lapses
    # first they file.

    @pytest.mark.parametrize(("valid", "expected"), [(True, "does_not_apply"), (False, "applies")])
    def test_pending_h_shares(self, valid, expected):
        f = pending(structure="direct", venue="HKEX", listing_date="2023-05-10", csrc_approval_valid=valid)
        assert f.status == expected

    def test_pending_h_shares_unknown_named(self):
        f = pending(structure="direct", venue="HKEX", listing_date="2023-05-10")
        assert f.status == "unknown"
        assert "listing.csrc_approval_valid" in f.missing_facts

    def test_h_shares_applied_after_with_valid_approval(self):
        # Applied abroad on or after 2023-03-31 but listed within an old CSRC approval (e.g. a placing
        # approved in 2022): no filing.
        f = csrc({}, structure="direct", venue="HKEX", application_date="2023-05-02", csrc_approval_valid=True)
        assert f.status == "does_not_apply"

    def test_h_shares_applied_after_without_the_fact(self):
        # Without csrc_approval_valid a direct issue is treated as holding no old approval.
        f = csrc({}, structure="direct", venue="HKEX", application_date="2024-02-07")
        assert f.status == "applies"
        assert deadline_date(f) == D("2024-02-18")
