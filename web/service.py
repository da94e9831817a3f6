"""What the blueprints ask of the knowledge base beyond one answer: the counselor's section search
(the /search page and GET /api/search share it), its filters, and the question log line. Kept out
of the blueprints so each route only reads a request and renders."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from kb.answer import urgent_help
from kb.client_text import client_answer, sms_answer
from kb.facets import counselor_search
from kb.models import Answer

from . import logs
from .current import get_kb
from .errors import ApiError
from .labels import categories, category_name

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
    copy_text: str          # the client-ready text (kb.client_text.client_answer)
    sms_text: str           # at most 300 characters, with a link to the topic page
    is_core: bool

    def to_json(self) -> dict:
        return {
            "topic": self.topic, "title": self.title, "category": self.category,
            "category_name": self.category_name, "anchor": self.anchor, "heading": self.heading,
            "score": round(self.score, 4), "url": url_for("topics.topic", topic_id=self.topic) + "#" + self.anchor,
            "snippet": [{"text": s.text, "match": s.match} for s in self.snippet],
            "standard_answer": self.copy_text, "sms": self.sms_text,
        }


def case_types(content) -> dict[str, str]:
    """The case-type filter's choices (content/case_types.yaml: id -> Korean name)."""
    return dict(content.case_types)


def read_filters(args) -> dict:
    """category / audience / applies_to / case_type from the query string; unknown values are a 400."""
    kb = get_kb()
    facets = kb.content.facets
    known = {"category": categories(kb.content), "audience": facets.audiences, "applies_to": facets.applies_to,
             "case_type": case_types(kb.content)}
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


def topic_link(topic_id: str, anchor: str) -> str:
    """The topic page's full address (a text message needs the host too)."""
    return url_for("topics.topic", topic_id=topic_id, _external=True) + "#" + anchor


def search(q: str, filters: dict, limit: int) -> tuple[list[Hit], tuple[str, ...]]:
    """Sections matching `q` under the filters (the topic written for a chosen worker or audience
    lifted, kb/facets.py), each with its copy texts; logs one search line."""
    kb = get_kb()
    sections, terms = counselor_search(kb, q, filters, limit)
    hits = []
    for h in sections:
        topic = kb.content.topics.get(h.topic)
        if topic is None:
            continue
        section = topic.section(h.anchor)
        hits.append(Hit(
            topic=topic.id, title=topic.title, category=topic.category,
            category_name=category_name(kb.content, topic.category), anchor=h.anchor, heading=h.heading,
            score=h.score, snippet=h.snippet, copy_text=client_answer(topic, section, kb.content),
            sms_text=sms_answer(topic, section, topic_link(topic.id, h.anchor), kb.content),
            is_core=section is not None and section is topic.core,
        ))
    urgent = urgent_help(q, kb.content) is not None          # urgent text is never logged
    logs.log_event("search", q=None if urgent else logs.loggable_question(q), urgent=urgent or None,
                   filters=filters, hits=len(hits))
    return hits[:limit], terms


def log_question(q: str, answer: Answer | None = None, refused: str | None = None) -> None:
    """One JSON log line (web/logs.py: masked, single-line, truncated, with the request id). A
    crisis or danger question is never logged as text: only the route taken."""
    logs.log_question(q, answer, refused=refused or (None if answer is not None else "refused"))
