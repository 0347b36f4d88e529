"""How fast does the team workspace answer? Run: make bench-api (after api_load.py), or
    python benchmarks/workspace_load.py [--backend sqlite|postgresql|both] [--organisations 50]

Makes a workspace of N organisations (each the example manifest under its own name) with one
administrator and an API token, starts `hegui serve --workspace` on a free loopback port, and
drives each endpoint below at concurrency 1, 8 and 32 from a load generator in a separate process
(asyncio keep-alive connections, connection i asking for organisation i mod N). Every answer
must be 200; each level is bounded in requests and seconds. PostgreSQL is a throwaway cluster
(Debian's initdb in a temporary directory, a loopback port), skipped when not installed.

- assess: POST /v1/workspace/organisations/{id}/assess: the current manifest assessed and the
  assessment appended to the ledger (a durable write: the ledger syncs every entry to disk).
- records: GET /v1/workspace/organisations/{id}/records: a read of the store alone.
- dashboard: GET /v1/workspace/dashboard: the administrator's, over all N organisations (their
  assessments cached after the first; the target is p99 under 50 ms for 50 organisations).

Requests say `Accept-Encoding: gzip`, as every browser does (the dashboard is then sent gzipped).
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import json
import os
import platform
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from api_load import free_port, wait_ready  # noqa: E402

EXAMPLE = HERE.parent / "examples" / "jobs-platform.yaml"
LEVELS = (1, 8, 32)
AS_OF = "2024-06-20"
PASSWORD = "benchmark password"
ANSWER_SECONDS = 60   # an answer later than this is an error (a server stuck), not a wait forever
ENDPOINTS = {
    "assess": ("POST", "/v1/workspace/organisations/{id}/assess?as_of=" + AS_OF),
    "records": ("GET", "/v1/workspace/organisations/{id}/records"),
    "dashboard": ("GET", "/v1/workspace/dashboard"),
}


# --- the load generator (its own process) ---------------------------------------------------------

async def _connection(port, request, stop_at, budget, latencies, failures):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while budget[0] > 0 and time.perf_counter() < stop_at:
            budget[0] -= 1
            start = time.perf_counter()
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), ANSWER_SECONDS)
            status = int(head.split(b" ", 2)[1])
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")[1:]
                           if line.lower().startswith(b"content-length:")), 0)
            body = await asyncio.wait_for(reader.readexactly(length), ANSWER_SECONDS)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                failures.append(f"HTTP {status}: {body[:200]!r}")
    except Exception as e:   # a broken connection is an error, not a crash of the benchmark
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        writer.close()


async def _level(port, requests_by_connection, total, seconds):
    latencies, failures, budget = [], [], [total]
    start = time.perf_counter()
    await asyncio.gather(*(_connection(port, r, start + seconds, budget, latencies, failures)
                           for r in requests_by_connection))
    return latencies, failures, time.perf_counter() - start


def generate(port: int, endpoint: str, token: str, ids: list[int], concurrency: int, total: int,
             seconds: float) -> dict:
    method, path = ENDPOINTS[endpoint]
    requests = [(f"{method} {path.format(id=ids[i % len(ids)])} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                 f"Authorization: Bearer {token}\r\nAccept-Encoding: gzip\r\nContent-Length: 0\r\n\r\n").encode()
                for i in range(concurrency)]
    asyncio.run(_level(port, requests, max(50, 4 * concurrency), 5))   # warm every worker and connection
    latencies, failures, elapsed = asyncio.run(_level(port, requests, total, seconds))
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": pct(50), "p99_ms": pct(99),
            "errors": len(failures), "first_error": failures[0] if failures else None}


# --- the databases --------------------------------------------------------------------------------

class ThrowawayPostgres:
    """Debian's PostgreSQL as a cluster in a temporary directory on a loopback port (as the tests)."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not found:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = Path(found[-1]).parent
        self.prefix, user = [], None
        if os.geteuid() == 0:
            user = "postgres" if _user_exists("postgres") else "nobody"
            self.prefix = ["runuser", "-u", user, "--"]
        self.folder = tempfile.mkdtemp(prefix="hegui-bench-pg-")
        if user:
            shutil.chown(self.folder, user)
        self.data, self.port = os.path.join(self.folder, "data"), free_port()

    def __enter__(self) -> str:
        subprocess.run([*self.prefix, str(self.bin / "initdb"), "-D", self.data, "-A", "trust", "-U", "hegui",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", self.data, "-l",
                        os.path.join(self.folder, "log"), "-w", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}", "start"],
                       check=True, capture_output=True)
        return f"postgresql://hegui@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc):
        subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", self.data, "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def populate(url: str, ledger: str, organisations: int) -> tuple[str, list[int]]:
    """N organisations with the example manifest, an administrator in each; an API token."""
    from hegui.workspace import auth
    from hegui.workspace.store import Actor, Workspace
    text = EXAMPLE.read_text(encoding="utf-8")
    with Workspace(url, ledger) as ws:
        user = ws.create_user("bench@example.com", PASSWORD, is_admin=True)
        actor = Actor(user.id, user.email, True, "token")
        ids = []
        for n in range(organisations):
            name = f"Jobs Platform {n + 1:02d}"
            org = ws.create_organisation(name, actor)["id"]
            ws.save_version(org, text.replace("Jobs Platform Inc.", name), 0, actor, "benchmark")
            ids.append(org)
        return auth.create_token(ws, actor, "benchmark")["token"], ids


