"""The counselor view (/search): section-level results with highlighted snippets, filters that
also lift the topic written for the chosen worker or audience (kb/facets.py), a client-ready
"표준 답변 복사" and a short 문자·카카오톡 text per result (kb/client_text.py), and a print view of
the chosen sections with their dates and sources (/search/print). The same search backs GET /api/search.
Recent searches are kept by the browser (static/app.js, localStorage), never here."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for

from kb import referrals as referral_router
from kb.answer import urgent_help
from kb.client_text import client_answer, hotline, sms_answer
from kb.facets import counselor_search
from kb.hours import now as seoul_now
from kb.questions import MAX_QUESTION_CHARS, QuestionError, clean_question

from .current import get_kb
from .errors import ApiError
from .feedback import record_search
from .views import APPLIES_TO, AUDIENCES, categories, category_name

log = logging.getLogger(__name__)
bp = Blueprint("counselor", __name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
PRINT_DEFAULT = 5          # sections on the print view when none were picked
MAX_PICKS = 20


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
    known = {"category": categories(kb.content), "audience": AUDIENCES, "applies_to": APPLIES_TO,
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
    from .logs import log_event, loggable_question

    urgent = urgent_help(q, kb.content) is not None          # urgent text is never logged
    log_event("search", q=None if urgent else loggable_question(q), urgent=urgent or None,
              filters=filters, hits=len(hits))
    return hits[:limit], terms


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
        "categories": categories(kb.content), "case_types": case_types(kb.content),
        "max_chars": MAX_QUESTION_CHARS,
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


@dataclass
class PrintItem:
    topic: object           # kb.models.Topic
    section: object         # kb.models.Section
    category_name: str
    link: str


def read_picks(args, content) -> list[tuple]:
    """`s=<topic>:<anchor>` (repeatable): the sections a counselor ticked; unknown ones are a 400."""
    picks = []
    for raw in args.getlist("s")[:MAX_PICKS]:
        topic_id, _, anchor = (raw or "").partition(":")
        topic = content.topics.get(topic_id.strip())
        section = topic.section(anchor.strip()) if topic is not None else None
        if section is None:
            raise ApiError(400, "bad_pick", f"고른 항목 '{raw[:60]}'을(를) 찾을 수 없어요. 검색 결과에서 다시 골라 주세요.")
        if (topic, section) not in picks:
            picks.append((topic, section))
    return picks


@bp.get("/search/print")
def print_page():
    """A page to print or save as PDF for a client: the picked sections (else the first
    PRINT_DEFAULT results of the search), each with its legal basis, 기준일, 검토일 and sources."""
    kb = get_kb()
    raw_q = request.args.get("q", "")
    context = {"q": raw_q.strip(), "items": [], "error": None, "hotline": hotline(kb.content),
               "printed": seoul_now().date(), "back": url_for("counselor.search_page", **request.args)}
    status = 200
    try:
        filters = read_filters(request.args)
        picks = read_picks(request.args, kb.content)
        if not picks and raw_q.strip():
            sections, _ = counselor_search(kb, clean_question(raw_q), filters, PRINT_DEFAULT)
            picks = [(kb.content.topics[h.topic], kb.content.topics[h.topic].section(h.anchor))
                     for h in sections if h.topic in kb.content.topics]
            picks = [(t, s) for t, s in picks if s is not None]
        if not picks:
            raise ApiError(400, "nothing_to_print", "인쇄할 답변이 없어요. 검색한 뒤 결과를 골라 주세요.")
    except QuestionError as e:
        context["error"], status = e.message, 400
    except ApiError as e:
        context["error"], status = e.message, e.status
    else:
        context["items"] = [PrintItem(t, s, category_name(kb.content, t.category), topic_link(t.id, s.anchor))
                            for t, s in picks]
    return render_template("search_print.html", **context), status
