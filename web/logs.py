"""Structured request logs: one JSON object per line, a request id on each, no raw personal data.

Every request gets an id (a client's own `X-Request-ID` when it is a plain token, else a new
one), sent back in the `X-Request-ID` header so a person reporting a problem can quote it.
Questions are logged through `log_question` only: masked by kb.privacy, on one line (newlines and
control characters cannot forge log lines), cut to KB_LOG_QUESTION_CHARS (default 200), or not
at all with KB_LOG_QUESTIONS=none. Refused questions go through the same path; a question that
took a crisis or danger route (kb/safety.py) is never logged as text, only its route.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, current_app, g, has_request_context, request

from kb.privacy import mask

log = logging.getLogger("web.requests")

_CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def request_id() -> str | None:
    return getattr(g, "request_id", None) if has_request_context() else None


def single_line(text: str, limit: int) -> str:
    text = text.encode("utf-8", errors="replace").decode("utf-8")     # lone surrogates
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def loggable_question(q) -> str | None:
    """What of a question may be written to a log: masked, one line, truncated, or None."""
    mode = current_app.config.get("KB_LOG_QUESTIONS", "masked") if has_request_context() else "masked"
    if mode == "none" or not isinstance(q, str) or not q:
        return None
    limit = int(current_app.config.get("KB_LOG_QUESTION_CHARS", 200)) if has_request_context() else 200
    q = single_line(q, limit * 2)       # bound the work before masking
    return single_line(mask(q), limit)


def log_event(event: str, **fields) -> None:
    out = {"event": event, "rid": request_id()}
    if has_request_context():
        out["path"] = request.path
    out.update(fields)
    log.info(json.dumps(out, ensure_ascii=False))


def log_question(q, answer=None, refused: str | None = None, kind: str = "question") -> None:
    urgent = bool(getattr(answer, "urgent", False) or getattr(answer, "crisis", False))
    fields = {"q": None if urgent else loggable_question(q)}
    if answer is not None:
        fields.update({"topic": answer.topics[0] if answer.topics else None, "confident": answer.confident,
                       "crisis": answer.crisis})
        if urgent:
            fields["urgent"] = True
            fields["route"] = getattr(answer, "route", None)
    if refused:
        fields["refused"] = refused
    log_event(kind, **fields)


class JsonFormatter(logging.Formatter):
    """Every log record as one JSON line; a record whose message already is JSON is merged."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
               "level": record.levelname.lower(), "logger": record.name}
        msg = record.getMessage()
        merged = False
        if msg.startswith("{"):
            try:
                out.update(json.loads(msg))
                merged = True
            except ValueError:
                pass
        if not merged:
            out["msg"] = single_line(msg, 2000)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)[-4000:]
        return json.dumps(out, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the whole process (used by `kb serve`)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def init_app(app: Flask) -> None:
    app.config.setdefault("KB_LOG_QUESTIONS", "masked")
    app.config.setdefault("KB_LOG_QUESTION_CHARS", 200)

    @app.before_request
    def assign_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _CLIENT_ID.fullmatch(given) else uuid.uuid4().hex[:16]

    @app.after_request
    def send_request_id(response):
        rid = request_id()
        if rid:
            response.headers["X-Request-ID"] = rid
        return response
