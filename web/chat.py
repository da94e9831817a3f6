"""The chat (home page). Works as a plain form post; web/static/app.js upgrades it to post the
same form with fetch and insert the answer this module renders (one renderer, `_exchange.html`,
for both paths), so the conversation grows on the page without a reload."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import Blueprint, jsonify, render_template, request

from kb.models import Answer, ReferralCard, Topic
from kb.questions import MAX_QUESTION_CHARS, QuestionError

from . import get_kb
from .views import EXAMPLES

log = logging.getLogger(__name__)
bp = Blueprint("chat", __name__)


@dataclass
class AnswerView:
    """An Answer arranged for the page: what goes first, which links, which cards."""

    answer: Answer
    topic: Topic | None = None                              # the answered topic (when confident)
    urgent_cards: list[ReferralCard] = field(default_factory=list)   # 109 / 112 / 1366, shown first
    cards: list[ReferralCard] = field(default_factory=list)
    section_links: list[tuple[str, str, str]] = field(default_factory=list)   # (topic, anchor, heading)
    suggestions: list[tuple[str, str]] = field(default_factory=list)          # (topic id, title)


def arrange(answer: Answer, content) -> AnswerView:
    view = AnswerView(answer)
    view.urgent_cards = [c for c in answer.referral_cards if c.urgent]
    view.cards = [c for c in answer.referral_cards if not c.urgent]
    if answer.confident and answer.topics:
        view.topic = content.topics.get(answer.topics[0])
    if view.topic is not None:
        seen = set()
        for ref in answer.sections:
            core = view.topic.core.anchor if view.topic.core else None
            if ref.topic == view.topic.id and ref.anchor not in seen and ref.anchor != core:
                seen.add(ref.anchor)
                view.section_links.append((ref.topic, ref.anchor, ref.title))
        # in the topic's own order, which reads better than score order
        order = {s.anchor: i for i, s in enumerate(view.topic.sections)}
        view.section_links.sort(key=lambda link: order.get(link[1], 99))
    for tid, title in zip(answer.topics, answer.suggestions):
        view.suggestions.append((tid, title))
    return view


def log_question(q: str, answer: Answer | None = None, refused: str | None = None) -> None:
    """One JSON log line (web/logs.py: masked, single-line, truncated, with the request id). A
    crisis or danger question is never logged as text: only the route taken."""
    from .logs import log_question as write

    write(q, answer, refused=refused or (None if answer is not None else "refused"))


def wants_fragment() -> bool:
    """app.js asks for the answer alone, to insert into the conversation."""
    return request.headers.get("X-Requested-With") == "fetch"


@bp.get("/")
def index():
    return render_template("chat.html", examples=EXAMPLES, exchanges=[], max_chars=MAX_QUESTION_CHARS)


@bp.post("/")
def ask():
    q = request.form.get("q", "")
    kb = get_kb()
    try:
        answer = kb.ask(q)
    except QuestionError as e:
        log_question(q, refused=e.code)
        if wants_fragment():
            return jsonify({"error": e.message, "code": e.code}), 400
        return render_template("chat.html", examples=EXAMPLES, exchanges=[], error=e.message, q=q,
                               max_chars=MAX_QUESTION_CHARS), 400
    log_question(answer.q, answer)
    exchange = arrange(answer, kb.content)
    if wants_fragment():
        return render_template("_exchange.html", ex=exchange, latest=True)
    return render_template("chat.html", examples=(), exchanges=[exchange], max_chars=MAX_QUESTION_CHARS)
