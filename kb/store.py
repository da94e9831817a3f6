"""The question log and feedback store: what was asked, where it landed, and whether it helped.

Why: editors of content/ can only improve what they can see. Each answer is logged (masked) with
an opaque id; a person can then say whether it helped. `kb report` reads this back.

SQLAlchemy 2 Core over SQLite (a file in the instance folder, the default) or PostgreSQL
(`DATABASE_URL=postgresql+psycopg://user@host/db`). The schema is created on first open and
versioned in a `schema_version` table; `MIGRATIONS` upgrades an older database in place.

Privacy rules, enforced here and nowhere else:
- the question and the free-text reason go through kb.privacy.mask before they are stored;
- no IP address, user agent or cookie is ever passed in: the API takes an Answer and a channel;
- a crisis or danger answer stores no question text at all, only its route, time and channel;
- question text is stored only when KB_QUESTION_LOG is on (default: on for the embedded SQLite,
  off for a DATABASE_URL server unless KB_QUESTION_LOG=1); rows without text still count;
- times are kept to the minute (UTC).

Writes never slow or break an answer: `record` only puts a row on a queue and returns its id; a
writer thread commits rows in batches, and a failed write is logged (without the text) and dropped.
"""
from __future__ import annotations

import logging
import os
import queue
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .privacy import mask

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
TEXT_MAX = 200
CHANNEL_MAX = 120
QUEUE_MAX = 10_000
BATCH_MAX = 500
BATCH_WAIT = 0.05          # seconds the writer gathers rows before one commit

# the "아니요" reasons a person can pick; keys are the API contract, labels are shown
REASONS = {
    "wrong_topic": "질문과 다른 내용이에요",
    "not_enough": "설명이 부족해요",
    "hard": "이해하기 어려워요",
    "wrong_info": "내용이 틀리거나 오래됐어요",
    "other": "기타",
}
CHANNELS = ("chat", "counselor", "api", "embed")
ROUTES = ("answer", "unsure", "crisis", "danger")

_ID = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
_ORIGIN = re.compile(r"^(https?)://([a-z0-9.-]+)(:\d{1,5})?$")

# ------------------------------------------------------------------ the current schema

metadata = sa.MetaData()

schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))

questions = sa.Table(
    "questions", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),     # UTC, to the minute
    sa.Column("channel", sa.String(CHANNEL_MAX), nullable=False),
    sa.Column("question", sa.Text, nullable=True),                # masked; NULL for crisis/danger or log off
    sa.Column("topic", sa.String(100), nullable=True),            # the topic answered (or nearest when unsure)
    sa.Column("confident", sa.Boolean, nullable=False),
    sa.Column("crisis", sa.Boolean, nullable=False),
    sa.Column("danger", sa.Boolean, nullable=False),
    sa.Column("route", sa.String(20), nullable=False),            # one of ROUTES
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("question_id", sa.String(40), sa.ForeignKey("questions.id"), primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(30), nullable=True),
    sa.Column("text", sa.String(TEXT_MAX), nullable=True),        # masked
)


# ------------------------------------------------------------------ migrations

def _migration_1(conn) -> None:
    """The first schema: questions and feedback (frozen here as it was; never edit a migration)."""
    md = sa.MetaData()
    sa.Table("schema_version", md, sa.Column("version", sa.Integer, nullable=False))
    sa.Table(
        "questions", md,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("channel", sa.String(CHANNEL_MAX), nullable=False),
        sa.Column("question", sa.Text, nullable=True),
        sa.Column("topic", sa.String(100), nullable=True),
        sa.Column("confident", sa.Boolean, nullable=False),
        sa.Column("crisis", sa.Boolean, nullable=False),
    )
    sa.Table(
        "feedback", md,
        sa.Column("question_id", sa.String(40), sa.ForeignKey("questions.id"), primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(30), nullable=True),
        sa.Column("text", sa.String(TEXT_MAX), nullable=True),
    )
    md.create_all(conn)


