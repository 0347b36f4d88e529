"""Load rule files, check every condition against the manifest's facts, and compile.

Any fault (an unknown fact, a comparator that contradicts the legal wording, a
version that overlaps another) stops the load with the file and the place.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from hegui.lang.check import LanguageError, Parameter, Scope, check
from hegui.lang.evaluate import compile_expr, dependencies, obligations_referred, parameters_used
from hegui.lang.syntax import Expr, SyntaxProblem, parse
from hegui.lang.types import DATE, type_of_literal
from hegui.manifest.facts import fact_types
from hegui.manifest.model import SUBJECT_LISTS
from hegui.rulebook import decision, files
from hegui.rulebook.model import (
    Aggregate, Clause, DeadlineRule, Instrument, Obligation, ParameterValue, Penalty, Rulebook, Transitional,
    Validity, Version,
)
from hegui.lang.types import NUMBER

CATALOGUE = "catalogue.yaml"
CASES_SUFFIX = ".cases.yaml"   # worked examples beside a rule file, run by tests/rules/test_instrument_cases.py


class RulebookError(Exception):
    pass


# Rule files are ours and trusted, and read at every start: libyaml's C loader reads
# them many times faster than a pure-Python parser. Manifests use ruamel for line numbers.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path):
    text = path.read_text(encoding="utf-8")
    return text, yaml.load(text, Loader=_Loader)


def _validated(model, data, where: str):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        lines = [f"{where}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()]
        raise RulebookError("\n".join(lines)) from None


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    return load_rulebook(Path(str(resources.files("hegui") / "rules")))


def load_rulebook(folder: Path) -> Rulebook:
    digest = hashlib.sha256()
    text, data = _read(folder / CATALOGUE)
    digest.update(b"catalogue.yaml\0" + text.encode())
    catalogue = _validated(files.Catalogue, data, CATALOGUE)
    rule_files = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == CATALOGUE or path.name.endswith(CASES_SUFFIX):
            continue
        text, data = _read(path)
        digest.update(path.name.encode() + b"\0" + text.encode())
        rule_files.append((path.name, _validated(files.RuleFile, data, path.name)))
    return _Compiler(catalogue, rule_files, "sha256:" + digest.hexdigest()).rulebook()


class _Compiler:
    def __init__(self, catalogue: files.Catalogue, rule_files, digest: str):
        self.catalogue, self.rule_files, self.digest = catalogue, rule_files, digest
        self.instruments: dict[str, Instrument] = {}
        self.parameters: dict[str, list[ParameterValue]] = {}
        self.parameter_types: dict[str, Parameter] = {}
        self.definitions: dict[str, tuple[str, str]] = {}   # name -> (text, file)
        self.aggregates: dict[str, Aggregate] = {}
        self.obligations = {
            ob_id: Obligation(ob_id, entry.subject, entry.title, entry.title_zh)
            for ob_id, entry in catalogue.obligations.items()}

    def rulebook(self) -> Rulebook:
        for name, rf in self.rule_files:
            self._instrument(name, rf)
        for name, rf in self.rule_files:
            for target, spec in rf.aggregates.items():
                self._aggregate(name, rf, target, spec)
            for i, spec in enumerate(rf.versions):
                self._version(name, i, rf, spec)
        for ob in self.obligations.values():
            self._order_versions(ob)
        self._check_no_cycles()
        decided = {k: ob for k, ob in self.obligations.items() if ob.versions}
        uncovered = tuple(k for k, ob in self.obligations.items() if not ob.versions)
        return Rulebook(self.catalogue.rulebook_version, self.digest, self.instruments,
                        decided, self.parameters, self.aggregates, uncovered)

    # -- instruments, parameters, definitions -------------------------------------------

    def _instrument(self, name: str, rf: files.RuleFile) -> None:
        spec = rf.instrument
        if spec.id in self.instruments:
            raise RulebookError(f"{name}: instrument id {spec.id!r} is also used in {self.instruments[spec.id].file}")
        self.instruments[spec.id] = Instrument(
            spec.id, spec.title, spec.title_zh, spec.short, spec.issuer, spec.document, spec.promulgated,
            spec.in_force, spec.repealed, tuple(spec.supersedes), spec.source, spec.note, name)
        for pname, pspec in rf.parameters.items():
            for value in pspec.values:
                self._parameter(name, pname, value, spec)
        for dname, text in rf.definitions.items():
            if dname in self.definitions or dname in self.parameters:
                raise RulebookError(f"{name}: definitions.{dname}: the name is already used")
            self.definitions[dname] = (text, name)

    def _parameter(self, file: str, pname: str, value: files.ParameterValue, instrument) -> None:
        start = value.from_ or instrument.in_force
        kind = type_of_literal(value.value)
        known = self.parameter_types.get(pname)
        if known and (known.type != kind or known.wording != value.wording):
            raise RulebookError(f"{file}: parameters.{pname}: type or wording differs from its earlier values")
        self.parameter_types[pname] = Parameter(pname, kind, value.wording)
        values = self.parameters.setdefault(pname, [])
        if any(v.start == start for v in values):
            raise RulebookError(f"{file}: parameters.{pname}: two values take effect on {start}")
        values.append(ParameterValue(value.value, start, value.article, value.wording, value.quote, instrument.id))
        values.sort(key=lambda v: v.start)

    def _aggregate(self, file: str, rf: files.RuleFile, target: str, spec: files.AggregateSpec) -> None:
        where = f"{file}: aggregates.{target}"
        if fact_types("organisation").get(target) != NUMBER:
            raise RulebookError(f"{where}: not a count of the organisation")
        if fact_types("transfer").get(spec.sums) != NUMBER or not spec.sums.startswith("transfer."):
            raise RulebookError(f"{where}: sums {spec.sums!r} is not a count of a transfer")
        if target in self.aggregates:
            raise RulebookError(f"{where}: also defined in {self.aggregates[target].instrument}")
        counting = self._clause(where, "transfer", spec.counting)
        self.aggregates[target] = Aggregate(target, spec.sums, counting, spec.article, rf.instrument.id)

    # -- versions --------------------------------------------------------------------------

    def _version(self, file: str, index: int, rf: files.RuleFile, spec: files.VersionSpec) -> None:
        where = f"{file}: versions[{index}] ({spec.obligation})"
        ob = self.obligations.get(spec.obligation)
        if ob is None:
            raise RulebookError(f"{where}: obligation is not in {CATALOGUE}")
        start = spec.from_ or rf.instrument.in_force
        clause = lambda text, **kw: self._clause(where, ob.subject, text, **kw)  # noqa: E731
        version = Version(
            obligation=ob.id,
            instrument=self.instruments[rf.instrument.id],
            start=start,
            end=spec.until or rf.instrument.repealed,
            article=spec.article,
            applies_when=tuple(clause(t) for t in spec.applies_when),
            unless=tuple(clause(e.test, article=e.article, says=e.says) for e in spec.unless),
            deadline=tuple(self._deadline(where, ob.subject, d) for d in spec.deadline),
            continuous=self._standing(where, ob.subject, spec.continuous),
            satisfied_when=clause(spec.satisfied_when) if spec.satisfied_when else None,
            satisfied_since=self._satisfied_since(where, ob.subject, spec),
            valid_for=(Validity(self._date_fact(where, ob.subject, spec.valid_for.since), spec.valid_for.years,
                                spec.valid_for.article,
                                clause(spec.valid_for.when) if spec.valid_for.when else None)
                       if spec.valid_for else None),
            penalties=self._penalties(where, ob.subject, spec.penalty),
            review=spec.review,
            confidence=spec.confidence,
            note=spec.note,
            cites=tuple((clause(c.when), self._cited_instrument(where, c.instrument or rf.instrument.id), c.article)
                        for c in spec.cites),
        )
        if spec.event:
            event = self._date_fact(where, ob.subject, spec.event)
            if ob.event not in (None, event):
                raise RulebookError(f"{where}: event {event} differs from {ob.event} in another version")
            ob.event = event
        if spec.transitional:
            if ob.transitional:
                raise RulebookError(f"{where}: transitional provisions are given twice")
            ob.transitional = tuple(
                Transitional(t.article, clause(t.when),
                             tuple(self._deadline(where, ob.subject, d) for d in t.deadline), t.says)
                for t in spec.transitional)
        for c in (*version.applies_when, *version.unless):
            for p in c.parameters:
                if self.parameters[p][0].start > start:
                    raise RulebookError(f"{where}: parameter {p} has no value on {start}")
        ob.versions.append(version)

    def _cited_instrument(self, where: str, instrument_id: str) -> Instrument:
        if instrument_id not in self.instruments:
            raise RulebookError(f"{where}: cites: no instrument {instrument_id!r}")
        return self.instruments[instrument_id]

    def _clause(self, where: str, subject: str, text: str, article=None, says=None) -> Clause:
        try:
            tree = check(parse(text), self._scope(subject))
        except (SyntaxProblem, LanguageError) as e:
            raise RulebookError(f"{where}: {e}") from None
        return Clause(text, tree, compile_expr(tree), tuple(dependencies(tree)),
                      tuple(parameters_used(tree)), article, says)

    def _scope(self, subject: str) -> Scope:
        return Scope(
            facts=fact_types(subject),
            parameters=self.parameter_types,
            definitions=self._definition,
            obligations=lambda ob_id: ob_id in self.obligations and self.obligations[ob_id].subject == subject,
            subject_lists=self._subject_list if subject == "organisation" else lambda name: None,
        )

    def _subject_list(self, name: str):
        """An organisation rule may count its services, transfers, listings or concentrations; each
        item is read with its own kind's facts (and the organisation's), and asks no applies()."""
        kind = next((k for k, attr in SUBJECT_LISTS.items() if attr == name), None)
        if kind is None:
            return None
        return kind, Scope(facts=fact_types(kind), parameters=self.parameter_types, definitions=self._definition,
                           obligations=lambda ob_id: False)

    def _definition(self, name: str) -> Expr | None:
        found = self.definitions.get(name)
        if found is None:
            return None
        try:
            return parse(found[0])
        except SyntaxProblem as e:
            raise LanguageError(f"definition {name} in {found[1]}: {e}") from None

    def _satisfied_since(self, where: str, subject: str, spec: files.VersionSpec) -> str | None:
        """The date fact from which the satisfying fact counts: given, or the one its validity runs from."""
        since = spec.satisfied_since
        if since is None:
            return spec.valid_for.since if spec.valid_for else None
        if not spec.satisfied_when:
            raise RulebookError(f"{where}: satisfied_since needs satisfied_when")
        if spec.valid_for and spec.valid_for.since != since:
            raise RulebookError(f"{where}: satisfied_since {since} differs from valid_for.since {spec.valid_for.since}")
        return self._date_fact(where, subject, since)

    def _date_fact(self, where: str, subject: str, path: str) -> str:
        if fact_types(subject).get(path) != DATE:
            raise RulebookError(f"{where}: {path!r} is not a date fact of a {subject}")
        return path

    def _deadline(self, where: str, subject: str, spec: files.DeadlineSpec) -> DeadlineRule:
        kind = next(k for k in files.DEADLINE_KINDS if getattr(spec, k) is not None)
        anchor, anchor_date, month_day = None, spec.by, None
        if kind == "annually":
            month_day = tuple(int(part) for part in spec.annually.split("-"))
        elif kind != "by":
            given = getattr(spec, kind)
            if isinstance(given, datetime.date):
                anchor_date = given
            else:
                anchor = self._date_fact(where, subject, given)
        when = self._clause(where, subject, spec.when) if spec.when else None
        says = " ".join(spec.says.split()) if spec.says else None
        return DeadlineRule(when, kind, anchor, anchor_date, spec.count, spec.article, says, month_day)

    def _standing(self, where: str, subject: str, spec) -> tuple:
        if spec is None:
            return ()
        if isinstance(spec, str):
            return ((None, spec),)
        return tuple((self._clause(where, subject, case.when) if case.when else None, case.says) for case in spec)

    def _penalties(self, where: str, subject: str, spec) -> tuple[Penalty, ...]:
        if spec is None:
            return ()
        cases = spec if isinstance(spec, list) else [spec]
        if len(cases) == 1 and cases[0].when:
            raise RulebookError(f"{where}: penalty.when is only for a list of cases")
        return tuple(self._penalty(where, subject, case) for case in cases)

    def _penalty(self, where: str, subject: str, spec: files.PenaltySpec) -> Penalty:
        # A fine set as a multiple of something the manifest does not hold (a purchase amount,
        # illegal gains) has no ceiling to compute; `says` carries it.
        if spec.max_turnover_share is not None and fact_types("organisation").get(spec.turnover) != NUMBER:
            raise RulebookError(f"{where}: penalty.turnover must name the organisation's turnover fact")
        when = self._clause(where, subject, spec.when) if spec.when else None
        return Penalty(spec.article, spec.max_rmb, spec.max_turnover_share, spec.turnover, " ".join(spec.says.split()),
                       when)

    def _order_versions(self, ob: Obligation) -> None:
        if not ob.versions:
            return
        ob.versions.sort(key=lambda v: v.start)
        for earlier, later in zip(ob.versions, ob.versions[1:], strict=False):
            if earlier.start == later.start:
                raise RulebookError(f"{ob.id}: two versions start on {later.start}")
            if earlier.end is None:
                object.__setattr__(earlier, "end", later.start)
            elif earlier.end > later.start:
                raise RulebookError(f"{ob.id}: version of {earlier.start} runs past {later.start}")
        ob.in_force_from, ob.in_force_until = ob.versions[0].start, ob.versions[-1].end
        ob.decision = decision.build(ob)

    def _check_no_cycles(self) -> None:
        for ob in self.obligations.values():
            ob.refers_to = frozenset(r for v in ob.versions for c in (*v.applies_when, *v.unless)
                                     for r in obligations_referred(c.tree))
        graph = {ob.id: ob.refers_to for ob in self.obligations.values()}
        for source, targets in graph.items():
            for target in targets:
                if not self.obligations[target].versions:
                    raise RulebookError(f"{source} refers to applies({target}), which no rule file decides yet")
        state: dict[str, int] = {}

        def visit(node, trail):
            if state.get(node) == 1:
                raise RulebookError(f"obligations refer to each other in a cycle: {' -> '.join(trail + [node])}")
            if state.get(node) == 2:
                return
            state[node] = 1
            for nxt in graph.get(node, ()):
                visit(nxt, trail + [node])
            state[node] = 2

        for node in graph:
            visit(node, [])
