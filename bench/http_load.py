"""Sustained HTTP load on the JSON API from a second process, over loopback only.

    python bench/http_load.py [--seconds 10] [--clients 8,32] [--workers 1,2] [--questions repeated,distinct]

For each worker count, starts `kb serve --workers N` on 127.0.0.1 (a free port, a temporary copy
of the index), waits for /api/health, then for each client count keeps that many keep-alive
connections posting questions to /api/ask for a fixed time. The load comes from wrk (Debian's
`wrk`, written in C, so the client takes little of the two cores the server needs; `--client python`
uses threads in this process instead, which costs the server about a core). Two kinds of traffic:
`repeated` cycles through the dev questions (what the answer path remembers: search results and
safety verdicts), `distinct` never sends the same text twice (every question is analysed, checked
and scored from scratch: the worst case). Prints one table
row per run: p50/p95/p99, requests per second, errors, and the RSS of every worker (private and
shared: Kiwi is loaded before the fork and shared copy-on-write). Target: p95 <= 20 ms at
>= 300 req/s with 8 clients, no errors at 32. Traffic never leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, questions

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 120) -> None:
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


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(x) for x in (task / "children").read_text().split()]
    return out


def rss_mb(pid: int) -> tuple[float, float]:
    """(RSS, private) in MB from /proc/<pid>/smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        fields[name] = int(rest.split()[0])
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return fields.get("Rss", 0) / 1024, private / 1024


def client(port: int, qs: list[str], offset: int, stop_at: float, out: list[float], errors: list) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    i = offset
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
                continue
        except (OSError, http.client.HTTPException) as e:
            errors.append(type(e).__name__)
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        out.append((time.perf_counter() - start) * 1000)


def distinct_questions(qs: list[str], n: int = 20_000) -> list[str]:
    """`n` different texts built from the dev questions with everyday openings and closings, so no
    two requests share a cache entry (the analysed words stay ordinary Korean)."""
    openings = ("", "안녕하세요 ", "혹시 ", "궁금한데요 ", "급해요 ", "직장맘인데요 ", "문의드려요 ", "질문이요 ",
                "저기요 ", "여쭤볼게요 ", "서울 사는데 ", "회사원인데요 ", "밤늦게 죄송한데 ", "답답해서요 ")
    closings = ("", " 알려주세요", " 부탁드려요", " 감사합니다", " 어떡하죠", " 맞나요", " 가능할까요",
                " 방법 있나요", " 좀 도와주세요", " 빨리요", " 궁금해요")
    out, seen = [], set()
    k = 0
    while len(out) < n and k < n * 4:
        q = qs[k % len(qs)]
        text = f"{openings[(k // len(qs)) % len(openings)]}{q}{closings[(k // (len(qs) * len(openings))) % len(closings)]}"
        text += f" {k}" if text in seen else ""
        seen.add(text)
        out.append(text)
        k += 1
    return out


