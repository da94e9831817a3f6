"""Does the embedding rerank help? Figures with and without it, on questions it never trained on.

    python bench/rerank.py            # needs the rerank extra: pip install -e '.[rerank]'

1. Content split: every third question of each topic (the 2nd, 5th, 8th, ...) is held out; a
   model is trained on the rest and the lexical index is built without the held-out questions
   too (else lexical search would find them verbatim in the questions field). The fusion weight
   is chosen here, on this split only.
2. The shipped model (trained on all content, `kb train-embedder`'s defaults) on the sets it never
   saw: ../shared/eval/dev.jsonl and bench/eval/holdout.jsonl, scored by ../shared/eval/score.py:
   hit@1, hit@3, MRR, abstain accuracy, and in-process `ask` latency p50/p95 with and without.
Training runs twice (~20 s CPU each); nothing loops. Figures are printed, never asserted.
"""
from __future__ import annotations

import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, percentile

# ../shared beside a checkout (CI), or two levels up from a worktree in /work/wt/<name>
SHARED_EVAL = next((p / "shared" / "eval" for p in (ROOT.parent, ROOT.parent.parent)
                    if (p / "shared" / "eval" / "score.py").exists()), ROOT.parent / "shared" / "eval")
SETS = [SHARED_EVAL / "dev.jsonl", ROOT / "bench" / "eval" / "holdout.jsonl"]
WEIGHTS = (0.3, 0.6, 1.0, 1.5)


def split(content):
    """(content without held-out questions, {held-out question: topic})."""
    held, topics = {}, {}
    for tid, t in content.topics.items():
        keep = [q for i, q in enumerate(t.questions) if i % 3 != 1]
        held.update({q: tid for i, q in enumerate(t.questions) if i % 3 == 1})
        topics[tid] = replace(t, questions=tuple(keep))
    return replace(content, topics=topics), held


def ranks(ask, items) -> list[int | None]:
    out = []
    for q, want in items:
        got = list(ask(q).topics)
        out.append(got.index(want) + 1 if want in got else None)
    return out


def metrics(rs) -> str:
    n = len(rs) or 1
    h1 = sum(1 for r in rs if r == 1) / n
    h3 = sum(1 for r in rs if r and r <= 3) / n
    mrr = sum(1 / r for r in rs if r) / n
    return f"hit@1 {h1:.3f}  hit@3 {h3:.3f}  MRR {mrr:.3f}"


def scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED_EVAL / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def timed_answers(kb, items):
    """Answers with wall-clock ms and CPU ms per question (on a shared machine, CPU is the
    figure that does not depend on what the neighbours run)."""
    answers, ms, cpu = [], [], []
    for it in items:
        start, c = time.perf_counter(), time.thread_time()
        try:
            a = kb.ask(it["q"]).to_json()
        except Exception as e:  # a refused question scores as a miss, like kb ask --batch
            a = {"topics": [], "referrals": [], "confident": False, "crisis": False, "answer": "", "error": str(e)}
        ms.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        answers.append(a)
    return answers, ms, cpu


def main() -> None:
    from kb.content import load
    from search import rerank
    from search.analysis import korean_analyzer

    if not rerank.available():
        sys.exit("the rerank extra is not installed: pip install -e '.[rerank]'")
    os.environ.pop(rerank.ENV, None)
    content = load(ROOT / "content")
    analyzer = korean_analyzer(content.lexicon)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if "--skip-split" not in sys.argv:
            split_figures(content, analyzer, tmp)
        full_figures(content, analyzer, tmp)


def split_figures(content, analyzer, tmp: Path) -> None:
    from kb import answer as answering
    from kb.service import section_docs
    from search import rerank
    from search.index import build, fingerprint
    from search.searcher import Searcher

    # 1. content questions held out of training and of the index
    train_content, held = split(content)
    docs = section_docs(train_content)
    inst = tmp / "split"
    build(docs, content.lexicon, inst, fingerprint(content.files(), "split"))
    r = rerank.train(docs, analyzer, tmp / "model-split", exclude=frozenset(held))
    print(f"split: trained on {r.pairs} pairs ({r.vocab} tokens, dim {r.dim}, {r.epochs} epochs) "
          f"in {r.seconds:.1f}s ({r.cpu_seconds:.1f}s CPU); {len(held)} held-out questions")
    lexical = Searcher(inst)
    os.environ[rerank.ENV] = str(tmp / "model-split")
    reranker = rerank.load(inst, lexical)
    items = sorted(held.items())
    print(f"  lexical          {metrics(ranks(lambda q: answering.ask(q, content, lexical), items))}")
    emb_only = []
    for q, want in items:
        sims = reranker.similarities(q, reranker.topics)
        order = sorted(sims, key=lambda t: -sims[t])
        emb_only.append(order.index(want) + 1 if want in order else None)
    print(f"  embedding alone  {metrics(emb_only)}")
    for w in WEIGHTS:
        fused = rerank.RerankingSearcher(lexical, replace(reranker, weight=w))
        mark = "  <- shipped" if w == rerank.WEIGHT else ""
        print(f"  fused w={w:<4}     {metrics(ranks(lambda q, fused=fused: answering.ask(q, content, fused), items))}{mark}")
    lexical.close()
    os.environ.pop(rerank.ENV)



