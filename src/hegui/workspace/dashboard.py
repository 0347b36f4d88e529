"""The team's dashboard as plain data: across the organisations a user can see, what is overdue,
what falls due in the next 30 days, which findings wait for facts (unknown ones, and duties that
apply but cannot be dated yet) and who owns them, and what changed since the user's last visit.

Inputs are what the store holds (parsed manifests, owners of records, the rulebook used at the
last visit), outputs are frozen data; nothing here reads a database or words anything (the digest
and the feed, workspace/reminders.py, word it through report/).

What changed since the last visit is split by cause, each step on its own so a reader sees why:
  time      the last visit's manifest and rulebook, from the last visit's date to today
            (engine/changes.py, as `hegui diff`: rule versions and thresholds that took effect
            in between, deadlines that passed, records dated in between);
  manifest  today, the last visit's manifest against the current one, on the last visit's rulebook
            (with the facts and records edited);
  rulebook  today, the current manifest on the last visit's rulebook against the current rulebook.
A step runs only when its two sides differ (time: when the last visit was on an earlier day), and
each assessment is made once: with nothing new, a dashboard costs one per organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from hegui.engine.assess import Assessment, assess
from hegui.engine.changes import RuleChange, diff_of, what_changed
from hegui.engine.finding import APPLIES, UNKNOWN, Finding
from hegui.engine.schedule import Entry, schedule
from hegui.manifest.model import SUBJECT_LISTS, Manifest
from hegui.rulebook import Rulebook

# "Due in the next 30 days" is inclusive at both ends: from a duty due on the as-of date itself (not
# overdue yet: a duty is overdue only from the day after its deadline) to one due exactly 30
# calendar days after it. One due on day 31 is not in it.
WINDOW_DAYS = 30

CAUSES = ("time", "manifest", "rulebook")   # the order a reader goes through them


@dataclass(frozen=True)
class OrganisationState:
    """One organisation as the store holds it for one user: the dashboard's input. The last visit
    is the user's last look at this organisation (each organisation has its own)."""
    name: str
    manifest: Manifest
    last_manifest: Manifest | None = None       # the manifest at the user's last visit; None on a first visit
    last_visit: datetime.date | None = None     # the day of that visit; None: no changes with time
    last_rulebook: Rulebook | None = None       # the rulebook then; None: the current one
    # (obligation, subject) -> the owner of its compliance record, as the store's records hold it
    owners: Mapping[tuple[str, str], str] = field(default_factory=dict)
    fact_owners: Mapping[str, str] = field(default_factory=dict)   # fact path -> who is to find it out
    key: str | None = None                      # the store's id for it (stable across renames); the name if None

    @property
    def id(self) -> str:
        return self.key if self.key is not None else self.name


def owners_of(records: Iterable) -> dict[tuple[str, str], str]:
    """(obligation, subject) -> owner, from the store's records (mappings or objects with obligation,
    subject and owner), in the order given: where several records of one duty name owners, the last
    one given (the store gives them oldest first) is the owner."""
    rows = (r if isinstance(r, Mapping) else vars(r) for r in records)
    return {(r["obligation"], r["subject"]): r["owner"] for r in rows if r.get("owner")}


@dataclass(frozen=True)
class Duty:
    """A dated duty to act on: overdue, or due in the window."""
    organisation: str
    entry: Entry                 # engine/schedule.py: obligation, subject, titles, citation, the date due
    owner: str | None

    @property
    def overdue(self) -> bool:
        return self.entry.overdue


@dataclass(frozen=True)
class Waiting:
    """A finding waiting for facts: which facts, and who is to give them."""
    organisation: str
    finding: Finding
    facts: tuple[tuple[str, str | None], ...]   # (fact path, its owner or None), in the finding's order
    owner: str | None                           # the owner of the obligation's record for this subject
    # status: unknown, the facts decide whether it applies; deadline: it applies and is not done,
    # the facts date it (an event's day, say), so it cannot show as overdue or due until given
    waits_for: str = "status"


@dataclass(frozen=True)
class FactEdit:
    """One fact (or compliance record) that differs between the last visit's manifest and the current one."""
    subject: str                 # organisation, service:<id>, ...; `compliance` for a record
    fact: str                    # its path (organisation.pi_individuals); for a record obligation|subject
    before: object               # None: not given (or the entity or record did not exist)
    after: object


