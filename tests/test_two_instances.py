"""Two instances behind a load balancer share state only through PostgreSQL (the question store)
and Redis (rate limits): two real `kb serve` processes on two loopback ports, one database, one
Redis. Feedback given through one is reported by the other; the limit is counted once for both.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package
from store_fixtures import free_port, postgres_url, redis_url  # noqa: F401

KB = Path(sys.executable).parent / "kb"
LIMIT = 6   # requests per minute per client address, across both instances


def call(base: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


@pytest.fixture(scope="module")
def instances(tmp_path_factory, instance_dir, postgres_url, redis_url):
    """Two `kb serve` processes, each with its own copy of the built index (as replicas have)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    procs, bases = [], []
    env = {**os.environ, "DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "KB_QUESTION_LOG": "1",
           "KB_RATE_LIMIT": f"{LIMIT}/minute"}
    try:
        for name in ("a", "b"):
            inst = tmp_path_factory.mktemp(f"replica-{name}")
            shutil.copytree(instance_dir, inst, symlinks=True, dirs_exist_ok=True)
            port = free_port()
            log = open(inst / "serve.log", "wb")  # noqa: SIM115 - the server process writes it; closed at the end
            procs.append((subprocess.Popen([str(KB), "--instance", str(inst), "serve", "--host", "127.0.0.1",
                                            "--port", str(port), "--workers", "1"],
                                           env=env, stdout=log, stderr=log), log, inst))
            bases.append(f"http://127.0.0.1:{port}")
        for base, (proc, _, inst) in zip(bases, procs, strict=True):
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=5):
                        break
                except (urllib.error.URLError, ConnectionError):
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"kb serve did not start: {(inst / 'serve.log').read_text()[-2000:]}")
                    time.sleep(0.3)
        yield bases
    finally:
        for proc, log, _ in procs:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()


def test_feedback_through_one_instance_is_reported_by_the_other(instances, postgres_url):
    from kb.store import open_store

    a, b = instances
    status, answer = call(a, "/api/ask", {"q": "육아휴직 급여 얼마나 나와요?"})
    assert status == 200 and answer["id"]
    # A's writer commits its rows in short batches; a person reads before answering "아니요"
    deadline = time.monotonic() + 10
    while True:
        status, body = call(b, "/api/feedback", {"id": answer["id"], "helpful": False, "reason": "wrong_topic"})
        if status != 404 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 201, body
    store = open_store(postgres_url)
    try:
        deadline = time.monotonic() + 10
        while True:
            rows = [r for r in store.records() if r.id == answer["id"]]
            if rows and rows[0].helpful is False:
                break
            assert time.monotonic() < deadline, "the feedback given through B never reached A's row"
            time.sleep(0.2)
        assert rows[0].reason == "wrong_topic"
    finally:
        store.close()


def test_the_rate_limit_is_counted_once_for_both_instances(instances):
    a, b = instances
    statuses = [call(base, "/api/topics")[0] for base in (a, b) * LIMIT]   # 2 x LIMIT requests, alternating
    assert statuses.count(200) <= LIMIT, statuses       # not LIMIT each: one shared count
    assert 429 in statuses
    # an urgent question is still answered over the limit, on either instance
    status, answer = call(b, "/api/ask", {"q": "지금 남편이 칼을 들고 있어요"})
    assert status == 200 and answer["referrals"][0] == "police-112"
