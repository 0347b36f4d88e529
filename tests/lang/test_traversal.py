"""The generic walk over condition trees, and the collectors that are filters over it.

Expected values come from the trees as written (the order a reader meets each node), not from
output: a pre-order walk visits a node before its sub-trees, left to right.
"""

from __future__ import annotations

from hegui.lang.check import Parameter, Scope, Wording, check
from hegui.lang.evaluate import context_facts, dependencies, obligations_referred, parameters_used
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Fact, Literal, Name, Node, Not, Or, Sum, parse,
)
from hegui.lang.types import NUMBER
from hegui.manifest.facts import fact_types

def checked(text, kind="concentration"):
    scope = Scope(facts=fact_types(kind), parameters={"each": Parameter("each", NUMBER, "超过")},
                  definitions=lambda name: None, obligations=lambda ob: ob == "x.duty",
                  wordings={"超过": Wording("超过", "above", False, "Civil Code Art. 1259")})
    return check(parse(text), scope, want=None)


def org_checked(text):
    def item(name):
        kinds = {"services": "service", "transfers": "transfer"}
        if name not in kinds:
            return None
        return kinds[name], Scope(facts=fact_types(kinds[name]), parameters={}, definitions=lambda n: None,
                                  obligations=lambda ob: False)
    scope = Scope(facts=fact_types("organisation"), parameters={}, definitions=lambda n: None,
                  obligations=lambda ob: False, subject_lists=item)
    return check(parse(text), scope)


def test_walk_is_pre_order_left_to_right():
    tree = parse("a.x > 1 and (not a.y or applies(z.duty))")
    kinds = [type(n).__name__ for n in tree.walk()]
    assert kinds == ["And", "Compare", "Fact", "Literal", "Or", "Not", "Fact", "Applies"]
    assert [n.path for n in tree.walk() if isinstance(n, Fact)] == ["a.x", "a.y"]


def test_children_are_the_declared_sub_trees():
    tree = parse("a.x in ['p', 'q']")
    assert list(tree.children()) == [Fact("a.x")]   # the options are values, not sub-trees
    assert list(Literal(1).children()) == []
    assert list(parse("not a.x").children()) == [Fact("a.x")]


def test_every_node_class_is_a_node():
    for cls in (And, Applies, Compare, Count, Fact, Literal, Name, Not, Or, Sum):
        assert issubclass(cls, Node)


def test_find_all_keeps_walk_order_and_takes_several_classes():
    tree = parse("count(c.parties, c.parties.t > each) >= 2 or c.acquires_control and applies(x.duty)")
    assert [type(n).__name__ for n in tree.find_all(Applies, Count, Name)] == ["Count", "Name", "Applies"]
    assert list(tree.find_all(Sum)) == []


def test_a_fact_inside_a_count_condition_is_a_dependency():
    tree = checked("count(concentration.parties, concentration.parties.turnover_china_rmb > each) >= 2")
    assert dependencies(tree) == ["concentration.parties", "concentration.parties.turnover_china_rmb"]
    # its value is one per party, so the concentration's own facts do not hold it
    assert context_facts(tree) == ["concentration.parties"]
    assert parameters_used(tree) == ["each"]


def test_an_organisation_fact_inside_a_count_over_services_is_read_from_the_organisation():
    tree = org_checked("count(services, service.commercial and organisation.ciio) > 0")
    assert dependencies(tree) == ["services", "service.commercial", "organisation.ciio"]
    assert context_facts(tree) == ["services", "organisation.ciio"]


def test_sum_reads_its_list():
    tree = checked("sum(concentration.parties.turnover_china_rmb) > each")
    assert dependencies(tree) == ["concentration.parties"]


def test_obligations_referred_inside_a_count():
    tree = parse("count(c.parties, applies(a.b)) > 0 or not applies(c.d)")
    assert obligations_referred(tree) == {"a.b", "c.d"}


def test_a_fact_read_twice_is_named_once_in_first_order():
    tree = parse("a.y or a.x or not a.y")
    assert dependencies(tree) == ["a.y", "a.x"]
    assert Compare(">", Fact("a.x"), Name("n")).reads is None
