"""Crisis (109 first) and danger (112, then 1366) on the analysed question, in every channel.

The matcher runs the real Kiwi over content/safety.yaml; the answers come from the real index.
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from kb.answer import ask as answer_question

ROOT = Path(__file__).resolve().parent.parent
SAFETY_SET = ROOT / "bench" / "eval" / "safety.jsonl"
LONG_CRISIS = "회사에서 " * 132 + "정말 죽고 싶어요"          # 669 characters: over the 500 limit
DANGER_Q = "지금 집에 남편이 흉기를 들고 있어요"
CRISIS_Q = "그냥 잠들어서 안 깨어났으면 좋겠어요"


def route(safety_check, text) -> str:
    return safety_check(text).route


# ---------------------------------------------------------------- the team's own set, both directions

def _safety_set():
    return [json.loads(line) for line in SAFETY_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_safety_set_has_enough_of_each_kind():
    kinds = [item["expect"] for item in _safety_set()]
    assert len(kinds) >= 60 and {"crisis", "danger", "none"} <= set(kinds)


def test_safety_set_recall_and_false_alarms(knowledge):
    misses, false_alarms = [], []
    for item in _safety_set():
        a = knowledge.ask(item["q"])
        refs = list(a.referrals)
        if item["expect"] == "crisis" and not (a.crisis and refs[:1] == ["suicide-prevention-109"]):
            misses.append(item["q"])
        if item["expect"] == "danger" and not (a.danger and refs[:2] == ["police-112", "women-emergency-1366"]):
            misses.append(item["q"])
        if item["expect"] == "none" and (a.crisis or a.danger):
            false_alarms.append(item["q"])
    assert misses == [], "missed"
    assert false_alarms == [], "false alarms"


# ---------------------------------------------------------------- answers and card order

def test_crisis_answer_opens_with_109_and_a_calm_lead(knowledge, content):
    a = knowledge.ask(CRISIS_Q)
    assert a.crisis and not a.danger
    assert a.referrals[0] == "suicide-prevention-109" and a.referral_cards[0].urgent
    assert a.answer.startswith(content.safety["leads"]["crisis"].strip())
    assert a.lead and a.to_json()["lead"] == a.lead


def test_danger_answer_puts_112_then_1366(knowledge, content):
    a = knowledge.ask(DANGER_Q)
    assert a.danger and not a.crisis
    assert list(a.referrals[:2]) == ["police-112", "women-emergency-1366"]
    assert [c.urgent for c in a.referral_cards[:2]] == [True, True]
    assert a.answer.startswith(content.safety["leads"]["danger"].strip())
    assert "질문을 정확히 이해하지 못했어요" not in a.answer      # no labor noise over a 112 answer
    assert a.referral_cards[0].why == content.safety["why"]["police-112"]


def test_danger_at_work_adds_the_workplace_route(knowledge):
    sexual = knowledge.ask("팀장이 회식 끝나고 강제로 끌어안았어요")
    assert list(sexual.referrals[:3]) == ["police-112", "women-emergency-1366", "seoul-sexual-harassment-center"]
    beaten = knowledge.ask("사장님이 월급 달라니까 때렸어요")
    assert list(beaten.referrals[:3]) == ["police-112", "women-emergency-1366", "moel-regional-office"]


def test_wage_question_that_reports_an_assault_gets_both(knowledge):
    a = knowledge.ask("월급을 석 달째 안 줘서 따졌더니 사장이 때렸어요 임금체불 신고하고 싶어요")
    assert a.danger and a.referrals[0] == "police-112"
    assert a.confident and "wage-arrears" in a.topics[:2]
    assert a.core                                             # the labor answer follows


def test_crisis_and_danger_together_put_109_then_112(knowledge):
    a = knowledge.ask("남편이 때려서 이제 죽고 싶어요")
    assert a.crisis and a.danger
    assert list(a.referrals[:3]) == ["suicide-prevention-109", "police-112", "women-emergency-1366"]


def test_ordinary_question_has_no_urgent_cards(knowledge):
    a = knowledge.ask("육아휴직 급여 얼마나 나와요")
    assert not a.crisis and not a.danger and not a.lead
    assert not any(c.urgent for c in a.referral_cards)


# ---------------------------------------------------------------- before any refusal

def test_long_crisis_message_gets_109_in_the_core(knowledge, content):
    assert len(LONG_CRISIS) == 669
    a = answer_question(LONG_CRISIS, content, knowledge.searcher)
    assert a.crisis and a.referrals[0] == "suicide-prevention-109"
    assert "500자" in a.answer


def test_long_crisis_message_gets_109_from_the_api(client):
    r = client.post("/api/ask", json={"q": LONG_CRISIS})
    assert r.status_code == 200
    data = r.get_json()
    assert data["crisis"] is True and data["referrals"][0] == "suicide-prevention-109"


def test_long_crisis_message_gets_109_in_the_chat(client):
    r = client.post("/", data={"q": LONG_CRISIS})
    page = r.get_data(as_text=True)
    assert 'class="crisis-card"' in page and 'href="tel:109"' in page


def test_long_crisis_message_gets_109_from_the_cli(runner, knowledge):
    from kb.cli import cli

    result = runner.invoke(cli, ["--instance", str(knowledge.instance), "ask", "--json", LONG_CRISIS])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["referrals"][0] == "suicide-prevention-109"


def test_refused_ordinary_long_message_is_still_refused(client):
    r = client.post("/api/ask", json={"q": "회사에서 " * 200})
    assert r.status_code == 400


# ---------------------------------------------------------------- every channel

def test_chat_page_shows_the_112_block_first(client):
    page = client.post("/", data={"q": DANGER_Q}).get_data(as_text=True)
    first_tag = re.search(r"<article[^>]*>\s*(<[^>]+>)", page).group(1)
    assert "crisis-card is-danger" in first_tag
    block = page[page.index("crisis-card is-danger"):]
    assert block.index('href="tel:112"') < block.index('href="tel:1366"')


def test_chat_fragment_for_javascript_is_the_same_markup(client):
    r = client.post("/", data={"q": CRISIS_Q}, headers={"X-Requested-With": "fetch"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and html.lstrip().startswith('<li class="exchange" id="latest">')
    assert 'class="crisis-card"' in html and "<html" not in html


def test_counselor_search_shows_urgent_block(client):
    page = client.get("/search", query_string={"q": "상사한테 맞았어요 어떻게 해요"}).get_data(as_text=True)
    assert "crisis-card is-danger" in page and '<li class="result' in page
    assert page.index('href="tel:112"') < page.index('<li class="result')


def test_api_search_carries_the_urgent_cards(client):
    data = client.get("/api/search", query_string={"q": CRISIS_Q}).get_json()
    assert data["urgent"]["crisis"] is True
    assert data["urgent"]["referral_cards"][0]["id"] == "suicide-prevention-109"
    ordinary = client.get("/api/search", query_string={"q": "육아휴직 급여"}).get_json()
    assert ordinary["urgent"] is None


def test_api_search_refusal_still_carries_the_cards(client):
    r = client.get("/api/search", query_string={"q": LONG_CRISIS})
    assert r.status_code == 400
    assert r.get_json()["urgent"]["referral_cards"][0]["id"] == "suicide-prevention-109"


def test_cli_batch_danger(runner, knowledge):
    from kb.cli import cli

    result = runner.invoke(cli, ["--instance", str(knowledge.instance), "ask", "--batch"],
                           input=json.dumps({"q": DANGER_Q}, ensure_ascii=False) + "\n")
    out = json.loads(result.output.splitlines()[0])
    assert out["danger"] is True and out["referrals"][:2] == ["police-112", "women-emergency-1366"]


# ---------------------------------------------------------------- never logged as text

@pytest.mark.parametrize("q", [CRISIS_Q, DANGER_Q, LONG_CRISIS])
def test_urgent_questions_are_not_logged_as_text(client, caplog, q):
    caplog.set_level(logging.DEBUG)
    client.post("/api/ask", json={"q": q})
    client.post("/", data={"q": q})
    client.get("/search", query_string={"q": q})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "urgent" in logged
    for word in ("흉기", "깨어났으면", "죽고 싶어요"):
        assert word not in logged


def test_ordinary_questions_are_still_logged_masked(client, caplog):
    caplog.set_level(logging.INFO)
    client.post("/api/ask", json={"q": "육아휴직 급여 010-1234-5678"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "육아휴직 급여" in logged and "1234-5678" not in logged
