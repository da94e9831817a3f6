"""A message asking two things gets both answers: in kb.answer, the answer JSON (CLI and API),
and the chat page rendered by the server (form post and the fetch path). Real index, real Kiwi,
Flask's test client."""
from __future__ import annotations

import html
import json

import pytest
from click.testing import CliRunner

from kb.cli import cli

from .conftest import CONTENT

TWO = "출휴 끝나고 바로 육휴 쓸 수 있어요? 그리고 육휴 중에 연차는요?"
FIRST, SECOND = "출휴 끝나고 바로 육휴 쓸 수 있어요?", "그리고 육휴 중에 연차는요?"


@pytest.fixture(scope="module")
def two(knowledge):
    return knowledge.ask(TWO)


def test_each_part_gets_its_own_topic(two, knowledge):
    assert (two.q, two.part) == (TWO, FIRST)
    assert two.topics[0] == "parental-leave" and two.confident
    assert two.also is not None and two.also.also is None
    assert (two.also.q, two.also.part) == (SECOND, SECOND)
    assert two.also.topics[0] == "leave-and-annual-leave" and two.also.confident
    # each part is answered as if asked alone
    alone = knowledge.ask(SECOND)
    assert (two.also.topics[:3], two.also.core) == (alone.topics[:3], alone.core)
    assert two.core == knowledge.content.topics["parental-leave"].core.text
    assert two.detail == "after-maternity"      # the part asked: right after 출산휴가


def test_the_json_keeps_the_contract_and_adds_the_second_answer(two):
    out = two.to_json()
    for key in ("q", "answer", "topics", "sections", "referrals", "referral_cards", "confident", "crisis",
                "as_of", "reviewed", "legal_basis", "suggestions"):
        assert key in out
    assert out["topics"][0] == "parental-leave" and out["q"] == TWO and out["part"] == FIRST
    assert out["also"]["topics"][0] == "leave-and-annual-leave" and out["also"]["part"] == SECOND
    assert out["also"]["also"] is None
    json.dumps(out, ensure_ascii=False)


@pytest.mark.parametrize("q", [
    "출휴 끝나고 육휴 쓰려는데 회사가 안 된대요. 어떻게 해야 하나요?",      # a story with one question
    "육아휴직 급여 얼마나 나와요? 신청은 어디서 해요?",                   # the second continues the first
    "육휴 몇 개월 쓸 수 있나요? 나눠서 쓸 수도 있나요?",                   # two questions, one topic
    "난임휴가 1년에 며칠이에요? 유급인가요",                              # the second names no topic of its own
    "출산휴가는 며칠 쓸 수 있나요?",
])
def test_one_question_or_one_topic_stays_one_answer(knowledge, q):
    a = knowledge.ask(q)
    assert a.also is None and a.part == ""
    assert a.to_json()["also"] is None


def test_safety_reads_the_whole_message_first_and_is_never_split(knowledge):
    a = knowledge.ask("출산휴가 며칠이에요? 그리고 회사 때문에 너무 힘들어서 죽고 싶어요")
    assert a.crisis and a.referrals[0] == "suicide-prevention-109"
    assert a.also is None


def test_feelings_in_one_part_do_not_move_its_topic(knowledge):
    a = knowledge.ask("출휴 끝나고 바로 육휴 쓸 수 있어요? 너무 서러워요. 그리고 육휴 중에 연차는요?")
    assert a.topics[0] == "parental-leave" and a.empathy
    assert a.also is not None and a.also.topics[0] == "leave-and-annual-leave" and not a.also.empathy


# ---------------------------------------------------------------- kb ask

def test_kb_ask_prints_both_answers_under_their_questions(instance_dir, two):
    r = CliRunner().invoke(cli, ["--content", str(CONTENT), "--instance", str(instance_dir), "ask", TWO], obj={})
    assert r.exit_code == 0, r.output
    out = r.output
    assert f"[질문 1] {FIRST}" in out and f"[질문 2] {SECOND}" in out
    assert out.index("[질문 1]") < out.index(two.core[:30]) < out.index("[질문 2]") < out.index(two.also.core[:30])


def test_kb_ask_batch_line_carries_also(instance_dir):
    line = json.dumps({"q": TWO}, ensure_ascii=False) + "\n"
    r = CliRunner().invoke(cli, ["--content", str(CONTENT), "--instance", str(instance_dir), "ask", "--batch"],
                           input=line, obj={})
    out = json.loads(r.output.strip().splitlines()[0])
    assert out["topics"][0] == "parental-leave" and out["also"]["topics"][0] == "leave-and-annual-leave"


# ---------------------------------------------------------------- web

def articles(page_html: str) -> list[str]:
    return [chunk.split("</article>")[0] for chunk in page_html.split("<article")[1:]]


def test_form_post_shows_both_answers_in_order(client, two):
    r = client.post("/", data={"q": TWO})
    assert r.status_code == 200
    page = html.unescape(r.get_data(as_text=True))
    parts = [a for a in articles(page) if "bubble-a" in a]
    assert len(parts) == 2
    assert 'data-part="1"' in parts[0] and f"질문 1</span> {FIRST}" in parts[0]
    assert 'data-part="2"' in parts[1] and f"질문 2</span> {SECOND}" in parts[1]
    assert two.core[:40] in parts[0] and two.also.core[:40] in parts[1]
    assert "/topics/parental-leave" in parts[0] and "/topics/leave-and-annual-leave" in parts[1]
    assert page.count(f"</span>{TWO}</p>") == 1          # the question bubble: the whole message, once
    assert "feedback" in parts[0] and "feedback" not in parts[1]    # one 도움이 되었나요 for the message


def test_the_fetch_path_gets_the_same_two_answers(client, two):
    r = client.post("/", data={"q": TWO}, headers={"X-Requested-With": "fetch"})
    assert r.status_code == 200
    frag = html.unescape(r.get_data(as_text=True))
    assert frag.lstrip().startswith("<li") and frag.count('class="bubble bubble-a answer') == 2
    assert two.also.core[:40] in frag


def test_one_question_renders_one_article_without_part_labels(client):
    r = client.post("/", data={"q": "출산휴가는 며칠 쓸 수 있나요?"})
    page = r.get_data(as_text=True)
    assert page.count('class="bubble bubble-a answer') == 1
    assert "data-part" not in page and "part-q" not in page


def test_the_parts_are_escaped(client):
    q = "출휴 끝나고 바로 육휴 쓸 수 있어요? 그리고 육휴 중에 연차는요 <b>x</b>?"
    r = client.post("/", data={"q": q})
    body = r.get_data(as_text=True)
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body


def test_api_ask_returns_also(client):
    r = client.post("/api/ask", json={"q": TWO})
    assert r.status_code == 200
    out = r.get_json()
    assert out["topics"][0] == "parental-leave" and out["part"] == FIRST
    assert out["also"]["topics"][0] == "leave-and-annual-leave" and out["also"]["part"] == SECOND
    assert out["also"]["referral_cards"]
    one = client.post("/api/ask", json={"q": "출산휴가는 며칠 쓸 수 있나요?"}).get_json()
    assert one["also"] is None and one["part"] == ""
