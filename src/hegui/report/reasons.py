"""Plain-language views of a finding's trace: the readable steps, the one-line reason, the parts.

A finding is prose-free (engine/finding.py); everything said about it is worked out here, from its
trace, its facts and the rulebook's parameters on its context day.

The one-line reason is made of sentences about the subject (report/sentences.py): no fact path
appears in it. The steps keep the machine view beside the sentence: each test as the rule writes
it, with the fact paths and raw values it read (`hegui explain`, the JSON `because`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from hegui.report.values import show
from hegui.lang.evaluate import Context
from hegui.report.i18n import t
from hegui.report.labels import UNKNOWN_VALUE, fact_sentence, fact_with, is_yes_no
from hegui.report.sentences import Sentences
from hegui.rulebook.decision import APPLIES, DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN, Window
from hegui.rulebook.model import article_label_zh, cite
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum, render,
)

@dataclass
class Step:
    """One test in the reasoning: what was tested, its three-valued result, and the values used."""
    test: str
    value: bool | None | str
    facts: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)   # name -> {value, article, wording}
    article: str | None = None
    says: str | None = None
    role: str = "condition"                           # condition | exemption | event | transitional | in_force
    # The test with the values it read, for one line (step_text): a function giving it where it costs
    # a walk of the condition, which only some views ask for.
    shown: str | Callable[[], str] | None = None
    sentence: str | None = None                       # the test as a sentence about the subject


def context(finding, rulebook) -> Context:
    """The facts and parameters the finding was judged on, with the verdicts its clauses referred to."""
    referred = {node: value for role, node, value in finding.trace if role == "refers"}
    return Context(finding.facts or {}, rulebook.parameters_on(finding.context_day), referred.get)


def sentences(finding, rulebook, lang: str = "en", clause=None) -> Sentences:
    """The sentences of a finding's tests, knowing the worded definitions of `clause`."""
    return Sentences(context(finding, rulebook), lang, rulebook, finding.context_day,
                     clause.labels if clause is not None else ())


def steps(finding, rulebook, lang: str = "en", said: dict | None = None) -> list[Step]:
    """The reasoning as readable steps, with the values and parameters each test used. With `said`,
    each condition's sentence is also kept there (by the clause's id) for reason() to reuse."""
    out, event_fact, event_day, ctx = [], None, None, None
    for role, node, value in finding.trace:
        if role == "in_force":
            if isinstance(node, Window):
                out.append(Step(f"in force from {node.first}" + (f" until {node.last}" if node.last else ""),
                                False, role="in_force", sentence=_not_in_force(finding, node, lang)))
            else:
                out.append(Step(f"no version governs on {finding.judged_on}", False, role="in_force",
                                sentence=_not_in_force(finding, node, lang)))
        elif role == "event":
            event_fact, event_day = node.event, value
            out.append(Step(f"judged by the rules in force on {node.event}", str(value), {node.event: value},
                            role="event", shown=f"judged by the rules in force on {node.event}={show(value)}",
                            sentence=t("reason.judged_when", lang, text=fact_sentence(node.event, value, lang))))
        elif role == "gate":
            first = finding.judged_on
            out.append(Step(f"{event_fact} {event_day} is before the obligation took effect on {first}"
                            + ("; no transitional provision reaches it" if value is False else
                               "; a transitional provision may reach it"),
                            value, {event_fact: event_day}, role="event",
                            sentence=_before_effect(event_fact, event_day, first, lang) if value is False else
                            t("reason.before_effect_transitional", lang,
                              text=fact_sentence(event_fact, event_day, lang), start=first)))
        elif role == "transitional":
            facts, ctx = finding.facts or {}, ctx or context(finding, rulebook)
            test = f"transitional provision ({node.article}): {' '.join(node.when.text.split())}"
            out.append(Step(test, True, {p: facts.get(p) for p in node.when.facts}, article=node.article,
                            says=node.says, role="transitional",
                            shown=partial(_transitional_shown, node, ctx),
                            sentence=sentences(finding, rulebook, lang, node.when).state(node.when.tree)))
        elif role in ("condition", "exemption"):
            facts, ctx = finding.facts or {}, ctx or context(finding, rulebook)
            sentence = sentences(finding, rulebook, lang, node).state(node.tree)
            if said is not None:
                said[id(node)] = sentence
            out.append(Step(node.text, value, {p: facts.get(p) for p in node.facts},
                            _parameters(node, finding, rulebook), node.article, node.says, role,
                            partial(with_values, node.tree, ctx), sentence))
    return out