@dataclass(frozen=True)
class Change:
    """A finding that differs since the last visit, and the step that changed it (CAUSES)."""
    organisation: str
    cause: str
    obligation: str
    subject: str
    what: tuple[str, ...]        # status | version | deadline | compliance, or added | removed
    before: Finding | None       # None when added
    after: Finding | None        # None when removed
    rule_changes: tuple[RuleChange, ...] = ()   # for time: the rulebook's own changes in between that touch it
    done_on: tuple[datetime.date, ...] = ()     # for time: its compliance records dated in between
    since: datetime.date | None = None          # for time: the day of the last visit
    rulebooks: tuple[str, str] | None = None    # for rulebook: the digests of the rulebook then and now


@dataclass(frozen=True)
class OrganisationView:
    key: str
    name: str
    assessment: Assessment       # today's, on the current manifest and rulebook (the feed reads it)
    edits: tuple[FactEdit, ...]  # since the last visit


@dataclass(frozen=True)
class Dashboard:
    as_of: datetime.date
    organisations: tuple[OrganisationView, ...]
    overdue: tuple[Duty, ...]    # the longest overdue first
    due_soon: tuple[Duty, ...]   # the soonest first
    waiting: tuple[Waiting, ...]
    changes: tuple[Change, ...]
    rulebook: str                # the current rulebook's digest

    @property
    def attention(self) -> tuple[Duty, ...]:
        """What to act on, as a person reads it: overdue first, then by the date due."""
        return self.overdue + self.due_soon


Assessor = Callable[[Manifest, datetime.date, Rulebook], Assessment]


def dashboard(organisations: Iterable[OrganisationState], as_of: datetime.date, rulebook: Rulebook,
              assessor: Assessor | None = None) -> Dashboard:
    """The dashboard on `as_of` over the organisations, on the current rulebook, with what changed
    since each organisation's last visit.

    `assessor` replaces engine.assess (the store passes one that caches by manifest version, date
    and rulebook digest); it is called as assessor(manifest, day, rulebook).
    """
    run = assessor or assess
    views, overdue, due_soon, waiting, changes = [], [], [], [], []
    for org in organisations:
        now = run(org.manifest, as_of, rulebook)
        views.append(OrganisationView(org.id, org.name, now, manifest_edits(org.last_manifest, org.manifest)))
        for duty in duties(org, now):
            (overdue if duty.overdue else due_soon).append(duty)
        waiting += waiting_for_facts(org, now)
        changes += changes_since(org, now, rulebook, run)
    return Dashboard(
        as_of, tuple(views),
        tuple(sorted(overdue, key=_by_date)),
        tuple(sorted(due_soon, key=_by_date)),
        tuple(sorted(waiting, key=lambda w: (w.organisation, w.finding.obligation, w.finding.subject))),
        tuple(sorted(changes, key=lambda c: (c.organisation, CAUSES.index(c.cause), c.obligation, c.subject))),
        rulebook.digest)


def _by_date(d: Duty):
    return (d.entry.date, d.organisation, d.entry.obligation, d.entry.subject)


def duties(org: OrganisationState, now: Assessment) -> list[Duty]:
    """The organisation's dated duties still to do: the overdue ones, and those due in the window
    (WINDOW_DAYS). A recurring duty whose current cycle is done is not due."""
    findings = {(f.obligation, f.subject): f for f in now.findings}
    last_day = now.as_of + datetime.timedelta(days=WINDOW_DAYS)
    out = []
    for e in schedule(now):
        if not e.overdue and e.date > last_day:
            continue
        if e.compliance == "satisfied" and _done_for(findings[(e.obligation, e.subject)], e):
            continue
        out.append(Duty(org.name, e, org.owners.get((e.obligation, e.subject))))
    return out


def _done_for(f: Finding, e: Entry) -> bool:
    """Whether what satisfies a recurring duty was done within the cycle that ends on the entry's date.

    An annual duty done early is satisfied for the date shown (nothing to do by it); a duty every N
    years is satisfied by the last cycle and shows the next date, by which it must be done again.
    """
    done = f.compliance_detail.done_on if f.compliance_detail is not None else None
    if done is None:
        return True           # satisfied without a date: nothing shows it is due again
    return done > _years_before(e.date, e.every_years or 1)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:        # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def waiting_for_facts(org: OrganisationState, now: Assessment) -> list[Waiting]:
    out = []
    for f in now.findings:
        if f.status == UNKNOWN:
            facts, waits_for = f.missing_facts, "status"
        elif f.status == APPLIES and f.compliance != "satisfied" and f.deadline is not None and \
                f.deadline.date is None and f.deadline.needs:
            facts, waits_for = f.deadline.needs, "deadline"
        else:
            continue
        out.append(Waiting(org.name, f, tuple((fact, org.fact_owners.get(fact)) for fact in facts),
                           org.owners.get((f.obligation, f.subject)), waits_for))
    return out


