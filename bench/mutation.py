"""Mutation testing: how many one-line breakages of each module the fast unit tests catch.

    python bench/mutation.py kb/answer.py search/searcher.py ...   # run, then print the figures
    python bench/mutation.py --report kb/answer.py ...             # print from the last run only

mutmut 3 (configured under [tool.mutmut] in pyproject.toml: which tests, what to copy) makes the
mutants of kb/ and search/ in mutants/ and runs only the tests that reach each mutated function.
Modules are run one at a time so a slow one can be stopped without losing the others. The kill
rate counts killed and timed-out mutants over all mutants of the module; a mutant no test reaches
counts as a survivor. Surviving mutants judged equivalent are explained in docs/mutation.md.
Figures are printed, never asserted (like the other scripts in bench/).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
DETECTED = {"killed", "timeout", "caught by type check"}


def prefix(module: str) -> str:
    """kb/answer.py -> kb.answer. (mutmut names mutants kb.answer.x_ask__mutmut_3)."""
    return module.removesuffix(".py").replace("/", ".") + "."


def run(module: str, children: int) -> float:
    log = ROOT / "mutants" / f"run-{prefix(module)}log"
    log.parent.mkdir(exist_ok=True)
    start = time.perf_counter()
    with log.open("w") as out:
        subprocess.run([str(MUTMUT), "run", prefix(module) + "*", "--max-children", str(children)],
                       cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False)
    return time.perf_counter() - start


def results() -> dict[str, str]:
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    statuses = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            statuses[name] = status
    return statuses


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="+", help="source files, e.g. kb/answer.py")
    ap.add_argument("--max-children", type=int, default=2)
    ap.add_argument("--report", action="store_true", help="do not run; report the last results")
    ap.add_argument("--survivors", action="store_true", help="list the surviving mutants too")
    args = ap.parse_args()

    seconds = {}
    if not args.report:
        for m in args.modules:
            seconds[m] = run(m, args.max_children)
            print(f"ran {m} in {seconds[m]:.0f} s", flush=True)

    statuses = results()
    total = Counter()
    print(f"{'module':24} {'mutants':>7} {'killed':>6} {'timeout':>7} {'survived':>8} {'no test':>7} {'rate':>6}")
    for m in args.modules:
        mine = {k: v for k, v in statuses.items() if k.startswith(prefix(m))}
        c = Counter(mine.values())
        n = len(mine)
        detected = sum(c[s] for s in DETECTED)
        total.update(c)
        total["all"] += n
        rate = f"{detected / n:.1%}" if n else "-"
        print(f"{m:24} {n:7} {c['killed']:6} {c['timeout']:7} {c['survived']:8} {c['no tests']:7} {rate:>6}")
        if args.survivors:
            for k, v in sorted(mine.items()):
                if v not in DETECTED:
                    print(f"    {v}: {k}")
    n = total["all"]
    detected = sum(total[s] for s in DETECTED)
    print(f"{'all':24} {n:7} {total['killed']:6} {total['timeout']:7} {total['survived']:8} {total['no tests']:7} "
          f"{detected / n if n else 0:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
