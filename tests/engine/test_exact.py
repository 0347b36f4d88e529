"""Exact three-valued decisions (issue 13 §1): `unknown` only when the missing facts can change it.

The property runs over the shipped rulebook's decisions (every Judge, on each stretch of days its
exact form covers): partial fact sets are drawn over the regions the thresholds cut each fact into
(one value per region; codes: each value named plus another; flags both ways; a fact known(...)
reads is given or absent, never completed; a number may be known only within bounds), and every
completion of the missing facts is tried.
(a) A definite status holds for every completion; (b) an `unknown` has two completions that give
different statuses (or is unknown in every completion: a test on a fact known(...) finds absent).
Relations between facts (rulebook/relations.yaml) leave some completions out, as the form does.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
import random
import textwrap

import pytest

from hegui.engine import assess
from hegui.engine.questions import questions
from hegui.lang import exact
from hegui.lang.evaluate import Context, compile_expr
from hegui.lang.values import Bounds
from hegui.manifest import parse_manifest
from hegui.report.reasons import reason
from hegui.rulebook import default_rulebook
from hegui.rulebook.decision import _nonnegative, _relations, _spans_of

RULEBOOK = default_rulebook()
MISSING = object()


def forms():
    """(obligation, day, Form) for every Judge of the shipped rulebook and each stretch of its days."""
    out = []
    for ob in RULEBOOK.obligations.values():
        for start, _end, judge in _spans_of(ob.decision):
            for day in [start, *judge._exact_builder.cuts()]:
                out.append((ob.id, day, judge.exact_on(day)))
    return out


FORMS = forms()


def test_every_decision_of_the_shipped_rulebook_has_an_exact_form():
    # The fallback to Kleene (more than exact.MAX_CELLS cells) is counted here: none today.
    too_big = [(ob, str(day)) for ob, day, form in FORMS if form is None]
    assert too_big == []
    assert max(form.cells for _o, _d, form in FORMS) <= exact.MAX_CELLS
    # Read-once decisions (every fact read once) are exact under Kleene already; the property below
    # checks them too. Most are; the rest are those the exact forms are for.
    split = [ob for ob, _d, form in FORMS if not form.read_once]
    assert CONTRACT in split and 0 < len(split) < len(FORMS)


def status(value) -> str:
    return {True: "applies", False: "does_not_apply", None: "unknown"}[value]


def statuses_of(form: exact.Form, seed: int, samples: int = 40):
    """(partial facts, status decided, statuses of all its completions), drawn over the form's regions.

    Opaque atoms (counts, another obligation's status) are flags of their own here: the form is
    rebuilt over its stand-in tree, whose atoms are facts. A read-once decision is decided by Kleene
    alone, as the engine does, so (b) checks that Kleene is exact for it.
    """
    relations = _relations()
    stand_in = exact.build(form.stand_in, form.params, relations, _nonnegative(), whole=True)
    kleene = compile_expr(form.stand_in)
    impossible = [compile_expr(r) for r in relations]
    rng = random.Random(seed)
    for _ in range(samples):
        partial, within = {}, {}
        for path, values in form.variables:
            completable = None not in values   # a fact known(...) reads: given or absent
            draw = rng.random()
            if completable and draw < 0.35:
                partial[path] = MISSING
            elif completable and draw < 0.5 and all(isinstance(v, (int, Decimal)) and not isinstance(v, bool)
                                                     for v in values):
                # A number known only within bounds (an organisation count derived from transfers):
                # its completions are the regions' values inside them.
                low = rng.choice(values)
                high = rng.choice([None, *(v for v in values if v >= low)])
                partial[path] = MISSING
                within[path] = Bounds(low, high)
            else:
                partial[path] = rng.choice(values)
        given = {p: v for p, v in partial.items() if v is not MISSING and v is not None} | within
        ctx = Context(given, form.params)
        if any(rule(ctx) is True for rule in impossible):
            continue   # contradictory facts: the form keeps Kleene's answer
        decided = kleene(ctx)
        if decided is None and not form.read_once:   # read-once: the engine keeps Kleene's answer
            decided = stand_in.decide(ctx)
        open_ = [(p, [v for v in vs if p not in within or within[p].at_least <= v and
                      (within[p].at_most is None or v <= within[p].at_most)])
                 for p, vs in form.variables if partial[p] is MISSING]
        completions = []
        for choice in itertools.product(*(values for _p, values in open_)):
            facts = {**given, **{p: v for (p, _vs), v in zip(open_, choice) if v is not None}}
            c = Context(facts, form.params)
            if any(rule(c) is True for rule in impossible):
                continue
            completions.append(status(kleene(c)))
        yield given, status(decided), completions


@pytest.mark.parametrize("index", range(len(FORMS)), ids=[f"{o}@{d}" for o, d, _f in FORMS])
def test_definite_means_every_completion_and_unknown_means_two_disagree(index):
    ob, day, form = FORMS[index]
    for given, decided, completions in statuses_of(form, seed=index):
        if not completions:
            continue
        if decided != "unknown":
            assert set(completions) == {decided}, (ob, day, given)
        else:
            assert len(set(completions)) >= 2 or set(completions) == {"unknown"}, (ob, day, given)


# -- the two cases issue 13 names -----------------------------------------------------------

def transfer(**facts) -> str:
    base = dict(id="shop", destination="US", started_on="2024-05-01", includes_pi=True, includes_sensitive_pi=False,
                includes_important_data=False, pi_individuals_current_year=150000,
                sensitive_pi_individuals_current_year=0, basis="none", collected_abroad_only=False,
                ftz_exempt=False, mechanism="none")
    base.update(facts)
    fields = ", ".join(f"{k}: {v}" if not isinstance(v, bool) else f"{k}: {str(v).lower()}"
                       for k, v in base.items() if v is not None)
    return textwrap.dedent(f"""\
        format: hegui/1
        organisation: {{name: Exporter Ltd., ciio: false, operates_in_mainland: true}}
        transfers:
          - {{{fields}}}
        """)


def finding(text: str, obligation: str, day=datetime.date(2025, 6, 1)):
    assessment = assess(parse_manifest(text), day)
    return next(f for f in assessment.findings if f.obligation == obligation), assessment


CONTRACT, ASSESSMENT = "cbdt.standard-contract-or-certification", "cbdt.security-assessment"


def test_a_contract_with_the_individual_is_out_of_the_standard_contract_either_way():
    """Case (a). CAC Order 16 Art. 8 band (150,000 individuals), basis: a contract with the individual,
    important data not given. With important data, Art. 7 makes it a security assessment (not
    applies(cbdt.security-assessment) fails); without, Art. 5(1) exempts it. Out either way."""
    text = transfer(basis="contract_with_individual", includes_important_data=None)
    contract, assessment = finding(text, CONTRACT)
    assert contract.status == "does_not_apply"
    assert contract.missing_facts == []
    split = [e for e in contract.trace if e[0] == "either_way"]
    # Split on the flag, and on the year's count it bounds (the transfer counts unless exempt).
    assert len(split) == 1 and "transfer.includes_important_data" in split[0][2]
    # The reason says it was a case split, and over what.
    line = reason(contract, RULEBOOK)
    assert line.startswith("does not apply either way: ") and "transfer.includes_important_data" in line
    assert "transfer.includes_important_data" in reason(contract, RULEBOOK, "zh") and "不适用" in reason(
        contract, RULEBOOK, "zh")
    # The security assessment itself does turn on it (Art. 7(2): important data).
    security, _ = finding(text, ASSESSMENT)
    assert security.status == "unknown" and security.missing_facts == ["transfer.includes_important_data"]
    asked = [q.fact for q in questions(assessment)]
    assert "transfer.includes_important_data" in asked


def test_with_an_ordinary_basis_the_important_data_flag_still_matters():
    """Without the Art. 5(1) basis, important data decides between Art. 7 and the Art. 8 band."""
    contract, _ = finding(transfer(includes_important_data=None), CONTRACT)
    assert contract.status == "unknown"
    assert contract.missing_facts == ["transfer.includes_important_data"]


def test_no_sensitive_individuals_settles_the_sensitive_limb():
    """Case (b). CAC Order 16 Art. 8: below the 100,000 band (50,000 individuals), the sensitive limb
    ("不满1万人敏感个人信息") needs sensitive PI; the flow exported none this year (0 individuals) and
    leaves includes_sensitive_pi out: out of the band (relations.yaml, [L])."""
    text = transfer(pi_individuals_current_year=50000, includes_sensitive_pi=None)
    contract, _ = finding(text, CONTRACT)
    assert contract.status == "does_not_apply"
    assert contract.missing_facts == []


def test_some_sensitive_individuals_mean_sensitive_pi():
    """The other way: 5 individuals' sensitive PI this year is sensitive PI, under 10,000: in the Art. 8 band."""
    text = transfer(pi_individuals_current_year=50000, includes_sensitive_pi=None,
                    sensitive_pi_individuals_current_year=5)
    contract, _ = finding(text, CONTRACT)
    assert contract.status == "applies"


def test_contradictory_facts_keep_kleenes_answer():
    """Given facts that break a relation (sensitive PI with 0 individuals) prove nothing by themselves."""
    text = transfer(pi_individuals_current_year=50000, includes_sensitive_pi=True, includes_important_data=None)
    contract, _ = finding(text, CONTRACT)
    assert contract.status == "unknown"