WRK_SCRIPT = """
local bodies = {%s}
local offset = 0
local i = 0
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
function init(args)
  i = offset
end
function request()
  i = i + 1
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, bodies[(i %% #bodies) + 1])
end
%s
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(port: int, clients: int, seconds: float, qs: list[str], tmp: Path, pace: float = 0) -> dict:
    """wrk with one connection per client (at most 4 wrk threads); latencies in ms. With `pace`
    (requests per second over all clients) each client waits clients/pace seconds after every
    answer, like people who read before asking again: the latency at that load, not at saturation."""
    bodies = ",".join("[==[" + json.dumps({"q": q}) + "]==]" for q in qs)
    script = tmp / "post.lua"
    delay = f"function delay()\n  return {clients * 1000 / pace:.1f}\nend" if pace else ""
    script.write_text(WRK_SCRIPT % (bodies, delay), encoding="ascii")
    threads = str(min(4, clients))
    # a short warm-up so every worker has loaded what it reads lazily
    subprocess.run(["wrk", "-t", threads, "-c", str(clients), "-d", "1s", "-s", str(script),
                    f"http://{HOST}:{port}"], capture_output=True, check=False)
    out = subprocess.run(["wrk", "-t", threads, "-c", str(clients), "-d", f"{seconds:.0f}s", "-s", str(script),
                          "--timeout", "10s", f"http://{HOST}:{port}"], capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result: {out.stdout}{out.stderr}")
    n, micros, p50, p95, p99, status, sock = (int(x) for x in line.split()[1:])
    return {"n": n, "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000, "rps": n / (micros / 1e6),
            "errors": status + sock, "kinds": {k: v for k, v in (("non-200", status), ("socket", sock)) if v}}


def run(port: int, clients: int, seconds: float, qs: list[str]) -> dict:
    latencies: list[float] = []
    errors: list = []
    # a short warm-up so every worker has its caches filled
    client(port, qs, 0, time.monotonic() + 1.0, [], [])
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, qs, k * 7, stop_at, latencies, errors))
               for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return {"n": len(latencies), "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99), "rps": len(latencies) / elapsed, "errors": len(errors),
            "kinds": {str(e): errors.count(e) for e in set(errors)}}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", default="8,32")
    ap.add_argument("--workers", default=f"1,{os.cpu_count() or 1}")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--questions", default="repeated,distinct",
                    help="repeated: the dev questions over and over; distinct: never the same text twice")
    ap.add_argument("--pace", default="0",
                    help="comma-separated total request rates for paced rows (0 = as fast as answers come)")
    ap.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    args = ap.parse_args()
    kb = Path(sys.executable).parent / "kb"
    traffic = {"repeated": questions()}
    traffic["distinct"] = distinct_questions(traffic["repeated"])
    kinds = [k.strip() for k in args.questions.split(",") if k.strip()]
    print(f"POST /api/ask over loopback, {args.seconds:.0f}s per row, {os.cpu_count()} CPU(s), client: {args.client} "
          f"(on this machine too); repeated = {len(traffic['repeated'])} dev questions cycled, "
          f"distinct = {len(traffic['distinct'])} different texts")
    print(f"{'workers':>7} {'clients':>7} {'questions':>13} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'errors':>6}  RSS per worker MB (private)")
    with tempfile.TemporaryDirectory() as tmp:
        inst = Path(tmp) / "instance"
        subprocess.run([str(kb), "--instance", str(inst), "build"], check=True, capture_output=True)
        for workers in [int(w) for w in args.workers.split(",")]:
            port = free_port()
            log = open(Path(tmp) / f"serve-{workers}.log", "wb")  # noqa: SIM115 - the server process writes it; the server logs every question
            # one address sends everything here: lift the per-client limit (web/embed.py) far above
            # the load so the figures are answering speed, with the limiter's own cost still included
            env = {**os.environ, "KB_RATE_LIMIT": os.environ.get("KB_BENCH_RATE_LIMIT", "1000000/minute")}
            server = subprocess.Popen([str(kb), "--instance", str(inst), "serve", "--host", HOST, "--port",
                                       str(port), "--workers", str(workers), "--threads", str(args.threads)],
                                      stdout=log, stderr=log, env=env)
            try:
                wait_healthy(port)
                deadline = time.monotonic() + 30
                while len(children(server.pid)) < workers and time.monotonic() < deadline:
                    time.sleep(0.2)
                for kind, clients, pace in [(k, int(c), float(p)) for k in kinds for c in args.clients.split(",")
                                            for p in args.pace.split(",")]:
                    qs = traffic[kind]
                    r = (run_wrk(port, clients, args.seconds, qs, Path(tmp), pace) if args.client == "wrk"
                         else run(port, clients, args.seconds, qs))
                    mem = ", ".join(f"{a:.0f} ({b:.0f})" for a, b in (rss_mb(p) for p in children(server.pid)))
                    errs = f" {r['kinds']}" if r["kinds"] else ""
                    label = f"{kind}{'' if not pace else f'@{pace:.0f}'}"
                    print(f"{workers:>7} {clients:>7} {label:>13} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                          f"{r['p99']:>7.1f} {r['errors']:>6}  {mem}{errs}", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=30)
                log.close()
    print("target: p95 <= 20 ms at >= 300 req/s with 8 clients; no errors at 32")


if __name__ == "__main__":
    main()
