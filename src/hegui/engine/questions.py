"""The missing facts that matter: one question per fact that would decide a finding.

Two kinds of finding need facts: an `unknown` one names the facts that would decide its status
(`missing_facts`), and an applying one whose deadline cannot be counted names the facts that
would set it (its Deadline's `needs`: an anchor date, or the facts a deadline rule's `when`
reads). Only those facts are asked, so a question is never about a fact nothing needs. An
organisation fact is one question however many subjects' findings name it; a fact of a
service, transfer, listing or concentration is a question about that entity (and a party's fact
about that party).

Gate questions come first: a detailed fact that follows from an area of activity declared
absent (manifest/activities.yaml) is asked through that area's gate fact
(organisation.activities.*) while the gate is unknown, and the gates are asked together as one
multi-select (`activities`) unless `grouped=False`. Then the other facts, most decisive first:
by the number of findings they help decide or date, organisation facts before subject facts,
then by manifest path; legal judgements (questions.yaml `judgement: true`) come last, after
the counts that may decide the same findings without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from hegui.engine.finding import APPLIES, UNKNOWN
from hegui.manifest.facts import all_fact_types, areas, declared_values, derivations, number_measures
from hegui.manifest.model import SUBJECT_LISTS

_INDEX = re.compile(r"\[(\d+)\]")
GROUP = "organisation.activities"     # the multi-select that answers every gate fact at once


@dataclass(frozen=True)
class Question:
    fact: str                    # as findings name it: concentration.parties[1].turnover_china_rmb
    path: str                    # where to fill it in the manifest: concentrations[0].parties[1].turnover_china_rmb
    subject: str                 # organisation, or KIND:ID
    text: str                    # the question, in the language asked for
    hint: str | None             # what the fact means in law, where that matters
    type: str                    # bool | number | date | choice | choices | country | text | items | activities
    values: tuple[str, ...] = ()     # the allowed values of a choice (or of each of several choices)
    unit: str | None = None          # for numbers: count (whole, >= 0) | money (RMB, >= 0) | ratio (0..1)
    item: str | None = None          # for a list item's fact: the item's name, when it has one
    decides: tuple[tuple[str, str], ...] = field(default=())   # (obligation, subject) of the findings
    dates: tuple[tuple[str, str], ...] = ()   # (obligation, subject) of applying findings whose deadline it sets
    labels: tuple[str, ...] = ()     # for activities: each value's label, in the language asked for
    gate: bool = False               # a gate fact, or the multi-select of them

    @property
    def generic(self) -> str:
        """The fact path without item indices, as fact_types and questions.yaml name it."""
        return _INDEX.sub("", self.fact)

    @property
    def needed_by(self) -> int:
        return len(self.decides) + len(self.dates)

    def as_dict(self) -> dict:
        return {"fact": self.fact, "path": self.path, "subject": self.subject, "question": self.text,
                "hint": self.hint, "type": self.type, "values": list(self.values), "unit": self.unit,
                "item": self.item, "decides": [{"obligation": o, "subject": s} for o, s in self.decides],
                "dates": [{"obligation": o, "subject": s} for o, s in self.dates],
                "labels": list(self.labels), "gate": self.gate, **self._both_languages()}

    def _both_languages(self) -> dict:
        """The question (and an activity's labels) in every language, so a page that switches
        language can word what was already answered without asking again."""
        words = question_texts().get(self.generic) or {}
        out = {"texts": {lang: words.get(lang, self.text) for lang in ("en", "zh")}}
        if self.type == "activities":
            out["label_texts"] = {a.code: dict(a.label) for a in areas().values() if a.code in self.values}
        return out


@lru_cache(maxsize=1)
def question_texts() -> dict[str, dict]:
    """questions.yaml: fact path -> {en, zh, hint: {en, zh}, judgement}."""
    import yaml
    text = resources.files("hegui.manifest").joinpath("questions.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def _gates() -> frozenset[str]:
    return frozenset(a.gate for a in areas().values())


def _gate_of(generic: str) -> str | None:
    """The gate fact a detailed fact follows from when its area is declared absent, if any."""
    d = derivations().get(generic)
    return d.source if d is not None and d.source in _gates() else None


def questions(assessment, lang: str = "en", grouped: bool = True) -> list[Question]:
    """The questions whose answers would decide the assessment's `unknown` findings or date its
    applying ones: gates first, then most decisive first, judgements last."""
    index = _entity_indices(assessment.findings)
    entities = {(subject.split(":", 1)[0], i): subject for subject, i in index.items()}
    # (fact, subject) -> {"decides": [(obligation, subject)], "dates": [...], "item": name}
    wanted: dict[tuple[str, str], dict] = {}
    organisation = {}

    def need(named: str, f, role: str) -> str:
        fact, subject = _owner(named, f.subject, entities)
        entry = wanted.setdefault((fact, subject), {"decides": [], "dates": [], "item": _item_name(f, fact)})
        if (f.obligation, f.subject) not in entry[role]:
            entry[role].append((f.obligation, f.subject))
        return fact

    for f in assessment.findings:
        facts = getattr(f, "facts", None) or {}
        if f.subject == "organisation" and facts:
            organisation = facts
        if f.status == UNKNOWN:
            for named in f.missing_facts:
                gate = _gate_of(_INDEX.sub("", need(named, f, "decides")))
                if gate is not None and facts.get(gate) is None:
                    need(gate, f, "decides")      # asked first: its area declared absent settles the fact
        elif f.status == APPLIES and getattr(f, "deadline", None) is not None and f.deadline.date is None:
            for named in getattr(f.deadline, "needs", ()):
                need(named, f, "dates")
    out = [_question(fact, subject, e["decides"], e["dates"], index, e["item"], lang)
           for (fact, subject), e in wanted.items()]
    if grouped:
        out = _group_gates(out, organisation, lang)
    out.sort(key=_rank)
    return out


def _rank(q: Question) -> tuple:
    judgement = bool((question_texts().get(q.generic) or {}).get("judgement"))
    return (0 if q.gate else 2 if judgement else 1, -q.needed_by, q.subject != "organisation", _natural(q.path))


def _group_gates(out: list[Question], organisation: dict, lang: str) -> list[Question]:
    """The gate questions as one multi-select: every area whose gate is still unknown is offered
    (chosen: carried on; not chosen: not), so one answer settles them all."""
    gates = [q for q in out if q.gate]
    if not gates:
        return out
    decides = tuple(dict.fromkeys(d for q in gates for d in q.decides))
    offered = [a for a in areas().values() if organisation.get(a.gate) is None] or \
        [a for a in areas().values() if a.gate in {q.fact for q in gates}]
    texts = question_texts()[GROUP]
    group = Question(GROUP, GROUP, "organisation", texts[lang], (texts.get("hint") or {}).get(lang), "activities",
                     tuple(a.code for a in offered), decides=decides,
                     labels=tuple(a.label[lang] for a in offered), gate=True)
    return [group] + [q for q in out if not q.gate]


_LISTED = re.compile(r"^(?P<list>[a-z]+)\[(?P<i>\d+)\]\.(?P<rest>.+)$")
_KIND_OF_LIST = {attr: kind for kind, attr in SUBJECT_LISTS.items()}


def _owner(fact: str, subject: str, entities: dict) -> tuple[str, str]:
    """(the fact as its subject names it, that subject). An organisation rule that counts services
    names a service's fact by its place (services[0].commercial): that is service.commercial of
    the first service, asked once with the service's own questions."""
    listed = _LISTED.match(fact)
    if listed and listed["list"] in _KIND_OF_LIST:
        kind = _KIND_OF_LIST[listed["list"]]
        owner = entities.get((kind, int(listed["i"])))
        if owner is not None:
            return f"{kind}.{listed['rest']}", owner
    return fact, "organisation" if fact.startswith("organisation.") else subject


def _question(fact: str, subject: str, decides: list, dates: list, index: dict, item: str | None,
              lang: str) -> Question:
    generic = _INDEX.sub("", fact)
    texts = question_texts().get(generic) or {"en": generic, "zh": generic}
    hint = (texts.get("hint") or {}).get(lang)
    kind, values, unit = answer_type(generic)
    return Question(fact, manifest_path(fact, subject, index), subject, texts[lang], hint, kind, values, unit,
                    item, tuple(decides), tuple(dates), gate=generic in _gates())


def manifest_path(fact: str, subject: str, index: dict[str, int]) -> str:
    """organisation.x stays; service.x of service:ID becomes services[i].x (i: the entity's place)."""
    if fact.startswith("organisation."):
        return fact
    kind, rest = fact.split(".", 1)
    return f"{SUBJECT_LISTS[kind]}[{index[subject]}].{rest}"


def _entity_indices(findings) -> dict[str, int]:
    """Each subject's place in its manifest list: assess decides subjects in manifest order."""
    index: dict[str, int] = {}
    counts: dict[str, int] = {}
    for f in findings:
        if f.subject == "organisation" or f.subject in index:
            continue
        kind = f.subject.split(":", 1)[0]
        index[f.subject] = counts.get(kind, 0)
        counts[kind] = index[f.subject] + 1
    return index


def _item_name(finding, fact: str) -> str | None:
    """The name of the list item a fact such as concentration.parties[1].x belongs to, if known."""
    m = _INDEX.search(fact)
    if not m or finding.facts is None:
        return None
    items_path = fact[:m.start()]
    entries = finding.facts.get(items_path) or []
    i = int(m.group(1))
    return entries[i].get(f"{items_path}.name") if i < len(entries) else None


def _natural(path: str) -> tuple:
    """Sort key that puts services[2] before services[10]."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path))


@lru_cache(maxsize=None)
def answer_type(generic: str) -> tuple[str, tuple[str, ...], str | None]:
    """(type, allowed values, number unit) of a fact path without indices."""
    t = all_fact_types().get(generic)
    if t is None:
        return "text", (), None
    if t.kind == "items":
        return "items", (), None
    if t.kind in ("bool", "date", "country"):
        return t.kind, (), None
    if t.kind == "list":
        return "choices", _ordered_values(generic, t.values), None
    if t.kind == "string":
        return ("choice", _ordered_values(generic, t.values), None) if t.values else ("text", (), None)
    if t.kind == "number":
        return "number", (), _unit(generic)
    return t.kind, (), None


def _unit(generic: str) -> str:
    return number_measures().get(generic, "money")


def _ordered_values(generic: str, values) -> tuple[str, ...]:
    """The allowed values in the order the model declares them (the schema's order)."""
    return tuple(v for v in declared_values(generic) if v in values) or tuple(sorted(values))
