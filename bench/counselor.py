"""Benchmark the counselor search (kb/facets.py): a plain search against one with a filter that
can lift a topic (read from a wider pool of sections, each with its snippet).

    python bench/counselor.py [--repeat 10]

Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, questions, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from kb.content import load
    from kb.facets import counselor_search
    from kb.service import build_index, open_kb

    content = load(ROOT / "content")
    with tempfile.TemporaryDirectory() as d:
        build_index(content, Path(d))
        kb = open_kb(ROOT / "content", Path(d), build_if_stale=False)
        qs = questions()
        for name, filters in (("no filter", {}), ("case_type=refusal", {"case_type": "refusal"}),
                              ("applies_to=fixed-term (boost, pool of 60)", {"applies_to": "fixed-term"})):
            for q in qs:
                counselor_search(kb, q, filters, 20)        # warm the caches
            ms = []
            for _ in range(args.repeat):
                for q in qs:
                    start = time.perf_counter()
                    counselor_search(kb, q, filters, 20)
                    ms.append((time.perf_counter() - start) * 1000)
            print(f"counselor search, {name}: {summary(ms)}")
        kb.close()


if __name__ == "__main__":
    main()
