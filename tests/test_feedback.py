"""The feedback loop through Flask's test client: ids on answers, POST /api/feedback, the no-JS
form, counselor searches, channels, privacy (no IP, user agent or cookie reaches the database or
the log), a broken store, and `kb report` / `kb prune` on what was collected."""
from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package

from store_fixtures import postgres_url  # noqa: F401

from kb import store as st

ROOT = Path(__file__).resolve().parent.parent
PAY_Q = "육아휴직 급여 얼마나 나와요?"
OFF_Q = "비트코인 세금 신고는 어떻게 해요?"
ID = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


@pytest.fixture
def store(tmp_path):
    s = st.open_store(f"sqlite:///{tmp_path / 'kb.sqlite3'}", log_questions=True)
    yield s
    s.close()


@pytest.fixture
def fb_app(knowledge, instance_dir, store):
    from web import create_app

    return create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
                       "KB_INSTANCE": str(instance_dir), "STORE": store})


@pytest.fixture
def fb_client(fb_app):
    return fb_app.test_client()


def ask(client, q, **kw):
    return client.post("/api/ask", json={"q": q}, **kw)


def send(client, body):
    return client.post("/api/feedback", json=body)


def all_values(store) -> str:
    """Every stored value of every table, as one string (for privacy checks)."""
    out = []
    with store.engine.connect() as conn:
        for table in st.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                out.extend(str(v) for v in row)
    return "\n".join(out)


# ---------------------------------------------------------------- the JSON loop

def test_answer_id_and_feedback_roundtrip(fb_client, store):
    r = ask(fb_client, PAY_Q)
    qid = r.get_json()["id"]
    assert ID.match(qid)
    r = send(fb_client, {"id": qid, "helpful": False, "reason": "not_enough", "text": "상한액이 궁금해요"})
    assert r.status_code == 201 and r.get_json() == {"ok": True}
    [rec] = store.records()
    assert rec.id == qid and rec.helpful is False and rec.reason == "not_enough" and rec.text == "상한액이 궁금해요"
    assert rec.channel == "api"


@pytest.mark.parametrize("body, status, code", [
    ({"id": "x" * 22, "helpful": True}, 404, "unknown_id"),
    ({"id": "nope", "helpful": True}, 400, "bad_id"),
    ({"helpful": True}, 400, "bad_id"),
    ({"id": "x" * 22, "helpful": "yes"}, 400, "bad_helpful"),
    ({"id": "x" * 22, "helpful": False, "reason": "<script>"}, 400, "bad_reason"),
    ({"id": "x" * 22, "helpful": False, "text": "가" * 201}, 400, "text_too_long"),
])
def test_bad_feedback_is_a_korean_4xx(fb_client, body, status, code):
    r = send(fb_client, body)
    assert r.status_code == status
    data = r.get_json()
    assert data["code"] == code
    assert re.search(r"[가-힣]", data["error"])


def test_feedback_needs_json(fb_client):
    r = fb_client.post("/api/feedback", data={"id": "x" * 22, "helpful": "no"})
    assert r.status_code == 415 and re.search(r"[가-힣]", r.get_json()["error"])
    r = fb_client.post("/api/feedback", data="{nope", content_type="application/json")
    assert r.status_code == 400


def test_channels_from_origin(fb_client, store):
    ask(fb_client, PAY_Q)
    ask(fb_client, PAY_Q, headers={"Origin": "http://localhost"})
    ask(fb_client, PAY_Q, headers={"Origin": "https://Center.Example.org"})
    fb_client.post("/api/ask", json={"q": PAY_Q, "channel": "embed"}, headers={"Origin": "http://localhost"})
    store.flush()
    assert sorted(r.channel for r in store.records()) == ["api", "chat", "embed", "widget:https://center.example.org"]


# ---------------------------------------------------------------- pages without JavaScript

