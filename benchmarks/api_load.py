"""How many assessments per second does `hegui serve` answer? Run: make bench-api

Starts `hegui serve` on a free loopback port, then drives POST /v1/assess with
examples/jobs-platform.yaml (as YAML, and as the same manifest in JSON) at concurrency 1, 8 and
32 from a load generator in a separate process: asyncio keep-alive connections writing
pre-built HTTP/1.1 requests, so the generator costs little of the machine it shares. Every
answer must be 200 with the same body as the first; any other answer is an error. Each level
is bounded in requests and seconds. Target (issue 13 section 4): with --workers 2, at least
1,000 assessments/s with p99 under 50 ms at concurrency 32, zero errors. The machine's load
average is printed before and after: the bench shares the cores with the server and with
whatever else runs, so compare figures taken in the same minute.

    python benchmarks/api_load.py [--workers N] [--requests N] [--seconds S] [--body yaml|json|both]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bodies() -> dict[str, tuple[str, bytes]]:
    import yaml
    text = EXAMPLE.read_text(encoding="utf-8")

    def plain(node):
        if isinstance(node, dict):
            return {k: plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node.isoformat() if hasattr(node, "isoformat") else node
    as_json = json.dumps(plain(yaml.safe_load(text)), ensure_ascii=False)
    return {"yaml": ("application/yaml", text.encode()), "json": ("application/json", as_json.encode())}


# --- the load generator (runs in its own process) -------------------------------------------------

async def _one_connection(port, request, stop_at, budget, latencies, failures, bodies_seen):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while budget[0] > 0 and time.perf_counter() < stop_at:
            budget[0] -= 1
            start = time.perf_counter()
            writer.write(request)
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
            else:
                bodies_seen.add(hashlib.sha256(body).hexdigest())
    except Exception as e:  # a broken connection is an error, not a crash of the benchmark
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        writer.close()


async def _level(port, request, concurrency, requests, seconds):
    latencies, failures, seen = [], [], set()
    budget = [requests]
    start = time.perf_counter()
    await asyncio.gather(*(_one_connection(port, request, start + seconds, budget, latencies, failures, seen)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return latencies, failures, seen, elapsed


def generate(port: int, content_type: str, body: bytes, concurrency: int, requests: int, seconds: float) -> dict:
    request = (f"POST /v1/assess?as_of={AS_OF} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    # Warm up every connection and worker first; then measure.
    asyncio.run(_level(port, request, concurrency, max(50, 4 * concurrency), 5))
    latencies, failures, seen, elapsed = asyncio.run(_level(port, request, concurrency, requests, seconds))
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")
    if len(seen) > 1:
        failures.append(f"{len(seen)} different answers to the same request")
    return {"concurrency": concurrency, "requests": len(latencies), "seconds": elapsed,
            "rps": len(latencies) / elapsed, "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": latencies[-1] * 1000
            if latencies else float("nan"), "errors": len(failures), "first_error": failures[0] if failures else None}


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
    parser.add_argument("--body", choices=["yaml", "json", "both"], default="both")
    parser.add_argument("--generate", nargs=4, metavar=("PORT", "BODY", "CONCURRENCY", "REQUESTS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # the load-generator process
        port, kind, concurrency, requests = args.generate
        content_type, body = bodies()[kind]
        print(json.dumps(generate(int(port), content_type, body, int(concurrency), int(requests), args.seconds)))
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
        print(f"{'body':<5} {'conc':>4} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}")
        missed = errors = 0
        for kind in (["yaml", "json"] if args.body == "both" else [args.body]):
            for concurrency in LEVELS:
                out = subprocess.run([sys.executable, __file__, "--seconds", str(args.seconds), "--generate",
                                      str(port), kind, str(concurrency), str(args.requests)],
                                     check=True, capture_output=True, text=True).stdout
                r = json.loads(out)
                print(f"{kind:<5} {concurrency:>4} {r['requests']:>8} {r['rps']:>8.0f} {r['p50_ms']:>7.2f} "
                      f"{r['p99_ms']:>7.2f} {r['max_ms']:>7.1f} {r['errors']:>6}")
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
        return 1 if errors else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
