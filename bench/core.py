"""Benchmark the core: index build, cold start to first answer, warm `kb ask` latency, peak RSS.

    python bench/core.py [--repeat 20]

Targets (DESIGN.md, this 2-core machine): build <= 10 s, cold start <= 3 s, warm p95 <= 20 ms.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, questions, summary


def bench_build() -> float:
    from kb.content import load
    from kb.service import build_index
    from search.analysis import get_kiwi, kiwi_user_words

    content = load(ROOT / "content")
    get_kiwi(kiwi_user_words(content.lexicon))  # Kiwi creation is measured by the cold start
    with tempfile.TemporaryDirectory() as d:
        start = time.perf_counter()
        build_index(content, Path(d))
        return time.perf_counter() - start


def bench_cold_start(instance: Path, runs: int = 3) -> list[float]:
    """Wall time of a fresh `kb ask` process (interpreter, imports, Kiwi, index) to its answer."""
    kb = Path(sys.executable).parent / "kb"
    env = {**os.environ, "KB_INSTANCE": str(instance)}
    subprocess.run([str(kb), "ask", "출산휴가 며칠", "--json"], env=env, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(kb), "ask", "육아휴직 급여 얼마나 나와요?", "--json"], env=env,
                       capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def bench_warm(instance: Path, repeat: int) -> list[float]:
    from kb.service import open_kb

    kb = open_kb(ROOT / "content", instance)
    qs = questions()
    for q in qs:
        kb.ask(q)
    ms = []
    for _ in range(repeat):
        for q in qs:
            start = time.perf_counter()
            kb.ask(q)
            ms.append((time.perf_counter() - start) * 1000)
    return ms


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(f"build: {bench_build():.2f}s (target <= 10 s)")
    with tempfile.TemporaryDirectory() as d:
        instance = Path(d)
        cold = bench_cold_start(instance)
        print(f"cold start to first answer: best {min(cold):.2f}s, worst {max(cold):.2f}s (target <= 3 s)")
        warm = bench_warm(instance, args.repeat)
        print(f"warm kb ask: {summary(warm)} (target p95 <= 20 ms)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (Kiwi + index + content): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