def test_chat_form_answer_carries_a_feedback_form_that_works_without_js(fb_client, store):
    r = fb_client.post("/", data={"q": PAY_Q})
    page = r.get_data(as_text=True)
    m = re.search(r'<form class="feedback"[^>]*data-id="([A-Za-z0-9_-]+)"', page)
    assert m, "the answer has a feedback form"
    qid = m.group(1)
    assert 'name="helpful" value="no"' in page and "도움이 되었나요?" in page
    r = fb_client.post("/feedback", data={"id": qid, "helpful": "no"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "의견 고마워요" in page and 'name="reason"' in page      # the reason step follows "아니요"
    r = fb_client.post("/feedback", data={"id": qid, "helpful": "no", "reason": "wrong_topic", "text": "다른 얘기예요"})
    assert r.status_code == 200 and 'name="reason"' not in r.get_data(as_text=True)
    [rec] = store.records()
    assert (rec.channel, rec.helpful, rec.reason, rec.text) == ("chat", False, "wrong_topic", "다른 얘기예요")


def test_form_feedback_errors_are_korean_pages(fb_client):
    r = fb_client.post("/feedback", data={"id": "x" * 22, "helpful": "maybe"})
    assert r.status_code == 400 and "‘예’ 또는 ‘아니요’" in r.get_data(as_text=True)
    r = fb_client.post("/feedback", data={"id": "x" * 22, "helpful": "yes"})
    assert r.status_code == 404 and "찾을 수 없어요" in r.get_data(as_text=True)


def test_counselor_search_is_logged_with_feedback(fb_client, store):
    r = fb_client.get("/search", query_string={"q": "계약직 출산휴가"})
    page = r.get_data(as_text=True)
    m = re.search(r'data-id="([A-Za-z0-9_-]+)"', page)
    assert m and "이 검색 결과가 도움이 되었나요?" in page
    assert send(fb_client, {"id": m.group(1), "helpful": True}).status_code == 201
    [rec] = store.records()
    assert rec.channel == "counselor" and rec.helpful is True


def test_feedback_text_is_escaped_on_the_page(fb_client):
    r = fb_client.post("/feedback", data={"id": "<b>x</b>", "helpful": "no"})
    assert r.status_code == 400
    assert "<b>x</b>" not in r.get_data(as_text=True)


# ---------------------------------------------------------------- privacy

def test_personal_data_is_masked_and_no_ip_ua_or_cookie_is_stored_or_logged(fb_client, store, caplog):
    caplog.set_level(logging.DEBUG)
    q = "육아휴직 급여 문의, 010-1234-5678 / 01087654321 주민번호 900101-1234567 메일 mom.kim@example.com"
    fb_client.set_cookie("session_hint", "COOKIE-SECRET-42")
    r = ask(fb_client, q, environ_base={"REMOTE_ADDR": "203.0.113.77"},
            headers={"User-Agent": "UA-SECRET-Browser/9", "X-Forwarded-For": "198.51.100.23"})
    qid = r.get_json()["id"]
    send(fb_client, {"id": qid, "helpful": False, "reason": "other", "text": "계좌 110-123-456789 로 연락 010-2222-3333"})
    store.flush()
    stored = all_values(store)
    for secret in ("1234-5678", "01087654321", "8765-4321", "1234567", "mom.kim@", "2222-3333",
                   "203.0.113.77", "198.51.100.23", "UA-SECRET", "COOKIE-SECRET"):
        assert secret not in stored, secret
    assert "900101" in stored and "육아휴직" in stored     # masked, not dropped
    logged = caplog.text
    for secret in ("203.0.113.77", "198.51.100.23", "UA-SECRET", "COOKIE-SECRET", "1234-5678", "mom.kim@"):
        assert secret not in logged, secret


# ---------------------------------------------------------------- failure never breaks an answer

def test_a_broken_store_does_not_break_answers(fb_client, store):
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE feedback"))
        conn.execute(sa.text("DROP TABLE questions"))
    r = ask(fb_client, PAY_Q)
    assert r.status_code == 200 and r.get_json()["confident"] is True
    r = send(fb_client, {"id": r.get_json()["id"], "helpful": True})
    assert r.status_code == 503 and re.search(r"[가-힣]", r.get_json()["error"])


def test_without_a_store_answers_have_no_id(knowledge, instance_dir):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "KB_INSTANCE": str(instance_dir), "STORE": False})
    client = app.test_client()
    data = ask(client, PAY_Q).get_json()
    assert "id" not in data and data["confident"] is True
    page = client.post("/", data={"q": PAY_Q}).get_data(as_text=True)
    assert "data-feedback-form" not in page.split('<template id="feedback-template">')[0]
    r = send(client, {"id": "x" * 22, "helpful": True})
    assert r.status_code == 503


def test_an_unreachable_database_does_not_stop_the_app(knowledge, instance_dir, caplog):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "KB_INSTANCE": str(instance_dir),
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"})
    assert app.extensions["store"] is None
    assert "question store unavailable" in caplog.text
    assert "id" not in ask(app.test_client(), PAY_Q).get_json()


# ---------------------------------------------------------------- the whole loop into `kb report`

def _loop(client, store):
    """Three people: two ask about refused parental leave in different words (it lands but does
    not help), one asks something the content has no topic for."""
    ids = {}
    for q in ("육휴 거절", "육아휴직을 거부당했어요", OFF_Q, PAY_Q):
        ids[q] = ask(client, q, headers={"Origin": "https://center.example.org"}).get_json()["id"]
    send(client, {"id": ids["육휴 거절"], "helpful": False, "reason": "not_enough"})
    send(client, {"id": ids["육아휴직을 거부당했어요"], "helpful": False, "reason": "wrong_topic"})
    send(client, {"id": ids[PAY_Q], "helpful": True})
    store.flush()
    return ids


