"""The question and feedback store against SQLite and a real PostgreSQL (no mock database).

Every test runs twice: once on a SQLite file in a temp folder, once on the throw-away PostgreSQL
cluster of tests/store_fixtures.py.
"""
from __future__ import annotations

import logging
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package

from store_fixtures import postgres_url  # noqa: F401

from kb import store as st

PAY_Q = "육아휴직 급여 얼마나 나와요?"


def _drop_all(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in ("feedback", "questions", "schema_version"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    _drop_all(url)
    yield url
    _drop_all(url)


@pytest.fixture
def store(db_url):
    s = st.open_store(db_url, log_questions=True)
    yield s
    s.close()


def rows(store, table="questions"):
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(st.metadata.tables[table]))]


def with_flags(answer, **flags):
    """An answer as the lead's next Answer will look (with `danger`), from a real one."""
    return SimpleNamespace(**{**answer.__dict__, **flags})


# ---------------------------------------------------------------- schema and migration

def test_schema_is_created_on_first_open_and_versioned(db_url):
    s = st.open_store(db_url)
    try:
        assert s.version() == st.SCHEMA_VERSION
        names = set(sa.inspect(s.engine).get_table_names())
        assert {"questions", "feedback", "schema_version"} <= names
    finally:
        s.close()
    again = st.open_store(db_url)   # a second start changes nothing
    try:
        assert again.version() == st.SCHEMA_VERSION
        with again.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(st.schema_version)).scalar() == 1
    finally:
        again.close()


def test_migration_from_version_1_keeps_rows_and_backfills_route(db_url):
    engine = st.make_engine(db_url)
    assert st.migrate(engine, target=1) == 1
    v1 = sa.table("questions", *(sa.column(c) for c in ("id", "at", "channel", "question", "topic", "confident", "crisis")))
    at = st.now_minute()
    with engine.begin() as conn:
        conn.execute(sa.insert(v1), [
            {"id": "a" * 22, "at": at, "channel": "chat", "question": "육아휴직 급여", "topic": "parental-leave-pay",
             "confident": True, "crisis": False},
            {"id": "b" * 22, "at": at, "channel": "api", "question": "코인 세금", "topic": None,
             "confident": False, "crisis": False},
            {"id": "c" * 22, "at": at, "channel": "chat", "question": None, "topic": None,
             "confident": False, "crisis": True},
        ])
        conn.execute(sa.text("INSERT INTO feedback (question_id, at, helpful) VALUES (:q, :at, :h)"),
                     {"q": "a" * 22, "at": at, "h": False})
    engine.dispose()

    s = st.open_store(db_url)
    try:
        assert s.version() == 2
        got = {r.id[0]: r for r in s.records()}
        assert got["a"].route == "answer" and got["a"].helpful is False and got["a"].question == "육아휴직 급여"
        assert got["b"].route == "unsure"
        assert got["c"].route == "crisis"
        assert not any(r.danger for r in got.values())
    finally:
        s.close()


def test_workers_starting_together_take_turns_creating_the_schema(db_url):
    from concurrent.futures import ThreadPoolExecutor

    def start(_):
        s = st.open_store(db_url)   # each its own engine and connection, as separate workers have
        try:
            return s.version()
        finally:
            s.close()

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(start, range(4))) == [st.SCHEMA_VERSION] * 4


def test_a_newer_schema_is_refused(db_url):
    s = st.open_store(db_url)
    with s.engine.begin() as conn:
        conn.execute(sa.update(st.schema_version).values(version=st.SCHEMA_VERSION + 1))
    s.close()
    with pytest.raises(st.StoreError, match="newer"):
        st.open_store(db_url)


# ---------------------------------------------------------------- recording answers

def test_record_stores_masked_question_topic_channel_and_minute(store, knowledge):
    q = "육아휴직 급여 얼마예요? 제 번호 010-1234-5678, 주민번호 900101-1234567, 메일 mom@example.com"
    answer = knowledge.ask(q)
    qid = store.record(answer, "widget:https://Center.example.org/")
    assert qid and len(qid) >= 16
    assert store.flush()
    [row] = rows(store)
    assert row["id"] == qid
    assert "1234-5678" not in row["question"] and "5678" in row["question"]   # last digits kept for context
    assert "1234567" not in row["question"] and "900101" in row["question"]
    assert "mom@example.com" not in row["question"]
    assert row["topic"] == answer.topics[0]
    assert row["confident"] is answer.confident
    assert row["channel"] == "widget:https://center.example.org"
    assert row["at"].second == 0 and row["at"].microsecond == 0
    assert row["route"] == ("answer" if answer.confident else "unsure")


@pytest.mark.parametrize("flags", [{"crisis": True}, {"danger": True}])
def test_crisis_and_danger_store_no_question_text(store, knowledge, flags):
    answer = with_flags(knowledge.ask(PAY_Q), **{"danger": False, **flags})
    qid = store.record(answer, "chat")
    assert store.flush()
    [row] = rows(store)
    assert row["id"] == qid
    assert row["question"] is None and row["topic"] is None
    assert row["route"] == ("crisis" if flags.get("crisis") else "danger")
    assert row["channel"] == "chat"


