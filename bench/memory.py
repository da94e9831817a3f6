"""Memory under a stream of distinct random questions (issue 15: it must stay flat).

    python bench/memory.py [--count 100000] [--every 10000] [--seed 1]

Opens the knowledge base in this process and asks `count` questions that are all different:
real words from the content mixed with random Hangul syllables, digits and Latin (so most
questions bring terms no cache has seen), 5-60 tokens long. Prints the process RSS every `every`
questions, with the searcher's cache sizes, and the growth from the first checkpoint to the last.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def vocabulary(kb) -> list[str]:
    words = set()
    for t in kb.content.topics.values():
        for text in (t.title, *t.questions, *t.keywords):
            words.update(text.split())
    return sorted(words)


def random_question(rng: random.Random, words: list[str], i: int) -> str:
    parts = []
    for _ in range(rng.randint(5, 60)):
        r = rng.random()
        if r < 0.5:
            parts.append(rng.choice(words))
        elif r < 0.85:
            parts.append("".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(1, 4))))
        elif r < 0.95:
            parts.append(str(rng.randint(0, 10**6)))
        else:
            parts.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))))
    parts.append(f"#{i}")              # every question distinct
    return " ".join(parts)[:500]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from kb.service import open_kb

    kb = open_kb()
    words = vocabulary(kb)
    rng = random.Random(args.seed)
    s = kb.searcher
    print(f"{len(words)} content words; RSS after opening: {rss_mb():.0f} MB")
    from kb.safety import for_content

    verdicts = for_content(kb.content)._verdicts
    print(f"{'questions':>9} {'RSS MB':>7} {'idf':>6} {'postings':>8} {'bm25':>6} {'spans':>6} {'results':>7} "
          f"{'verdicts':>8} {'ms/q':>6}")
    checkpoints = []
    start = time.perf_counter()
    last = start
    for i in range(1, args.count + 1):
        kb.ask(random_question(rng, words, i))
        if i % args.every == 0:
            now = time.perf_counter()
            mb = rss_mb()
            checkpoints.append(mb)
            print(f"{i:>9} {mb:>7.0f} {len(s._idf_cache):>6} {len(s._postings):>8} {len(s._contrib_cache):>6} "
                  f"{len(s._span_cache):>6} {len(kb.results):>7} {len(verdicts):>8} "
                  f"{(now - last) * 1000 / args.every:>6.2f}", flush=True)
            last = now
    if len(checkpoints) >= 2:
        print(f"growth from the first checkpoint to the last: {checkpoints[-1] - checkpoints[0]:+.0f} MB "
              f"over {args.count - args.every} questions ({time.perf_counter() - start:.0f}s)")


if __name__ == "__main__":
    main()
