"""sum(), count() and overlaps(): three-valued over lists of records and values."""

from __future__ import annotations

import pytest

from hegui.lang.check import LanguageError, Parameter, Scope, Wording, check
from hegui.lang.evaluate import Context, compile_expr, residual
from hegui.lang.syntax import parse
from hegui.lang.types import NUMBER
from hegui.lang.values import Bounds
from hegui.manifest.facts import fact_types, subjects
from hegui.manifest.model import Manifest


def scope(kind):
    return Scope(facts=fact_types(kind), parameters={"each": Parameter("each", NUMBER, "超过")},
                 definitions=lambda name: None, obligations=lambda ob: False,
                 wordings={"超过": Wording("超过", "above", False, "Civil Code Art. 1259")})


def value(text, kind, manifest_part, params=None):
    doc = {"format": "hegui/1", "organisation": {"name": "X"}, **manifest_part}
    facts = next(f for k, _, f in subjects(Manifest.model_validate(doc)) if k == kind)
    tree = check(parse(text), scope(kind), want=None)
    ctx = Context(facts, params or {"each": 400})
    return compile_expr(tree)(ctx), residual(tree, ctx)


def parties(*china):
    return {"concentrations": [{"id": "c", "parties": [
        {"name": f"p{i}", **({} if v is None else {"turnover_china_rmb": v})} for i, v in enumerate(china)]}]}


def test_sum_of_known_amounts_is_exact():
    assert value("sum(concentration.parties.turnover_china_rmb)", "concentration", parties(300, 200))[0] == 500


def test_sum_with_a_missing_amount_is_a_floor_and_names_the_item():
    got, missing = value("sum(concentration.parties.turnover_china_rmb) > 1000", "concentration",
                         parties(300, None))
    assert got is None
    assert missing == ["concentration.parties[1].turnover_china_rmb"]
    # The known part alone already exceeds the threshold: decided whatever the missing amount is.
    assert value("sum(concentration.parties.turnover_china_rmb) > 250", "concentration", parties(300, None))[0] is True


@pytest.mark.parametrize("china, expected", [
    ((500, 500), True),        # two parties over 400
    ((500, 400), False),       # 400 is not more than 400 (超过 excludes it)
    ((500, None), None),       # the second party could go either way
    ((300, None), False),      # at most one can be over
])
def test_count_of_items_meeting_a_condition(china, expected):
    got, missing = value("count(concentration.parties, concentration.parties.turnover_china_rmb > each) >= 2",
                         "concentration", parties(*china))
    assert got is expected
    assert (missing == ["concentration.parties[1].turnover_china_rmb"]) == (expected is None)


def test_count_returns_bounds_when_undecided():
    got, _ = value("count(concentration.parties, concentration.parties.turnover_china_rmb > each)",
                   "concentration", parties(500, None, 100))
    assert got == Bounds(1, 2) or (got.at_least, got.at_most) == (1, 2)


def test_an_item_field_outside_sum_or_count_is_a_load_error():
    with pytest.raises(LanguageError, match="field of each item"):
        check(parse("concentration.parties.turnover_china_rmb > each"), scope("concentration"))


@pytest.mark.parametrize("content, expected", [(["news"], True), (["education", "other"], False), (None, None)])
def test_overlaps(content, expected):
    service = {"id": "s"} if content is None else {"id": "s", "content": content}
    got, missing = value("overlaps(service.content, ['news', 'publishing', 'audiovisual'])", "service",
                         {"services": [service]})
    assert got is expected
    assert missing == (["service.content"] if expected is None else [])


def test_overlaps_checks_its_values():
    with pytest.raises(LanguageError, match="'gossip' is not a value of service.content"):
        check(parse("overlaps(service.content, ['gossip'])"), scope("service"))


# -- count over the manifest's subjects: an organisation rule reading its services -----------------

def org_scope():
    lists = {"services": "service", "transfers": "transfer"}

    def item(name):
        return (lists[name], scope(lists[name])) if name in lists else None
    return Scope(facts=fact_types("organisation"), parameters={}, definitions=lambda name: None,
                 obligations=lambda ob: False, subject_lists=item)


def org_value(text, services):
    doc = {"format": "hegui/1", "organisation": {"name": "X"}, "services": services}
    facts = subjects(Manifest.model_validate(doc))[0][2]
    tree = check(parse(text), org_scope())
    ctx = Context(facts, {})
    return compile_expr(tree)(ctx), residual(tree, ctx)


PAID = "count(services, service.kind == 'website' and service.commercial) > 0"


@pytest.mark.parametrize("services, expected, missing", [
    ([], False, []),                                                        # no services: none needs it
    ([{"id": "a", "kind": "website", "commercial": True}], True, []),
    ([{"id": "a", "kind": "website", "commercial": False}], False, []),
    ([{"id": "a", "kind": "website"}], None, ["services[0].commercial"]),   # an unknown item keeps it unknown
    ([{"id": "a", "kind": "app", "commercial": True}, {"id": "b", "kind": "website"}], None,
     ["services[1].commercial"]),                                           # named by its place
    ([{"id": "a", "kind": "website"}, {"id": "b", "kind": "website", "commercial": True}], True, []),
])
def test_count_over_services_is_three_valued(services, expected, missing):
    assert org_value(PAID, services) == (expected, missing)


def test_items_read_the_subject_kinds_own_facts_and_the_organisations():
    services = [{"id": "a", "kind": "website", "commercial": True}]
    doc = {"format": "hegui/1", "organisation": {"name": "X", "foreign_ownership": 0.6}, "services": services}
    facts = subjects(Manifest.model_validate(doc))[0][2]
    tree = check(parse("count(services, service.commercial and organisation.foreign_ownership > 0.5) >= 1"),
                 org_scope())
    assert compile_expr(tree)(Context(facts, {})) is True


@pytest.mark.parametrize("text, message", [
    ("count(servics, service.commercial) > 0", "not a list of subjects"),
    ("count(services, services.commercial) > 0", "unknown fact 'services.commercial'"),
    ("count(services, transfer.includes_pi) > 0", "unknown fact 'transfer.includes_pi'"),
    ("count(services, service.kind) > 0", "must be true/false"),
    ("count(services, applies(icp.licence)) > 0", "no such obligation"),
])
def test_count_over_services_is_checked_at_load(text, message):
    with pytest.raises(LanguageError, match=message):
        check(parse(text), org_scope())


def test_only_organisation_rules_count_subjects():
    # A service rule has no list of subjects in reach (the default scope).
    with pytest.raises(LanguageError, match="not a list of subjects"):
        check(parse("count(services, service.commercial) > 0"), scope("service"))