def _parameters(clause, finding, rulebook) -> dict:
    out = {}
    for name in clause.parameters:
        p = rulebook.parameter_on(name, finding.context_day)
        out[name] = {"value": p.value, "article": p.article, "wording": p.wording}
    return out


def step_text(step) -> str:
    """A step's test with the values it read, on one line."""
    shown = step.shown() if callable(step.shown) else step.shown
    return shown if shown is not None else " ".join(step.test.split())


def _transitional_shown(node, ctx) -> str:
    return f"transitional provision ({node.article}): {with_values(node.when.tree, ctx)}"


def with_values(node, ctx) -> str:
    """A condition as the rule states it (definitions inlined), each fact, parameter, count and
    sum followed by its value: a walk over the checked tree, never over the clause's source text."""
    from hegui.lang.evaluate import compile_expr
    match node:
        case Literal(value=v):
            return render(node) if isinstance(v, str) else show(v)
        case Fact(path=p):
            return f"{p}={show(ctx.facts.get(p))}"
        case Name(name=n):
            return f"{n}={show(ctx.params.get(n))}"
        case Compare(op=op, left=left, right=right):
            return f"{with_values(left, ctx)} {op} {with_values(right, ctx)}"
        case Member(item=i, options=opts, negated=neg):
            return f"{with_values(i, ctx)} {'not in' if neg else 'in'} [{', '.join(render(Literal(o)) for o in opts)}]"
        case And(items=items):
            return " and ".join(_group_values(i, ctx) for i in items)
        case Or(items=items):
            return " or ".join(_group_values(i, ctx) for i in items)
        case Not(item=i):
            return f"not {_group_values(i, ctx)}"
        case Applies(obligation=o):
            return f"applies({o})={show(ctx.applies(o))}"
        case Known(path=p):
            return f"known({p}={show(ctx.facts.get(p))})"
        case Sum(path=p):
            return f"sum({p})={show(compile_expr(node)(ctx))}"
        case Count(items=i, condition=c):
            # The condition is about each item in turn: shown as written, the count with its value.
            return f"count({i}={show(ctx.facts.get(i))}, {render(c)})={show(compile_expr(node)(ctx))}"
        case Overlaps(path=p, options=opts):
            return f"overlaps({p}={show(ctx.facts.get(p))}, [{', '.join(render(Literal(o)) for o in opts)}])"
    return render(node)


def _group_values(node, ctx) -> str:
    return f"({with_values(node, ctx)})" if isinstance(node, (And, Or)) else with_values(node, ctx)


def citation_text(citation: dict, lang: str = "en") -> str:
    article = citation["article"]
    # Most citations are article numbers; a few instruments (notices, announcements) have none.
    if lang == "en":
        return cite(citation["short"], article)
    title = citation["instrument_zh"]
    return t("reason.citation", lang, title=title, article=article_text(article, lang)) if article[:1].isdigit() \
        else t("reason.citation_other", lang, title=title, article=article_text(article, lang))


_ARTICLE = re.compile(r"^(?P<numbers>\d[\d()\-, ]*?)(?:\s+\((?P<rest>\D.*)\))?$")


def article_text(article: str | None, lang: str = "en") -> str:
    """`Art. 5(1)-(3)` in English, `第5条第（一）至（三）项` in Chinese (the rule file's `article_zh` where it
    gives one); in English an article that is not a number is shown as it is."""
    if not article:
        return ""
    if lang == "zh":
        return article_label_zh(article)
    m = _ARTICLE.match(article)
    if not m:
        return article
    if lang == "en":
        return f"Art. {article}"
    numbers = "、".join(n.strip() for n in m.group("numbers").split(","))
    out = t("reason.article", lang, numbers=numbers)
    return out + t("reason.article_aside", lang, text=m.group("rest")) if m.group("rest") else out


