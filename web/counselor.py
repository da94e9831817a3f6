"""The counselor view (/search): section-level results with highlighted snippets, filters, and a
"표준 답변 복사" button per result. The same search backs GET /api/search."""
from __future__ import annotations

import logging

from flask import Blueprint, render_template, request

from kb import referrals as referral_router
from kb.answer import urgent_help
from kb.questions import MAX_QUESTION_CHARS, QuestionError, clean_question

from .current import get_kb
from .errors import ApiError
from .feedback import record_search
from .labels import categories
from .service import DEFAULT_LIMIT, MAX_LIMIT, Hit, read_filters, read_limit, search  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)
bp = Blueprint("counselor", __name__)


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