def test_real_crisis_answer_stores_no_text(store, knowledge):
    answer = knowledge.ask("회사 때문에 너무 힘들어서 죽고 싶어요")
    assert answer.crisis
    store.record(answer, "api")
    store.flush()
    [row] = rows(store)
    assert row["question"] is None and row["crisis"] is True and row["route"] == "crisis"


def test_question_log_off_keeps_the_row_without_text(db_url, knowledge):
    s = st.open_store(db_url, log_questions=False)
    try:
        qid = s.record(knowledge.ask(PAY_Q), "chat")
        s.flush()
        [row] = rows(s)
        assert row["id"] == qid and row["question"] is None and row["topic"]
    finally:
        s.close()


def test_question_log_default_depends_on_the_database(monkeypatch):
    monkeypatch.delenv("KB_QUESTION_LOG", raising=False)
    assert st.question_log_enabled("sqlite:///x.db") is True
    assert st.question_log_enabled("postgresql+psycopg://u@h/db") is False
    monkeypatch.setenv("KB_QUESTION_LOG", "0")
    assert st.question_log_enabled("sqlite:///x.db") is False
    monkeypatch.setenv("KB_QUESTION_LOG", "1")
    assert st.question_log_enabled("postgresql+psycopg://u@h/db") is True


def test_a_failed_write_is_logged_without_text_and_never_raises(store, knowledge, caplog):
    with store.engine.begin() as conn:   # the table vanishes under the running store
        conn.execute(sa.text("DROP TABLE feedback"))
        conn.execute(sa.text("DROP TABLE questions"))
    caplog.set_level(logging.ERROR, logger="kb.store")
    q = "연락처 010-9876-5432 육아휴직 급여"
    qid = store.record(knowledge.ask(q), "chat")
    assert qid   # the answer still goes out
    assert store.flush()
    assert store.dropped == 1
    assert "not logged" in caplog.text
    assert "9876" not in caplog.text and "육아휴직" not in caplog.text


def test_channels_are_normalised():
    assert st.clean_channel("chat") == "chat"
    assert st.clean_channel("embed") == "embed"
    assert st.clean_channel("widget:https://a.example.kr:8443/path?x=1") == "widget"
    assert st.clean_channel("widget:HTTPS://A.example.kr:8443") == "widget:https://a.example.kr:8443"
    assert st.clean_channel("something else") == "api"
    assert st.clean_channel(None) == "api"


# ---------------------------------------------------------------- feedback

def test_feedback_is_stored_masked_and_replaced(store, knowledge):
    qid = store.record(knowledge.ask(PAY_Q), "chat")
    fb = st.parse_feedback(qid, False, "not_enough", "제 번호 01012345678 로 연락 주세요")
    assert store.add_feedback(fb) is True
    [row] = rows(store, "feedback")
    assert row["helpful"] is False and row["reason"] == "not_enough"
    assert "01012345678" not in row["text"] and "1234" not in row["text"]
    assert store.add_feedback(st.parse_feedback(qid, True)) is True
    [row] = rows(store, "feedback")
    assert row["helpful"] is True and row["reason"] is None and row["text"] is None


def test_feedback_on_an_unknown_id_is_refused(store):
    assert store.add_feedback(st.parse_feedback("x" * 22, False)) is False
    assert rows(store, "feedback") == []


@pytest.mark.parametrize("args, code", [
    (("short", True), "bad_id"),
    ((None, True), "bad_id"),
    (("a" * 22, "yes"), "bad_helpful"),
    (("a" * 22, False, "because"), "bad_reason"),
    (("a" * 22, False, None, "가" * 201), "text_too_long"),
    (("a" * 22, False, None, 5), "bad_text"),
    (("a" * 22, False, None, "a\x00b"), "bad_text"),
])
def test_bad_feedback_gets_a_korean_message(args, code):
    with pytest.raises(st.FeedbackError) as e:
        st.parse_feedback(*args)
    assert e.value.code == code
    assert any("\uac00" <= ch <= "\ud7a3" for ch in e.value.message)


# ---------------------------------------------------------------- reading back, pruning

def test_records_filter_by_time_and_channel_and_prune(store, knowledge):
    old = store.record(knowledge.ask(PAY_Q), "chat")
    new = store.record(knowledge.ask("출산휴가는 며칠이에요?"), "widget:https://a.example.org")
    store.flush()
    with store.engine.begin() as conn:
        conn.execute(sa.update(st.questions).where(st.questions.c.id == old)
                     .values(at=st.now_minute() - timedelta(days=200)))
    store.add_feedback(st.parse_feedback(old, False, "other"))
    assert [r.id for r in store.records(since=st.now_minute() - timedelta(days=7))] == [new]
    assert [r.id for r in store.records(channel="widget")] == [new]
    assert [r.id for r in store.records(channel="chat")] == [old]
    assert store.prune(timedelta(days=180)) == 1
    assert [r.id for r in store.records()] == [new]
    assert rows(store, "feedback") == []


def test_parse_age():
    assert st.parse_age("7d") == timedelta(days=7)
    assert st.parse_age("12h") == timedelta(hours=12)
    assert st.parse_age("2w") == timedelta(weeks=2)
    with pytest.raises(ValueError, match="use a number and h, d or w"):
        st.parse_age("soon")
