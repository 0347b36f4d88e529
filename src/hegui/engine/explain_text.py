"""Plain-language renderings of a finding's reasoning: the one-line reason and substituted tests.

The words of a reason ("is false", "none of", "exempt under", ...) come from the messages
(report/messages/reasons.yaml), so a Chinese report's reasons are Chinese; fact paths, values,
numbers and comparison operators stay as they are in every language.
"""

from __future__ import annotations

import re

from hegui.engine.finding import DOES_NOT_APPLY, NOT_IN_FORCE, UNKNOWN
from hegui.report.i18n import t
from hegui.lang.syntax import (
    And, Applies, Compare, Count, Fact, Known, Literal, Member, Name, Not, Or, Overlaps, Sum, render,
)

_WORD = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")


def show(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, list):   # records or subjects (a count's items): each by its id or name
        return "[" + ", ".join(_label(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _label(item: dict) -> str:
    return next((str(v) for k, v in item.items() if k.endswith((".id", ".name"))), "?")


def _with_values(text: str, values: dict) -> str:
    """The text on one line, each named fact or parameter followed by its value."""
    return _WORD.sub(lambda m: f"{m.group(0)}={show(values[m.group(0)])}" if m.group(0) in values
                     else m.group(0), " ".join(text.split()))


def substituted(clause, ctx) -> str:
    """The clause text with each fact and parameter followed by its value."""
    values = {**{p: ctx.params.get(p) for p in clause.parameters}, **{f: ctx.facts.get(f) for f in clause.facts}}
    return _with_values(clause.text, values)


def step_text(step) -> str:
    """A step's test with the values used, compact enough for one line; facts read through a
    definition (not named in the text) follow in brackets."""
    shown = _with_values(step.test, {**step.facts, **{k: p["value"] for k, p in step.parameters.items()}})
    hidden = [f"{k}={show(v)}" for k, v in step.facts.items() if k not in step.test]
    return f"{shown} [{', '.join(hidden)}]" if hidden else shown


def citation_text(citation: dict, lang: str = "en") -> str:
    from hegui.rulebook.model import cite
    article = citation["article"]
    # Most citations are article numbers; a few instruments (notices, announcements) have none.
    if lang == "en":
        return cite(citation["short"], article)
    title = citation["instrument_zh"]
    return t("reason.citation", lang, title=title, article=article_text(article, lang)) if article[:1].isdigit() \
        else t("reason.citation_other", lang, title=title, article=article)


_ARTICLE = re.compile(r"^(?P<numbers>\d[\d()\-, ]*?)(?:\s+\((?P<rest>\D.*)\))?$")


def article_text(article: str | None, lang: str = "en") -> str:
    """`Art. 5(1)-(3)` in English, `第5(1)-(3)条` in Chinese; an article that is not a number is shown as it is."""
    if not article:
        return ""
    m = _ARTICLE.match(article)
    if not m:
        return article
    if lang == "en":
        return f"Art. {article}"
    numbers = "、".join(n.strip() for n in m.group("numbers").split(","))
    out = t("reason.article", lang, numbers=numbers)
    return out + t("reason.article_aside", lang, text=m.group("rest")) if m.group("rest") else out


def claim(node, ctx, lang: str = "en") -> str:
    """What a node asserts, with the values it reads, whether or not it holds."""
    match node:
        case Fact(path=p):
            return p
        case Compare(op=op, left=l, right=r):
            return f"{_side(l, ctx)} {op} {_side(r, ctx)}"
        case Member(item=i, options=opts, negated=neg):
            return t("reason.not_in" if neg else "reason.in", lang, item=_side(i, ctx),
                     options=", ".join(str(o) for o in opts))
        case Not(item=Fact(path=p)):
            return t("reason.not_fact", lang, path=p)
        case Not(item=Applies(obligation=o)):
            return t("reason.obligation_does_not_apply", lang, obligation=o)
        case Not(item=i):
            return t("reason.not_group", lang, text=claim(i, ctx, lang))
        case Applies(obligation=o):
            return t("reason.obligation_applies", lang, obligation=o)
        case Known(path=p):
            return t("reason.given", lang, path=p)
        case Overlaps(path=p, options=opts):
            return t("reason.includes_one_of", lang, path=p, value=show(ctx.facts.get(p)), options=", ".join(opts))
        case And(items=items):
            return t("reason.and", lang).join(_grouped(i, ctx, lang) for i in items)
        case Or(items=items):
            return t("reason.or", lang).join(_grouped(i, ctx, lang) for i in items)
        case Literal(value=v):
            return show(v)
    return render(node)


def _grouped(node, ctx, lang: str = "en") -> str:
    return f"({claim(node, ctx, lang)})" if isinstance(node, (And, Or)) else claim(node, ctx, lang)


def why(node, ctx, lang: str = "en") -> str:
    """The decisive part of a condition, with values: a true `or` shows the branch that held,
    a false `and` the part that failed, so a reason fits on a line."""
    from hegui.lang.evaluate import compile_expr
    value = compile_expr(node)(ctx)
    if isinstance(node, (And, Or)):
        parts = [(i, compile_expr(i)(ctx)) for i in node.items]
        decisive = False if isinstance(node, And) else True
        if value is decisive:
            return why(next(i for i, v in parts if v is decisive), ctx, lang)
        if value is None:
            return "; ".join(why(i, ctx, lang) for i, v in parts if v is None)
        if isinstance(node, And):
            return "; ".join(why(i, ctx, lang) for i, _ in parts)
        return t("reason.none_of", lang, items="; ".join(claim(i, ctx, lang) for i, _ in parts))
    if isinstance(node, Not) and isinstance(node.item, Fact):
        p = node.item.path
        key = "reason.is_false" if value else "reason.is_true" if value is False else "reason.unknown"
        return t(key, lang, text=p)
    text = claim(node, ctx, lang)
    return text if value else t("reason.is_false" if value is False else "reason.unknown", lang, text=text)


def _side(node, ctx) -> str:
    from hegui.lang.evaluate import compile_expr
    match node:
        case Sum() | Count():
            return f"{render(node)} {show(compile_expr(node)(ctx))}"
        case Fact(path=p):
            return f"{p} {show(ctx.facts.get(p))}"
        case Name(name=n):
            return show(ctx.params.get(n))
        case Literal(value=v):
            return show(v)
    return render(node)


def reason_in(finding, lang: str = "en") -> str:
    """The one-line reason in a language; the English one is the finding's own (worked out once)."""
    return finding.reason if lang == "en" else one_line_reason(finding, lang)


def one_line_reason(finding, lang: str = "en") -> str:
    steps = finding.because
    cite = citation_text(finding.citation, lang)
    if finding.status == NOT_IN_FORCE:
        return t("reason.cited", lang, text=_not_in_force(finding, steps[-1], lang), cite=cite)
    if finding.status == UNKNOWN:
        return t("reason.needs", lang, facts=", ".join(finding.missing_facts), cite=cite)
    if finding.status == DOES_NOT_APPLY:
        exempt = next((s for s in steps if s.role == "exemption" and s.value is True), None)
        if exempt:
            article = article_text(exempt.article, lang) if exempt.article[:1].isdigit() else exempt.article
            return t("reason.exempt", lang, article=article, says=exempt.says, cite=cite)
        gate = next((s for s in steps if s.role == "event" and s.value is False), None)
        if gate:
            return gate.test if lang == "en" else _before_effect(finding, gate, lang)
        failed = next((c for c in finding.version.applies_when if c.run(finding.context) is False), None)
        return t("reason.cited", lang, text=why(failed.tree, finding.context, lang), cite=cite) if failed \
            else t("reason.does_not_apply", lang, cite=cite)
    met = [why(c.tree, finding.context, lang) for c in finding.version.applies_when]
    return t("reason.applies", lang, met="; ".join(met), cite=cite, in_force=finding.citation["in_force"])


def _not_in_force(finding, step, lang: str) -> str:
    """The test the engine wrote ("in force from ..." or "no version governs on ..."), in the language."""
    if lang == "en":
        return step.test
    ob = finding.rulebook.obligations[finding.obligation]
    if step.test.startswith("no version"):
        return t("reason.no_version", lang, day=finding.judged_on)
    if ob.in_force_until:
        return t("reason.in_force_between", lang, start=ob.in_force_from, end=ob.in_force_until)
    return t("reason.in_force_from", lang, start=ob.in_force_from)


def _before_effect(finding, gate, lang: str) -> str:
    """An event before the obligation existed, that no transitional provision reaches."""
    ob = finding.rulebook.obligations[finding.obligation]
    fact, event = next(iter(gate.facts.items()))
    return t("reason.before_effect", lang, fact=fact, event=event, start=ob.in_force_from)
