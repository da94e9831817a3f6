"""The chat (home page). Works as a plain form post; web/static/app.js upgrades it to post the
same form with fetch and insert the answer this module renders (one renderer, `_exchange.html`,
for both paths), so the conversation grows on the page without a reload."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import Blueprint, jsonify, render_template, request

from kb.models import Answer, ReferralCard, Section, Topic
from kb.questions import MAX_QUESTION_CHARS, QuestionError
from kb.referrals import Context

from .current import get_kb
from .feedback import record_answer
from .plan import chat_offer
from .service import log_question

log = logging.getLogger(__name__)
bp = Blueprint("chat", __name__)

EXAMPLES = (
    "육아휴직 급여 얼마나 나와요?",
    "출산휴가는 며칠이에요?",
    "임신했는데 회사가 그만두래요",
    "남편 출산휴가 며칠 쓸 수 있어요?",
    "육아기 근로시간 단축 신청하고 싶어요",
    "월급을 못 받았어요",
)


@dataclass
class AnswerView:
    """An Answer arranged for the page: what goes first, which links, which cards."""

    answer: Answer
    topic: Topic | None = None                              # the answered topic (when confident)
    detail: Section | None = None                           # the section shown inline (steps or the part asked)
    urgent_cards: list[ReferralCard] = field(default_factory=list)   # 109 / 112 / 1366, shown first
    cards: list[ReferralCard] = field(default_factory=list)
    section_links: list[tuple[str, str, str]] = field(default_factory=list)   # (topic, anchor, heading)
    suggestions: list[tuple[str, str]] = field(default_factory=list)          # (topic id, title)
    text: str = ""           # the plain answer without the lead or human line already shown above it
    plan: dict | None = None                                                  # web.plan.chat_offer: dates + /plan link
    record_id: str | None = None        # the store's id of this answer (feedback needs it)
    also: AnswerView | None = None      # the second question's answer, when the message asked two things

    @property
    def parts(self) -> list[AnswerView]:
        """The answers shown under the question: this one, then the second question's."""
        return [self] if self.also is None else [self, self.also]


def arrange(answer: Answer, content) -> AnswerView:
    view = AnswerView(answer)
    view.text = answer.answer
    for shown in (answer.lead, answer.empathy):
        if shown and view.text.startswith(shown):
            view.text = view.text[len(shown):].strip()
    view.urgent_cards = [c for c in answer.referral_cards if c.urgent]
    view.cards = [c for c in answer.referral_cards if not c.urgent]
    if answer.confident and answer.topics:
        view.topic = content.topics.get(answer.topics[0])
    if view.topic is not None:
        view.detail = view.topic.section(answer.detail) if answer.detail else None
        seen = {answer.detail}
        for ref in answer.sections:
            core = view.topic.core.anchor if view.topic.core else None
            if ref.topic == view.topic.id and ref.anchor not in seen and ref.anchor != core:
                seen.add(ref.anchor)
                view.section_links.append((ref.topic, ref.anchor, ref.title))
        # in the topic's own order, which reads better than score order
        order = {s.anchor: i for i, s in enumerate(view.topic.sections)}
        view.section_links.sort(key=lambda link: order.get(link[1], 99))
    for tid, title in zip(answer.topics, answer.suggestions, strict=False):
        view.suggestions.append((tid, title))
    if answer.also is not None:
        view.also = arrange(answer.also, content)
    return view


def wants_fragment() -> bool:
    """app.js asks for the answer alone, to insert into the conversation."""
    return request.headers.get("X-Requested-With") == "fetch"


@bp.get("/")
def index():
    """The chat; `/?q=...` answers that question at once, so a center can link to an answer."""
    if request.args.get("q", "").strip():
        return answer_page(request.args["q"], request.args.get("region", ""))
    return render_template("chat.html", examples=EXAMPLES, exchanges=[], max_chars=MAX_QUESTION_CHARS,
                           districts=districts(get_kb().content))


def districts(content) -> list[str]:
    """The 자치구 a person may pick once; the choice travels with each question, never stored."""
    return sorted(content.places.districts) if content.places is not None else []


@bp.post("/")
def ask():
    return answer_page(request.form.get("q", ""), request.form.get("region", ""))


def answer_page(q: str, region: str = ""):
    kb = get_kb()
    region = region if region in districts(kb.content) else ""
    try:
        answer = kb.ask(q, context=Context(region=region)) if region else kb.ask(q)
    except QuestionError as e:
        log_question(q, refused=e.code)
        if wants_fragment():
            return jsonify({"error": e.message, "code": e.code}), 400
        return render_template("chat.html", examples=EXAMPLES, exchanges=[], error=e.message, q=q,
                               max_chars=MAX_QUESTION_CHARS, districts=districts(kb.content), region=region), 400
    log_question(answer.q, answer)
    exchange = arrange(answer, kb.content)
    exchange.record_id = record_answer(answer, "chat")
    if not answer.urgent:
        exchange.plan = chat_offer(answer.q)
    if wants_fragment():
        return render_template("_exchange.html", ex=exchange, latest=True)
    return render_template("chat.html", examples=(), exchanges=[exchange], max_chars=MAX_QUESTION_CHARS,
                           districts=districts(kb.content), region=region)