def reason(finding, rulebook, lang: str = "en", said: dict | None = None) -> str:
    """The one-line reason, in a language: sentences about the subject, then the citation. `said`:
    the conditions' sentences steps() already worked out for this finding, in this language."""
    said = said or {}

    def state(node) -> str:
        sentence = said.get(id(node))
        return sentence if sentence is not None else sentences(finding, rulebook, lang, node).state(node.tree)
    cite = citation_text(finding.citation, lang)
    trace = finding.trace
    if finding.status == NOT_IN_FORCE:
        return t("reason.cited", lang, text=_not_in_force(finding, trace[-1][1], lang), cite=cite)
    if finding.status == UNKNOWN:
        return t("reason.needs", lang, facts=t("reason.separator", lang).join(
            needed_text(finding, path, lang) for path in finding.missing_facts), cite=cite)
    split = next((value for role, _node, value in trace if role == "either_way"), None)
    if split is not None:   # settled by a case split over facts still open (engine/decide.py)
        key = "reason.either_way.applies" if finding.status == APPLIES else "reason.either_way.does_not_apply"
        return t(key, lang, facts=t("reason.separator", lang).join(split), cite=cite)
    conditions = [(node, value) for role, node, value in trace if role == "condition"]
    if finding.status == DOES_NOT_APPLY:
        exempt = next((node for role, node, value in trace if role == "exemption" and value is True), None)
        if exempt:
            article = article_text(exempt.article, lang) if exempt.article[:1].isdigit() else exempt.article
            # The exemption's own words: English, or the rule file's Chinese where it gives it (says_zh).
            says = exempt.says if lang == "en" else getattr(exempt.says, "zh", None)
            return t("reason.exempt" if says else "reason.exempt_plain", lang, article=article, says=says, cite=cite)
        if any(role == "gate" and value is False for role, _, value in trace):
            _, by_event, day = next(e for e in trace if e[0] == "event")
            return _before_effect(by_event.event, day, finding.judged_on, lang)
        failed = next((node for node, value in conditions if value is False), None)
        return t("reason.cited", lang, text=state(failed), cite=cite) \
            if failed else t("reason.does_not_apply", lang, cite=cite)
    met = [state(node) for node, _ in conditions]
    return t("reason.applies", lang, met=t("reason.separator", lang).join(met), cite=cite,
             in_force=finding.citation["in_force"])


def needed_text(finding, path: str, lang: str) -> str:
    """A missing fact as what must be found out: "whether the service is an online game"."""
    if is_yes_no(path):
        text = t("reason.needs_whether", lang, text=fact_sentence(path, True, lang))
    else:
        text = fact_with(path, UNKNOWN_VALUE, lang)
    item = _item_named(finding, path)
    return t("reason.of_item", lang, text=text, item=item) if item else text


_POSITION = re.compile(r"^(?P<list>[a-z_.]+)\[(?P<index>\d+)\]")


def _item_named(finding, path: str) -> str | None:
    """The id of the list item a missing fact belongs to (services[1] -> its id), if the path has one."""
    m = _POSITION.match(path)
    if not m:
        return None
    items = (finding.facts or {}).get(m.group("list"))
    index = int(m.group("index"))
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        return next((str(v) for k, v in items[index].items() if k.endswith((".id", ".name"))), None)
    return f"{m.group('list')}[{index}]"


def _not_in_force(finding, node, lang: str) -> str:
    """Outside the in-force window, or on a day no version governs."""
    if not isinstance(node, Window):
        return t("reason.no_version", lang, day=finding.judged_on)
    if node.last:
        return t("reason.in_force_between", lang, start=node.first, end=node.last)
    return t("reason.in_force_from", lang, start=node.first)


def _before_effect(fact: str, event, first, lang: str) -> str:
    """An event before the obligation existed, that no transitional provision reaches."""
    return t("reason.before_effect", lang, text=fact_sentence(fact, event, lang), start=first)
