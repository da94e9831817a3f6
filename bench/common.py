"""Helpers shared by the benchmark scripts (figures are printed, never asserted)."""
from __future__ import annotations

import json
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def questions() -> list[str]:
    """The dev set's questions when ../shared is there, else every topic's own questions."""
    if DEV.exists():
        return [json.loads(line)["q"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    from kb.content import load

    content = load(ROOT / "content")
    return [q for t in content.topics.values() for q in t.questions[:2]]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def summary(ms: list[float]) -> str:
    return (f"n={len(ms)} p50={percentile(ms, 50):.2f}ms p95={percentile(ms, 95):.2f}ms "
            f"max={max(ms):.2f}ms mean={statistics.fmean(ms):.2f}ms")
