"""Load rule files, check every condition against the manifest's facts, and compile.

Any fault (an unknown fact, a comparator that contradicts the legal wording, a
version that overlaps another) stops the load with the file and the place.
"""

from __future__ import annotations

import datetime
import re
from difflib import get_close_matches
from pathlib import Path

import yaml
from pydantic import ValidationError

from hegui.lang.check import LanguageError, Parameter, Scope, Wording, check
from hegui.lang.evaluate import compile_expr, context_facts, obligations_referred, parameters_used
from hegui.lang.syntax import Expr, Name, SyntaxProblem, parse
from hegui.lang.types import DATE, NUMBER, type_of_literal
from hegui.manifest.facts import fact_types
from hegui.manifest.model import SUBJECT_LISTS
from hegui.rulebook import decision, files
from hegui.rulebook.cache import default_rulebook  # noqa: F401  (its home before the cache; tests import it here)
from hegui.rulebook.model import (
    Aggregate, Clause, DeadlineRule, DefinitionLabel, Instrument, NextStep, Obligation, ParameterValue, Penalty,
    Rulebook, Transitional, Validity, Version, prose,
)
from hegui.rulebook.sources import BOUNDARY_WORDS, CATALOGUE, Sources, boundary_words_file, read_sources


class RulebookError(Exception):
    pass


# Rule files are ours and trusted: libyaml's C loader reads them many times faster than a
# pure-Python parser. Manifests use ruamel for line numbers.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(data: bytes):
    return yaml.load(data.decode("utf-8"), Loader=_Loader)