def _migration_2(conn) -> None:
    """The danger flag (violence routes beside crisis) and an explicit route per row, backfilled."""
    conn.execute(sa.text("ALTER TABLE questions ADD COLUMN danger BOOLEAN NOT NULL DEFAULT FALSE"))
    conn.execute(sa.text("ALTER TABLE questions ADD COLUMN route VARCHAR(20) NOT NULL DEFAULT 'answer'"))
    q = sa.table("questions", sa.column("route"), sa.column("crisis"), sa.column("confident"))
    conn.execute(sa.update(q).where(q.c.crisis == sa.true()).values(route="crisis"))
    conn.execute(sa.update(q).where(q.c.crisis == sa.false(), q.c.confident == sa.false()).values(route="unsure"))


MIGRATIONS = ((1, _migration_1), (2, _migration_2))


def current_version(conn) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: sa.Engine, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to `target` in one transaction; return the version reached.

    Concurrent first starts (several workers) take turns: an advisory lock on PostgreSQL, the
    write lock (BEGIN IMMEDIATE) on SQLite.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(4713902)"))
        elif conn.dialect.name == "sqlite":
            # take the write lock before looking, so two processes starting together take turns
            # (pysqlite would otherwise run the DDL outside any transaction)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        version = current_version(conn)
        if version > SCHEMA_VERSION:
            raise StoreError(f"the database schema is version {version}, newer than this code ({SCHEMA_VERSION})")
        for number, step in MIGRATIONS:
            if version < number <= target:
                step(conn)
                conn.execute(sa.delete(schema_version))
                conn.execute(sa.insert(schema_version).values(version=number))
                version = number
                log.info("store: schema migrated to version %d", number)
    return version


# ------------------------------------------------------------------ domain

class StoreError(RuntimeError):
    """The store cannot be opened or used (a bad URL, a server that is down, a newer schema)."""


class FeedbackError(ValueError):
    """Feedback that cannot be accepted as sent; `message` is Korean, for the person."""

    def __init__(self, message: str, code: str, status: int = 400):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True)
class Feedback:
    question_id: str
    helpful: bool
    reason: str | None = None
    text: str | None = None      # masked


@dataclass(frozen=True)
class Record:
    """One logged question with its feedback, as the report reads it."""

    id: str
    at: datetime
    channel: str
    question: str | None
    topic: str | None
    confident: bool
    crisis: bool
    danger: bool
    route: str
    helpful: bool | None = None
    reason: str | None = None
    text: str | None = None


def now_minute() -> datetime:
    """UTC now, cut to the minute (naive, as stored)."""
    return datetime.now(timezone.utc).replace(second=0, microsecond=0, tzinfo=None)


def clean_channel(channel: str | None) -> str:
    """chat / counselor / api / embed / widget:<origin>; anything else counts as api.

    An origin keeps only scheme://host[:port] (a site, not a person), lower-cased."""
    channel = (channel or "").strip()
    if channel in CHANNELS:
        return channel
    if channel.startswith("widget:"):
        origin = channel[len("widget:"):].strip().lower().rstrip("/")
        if _ORIGIN.match(origin):
            return ("widget:" + origin)[:CHANNEL_MAX]
        return "widget"
    if channel == "widget":
        return channel
    return "api"


def route_of(answer) -> str:
    if getattr(answer, "crisis", False):
        return "crisis"
    if getattr(answer, "danger", False):
        return "danger"
    return "answer" if getattr(answer, "confident", False) else "unsure"