# --- the driver -----------------------------------------------------------------------------------

def run_backend(name: str, url: str, folder: Path, args) -> int:
    ledger = str(folder / f"{name}.ledger")
    token, ids = populate(url, ledger, args.organisations)
    port = free_port()
    hegui = Path(sys.executable).parent / "hegui"
    # The server's errors go to a file: a pipe no one reads would stop the server once its
    # tracebacks filled it (64 KiB), and the benchmark with it.
    log_path = folder / f"{name}.server.log"
    log = open(log_path, "wb")
    server = subprocess.Popen([str(hegui), "serve", "--workspace", url, "--ledger", ledger, "--port", str(port),
                               "--workers", str(args.workers), "--no-access-log"],
                              stdout=subprocess.DEVNULL, stderr=log)
    errors = 0
    try:
        wait_ready(port, server, timeout=60)
        for endpoint in args.endpoint or ENDPOINTS:
            for concurrency in LEVELS:
                out = subprocess.run([sys.executable, __file__, "--generate", json.dumps(
                    [port, endpoint, token, ids, concurrency, args.requests, args.seconds])],
                    check=True, capture_output=True, text=True).stdout
                r = json.loads(out)
                print(f"{name:<10} {endpoint:<8} {concurrency:>4} {r['requests']:>8} {r['rps']:>7.0f} "
                      f"{r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} {r['errors']:>6}")
                if r["first_error"]:
                    print(f"           first error: {r['first_error']}")
                errors += r["errors"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    if errors:
        print(f"           the server's log ends:\n{log_path.read_text(errors='replace')[-2000:]}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--organisations", type=int, default=50)
    parser.add_argument("--endpoint", action="append", choices=list(ENDPOINTS),
                        help="only this endpoint (may be repeated; default: all)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--requests", type=int, default=2000, help="at most this many per level")
    parser.add_argument("--seconds", type=float, default=6.0, help="at most this long per level")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        port, endpoint, token, ids, concurrency, total, seconds = json.loads(args.generate)
        print(json.dumps(generate(port, endpoint, token, ids, concurrency, total, seconds)))
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    print(f"server: hegui serve --workspace --workers {args.workers}; {args.organisations} organisations; "
          f"at most {args.requests} requests or {args.seconds:g} s per level\n")
    print(f"{'backend':<10} {'endpoint':<8} {'conc':>4} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6}")
    errors = 0
    with tempfile.TemporaryDirectory(prefix="hegui-bench-ws-") as tmp:
        folder = Path(tmp)
        if args.backend in ("sqlite", "both"):
            errors += run_backend("sqlite", str(folder / "workspace.db"), folder, args)
        if args.backend in ("postgresql", "both"):
            try:
                cluster = ThrowawayPostgres()
            except RuntimeError as e:
                print(f"postgresql: skipped ({e})")
            else:
                with cluster as url:
                    errors += run_backend("postgresql", url, folder, args)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
