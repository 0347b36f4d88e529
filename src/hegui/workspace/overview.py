"""A user's dashboard and calendar feed from what the store holds: the store's inputs handed to
the pure functions of workspace/dashboard.py and workspace/reminders.py, with the caches that
keep a dashboard of many organisations fast.

A saved version never changes, so its parsed manifest is kept by its text's digest, and an
assessment by (that manifest, the day, the rulebook's digest): a dashboard seen again the same
day assesses nothing new; an organisation edited since costs one assessment. The dashboard's JSON
is kept too, as bytes, under everything it is made from: the user, the day, the rulebook, and the
marks (store.Mark: each organisation's current version, its records' count and newest id, and
the user's last visit). A request reads the marks in one query without the texts, and answers
with the kept bytes while they stand; only a moved mark loads the texts and builds again.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import weakref

from hegui.workspace.kept import Kept
from hegui.workspace.store import Actor, Workspace, _rulebook

CACHED = 2_000   # manifests, and assessments, kept per process


_manifests = Kept(CACHED)
_assessments = Kept(CACHED)
_documents = Kept(64)   # dashboards' JSON: large, so few


def _manifest(text: str):
    from hegui.manifest import parse_manifest
    return _manifests.get(hashlib.sha256(text.encode("utf-8")).hexdigest(), lambda: parse_manifest(text))


def _assessor(manifest, day: datetime.date, rulebook):
    from hegui.engine import assess
    # Keyed by the manifest object itself, which the manifest cache keeps alive (so its id is not
    # reused while the entry stands), and kept with it to be sure.
    key = (id(manifest), day, rulebook.digest)
    kept, result = _assessments.get(key, lambda: (manifest, assess(manifest, day, rulebook)))
    return result if kept is manifest else assess(manifest, day, rulebook)


def dashboard_for(ws: Workspace, actor: Actor, as_of: datetime.date | None = None, *, mark_visit: bool = True):
    """The user's dashboard (workspace/dashboard.Dashboard) on as_of (default today), with what
    changed since their last visit; seeing it today is then remembered as their visit."""
    return _view(ws, actor, as_of, mark_visit, None, lambda dash: dash)


def dashboard_json(ws: Workspace, actor: Actor, as_of: datetime.date | None = None, lang: str = "en", *,
                   compressed: bool = False) -> bytes:
    """The dashboard as JSON (workspace/dashboard_json.py), as dashboard_for: the same bytes while
    its marks stand. compressed: those bytes gzipped, kept beside them (over fifty organisations
    the JSON is some hundreds of kilobytes of repeated words, the gzip a small part of it: compressed
    once per document, not per answer)."""
    from hegui.workspace.dashboard_json import dashboard_dict, encoded

    def both(dash) -> tuple[bytes, bytes]:
        data = encoded(dashboard_dict(dash, lang))
        return data, gzip.compress(data, compresslevel=6, mtime=0)
    plain, packed = _view(ws, actor, as_of, True, ("json", lang), both)
    return packed if compressed else plain


def _view(ws: Workspace, actor: Actor, as_of, mark_visit: bool, kept_as, render):
    from hegui.calendar.clock import today
    rulebook = _rulebook()
    day = as_of or today()
    marks = ws.dashboard_marks(actor.user_id)
    digest = rulebook.digest
    moved = any(m.last_version != m.version or m.last_seen_on != day or m.last_rulebook_digest != digest
                for m in marks)
    # Seen already today (or after the day asked for): no step in time to show.
    marks = [m._replace(last_seen_on=None) if m.last_seen_on is not None and m.last_seen_on >= day else m
             for m in marks]

    def made():
        return render(_dashboard(ws, ws.dashboard_inputs(actor.user_id, marks), day, rulebook))
    if kept_as is None:
        value = made()
    else:   # the marks are the user's own (their memberships and visits), so is the document
        value = _documents.get((kept_as, actor.user_id, day, rulebook.digest, tuple(marks)), made)
    if mark_visit and moved and as_of in (None, today()):   # seen again unchanged: nothing to write
        _keep_current_rulebook(ws, rulebook)
        ws.mark_visited(actor.user_id, {m.id: m.version for m in marks}, day, rulebook.digest)
    return value


def _dashboard(ws: Workspace, inputs: list[dict], day: datetime.date, rulebook):
    from hegui.workspace.dashboard import OrganisationState, dashboard, owners_of
    states = [OrganisationState(
        name=o["name"], key=str(o["id"]), manifest=_manifest(o["text"]),
        last_manifest=_manifest(o["last_text"]) if o["last_text"] is not None else None,
        last_visit=o["last_seen_on"], last_rulebook=_last_rulebook(ws, o["last_rulebook_digest"], rulebook),
        owners=owners_of(o["records"])) for o in inputs]
    return dashboard(states, day, rulebook, assessor=_assessor)


# The rulebook each visit used is kept in the database by its digest (once per rulebook version),
# so a dashboard after an upgrade shows what the new rulebook changed on the same manifest.
# Which digests each open workspace holds already: by the object, not its id(), which a workspace
# opened after another was closed may be given again.
_kept: weakref.WeakKeyDictionary[Workspace, set[str]] = weakref.WeakKeyDictionary()
_rulebooks = Kept(8)


def _keep_current_rulebook(ws: Workspace, rulebook) -> None:
    kept = _kept.setdefault(ws, set())
    if rulebook.digest not in kept:
        from hegui.rulebook.sources import read_sources, shipped_folder
        sources = read_sources(shipped_folder())
        if sources.digest == rulebook.digest:
            ws.keep_rulebook(sources, rulebook.version)
        kept.add(rulebook.digest)


def _last_rulebook(ws: Workspace, digest: str | None, rulebook):
    """The rulebook of a last visit; the current one when it is the same or was not kept."""
    if digest is None or digest == rulebook.digest:
        return None

    def compiled():
        from hegui.rulebook.load import compile_rulebook
        sources = ws.kept_rulebook(digest)
        return compile_rulebook(sources) if sources is not None else None
    return _rulebooks.get(digest, compiled)


def feed_for(ws: Workspace, actor: Actor, lang: str = "en") -> bytes:
    """The user's iCalendar feed over every organisation they can see (no visit is recorded)."""
    from hegui.workspace.reminders import feed_ics
    dash = dashboard_for(ws, actor, mark_visit=False)
    return feed_ics(dash.organisations, lang, user=actor.email)


def digests(ws: Workspace, sender: str, lang: str = "en", dashboard_url: str | None = None):
    """Each member's daily digest e-mail (email.message.EmailMessage), for those whose dashboard has
    something to say; seeing a digest is not a visit (the dashboard still shows what changed)."""
    from hegui.workspace.reminders import digest_message
    out = []
    for actor in ws.members_anywhere():
        dash = dashboard_for(ws, actor, mark_visit=False)
        if dash.overdue or dash.due_soon or dash.waiting or dash.changes:
            out.append(digest_message(dash, sender, actor.email, lang, dashboard_url))
    return out
