"""The team's own evaluation sets (bench/eval/*.jsonl) answered in-process, held to the bars.

Each line is {"id", "q", "topics"?, "referrals"?, "must"?, "expect"?} as in shared/eval/score.py:
hit@k counts an answer whose first k topics hold an accepted topic, referral@3 one whose first
three places hold an accepted place, facts one whose text holds every `must` string (spaces
ignored); "abstain" items must not be answered confidently, "crisis" items must set crisis and
name an accepted place first. Scored here from the sets' own fields, not from the code.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT

# Sets in shared/eval/score.py's format are scored here; the others have formats of their own
# and are scored by the tests named (every set in bench/eval/ must be claimed by one).
SCORED_ELSEWHERE = {"safety.jsonl": "tests/test_safety.py", "router-own.jsonl": "tests/test_referrals.py",
                    "junk.jsonl": "tests/test_hostile_input.py"}
ALL_SETS = sorted((ROOT / "bench" / "eval").glob("*.jsonl"))
SETS = [p for p in ALL_SETS if p.name not in SCORED_ELSEWHERE]
BARS = {"hit1": 0.85, "hit3": 0.95, "referral3": 0.9, "facts": 0.9}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def squash(text: str) -> str:
    return "".join(text.split())


def test_there_are_sets():
    assert SETS, "bench/eval/ has no *.jsonl set"


def test_every_other_set_is_scored_by_its_own_test():
    for name, test in SCORED_ELSEWHERE.items():
        assert (ROOT / "bench" / "eval" / name).exists(), name
        assert name in (ROOT / test).read_text(encoding="utf-8"), f"{test} does not read {name}"


@pytest.fixture(scope="module", params=SETS, ids=[p.name for p in SETS])
def scored(request, knowledge):
    items = load(request.param)
    return [(it, knowledge.ask(it["q"])) for it in items]


def test_every_item_is_well_formed(scored):
    for it, _ in scored:
        assert it.get("expect", "answer") in ("answer", "abstain", "crisis"), it["id"]
        kind = it.get("expect", "answer")
        assert it.get({"answer": "topics", "crisis": "referrals", "abstain": "q"}[kind]), it["id"]


def test_topic_hits_meet_the_bars(scored):
    answer = [(it, a) for it, a in scored if it.get("expect", "answer") == "answer"]
    assert len(answer) >= 20
    first = [it["id"] for it, a in answer if a.topics[:1] and a.topics[0] in it["topics"]]
    top3 = [it["id"] for it, a in answer if set(a.topics[:3]) & set(it["topics"])]
    assert len(first) / len(answer) >= BARS["hit1"], f"hit@1 {len(first)}/{len(answer)}"
    assert len(top3) / len(answer) >= BARS["hit3"], f"hit@3 {len(top3)}/{len(answer)}"


def test_referrals_meet_the_bar(scored):
    with_refs = [(it, a) for it, a in scored if it.get("expect", "answer") == "answer" and it.get("referrals")]
    assert with_refs
    ok = [it["id"] for it, a in with_refs if set(a.referrals[:3]) & set(it["referrals"])]
    assert len(ok) / len(with_refs) >= BARS["referral3"], f"referral@3 {len(ok)}/{len(with_refs)}"


def test_facts_meet_the_bar(scored):
    with_must = [(it, a) for it, a in scored if it.get("expect", "answer") == "answer" and it.get("must")]
    assert with_must
    ok = [it["id"] for it, a in with_must if all(squash(m) in squash(a.answer) for m in it["must"])]
    assert len(ok) / len(with_must) >= BARS["facts"], f"facts {len(ok)}/{len(with_must)}"


def test_out_of_scope_items_all_abstain(scored):
    confident = [it["id"] for it, a in scored if it.get("expect") == "abstain" and a.confident]
    assert confident == []


def test_crisis_items_all_put_the_right_place_first(scored):
    missed = [it["id"] for it, a in scored if it.get("expect") == "crisis"
              and not (a.crisis and a.referrals[:1] and a.referrals[0] in it.get("referrals", []))]
    assert missed == []


def test_the_holdout_has_every_kind_of_item():
    kinds = {it.get("expect", "answer") for it in load(ROOT / "bench" / "eval" / "holdout.jsonl")}
    assert kinds == {"answer", "abstain", "crisis"}


def test_every_ranking_regression_holds(knowledge):
    """bench/eval/regressions.jsonl holds questions that once put a neighbouring topic first (거절 +
    신고, 3.3% 프리랜서 + 출산 + 돈, 출휴 → 육휴, 하원 → 일찍 퇴근, feeling words, next year's rule): each one,
    not a share of them, must answer its topic first, confidently, with its facts and places."""
    missed = []
    for it in load(ROOT / "bench" / "eval" / "regressions.jsonl"):
        a = knowledge.ask(it["q"])
        ok = a.confident and a.topics[:1] and a.topics[0] in it["topics"]
        ok = ok and all(squash(m) in squash(a.answer) for m in it.get("must", ()))
        ok = ok and (not it.get("referrals") or set(a.referrals[:3]) & set(it["referrals"]))
        if not ok:
            missed.append((it["id"], a.topics[:3]))
    assert missed == []