def test_report_groups_the_loop(fb_client, store, knowledge):
    from kb.report import build_report

    _loop(fb_client, store)
    report = build_report(store.records(), knowledge.searcher.analyzer, knowledge.content)
    assert report.questions == 4 and report.helpful == 1 and report.unhelpful == 2
    refused = next(g for g in report.groups if "육아휴직" in g.terms)
    assert refused.count == 2, [g.to_json() for g in report.groups]
    assert set(refused.examples) == {"육휴 거절", "육아휴직을 거부당했어요"}
    assert refused.suggestion == "extend topic" and refused.target == refused.topic
    assert refused.reasons == {"not_enough": 1, "wrong_topic": 1}
    off = next(g for g in report.groups if "비트코인" in g.terms)
    assert off.count == 1 and off.suggestion == "new topic"
    md = report.to_markdown()
    assert "육휴 거절" in md and "주제 보강" in md and "새 주제" in md


def test_report_suggests_a_synonym_for_a_near_keyword(store, knowledge):
    from kb.report import build_report, content_terms, known_vocabulary

    analyzer = knowledge.searcher.analyzer
    vocab, keywords = known_vocabulary(knowledge.content, analyzer)
    q = "육아휴업 신청하려면요"     # 휴업: a word no title, keyword or question uses; 휴업급여 is a keyword
    assert "휴업" in content_terms(analyzer, q) and "휴업" not in vocab and "휴업급여" in keywords
    # as logged when nothing answered it (an unsure answer with no topic)
    store.record(SimpleNamespace(q=q, topics=(), confident=False, crisis=False), "chat")
    store.flush()
    report = build_report(store.records(), analyzer, knowledge.content)
    [g] = report.groups
    assert g.suggestion == "add synonym" and g.target == f"휴업 -> 휴업급여 ({keywords['휴업급여']})"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kb_report_cli_on_both_databases(backend, knowledge, instance_dir, tmp_path, monkeypatch, request):
    from kb.cli import cli
    from web import create_app

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for t in ("feedback", "questions", "schema_version"):
                conn.execute(sa.text(f"DROP TABLE IF EXISTS {t}"))
        engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KB_QUESTION_LOG", "1")
    app = create_app({"TESTING": True, "KB": knowledge, "KB_INSTANCE": str(instance_dir)})
    store = app.extensions["store"]
    assert store.dialect == backend
    _loop(app.test_client(), store)
    store.close()

    runner = CliRunner()
    args = ["--content", str(ROOT / "content"), "--instance", str(instance_dir)]
    r = runner.invoke(cli, [*args, "report", "--since", "7d", "--json"], obj={})
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["questions"] == 4 and data["unhelpful"] == 2
    assert any(g["count"] == 2 and g["suggestion"] == "extend topic" for g in data["groups"])
    r = runner.invoke(cli, [*args, "report", "--channel", "chat"], obj={})
    assert r.exit_code == 0 and "질문 0건" in r.output
    r = runner.invoke(cli, [*args, "report", "--since", "soon"], obj={})
    assert r.exit_code == 2
    r = runner.invoke(cli, [*args, "prune", "--older-than", "1d"], obj={})
    assert r.exit_code == 0 and "deleted 0" in r.output


# ---------------------------------------------------------------- /report (counselors and editors)

def test_report_page_is_off_without_a_token(fb_client, monkeypatch):
    monkeypatch.delenv("KB_ADMIN_TOKEN", raising=False)
    assert fb_client.get("/report").status_code == 404


def test_report_page_needs_the_token(fb_app, fb_client, store, caplog):
    caplog.set_level(logging.DEBUG)
    fb_app.config["KB_ADMIN_TOKEN"] = "s3cret-token-value"
    _loop(fb_client, store)
    r = fb_client.get("/report")
    assert r.status_code == 200 and 'name="token"' in r.get_data(as_text=True) and "육휴 거절" not in r.get_data(as_text=True)
    r = fb_client.post("/report", data={"token": "wrong"})
    assert r.status_code == 403 and "육휴 거절" not in r.get_data(as_text=True)
    r = fb_client.get("/report?token=s3cret-token-value")     # never from the URL
    assert "육휴 거절" not in r.get_data(as_text=True)
    r = fb_client.post("/report", data={"token": "s3cret-token-value", "days": "7"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "육휴 거절" in page and "주제 보강" in page
    assert "s3cret-token-value" not in page
    r = fb_client.get("/report", headers={"Authorization": "Bearer s3cret-token-value"})
    assert "육휴 거절" in r.get_data(as_text=True)
    assert "s3cret-token-value" not in caplog.text