def parse_feedback(question_id, helpful, reason=None, text=None) -> Feedback:
    """Check feedback as sent (JSON types); raise FeedbackError with a Korean message."""
    if not isinstance(question_id, str) or not _ID.match(question_id):
        raise FeedbackError("어떤 답변에 대한 의견인지 알 수 없어요 (id가 올바르지 않아요).", "bad_id")
    if not isinstance(helpful, bool):
        raise FeedbackError("도움이 되었는지 예(true) 또는 아니요(false)로 알려 주세요.", "bad_helpful")
    if reason in ("", None):
        reason = None
    elif not isinstance(reason, str) or reason not in REASONS:
        raise FeedbackError("이유를 목록에서 골라 주세요: " + ", ".join(REASONS), "bad_reason")
    if text in ("", None):
        text = None
    else:
        if not isinstance(text, str):
            raise FeedbackError("의견은 글자로 적어 주세요.", "bad_text")
        text = " ".join(text.split())
        if len(text) > TEXT_MAX:
            raise FeedbackError(f"의견은 {TEXT_MAX}자 이내로 적어 주세요.", "text_too_long")
        if any(unicodedata.category(ch) == "Cc" for ch in text):
            raise FeedbackError("의견에 입력할 수 없는 제어 문자가 들어 있어요.", "bad_text")
        text = mask(text)[:TEXT_MAX] or None
    if helpful:
        reason, text = None, None   # reasons belong to "아니요"
    return Feedback(question_id, helpful, reason, text)


# ------------------------------------------------------------------ configuration

def database_url(instance: str | Path | None = None) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from . import config

    folder = Path(instance or config.instance_dir())
    return f"sqlite:///{folder / 'kb.sqlite3'}"


def question_log_enabled(url: str) -> bool:
    """KB_QUESTION_LOG=1/0 decides; unset, questions are logged only into the embedded SQLite."""
    value = os.environ.get("KB_QUESTION_LOG", "").strip().lower()
    if value in ("1", "on", "true", "yes"):
        return True
    if value in ("0", "off", "false", "no"):
        return False
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")       # readers never wait for the writer
    cur.execute("PRAGMA synchronous=NORMAL")     # safe with WAL, and a commit costs no fsync
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, hide_parameters=True)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, hide_parameters=True, pool_pre_ping=True, pool_size=5, max_overflow=5)


# ------------------------------------------------------------------ the store

_STOP = object()


