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
from kb.client_text import hotline
from kb.facets import counselor_search
from kb.hours import now as seoul_now
from kb.questions import MAX_QUESTION_CHARS, QuestionError, clean_question

from .current import get_kb
from .errors import ApiError
from .feedback import record_search
from .labels import categories, category_name
from .service import DEFAULT_LIMIT, MAX_LIMIT, Hit, case_types, read_filters, read_limit, search, topic_link  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)
bp = Blueprint("counselor", __name__)

PRINT_DEFAULT = 5          # sections on the print view when none were picked
MAX_PICKS = 20


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
