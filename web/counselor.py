"""The counselor view (/search): section-level results with highlighted snippets, filters, and a
"표준 답변 복사" button per result. The same search backs GET /api/search."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for

from kb import referrals as referral_router
from kb.answer import standard_answer, urgent_help
from kb.questions import MAX_QUESTION_CHARS, QuestionError, clean_question

from .current import get_kb
from .errors import ApiError
from .feedback import record_search
from .views import APPLIES_TO, AUDIENCES, categories, category_name

log = logging.getLogger(__name__)
bp = Blueprint("counselor", __name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


@dataclass
class Hit:
    topic: str
    title: str
    category: str
    category_name: str
    anchor: str
    heading: str
    score: float
    snippet: tuple          # search.searcher.Segment(text, match)
    copy_text: str
    is_core: bool

    def to_json(self) -> dict:
        return {
            "topic": self.topic, "title": self.title, "category": self.category,
            "category_name": self.category_name, "anchor": self.anchor, "heading": self.heading,
            "score": round(self.score, 4), "url": url_for("topics.topic", topic_id=self.topic) + "#" + self.anchor,
            "snippet": [{"text": s.text, "match": s.match} for s in self.snippet],
            "standard_answer": self.copy_text,
        }


def read_filters(args) -> dict:
    """category / audience / applies_to from the query string; unknown values are a 400."""
    kb = get_kb()
    known = {"category": categories(kb.content), "audience": AUDIENCES, "applies_to": APPLIES_TO}
    filters = {}
    for name, allowed in known.items():
        value = (args.get(name) or "").strip()
        if not value:
            continue
        if value not in allowed:
            raise ApiError(400, "bad_filter", f"{name} 값 '{value[:40]}'을(를) 알 수 없어요. "
                                              f"쓸 수 있는 값: {', '.join(allowed)}")
        filters[name] = value
    return filters


def read_limit(args) -> int:
    raw = args.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ApiError(400, "bad_limit", f"limit은 1에서 {MAX_LIMIT} 사이의 숫자로 보내 주세요.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "bad_limit", f"limit은 1에서 {MAX_LIMIT} 사이의 숫자로 보내 주세요.")
    return limit


def search(q: str, filters: dict, limit: int) -> tuple[list[Hit], tuple[str, ...]]:
    kb = get_kb()
    index_filters = dict(filters)
    if index_filters.get("applies_to") and index_filters["applies_to"] != "all":
        # a topic for everyone ("all") applies to every kind of worker
        index_filters["applies_to"] = [index_filters["applies_to"], "all"]
    result = kb.search(q, filters=index_filters or None, limit=limit, snippets=True)
    hits = []
    for h in result.sections:
        topic = kb.content.topics.get(h.topic)
        if topic is None:
            continue
        section = topic.section(h.anchor)
        hits.append(Hit(
            topic=topic.id, title=topic.title, category=topic.category,
            category_name=category_name(kb.content, topic.category), anchor=h.anchor, heading=h.heading,
            score=h.score, snippet=h.snippet, copy_text=standard_answer(topic, section),
            is_core=section is not None and section is topic.core,
        ))
    from .logs import log_event, loggable_question

    urgent = urgent_help(q, kb.content) is not None          # urgent text is never logged
    log_event("search", q=None if urgent else loggable_question(q), urgent=urgent or None,
              filters=filters, hits=len(hits))
    return hits[:limit], result.terms


def referral_cards(q: str, hits: list[Hit], content) -> list:
    """Where to send this person: the router on the best-matching topics (why + open now)."""
    topics = [content.topics[t] for t in dict.fromkeys(h.topic for h in hits)][:2]
    if not topics:
        return []
    # a crisis or danger is shown above the results (urgent_help); these are the labor places
    routing = referral_router.plan(q, topics, content, crisis=False, confident=True)
    return referral_router.cards(routing.ids, content, topics[0], crisis=False, routing=routing)


@bp.get("/search")
def search_page():
    kb = get_kb()
    raw_q = request.args.get("q", "")
    context = {
        "q": raw_q, "hits": None, "error": None, "filters": {},
        "categories": categories(kb.content), "max_chars": MAX_QUESTION_CHARS,
        # a caller's words typed into the search box can carry a crisis or a danger too
        "urgent": urgent_help(raw_q, kb.content),
    }
    status = 200
    try:
        filters = read_filters(request.args)
        context["filters"] = filters
        limit = read_limit(request.args)
        if raw_q.strip():
            q = clean_question(raw_q)
            context["hits"], _ = search(q, filters, limit)
            context["record_id"] = record_search(q)
            context["cards"] = referral_cards(q, context["hits"], kb.content)
    except QuestionError as e:
        context["error"], status = e.message, 400
    except ApiError as e:
        context["error"], status = e.message, e.status
    return render_template("search.html", **context), status