class Store:
    """Open with `open_store`; `record` from request handlers, `add_feedback`, `records`, `prune`."""

    def __init__(self, engine: sa.Engine, log_questions: bool = True):
        self.engine = engine
        self.log_questions = log_questions
        self.dropped = 0                      # rows lost to a full queue or a failed write
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_MAX)
        self._writer: threading.Thread | None = None     # started by the first record
        self._lock = threading.Lock()

    def _start_writer(self) -> None:
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_loop, name="kb-store-writer", daemon=True)
                self._writer.start()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ---- writing answers (from request handlers: must be fast and never raise)

    def record(self, answer, channel: str) -> str | None:
        """Queue one answered question; return its opaque id, or None when it was not recorded."""
        try:
            crisis = bool(getattr(answer, "crisis", False))
            danger = bool(getattr(answer, "danger", False))
            confident = bool(getattr(answer, "confident", False))
            topics = getattr(answer, "topics", ()) or ()
            sensitive = crisis or danger
            text = None
            if self.log_questions and not sensitive:
                text = mask(str(getattr(answer, "q", "") or ""))[:1000] or None
            row: dict[str, Any] = {
                "id": secrets.token_urlsafe(16), "at": now_minute(), "channel": clean_channel(channel),
                "question": text, "topic": None if sensitive else (str(topics[0])[:100] if topics else None),
                "confident": False if sensitive else confident, "crisis": crisis, "danger": danger,
                "route": route_of(answer),
            }
            if self._writer is None:
                self._start_writer()
            self._queue.put_nowait(row)
            return row["id"]
        except queue.Full:
            self.dropped += 1
            log.warning("store: queue full, an answer was not logged")
            return None
        except Exception:   # never break an answer
            self.dropped += 1
            log.error("store: could not queue an answer", exc_info=True)
            return None

    def _write_loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            if batch[0] is not _STOP:
                time.sleep(BATCH_WAIT)   # gather a batch: one commit for many answers under load
            while len(batch) < BATCH_MAX:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            rows = [r for r in batch if r is not _STOP]
            try:
                if rows:
                    with self.engine.begin() as conn:
                        conn.execute(sa.insert(questions), rows)
            except Exception as e:   # logged without parameters: rows hold question text
                self.dropped += len(rows)
                log.error("store: %d answer(s) not logged: %s", len(rows), type(e).__name__)
            finally:
                for _ in batch:
                    self._queue.task_done()
            if any(r is _STOP for r in batch):
                return

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued row is written (or dropped); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0 or self._writer is None or not self._writer.is_alive():
                    return False
                self._queue.all_tasks_done.wait(left)
        return True

    def close(self) -> None:
        if self._writer is not None and self._writer.is_alive():
            self._queue.put(_STOP)
            self._writer.join(timeout=10)
        self.engine.dispose()

    # ---- feedback

    def add_feedback(self, fb: Feedback) -> bool:
        """Store (or replace) the feedback on one answer; False when no such answer was logged."""
        self.flush(2.0)   # the answer may still be on the queue
        with self.engine.begin() as conn:
            found = conn.execute(sa.select(questions.c.id).where(questions.c.id == fb.question_id)).first()
            if found is None:
                return False
            conn.execute(sa.delete(feedback).where(feedback.c.question_id == fb.question_id))
            conn.execute(sa.insert(feedback).values(question_id=fb.question_id, at=now_minute(),
                                                    helpful=fb.helpful, reason=fb.reason, text=fb.text))
        return True

    # ---- reading and housekeeping

    def records(self, since: datetime | None = None, until: datetime | None = None,
                channel: str | None = None) -> list[Record]:
        """Logged questions with their feedback, oldest first. `channel` "widget" means every widget."""
        q, f = questions, feedback
        stmt = (sa.select(q.c.id, q.c.at, q.c.channel, q.c.question, q.c.topic, q.c.confident, q.c.crisis,
                          q.c.danger, q.c.route, f.c.helpful, f.c.reason, f.c.text)
                .select_from(q.outerjoin(f, f.c.question_id == q.c.id)).order_by(q.c.at, q.c.id))
        if since is not None:
            stmt = stmt.where(q.c.at >= since)
        if until is not None:
            stmt = stmt.where(q.c.at < until)
        if channel:
            if channel == "widget":
                stmt = stmt.where(sa.or_(q.c.channel == "widget", q.c.channel.like("widget:%")))
            else:
                stmt = stmt.where(q.c.channel == channel)
        with self.engine.connect() as conn:
            return [Record(*row) for row in conn.execute(stmt)]

    def prune(self, older_than: timedelta) -> int:
        """Delete questions (and their feedback) logged before now - older_than; return how many."""
        cutoff = now_minute() - older_than
        old = sa.select(questions.c.id).where(questions.c.at < cutoff)
        with self.engine.begin() as conn:
            conn.execute(sa.delete(feedback).where(feedback.c.question_id.in_(old)))
            return conn.execute(sa.delete(questions).where(questions.c.at < cutoff)).rowcount or 0

    def version(self) -> int:
        with self.engine.connect() as conn:
            return current_version(conn)


def open_store(url: str | None = None, instance: str | Path | None = None,
               log_questions: bool | None = None) -> Store:
    """Connect, create or migrate the schema, start the writer. Raises StoreError when it cannot."""
    url = url or database_url(instance)
    try:
        engine = make_engine(url)
        migrate(engine)
    except StoreError:
        raise
    except Exception as e:
        raise StoreError(f"cannot open the question store ({type(e).__name__}); check DATABASE_URL") from e
    return Store(engine, question_log_enabled(url) if log_questions is None else log_questions)


def parse_age(text: str) -> timedelta:
    """'7d', '180d', '12h', '2w' -> a timedelta (for --since and --older-than)."""
    m = re.fullmatch(r"\s*(\d{1,5})\s*([hdw])\s*", text or "")
    if not m:
        raise ValueError(f"'{text}': use a number and h, d or w, e.g. 7d")
    n, unit = int(m.group(1)), m.group(2)
    return {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
