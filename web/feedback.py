"""Feedback on answers ("도움이 되었나요? 예 / 아니요" and an optional reason), and the question log.

POST /api/feedback   JSON {"id", "helpful", "reason", "text"} -> 201 {"ok": true} (web/API.md)
POST /feedback       the same as a plain form post (no JavaScript): a thank-you page, and after
                     "아니요" a second form for the reason

The store (kb.store) is opened once per app by `init_app`; when it cannot be opened the app still
answers, without ids. `record_answer` is what the answer routes call: it hands the store only the
Answer and a channel, never the request, so no IP address, user agent or cookie can reach it.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, jsonify, render_template, request

from kb.store import REASONS, TEXT_MAX, FeedbackError, StoreError, open_store, parse_feedback

from .errors import ApiError

log = logging.getLogger(__name__)
bp = Blueprint("feedback", __name__)

UNAVAILABLE = "지금은 의견을 받을 수 없어요. 잠시 뒤에 다시 해 주세요."
NOT_FOUND = "이 답변을 찾을 수 없어요. 오래된 답변이거나 주소가 잘못되었어요. 다시 물어봐 주세요."


def init_app(app: Flask) -> None:
    """Open the store: test_config STORE (an open Store) wins, else DATABASE_URL or the instance's SQLite.

    STORE=False turns it off (answers then carry no id)."""
    store = app.config.get("STORE")
    if store is None:
        kb = app.extensions.get("kb")
        instance = app.config.get("KB_INSTANCE") or getattr(kb, "instance", None)
        try:
            store = open_store(app.config.get("DATABASE_URL"), instance)
        except StoreError as e:
            log.error("question store unavailable; answers are not logged: %s", e)
            store = None
    app.extensions["store"] = store or None
    app.jinja_env.globals["FEEDBACK_REASONS"] = REASONS
    app.jinja_env.globals["FEEDBACK_TEXT_MAX"] = TEXT_MAX


def get_store():
    return current_app.extensions.get("store")


def record_answer(answer, channel: str) -> str | None:
    """Log an answer; its opaque id, or None when nothing was recorded. Never raises."""
    store = get_store()
    if store is None:
        return None
    return store.record(answer, channel)


def record_search(q: str) -> str | None:
    """Log a counselor search as the answer the chat would give to it (topic, confidence, crisis),
    so the report sees counselors' gaps too. Never raises."""
    store = get_store()
    if store is None:
        return None
    try:
        answer = current_app.extensions["kb"].ask(q)
    except Exception:
        return None
    return store.record(answer, "counselor")


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def api_channel(body: dict | None = None) -> str:
    """Where an /api/ask call came from: our own pages (chat, or embed when the page says so),
    a widget on another site (widget:<origin>), or a program (api). The Origin header names a
    site, not a person."""
    origin = _origin(request.headers.get("Origin", ""))
    if not origin:
        return "api"
    if origin == _origin(request.host_url):
        wanted = (body or {}).get("channel")
        return "embed" if wanted == "embed" else "chat"
    return "widget:" + origin


# ------------------------------------------------------------------ JSON

@bp.post("/api/feedback")
def feedback_api():
    from .api import json_body

    data = json_body()
    try:
        fb = parse_feedback(data.get("id"), data.get("helpful"), data.get("reason"), data.get("text"))
    except FeedbackError as e:
        raise ApiError(e.status, e.code, e.message) from None
    _save(fb)
    return jsonify({"ok": True}), 201


def _save(fb) -> None:
    store = get_store()
    if store is None:
        raise ApiError(503, "feedback_unavailable", UNAVAILABLE)
    try:
        found = store.add_feedback(fb)
    except Exception as e:   # the database is down: say so, never a 500
        log.error("feedback not stored: %s", type(e).__name__)
        raise ApiError(503, "feedback_unavailable", UNAVAILABLE) from None
    if not found:
        raise ApiError(404, "unknown_id", NOT_FOUND)


# ------------------------------------------------------------------ plain form (no JavaScript)

@bp.post("/feedback")
def feedback_form():
    form = request.form
    helpful = {"yes": True, "no": False}.get(form.get("helpful", ""))
    qid = form.get("id", "")
    try:
        if helpful is None:
            raise FeedbackError("‘예’ 또는 ‘아니요’를 골라 주세요.", "bad_helpful")
        fb = parse_feedback(qid, helpful, form.get("reason") or None, form.get("text") or None)
        _save(fb)
    except (FeedbackError, ApiError) as e:
        return render_template("feedback.html", error=e.message, qid=qid, helpful=helpful), e.status
    # after a bare "아니요" offer the reason form once
    ask_reason = not fb.helpful and fb.reason is None and fb.text is None
    return render_template("feedback.html", qid=fb.question_id, helpful=fb.helpful, ask_reason=ask_reason,
                           error=None)
