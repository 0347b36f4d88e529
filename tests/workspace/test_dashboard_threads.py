"""A worker makes at most routes.DASHBOARD_THREADS dashboards at once; the others wait their turn
(more threads only share the GIL in no order, which made the tail at concurrency 32)."""

from __future__ import annotations

import asyncio
import threading
import time

from serving import run_async


def test_at_most_the_dashboard_threads_make_dashboards_at_once_and_every_request_is_answered(
        workspace, terminal, monkeypatch):
    import httpx

    from hegui.api import create_app
    from hegui.workspace import auth, overview, routes
    token = auth.create_token(workspace, terminal, "t")["token"]
    lock, running, most = threading.Lock(), [0], [0]

    def slow_dashboard(ws, actor, as_of=None, lang="en", *, compressed=False):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)   # long enough for every request to have arrived meanwhile
        with lock:
            running[0] -= 1
        return b"{}"
    monkeypatch.setattr(overview, "dashboard_json", slow_dashboard)
    app = create_app(workspace=workspace)

    async def many(n):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await asyncio.gather(*(client.get("/v1/workspace/dashboard",
                                                     headers={"Authorization": f"Bearer {token}",
                                                              "Accept-Encoding": "identity"})
                                          for _ in range(n)))
    answers = run_async(many(3 * routes.DASHBOARD_THREADS))
    assert [a.status_code for a in answers] == [200] * (3 * routes.DASHBOARD_THREADS)
    assert most[0] == routes.DASHBOARD_THREADS
