"""How many assessments per second does `hegui serve` answer? Run: make bench-api

Starts `hegui serve` on a free loopback port, then drives POST /v1/assess with
examples/jobs-platform.yaml (as YAML, and as the same manifest in JSON) at concurrency 1, 8 and
32 from a load generator in a separate process: asyncio keep-alive connections writing
pre-built HTTP/1.1 requests, so the generator costs little of the machine it shares. Every
answer must be 200 with the same body as the first answer to the same request; any other answer is
an error. Each level is warmed up first (every connection, both workers), then bounded in
requests and seconds. Target (issue 13 section 4): with --workers 2, at least 1,000
assessments/s with p99 under 50 ms at concurrency 32, zero errors.

The bench shares the cores with the server and with whatever else runs, so besides the load
average before and after each level it prints the CPU time the server's processes and the load
generator spent per request (from /proc): a figure much less moved by other work than
requests/s, and the one to compare between two versions of the server.

`--body varied` sends 1,000 manifests that differ in their numbers of individuals (the example's
with pi_individuals and sensitive_pi_individuals changed), round robin, so that no two
consecutive requests are alike: what the server does with work it has not seen.

    python benchmarks/api_load.py [--workers N] [--requests N] [--seconds S] [--body yaml|json|varied|both|all]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "jobs-platform.yaml"
AS_OF = "2024-06-20"
LEVELS = (1, 8, 32)
TARGET_RPS, TARGET_P99_MS, TARGET_CONCURRENCY = 1000, 50, 32
BUSY_LOAD = 3.0   # load average past which other work, not the server, sets the figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


VARIED = 1000


def bodies(kind: str) -> tuple[str, list[bytes]]:
    """The content type and the bodies of a kind, sent round robin."""
    import yaml
    text = EXAMPLE.read_text(encoding="utf-8")
    if kind == "yaml":
        return "application/yaml", [text.encode()]

    def plain(node):
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if hasattr(node, "isoformat") else node
    document = plain(yaml.safe_load(text))
    if kind == "json":
        return "application/json", [json.dumps(document, ensure_ascii=False).encode()]
    out = []
    for i in range(VARIED):   # across the thresholds the rules test: below 100,000 up to above 100 million
        organisation = document["organisation"]
        organisation["pi_individuals"] = 10 ** (3 + i % 6) + 7919 * i
        organisation["sensitive_pi_individuals"] = (organisation["pi_individuals"] // 10) * (i % 3)
        out.append(json.dumps(document, ensure_ascii=False).encode())
    return "application/json", out


# --- the load generator (runs in its own process) -------------------------------------------------

async def _one_connection(port, requests, stop_at, budget, latencies, failures, answers):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while budget[0] > 0 and time.perf_counter() < stop_at:
            budget[0] -= 1
            which = budget[0] % len(requests)
            start = time.perf_counter()
            writer.write(requests[which])
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                failures.append(f"HTTP {status}: {body[:200]!r}")
            elif answers.setdefault(which, hashlib.sha256(body).digest()) != hashlib.sha256(body).digest():
                failures.append("two different answers to the same request")
    except Exception as e:  # a broken connection is an error, not a crash of the benchmark
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        writer.close()


async def _level(port, requests, concurrency, count, seconds, answers):
    latencies, failures = [], []
    budget = [count]
    start = time.perf_counter()
    await asyncio.gather(*(_one_connection(port, requests, start + seconds, budget, latencies, failures, answers)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return latencies, failures, elapsed


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) of a process and its children (uvicorn's workers), from /proc;
    NaN where there is no /proc."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        total, todo = 0.0, [pid]
        while todo:
            p = todo.pop()
            stat = Path(f"/proc/{p}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        return total
    except (OSError, ValueError):
        return float("nan")


def generate(port: int, server_pid: int, kind: str, concurrency: int, count: int, seconds: float) -> dict:
    content_type, payloads = bodies(kind)
    requests = [(f"POST /v1/assess?as_of={AS_OF} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                 f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
                for body in payloads]
    answers = {}
    # Warm up every connection and worker first (and, for varied bodies, send each once); then measure.
    asyncio.run(_level(port, requests, concurrency, max(50, 4 * concurrency, len(requests)), 30, answers))
    load_before = os.getloadavg()[0]
    server_cpu, own_cpu = process_tree_cpu(server_pid), time.process_time()
    latencies, failures, elapsed = asyncio.run(_level(port, requests, concurrency, count, seconds, answers))
    server_cpu, own_cpu = process_tree_cpu(server_pid) - server_cpu, time.process_time() - own_cpu
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")
    done = max(1, len(latencies))
    return {"concurrency": concurrency, "requests": len(latencies), "seconds": elapsed,
            "rps": len(latencies) / elapsed, "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": latencies[-1] * 1000
            if latencies else float("nan"), "server_cpu_ms": server_cpu / done * 1000,
            "generator_cpu_ms": own_cpu / done * 1000, "load_before": load_before, "load_after": os.getloadavg()[0],
            "errors": len(failures), "first_error": failures[0] if failures else None}


# --- the driver -----------------------------------------------------------------------------------

def wait_ready(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"hegui serve exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("hegui serve did not answer /healthz in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=5000, help="at most this many per level")
    parser.add_argument("--seconds", type=float, default=8.0, help="at most this long per level")
    parser.add_argument("--body", choices=["yaml", "json", "varied", "both", "all"], default="both",
                        help="both: yaml and json; all: yaml, json and varied")
    parser.add_argument("--generate", nargs=5, metavar=("PORT", "SERVER_PID", "BODY", "CONCURRENCY", "REQUESTS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # the load-generator process
        port, server_pid, kind, concurrency, requests = args.generate
        print(json.dumps(generate(int(port), int(server_pid), kind, int(concurrency), int(requests), args.seconds)))
        return 0

    hegui = Path(sys.executable).parent / "hegui"
    port = free_port()
    server = subprocess.Popen([str(hegui), "serve", "--port", str(port), "--workers", str(args.workers),
                               "--no-access-log"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(port, server)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{platform.system()} {platform.release()}")
        print(f"server: hegui serve --workers {args.workers} (uvicorn, loopback); load generator: one separate "
              f"process, asyncio keep-alive connections")
        print(f"manifest: {EXAMPLE.name} ({EXAMPLE.stat().st_size} bytes), as_of {AS_OF}; "
              f"at most {args.requests} requests or {args.seconds:g} s per level")
        print("load average before: %.2f %.2f %.2f\n" % os.getloadavg())
        print("CPU ms/req: CPU time per request of the server's processes and of the load generator; "
              "load: 1-minute load average before and after the level\n")
        print(f"{'body':<6} {'conc':>4} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
              f"{'server CPU':>10} {'gen CPU':>7} {'load':>9} {'errors':>6}")
        missed = errors = 0
        busiest = 0.0
        kinds = {"both": ["yaml", "json"], "all": ["yaml", "json", "varied"]}.get(args.body, [args.body])
        for kind in kinds:
            for concurrency in LEVELS:
                out = subprocess.run([sys.executable, __file__, "--seconds", str(args.seconds), "--generate",
                                      str(port), str(server.pid), kind, str(concurrency), str(args.requests)],
                                     check=True, capture_output=True, text=True).stdout
                r = json.loads(out)
                busiest = max(busiest, r["load_before"], r["load_after"])
                print(f"{kind:<6} {concurrency:>4} {r['requests']:>8} {r['rps']:>7.0f} {r['p50_ms']:>7.2f} "
                      f"{r['p99_ms']:>7.2f} {r['max_ms']:>7.1f} {r['server_cpu_ms']:>10.2f} "
                      f"{r['generator_cpu_ms']:>7.2f} {r['load_before']:>4.1f}-{r['load_after']:<4.1f} {r['errors']:>6}")
                if r["first_error"]:
                    print(f"      first error: {r['first_error']}")
                errors += r["errors"]
                if concurrency == TARGET_CONCURRENCY:
                    met = r["rps"] >= TARGET_RPS and r["p99_ms"] < TARGET_P99_MS
                    missed += not met
                    print(f"      target at concurrency {concurrency}: >= {TARGET_RPS} req/s "
                          f"({r['rps']:.0f}: {'met' if r['rps'] >= TARGET_RPS else 'missed'}), "
                          f"p99 < {TARGET_P99_MS} ms ({r['p99_ms']:.1f}: "
                          f"{'met' if r['p99_ms'] < TARGET_P99_MS else 'missed'})")
        print("\nload average after: %.2f %.2f %.2f" % os.getloadavg())
        print(f"target (--workers 2): >= {TARGET_RPS} assessments/s with p99 < {TARGET_P99_MS} ms at concurrency "
              f"{TARGET_CONCURRENCY}, zero errors: {'met' if not missed and not errors else 'MISSED'}"
              + ("" if args.workers == 2 else f" (measured with --workers {args.workers})"))
        if busiest > BUSY_LOAD:
            print(f"the machine was busy (1-minute load average up to {busiest:.1f} on {os.cpu_count()} cores, "
                  f"the bench's own share about 2): requests/s and p99 say little about the server; compare "
                  f"the CPU per request, or run again on an idle machine")
        return 1 if errors else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