def full_figures(content, analyzer, tmp: Path) -> None:
    from kb.service import build_index, open_kb, section_docs
    from search import rerank

    # 2. the shipped model on the sets it never saw
    model = tmp / "model"
    r = rerank.train(section_docs(content), analyzer, model)
    print(f"\nfull: trained on {r.pairs} pairs ({r.vocab} tokens) in {r.seconds:.1f}s ({r.cpu_seconds:.1f}s CPU), "
          f"{sum(f.stat().st_size for f in model.rglob('*') if f.is_file()) / 1e6:.1f} MB")
    inst = tmp / "full"
    build_index(content, inst)
    plain = open_kb(ROOT / "content", inst, build_if_stale=False)
    os.environ[rerank.ENV] = str(model)
    start = time.perf_counter()
    build_index(content, inst)
    embed_s = time.perf_counter() - start
    fused = open_kb(ROOT / "content", inst, build_if_stale=False)
    print(f"  kb build with embeddings: {embed_s:.2f}s; reranking: {type(fused.searcher).__name__}")
    score = scorer()
    for path in SETS:
        if not path.exists():
            print(f"  {path}: missing, skipped")
            continue
        items = score.load_jsonl(path)
        first = {}
        for name, kb in (("lexical", plain), ("rerank ", fused)):
            kb.ask(items[0]["q"])  # warm
            answers, ms, cpu = timed_answers(kb, items)
            rows = score.score(items, answers)
            first[name] = {r["id"]: r.get("rank") == 1 for r in rows if r["expect"] == "answer"}
            s = score.summarize(rows)
            print(f"  {path.name:14} {name} hit@1 {s['hit1']:.3f}  hit@3 {s['hit3']:.3f}  MRR {s['mrr']:.3f}  "
                  f"abstain {s['abstain_ok'] if s['abstain_ok'] is not None else float('nan'):.3f}  "
                  f"false-abstain {s['false_abstain']:.3f}  "
                  f"ask wall p50 {percentile(ms, 50):.2f} / p95 {percentile(ms, 95):.2f} ms, "
                  f"CPU p50 {percentile(cpu, 50):.2f} / p95 {percentile(cpu, 95):.2f} ms")
        won = sorted(i for i, ok in first["rerank "].items() if ok and not first["lexical"][i])
        lost = sorted(i for i, ok in first["rerank "].items() if not ok and first["lexical"][i])
        print(f"  {'':14} rerank made {len(won)} right at hit@1 {won} and {len(lost)} wrong {lost}")
    cost, cpu = [], []
    reranker = fused.searcher.reranker
    for it in score.load_jsonl(SETS[-1]):
        res = plain.searcher.search(it["q"], limit=40)
        start, c = time.perf_counter(), time.thread_time()
        reranker.fuse(res, it["q"])
        cost.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    print(f"  rerank step alone (analyse + embed question, fuse): wall p50 {percentile(cost, 50):.2f} ms  "
          f"p95 {percentile(cost, 95):.2f} ms; CPU p50 {percentile(cpu, 50):.2f} ms  p95 {percentile(cpu, 95):.2f} ms")
    kb_bin = Path(sys.executable).parent / "kb"
    for name, env in (("lexical", {}), ("rerank ", {rerank.ENV: str(model)})):
        runs, cpus = [], []
        for _ in range(2):
            start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([str(kb_bin), "--instance", str(inst), "ask", "출산휴가 며칠", "--json"],
                           env={**os.environ, rerank.ENV: "off", **env}, capture_output=True, check=True)
            runs.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(f"  cold start, kb ask process, {name}: wall {min(runs):.2f} s, CPU {min(cpus):.2f} s (best of 2)")
    plain.close()
    fused.close()
    print(f"\ndefault: rerank {'on' if rerank.DEFAULT_ON else 'off'} (search/rerank.py DEFAULT_ON); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