def _validated(model, data, where: str):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        lines = [f"{where}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()]
        raise RulebookError("\n".join(lines)) from None


def load_rulebook(folder: Path) -> Rulebook:
    """The rulebook of a folder of rule files, parsed, checked and compiled (no cache: that is
    default_rulebook's, for the shipped rules)."""
    return compile_rulebook(read_sources(folder))


def compile_rulebook(sources: Sources) -> Rulebook:
    catalogue = _validated(files.Catalogue, _yaml(sources.catalogue), CATALOGUE)
    rule_files = [(name, _validated(files.RuleFile, _yaml(data), name)) for name, data in sources.rule_files]
    return _Compiler(catalogue, rule_files, sources.digest, _wordings(sources.boundary_words)).rulebook()


def boundary_words(folder: Path) -> dict[str, Wording]:
    """The boundary-word table of a rulebook folder, or the shipped one (the Civil Code binds
    every rulebook). Not part of the digest: it decides whether rules load, never a finding."""
    return _wordings(boundary_words_file(folder).read_bytes())


def _wordings(data: bytes) -> dict[str, Wording]:
    spec = _validated(files.BoundaryWords, _yaml(data), BOUNDARY_WORDS)
    return {word: Wording(word, w.reaches, w.includes_number, w.source) for word, w in spec.words.items()}


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _definition_label(where: str, name: str, spec: files.DefinitionSpec, tree: Expr) -> DefinitionLabel:
    """A worded definition's sentences; each {...} in them must name a fact its test reads."""
    reads = {n.reads for n in tree.walk() if n.reads}
    texts = []
    for field_name, lang in (("says", "en"), ("says_zh", "zh")):
        for outcome, text in getattr(spec, field_name).items():
            for placeholder in _PLACEHOLDER.findall(text):
                if placeholder not in reads:
                    raise RulebookError(f"{where}.{field_name}.{str(outcome).lower()}: {{{placeholder}}} is not "
                                        f"a fact the test reads ({', '.join(sorted(reads)) or 'none'})")
            texts.append((lang, outcome, text))
    return DefinitionLabel(name, tuple(texts))


def _names(node: Expr) -> set[str]:
    """The parameter and definition names a condition writes (a definition's own are its file's affair)."""
    return {n.name for n in node.find_all(Name)}


SECTIONS = {"parameter": "parameters", "definition": "definitions", "penalty": "penalties"}


class _Compiler:
    """Compiles the rule files in passes: instruments, the names each file declares, each file's
    imports, parameter values and definitions, then aggregates and versions.

    Names (parameters, definitions, penalties) are unique in the rulebook, since findings and the
    SQL compiler know a parameter by its name; a file sees only its own names and those it
    imports, so a reader of one file knows where every name it uses comes from.
    """

    def __init__(self, catalogue: files.Catalogue, rule_files, digest: str, wordings: dict[str, Wording]):
        self.catalogue, self.rule_files, self.digest, self.wordings = catalogue, rule_files, digest, wordings
        self.instruments: dict[str, Instrument] = {}
        self.parameters: dict[str, list[ParameterValue]] = {}
        self.parameter_types: dict[str, Parameter] = {}
        self.homes: dict[str, tuple[str, str]] = {}           # name -> (kind, the file that declares it)
        self.visible: dict[str, dict[str, str]] = {}          # file -> {name it may use: the declaring file}
        self.used: dict[str, set[str]] = {}                   # file -> the names its text uses
        self.definitions: dict[str, Expr] = {}                # name -> parsed body
        self.definition_labels: dict[str, DefinitionLabel] = {}   # name -> how a reason says it
        self.named_penalties: dict[str, files.PenaltySpec | list[files.PenaltySpec]] = {}
        self.penalties_named: set[str] = set()                # those some version names
        self.file = ""                                         # the file whose conditions are being compiled
        self.aggregates: dict[str, Aggregate] = {}
        self.obligations = {
            ob_id: Obligation(ob_id, entry.subject, entry.title, entry.title_zh)
            for ob_id, entry in catalogue.obligations.items()}

    def rulebook(self) -> Rulebook:
        for name, rf in self.rule_files:
            self._instrument(name, rf)
        self._next_steps()
        for name, rf in self.rule_files:
            self._declare(name, rf)
        for name, rf in self.rule_files:
            self._imports(name, rf)
        for name, rf in self.rule_files:
            self._values_and_definitions(name, rf)
        for name, rf in self.rule_files:
            self.file = name
            for target, spec in rf.aggregates.items():
                self._aggregate(name, rf, target, spec)
            for i, spec in enumerate(rf.versions):
                self._version(name, i, rf, spec)
        self._check_all_used()
        for ob in self.obligations.values():
            self._order_versions(ob)
        self._check_no_cycles()
        decided = {k: ob for k, ob in self.obligations.items() if ob.versions}
        uncovered = tuple(k for k, ob in self.obligations.items() if not ob.versions)
        rulebook = Rulebook(self.catalogue.rulebook_version, self.digest, self.instruments,
                            decided, self.parameters, self.aggregates, uncovered, self.wordings)
        decision.attach_exact(rulebook)
        return rulebook

    # -- instruments, names, imports, parameters, definitions ------------------------------

    def _instrument(self, name: str, rf: files.RuleFile) -> None:
        spec = rf.instrument
        if spec.id in self.instruments:
            raise RulebookError(f"{name}: instrument id {spec.id!r} is also used in {self.instruments[spec.id].file}")
        self.instruments[spec.id] = Instrument(
            spec.id, spec.title, spec.title_zh, spec.short, prose(spec.issuer, spec.issuer_zh), spec.document,
            spec.promulgated, spec.in_force, spec.repealed, tuple(spec.supersedes), spec.source,
            prose(spec.note, spec.note_zh), name)

    def _next_steps(self) -> None:
        """Each obligation's next step, its source naming an instrument of the rulebook."""
        for ob_id, entry in self.catalogue.obligations.items():
            step = entry.next_step
            if step is None:
                continue
            instrument = None
            if step.source is not None:
                instrument = self.instruments.get(step.source.instrument)
                if instrument is None:
                    raise RulebookError(f"{CATALOGUE}: obligations.{ob_id}.next_step.source.instrument: no instrument "
                                        f"{step.source.instrument!r} in the rulebook")
            self.obligations[ob_id].next_step = NextStep(step.en, step.zh, instrument,
                                                         step.source.article if step.source else None)

    def _declare(self, file: str, rf: files.RuleFile) -> None:
        imported = {n for imp in rf.imports for n in imp.names}
        for kind, names in (("parameter", rf.parameters), ("definition", rf.definitions),
                            ("penalty", rf.penalties)):
            for n in names:
                if kind == "parameter" and n in imported:
                    continue   # this instrument's dated values of another's parameter (checked in _imports)
                if n in self.homes:
                    other_kind, other = self.homes[n]
                    hint = ""
                    if kind == other_kind == "parameter":
                        hint = (f"; to give it new dated values here, import it: "
                                f"imports: [{{from: {self._instrument_of(other)}, names: [{n}]}}]")
                    raise RulebookError(f"{file}: {SECTIONS[kind]}.{n}: the name is already declared as a "
                                        f"{other_kind} in {other}; a name is declared once in the rulebook{hint}")
                self.homes[n] = (kind, file)
        self.named_penalties.update(rf.penalties)

    def _instrument_of(self, file: str) -> str:
        return next(i.id for i in self.instruments.values() if i.file == file)

    def _imports(self, file: str, rf: files.RuleFile) -> None:
        visible = {n: home for n, (_, home) in self.homes.items() if home == file}
        for i, imp in enumerate(rf.imports):
            where = f"{file}: imports[{i}]"
            source = self.instruments.get(imp.from_)
            if source is None:
                near = get_close_matches(imp.from_, list(self.instruments), n=1)
                hint = f"; did you mean {near[0]}?" if near else ""
                raise RulebookError(f"{where}.from: no instrument {imp.from_!r} (an instrument id is expected){hint}")
            if source.file == file:
                raise RulebookError(f"{where}.from: {imp.from_!r} is this file's own instrument")
            for j, n in enumerate(imp.names):
                home = self.homes.get(n)
                if home is None:
                    raise RulebookError(f"{where}.names[{j}]: {n!r} is declared in no rule file")
                if home[1] != source.file:
                    raise RulebookError(f"{where}.names[{j}]: {n!r} is not declared by {imp.from_} but by "
                                        f"{self._instrument_of(home[1])} ({home[1]}): import it from there")
                if n in visible:
                    raise RulebookError(f"{where}.names[{j}]: {n!r} is imported twice")
                if n in rf.parameters and home[0] != "parameter":
                    raise RulebookError(f"{file}: parameters.{n}: the imported {n!r} is a {home[0]}, "
                                        "not a parameter to add values to")
                visible[n] = home[1]
        self.visible[file] = visible
        self.used[file] = set(rf.parameters)   # an imported parameter given new values here is used

    def _values_and_definitions(self, file: str, rf: files.RuleFile) -> None:
        for pname, pspec in rf.parameters.items():
            for value in pspec.values:
                self._parameter(file, pname, value, rf.instrument)
        for dname, spec in rf.definitions.items():
            where = f"{file}: definitions.{dname}"
            worded = isinstance(spec, files.DefinitionSpec)
            try:
                tree = parse(spec.test if worded else spec)
            except SyntaxProblem as e:
                raise RulebookError(f"{where}{'.test' if worded else ''}: {e}") from None
            self._check_names(where, tree, file)
            self.definitions[dname] = tree
            if worded:
                self.definition_labels[dname] = _definition_label(where, dname, spec, tree)

    def _check_names(self, where: str, tree: Expr, file: str) -> None:
        """Every name a condition uses is its file's own or imported; otherwise say where it is."""
        visible = self.visible[file]
        for n in sorted(_names(tree)):
            kind, home = self.homes.get(n, (None, None))
            if n in visible and kind != "penalty":
                self.used[file].add(n)
                continue
            if kind == "penalty":
                raise RulebookError(f"{where}: {n!r} is a penalty, not a parameter or definition")
            if kind is not None:
                raise RulebookError(f"{where}: {n!r} is a {kind} of {home}, which this file does not import; "
                                    f"add imports: [{{from: {self._instrument_of(home)}, names: [{n}]}}]")
            near = get_close_matches(n, [v for v in visible if self.homes[v][0] != "penalty"], n=1)
            hint = f"; did you mean {near[0]}?" if near else ""
            raise RulebookError(f"{where}: unknown name {n!r}: not a parameter or definition of this file "
                                f"or its imports{hint}")

    def _parameter(self, file: str, pname: str, value: files.ParameterValue, instrument) -> None:
        start = value.from_ or instrument.in_force
        kind = type_of_literal(value.value)
        if value.wording is not None and value.wording not in self.wordings:
            raise RulebookError(f"{file}: parameters.{pname}: wording {value.wording!r} is not in {BOUNDARY_WORDS} "
                                f"({', '.join(self.wordings)})")
        known = self.parameter_types.get(pname)
        if known and (known.type != kind or known.wording != value.wording):
            raise RulebookError(f"{file}: parameters.{pname}: type or wording differs from its earlier values")
        self.parameter_types[pname] = Parameter(pname, kind, value.wording)
        values = self.parameters.setdefault(pname, [])
        if any(v.start == start for v in values):
            raise RulebookError(f"{file}: parameters.{pname}: two values take effect on {start}")
        values.append(ParameterValue(value.value, start, prose(value.article, value.article_zh), value.wording,
                                     value.quote, instrument.id))
        values.sort(key=lambda v: v.start)

    def _aggregate(self, file: str, rf: files.RuleFile, target: str, spec: files.AggregateSpec) -> None:
        where = f"{file}: aggregates.{target}"
        if fact_types("organisation").get(target) != NUMBER:
            raise RulebookError(f"{where}: not a count of the organisation")
        if fact_types("transfer").get(spec.sums) != NUMBER or not spec.sums.startswith("transfer."):
            raise RulebookError(f"{where}: sums {spec.sums!r} is not a count of a transfer")
        start, end = spec.from_ or rf.instrument.in_force, spec.until or rf.instrument.repealed
        if end is not None and end <= start:
            raise RulebookError(f"{where}: until {end} is not after its first day {start}")
        if target in self.aggregates:
            raise RulebookError(f"{where}: also defined in {self.aggregates[target].instrument}")
        counting = self._clause(where, "transfer", spec.counting, field="counting")
        self.aggregates[target] = Aggregate(target, spec.sums, counting, prose(spec.article, spec.article_zh),
                                            rf.instrument.id, start, end)

    # -- versions --------------------------------------------------------------------------

    def _version(self, file: str, index: int, rf: files.RuleFile, spec: files.VersionSpec) -> None:
        where = f"{file}: versions[{index}] ({spec.obligation})"
        ob = self.obligations.get(spec.obligation)
        if ob is None:
            raise RulebookError(f"{where}: obligation is not in {CATALOGUE}")
        start = spec.from_ or rf.instrument.in_force
        clause = lambda text, field, **kw: self._clause(where, ob.subject, text, field=field, **kw)  # noqa: E731
        version = Version(
            obligation=ob.id,
            instrument=self.instruments[rf.instrument.id],
            start=start,
            end=spec.until or rf.instrument.repealed,
            article=prose(spec.article, spec.article_zh),
            applies_when=tuple(clause(t, f"applies_when[{i}]") for i, t in enumerate(spec.applies_when)),
            unless=tuple(clause(e.test, f"unless[{i}].test", article=prose(e.article, e.article_zh),
                                says=prose(e.says, e.says_zh))
                         for i, e in enumerate(spec.unless)),
            deadline=tuple(self._deadline(where, ob.subject, d, f"deadline[{i}]") for i, d in enumerate(spec.deadline)),
            continuous=self._standing(where, ob.subject, spec.continuous, spec.continuous_zh),
            satisfied_when=clause(spec.satisfied_when, "satisfied_when") if spec.satisfied_when else None,
            satisfied_since=self._satisfied_since(where, ob.subject, spec),
            valid_for=(Validity(self._date_fact(where, ob.subject, spec.valid_for.since), spec.valid_for.years,
                                prose(spec.valid_for.article, spec.valid_for.article_zh),
                                clause(spec.valid_for.when, "valid_for.when") if spec.valid_for.when else None)
                       if spec.valid_for else None),
            penalties=self._penalties(where, ob.subject, spec.penalty),
            review=spec.review,
            confidence=spec.confidence,
            note=prose(spec.note, spec.note_zh),
            cites=tuple((clause(c.when, f"cites[{i}].when"),
                         self._cited_instrument(where, c.instrument or rf.instrument.id),
                         prose(c.article, c.article_zh))
                        for i, c in enumerate(spec.cites)),
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
                Transitional(prose(t.article, t.article_zh), clause(t.when, f"transitional[{i}].when"),
                             tuple(self._deadline(where, ob.subject, d, f"transitional[{i}].deadline[{j}]")
                                   for j, d in enumerate(t.deadline)), prose(t.says, t.says_zh))
                for i, t in enumerate(spec.transitional))
        for c in (*version.applies_when, *version.unless):
            for p in c.parameters:
                if self.parameters[p][0].start > start:
                    raise RulebookError(f"{where}: parameter {p} has no value on {start}")
        ob.versions.append(version)

    def _cited_instrument(self, where: str, instrument_id: str) -> Instrument:
        if instrument_id not in self.instruments:
            raise RulebookError(f"{where}: cites: no instrument {instrument_id!r}")
        return self.instruments[instrument_id]

    def _clause(self, where: str, subject: str, text: str, field: str, article=None, says=None,
                names_from: str | None = None) -> Clause:
        """A condition checked and compiled; its names are those of `names_from` (default: the file compiled)."""
        where = f"{where}: {field}"
        try:
            written = parse(text)
            self._check_names(where, written, names_from or self.file)
            tree = check(written, self._scope(subject))
        except (SyntaxProblem, LanguageError) as e:
            raise RulebookError(f"{where}: {e}") from None
        return Clause(text, tree, compile_expr(tree), tuple(context_facts(tree)),
                      tuple(parameters_used(tree)), article, says, self._labels(written, subject))

    def _labels(self, tree: Expr, subject: str) -> tuple:
        """The worded definitions a condition uses (directly or through another definition), each
        with the sub-tree it becomes in the checked condition, so a reason can find it there."""
        out, seen, todo = [], set(), sorted(_names(tree))
        while todo:
            name = todo.pop()
            if name in seen or name not in self.definitions:
                continue
            seen.add(name)
            todo.extend(sorted(_names(self.definitions[name])))
            if name in self.definition_labels:
                try:
                    out.append((check(self.definitions[name], self._scope(subject)), self.definition_labels[name]))
                except LanguageError:   # used inside count(): checked there in the items' scope
                    pass
        return tuple(out)

    def _scope(self, subject: str) -> Scope:
        return Scope(
            facts=fact_types(subject),
            parameters=self.parameter_types,
            definitions=self._definition,
            obligations=lambda ob_id: ob_id in self.obligations and self.obligations[ob_id].subject == subject,
            subject_lists=self._subject_list if subject == "organisation" else lambda name: None,
            wordings=self.wordings,
        )

    def _subject_list(self, name: str):
        """An organisation rule may count its services, transfers, listings or concentrations; each
        item is read with its own kind's facts (and the organisation's), and asks no applies()."""
        kind = next((k for k, attr in SUBJECT_LISTS.items() if attr == name), None)
        if kind is None:
            return None
        return kind, Scope(facts=fact_types(kind), parameters=self.parameter_types, definitions=self._definition,
                           obligations=lambda ob_id: False, wordings=self.wordings)

    def _definition(self, name: str) -> Expr | None:
        return self.definitions.get(name)

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

    def _deadline(self, where: str, subject: str, spec: files.DeadlineSpec, field: str) -> DeadlineRule:
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
        when = self._clause(where, subject, spec.when, f"{field}.when") if spec.when else None
        says = prose(spec.says, spec.says_zh) if spec.says else None
        return DeadlineRule(when, kind, anchor, anchor_date, spec.count, prose(spec.article, spec.article_zh),
                            says, month_day)

    def _standing(self, where: str, subject: str, spec, spec_zh: str | None) -> tuple:
        if spec is None:
            return ()
        if isinstance(spec, str):
            return ((None, prose(spec, spec_zh)),)
        return tuple((self._clause(where, subject, case.when, f"continuous[{i}].when") if case.when else None,
                      prose(case.says, case.says_zh)) for i, case in enumerate(spec))

    def _penalties(self, where: str, subject: str, spec) -> tuple[Penalty, ...]:
        if spec is None:
            return ()
        field, names_from = "penalty", self.file
        if isinstance(spec, str):
            names_from = self._named_penalty(where, spec)
            where, field, spec = names_from, f"penalties.{spec}", self.named_penalties[spec]
        cases = spec if isinstance(spec, list) else [spec]
        if len(cases) == 1 and cases[0].when:
            raise RulebookError(f"{where}: {field}.when is only for a list of cases")
        fields = [f"{field}[{i}]" for i in range(len(cases))] if isinstance(spec, list) else [field]
        return tuple(self._penalty(where, subject, case, f, names_from) for case, f in zip(cases, fields, strict=True))

    def _named_penalty(self, where: str, name: str) -> str:
        """The file whose `penalties` state the named penalty, when this file may use it."""
        kind, home = self.homes.get(name, (None, None))
        if kind != "penalty":
            what = f"a {kind} of {home}" if kind else "not declared in any rule file"
            raise RulebookError(f"{where}: penalty: {name!r} is {what}; the name of a penalty in `penalties` "
                                "(this file's or imported) is expected")
        if name not in self.visible[self.file]:
            raise RulebookError(f"{where}: penalty: {name!r} is a penalty of {home}, which this file does not "
                                f"import; add imports: [{{from: {self._instrument_of(home)}, names: [{name}]}}]")
        self.used[self.file].add(name)
        self.penalties_named.add(name)
        return home

    def _check_all_used(self) -> None:
        """An import is there because the file uses it, and a named penalty because a version names it,
        so a reader can trust both lists."""
        for file, rf in self.rule_files:
            for i, imp in enumerate(rf.imports):
                for j, n in enumerate(imp.names):
                    if n not in self.used[file]:
                        raise RulebookError(f"{file}: imports[{i}].names[{j}]: {n!r} is imported but not used")
            for n in rf.penalties:
                if n not in self.penalties_named:
                    raise RulebookError(f"{file}: penalties.{n}: no version names it")

    def _penalty(self, where: str, subject: str, spec: files.PenaltySpec, field: str, names_from: str) -> Penalty:
        # A fine set as a multiple of something the manifest does not hold (a purchase amount,
        # illegal gains) has no ceiling to compute; `says` carries it.
        if spec.max_turnover_share is not None and fact_types("organisation").get(spec.turnover) != NUMBER:
            raise RulebookError(f"{where}: {field}.turnover must name the organisation's turnover fact")
        when = self._clause(where, subject, spec.when, f"{field}.when", names_from=names_from) if spec.when else None
        return Penalty(prose(spec.article, spec.article_zh), spec.max_rmb, spec.max_turnover_share, spec.turnover,
                       prose(spec.says, spec.says_zh), when)

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
