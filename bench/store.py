"""What the question log costs an answer: POST /api/ask with the store on vs off, and the
`Store.record` call alone; plus the writer's throughput. Figures are printed, never asserted.

    python bench/store.py [--rounds 3] [--url postgresql+psycopg://...]

The bar (issue 9): the log costs < 1 ms at p95. `record` only masks the question and queues a
row; a writer thread commits in batches, so the database's commit time stays off the answer path.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, percentile, questions, summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--url", default=None, help="a database URL (default: a temp SQLite file)")
    args = ap.parse_args()

    from kb.service import open_kb
    from kb.store import open_store
    from web import create_app

    qs = questions()
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        kb = open_kb(ROOT / "content", instance)
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        store = open_store(url, log_questions=True)
        on = create_app({"TESTING": True, "KB": kb, "KB_INSTANCE": str(instance), "STORE": store}).test_client()
        off = create_app({"TESTING": True, "KB": kb, "KB_INSTANCE": str(instance), "STORE": False}).test_client()
        for q in qs[:20]:   # warm both
            on.post("/api/ask", json={"q": q})
            off.post("/api/ask", json={"q": q})
        store.flush()

        t_on, t_off = [], []
        for _ in range(args.rounds):
            for q in qs:   # interleaved, so both see the same machine load
                for client, sink in ((off, t_off), (on, t_on)):
                    start = time.perf_counter()
                    r = client.post("/api/ask", json={"q": q})
                    sink.append((time.perf_counter() - start) * 1000)
                    assert r.status_code == 200
        store.flush()

        answers = [kb.ask(q) for q in qs]
        rec = []
        for _ in range(args.rounds):
            for a in answers:
                start = time.perf_counter()
                store.record(a, "api")
                rec.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.flush(60)
        drain = time.perf_counter() - start

        n = len(store.records())
        print(f"database: {store.dialect}")
        print(f"POST /api/ask, log off : {summary(t_off)}")
        print(f"POST /api/ask, log on  : {summary(t_on)}")
        print(f"difference p50 {percentile(t_on, 50) - percentile(t_off, 50):+.3f} ms, "
              f"p95 {percentile(t_on, 95) - percentile(t_off, 95):+.3f} ms")
        print(f"Store.record alone     : {summary(rec)}")
        print(f"writer drained {len(rec)} queued rows in {drain * 1000:.0f} ms; rows stored {n}; dropped {store.dropped}")
        store.close()
        kb.close()


if __name__ == "__main__":
    main()
