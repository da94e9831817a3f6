"""Sustained HTTP load on the JSON API from a second process, over loopback only.

    python bench/http_load.py [--seconds 20] [--concurrency 8]

Starts `kb serve` on 127.0.0.1 (a free port), waits for /api/health, then runs a bounded number
of client threads posting the dev questions to /api/ask for a fixed time. Prints p50, p95 and
requests per second (target p95 <= 50 ms). Traffic never leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import questions, summary  # noqa: E402

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection(HOST, port, timeout=2)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not become healthy")


def worker(port: int, qs: list[str], stop_at: float, out: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    i = 0
    while time.monotonic() < stop_at:
        body = json.dumps({"q": qs[i % len(qs)]}, ensure_ascii=False).encode()
        i += 1
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/ask", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(resp.status)
        except OSError as e:
            errors.append(type(e).__name__)
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        out.append((time.perf_counter() - start) * 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    port = free_port()
    kb = Path(sys.executable).parent / "kb"
    with tempfile.TemporaryDirectory() as inst:
        # one address sends everything here: lift the per-client limit (web/embed.py) far above the
        # load so the figures are answering speed, with the limiter's own cost still included
        env = {**os.environ, "KB_INSTANCE": inst, "KB_RATE_LIMIT": os.environ.get("KB_BENCH_RATE_LIMIT", "1000000/minute")}
        # the server logs every question: send it to a file, never to a pipe nobody reads
        log = open(Path(inst) / "serve.log", "wb")
        server = subprocess.Popen([str(kb), "serve", "--host", HOST, "--port", str(port)], env=env,
                                  stdout=log, stderr=log)
        try:
            wait_healthy(port)
            qs = questions()
            latencies: list[float] = []
            errors: list[int] = []
            stop_at = time.monotonic() + args.seconds
            threads = [threading.Thread(target=worker, args=(port, qs, stop_at, latencies, errors))
                       for _ in range(args.concurrency)]
            start = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            print(f"POST /api/ask, {args.concurrency} clients, {elapsed:.1f}s: {summary(latencies)}")
            kinds = {str(e): errors.count(e) for e in set(errors)}
            print(f"throughput: {len(latencies) / elapsed:.1f} requests/s, errors: {len(errors)} {kinds or ''} "
                  f"(target p95 <= 50 ms)")
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


if __name__ == "__main__":
    main()
