"""How fast is the workspace's dashboard of 50 organisations, and its digest and feed? Run: make bench

The dashboard is pure (workspace/dashboard.py): its cost is the assessments it makes, plus the
bucketing. Measured in process, on the examples (half the organisations the internet group, half
the jobs platform):
- every assessment made afresh (a cold store);
- every assessment from a cache, as the store keeps them per manifest version, day and rulebook;
- with changes since a visit a week ago, half the manifests edited (from the cache too);
- the digest e-mail and the calendar feed built from it.
Target (issue 15): p99 under 50 ms for a dashboard of 50 organisations through the API, which the
cached case must leave room for.
"""

from __future__ import annotations

import datetime
import os
import platform
import time
from pathlib import Path

from hegui.engine import assess
from hegui.manifest import read_manifest
from hegui.rulebook import default_rulebook
from hegui.workspace.dashboard import OrganisationState, dashboard
from hegui.workspace.reminders import digest_message, feed_ics

HERE = Path(__file__).resolve().parent
AS_OF = datetime.date(2026, 11, 25)
ORGANISATIONS = 50


def best_of(job, rounds: int = 5) -> float:
    job()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        job()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rulebook = default_rulebook()
    group, jobs = (read_manifest(str(HERE.parent / "examples" / name))
                   for name in ("internet-group.yaml", "jobs-platform.yaml"))
    orgs = [OrganisationState(f"Org {i}", group if i % 2 else jobs, key=str(i)) for i in range(ORGANISATIONS)]
    last_visit = AS_OF - datetime.timedelta(days=7)
    edited = [OrganisationState(o.name, o.manifest, last_manifest=jobs if i % 2 else o.manifest, key=o.key,
                                last_visit=last_visit) for i, o in enumerate(orgs)]
    kept: dict = {}

    def cached(manifest, day, rb):
        key = (id(manifest), day, rb.digest)
        if key not in kept:
            kept[key] = assess(manifest, day, rb)
        return kept[key]

    fresh = best_of(lambda: dashboard(orgs, AS_OF, rulebook))
    from_cache = best_of(lambda: dashboard(orgs, AS_OF, rulebook, assessor=cached))
    changes = best_of(lambda: dashboard(edited, AS_OF, rulebook, assessor=cached))
    dash = dashboard(edited, AS_OF, rulebook, assessor=cached)
    digest = best_of(lambda: digest_message(dash, "hegui@example.org", "team@example.org"))
    feed = best_of(lambda: feed_ics(dash.organisations))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"dashboard of {ORGANISATIONS} organisations ({len(dash.overdue)} overdue, {len(dash.due_soon)} due, "
          f"{len(dash.waiting)} waiting, {len(dash.changes)} changes):")
    print(f"  assessments made afresh:       {fresh * 1000:8.1f} ms")
    print(f"  assessments from a cache:      {from_cache * 1000:8.1f} ms  (target: well under 50 ms)")
    print(f"  with changes since last visit: {changes * 1000:8.1f} ms")
    print(f"digest e-mail:                   {digest * 1000:8.1f} ms")
    print(f"calendar feed:                   {feed * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