def changes_since(org: OrganisationState, now: Assessment, rulebook: Rulebook, run: Assessor) -> list[Change]:
    """The findings that changed since the last visit, step by step (the module's docstring)."""
    as_of = now.as_of
    last_manifest = org.last_manifest if org.last_manifest is not None else org.manifest
    last_rulebook = org.last_rulebook if org.last_rulebook is not None and \
        org.last_rulebook.digest != rulebook.digest else rulebook
    out = []
    before: Assessment | None = None
    if org.last_visit is not None and org.last_visit < as_of:
        after = now if last_manifest == org.manifest and last_rulebook is rulebook else \
            run(last_manifest, as_of, last_rulebook)
        d = diff_of(last_manifest, run(last_manifest, org.last_visit, last_rulebook), after)
        out += [Change(org.name, "time", c.obligation, c.subject, tuple(c.what), c.before, c.after,
                       tuple(c.causes), tuple(c.done_on), since=org.last_visit) for c in d.changes]
        before = d.after
    if last_manifest != org.manifest:
        if before is None:
            before = run(last_manifest, as_of, last_rulebook)
        after = now if last_rulebook is rulebook else run(org.manifest, as_of, last_rulebook)
        out += _compared(org.name, "manifest", before, after)
        before = after
    if last_rulebook is not rulebook:
        if before is None:
            before = run(org.manifest, as_of, last_rulebook)
        digests = (last_rulebook.digest, rulebook.digest)
        out += [replace(c, rulebooks=digests) for c in _compared(org.name, "rulebook", before, now)]
    return out


def _compared(organisation: str, cause: str, before: Assessment, after: Assessment) -> list[Change]:
    """The findings that differ between two assessments on one day. A finding that only one side has
    (a service added or removed, an obligation new to the rulebook) counts when it applies or is
    unknown there: one that does not apply is no news to a reader."""
    earlier = {(f.obligation, f.subject): f for f in before.findings}
    later = {(f.obligation, f.subject): f for f in after.findings}
    out = []
    for key, f in later.items():
        old = earlier.get(key)
        if old is None:
            if f.status in (APPLIES, UNKNOWN):
                out.append(Change(organisation, cause, *key, ("added",), None, f))
        elif what := what_changed(old, f):
            out.append(Change(organisation, cause, *key, tuple(what), old, f))
    out += [Change(organisation, cause, *key, ("removed",), old, None) for key, old in earlier.items()
            if key not in later and old.status in (APPLIES, UNKNOWN)]
    return out


def manifest_edits(before: Manifest | None, after: Manifest) -> tuple[FactEdit, ...]:
    """The facts and compliance records that differ between two manifests (none on a first visit)."""
    if before is None or before == after:
        return ()
    old, new = _facts_by_subject(before), _facts_by_subject(after)
    edits = []
    for subject in sorted(old.keys() | new.keys(), key=lambda s: (s != "organisation", s)):
        a, b = old.get(subject, {}), new.get(subject, {})
        edits += [FactEdit(subject, path, a.get(path), b.get(path)) for path in sorted(a.keys() | b.keys())
                  if a.get(path) != b.get(path)]
    old_records, new_records = _records(before), _records(after)
    edits += [FactEdit("compliance", key, old_records.get(key), new_records.get(key))
              for key in sorted(old_records.keys() | new_records.keys())
              if old_records.get(key) != new_records.get(key)]
    return tuple(edits)


def _facts_by_subject(m: Manifest) -> dict[str, dict[str, object]]:
    """subject -> its own facts as given (fact path -> value), derived facts left out."""
    out = {"organisation": _flat(m.organisation.model_dump(exclude_none=True), "organisation")}
    for kind, attr in SUBJECT_LISTS.items():
        for entity in getattr(m, attr):
            out[f"{kind}:{entity.id}"] = _flat(entity.model_dump(exclude_none=True, exclude={"id"}), kind)
    return out


def _flat(data: dict, prefix: str) -> dict[str, object]:
    out = {}
    for name, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}.{name}"))
        elif isinstance(value, list):   # comparable and hashable, as the engine's facts hold lists
            out[f"{prefix}.{name}"] = tuple(value)
        else:
            out[f"{prefix}.{name}"] = value
    return out


def _records(m: Manifest) -> dict[str, tuple[str, ...]]:
    """obligation|subject -> its records, each as "done_on reference" (either may be missing), sorted."""
    out: dict[str, list] = {}
    for r in m.compliance:
        text = " ".join(str(part) for part in (r.done_on, r.reference) if part is not None)
        out.setdefault(f"{r.obligation}|{r.subject}", []).append(text)
    return {key: tuple(sorted(v)) for key, v in out.items()}
