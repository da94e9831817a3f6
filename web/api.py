"""The JSON API (curl examples in web/API.md).

POST /api/ask                       {"q": "..."} -> the answer JSON of DESIGN.md (Answer.to_json()),
                                    plus "id" when the question log recorded it
POST /api/feedback                  {"id", "helpful", "reason", "text"} -> 201 {"ok": true} (web/feedback.py)
GET  /api/search?q=&category=&audience=&applies_to=&limit=   (+ "urgent": 109/112 cards or null)
GET  /api/topics                    all topics (no section bodies)
GET  /api/topics/<id>               one topic with its sections (heading, anchor, markdown, text)
GET  /api/centers                   centers, hotlines and shelters
GET  /api/health                    200 {"status": "ok" | "degraded", "reasons": [...], "topics": n, ...}

Errors are {"error": "<Korean message>", "code": "<machine code>"} with a 4xx status.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from kb.answer import urgent_help
from kb.client_text import client_answer
from kb.models import Center, Topic
from kb.questions import QuestionError, clean_question
from kb.referrals import cards as referral_cards
from kb.referrals import read_context

from .current import get_kb, kb_status
from .errors import ApiError
from .feedback import api_channel, record_answer
from .labels import category_name
from .plan import chat_offer
from .service import log_question, read_filters, read_limit, search

bp = Blueprint("api", __name__, url_prefix="/api")


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def topic_json(t: Topic, content, full: bool = False) -> dict:
    out = {
        "id": t.id, "title": t.title, "category": t.category,
        "category_name": category_name(content, t.category), "summary": t.summary,
        "audience": list(t.audience), "applies_to": list(t.applies_to),
        "legal_basis": list(t.legal_basis), "effective": _iso(t.effective), "reviewed": _iso(t.reviewed),
        "url": url_for("topics.topic", topic_id=t.id),
        "sections": [{"heading": s.heading, "anchor": s.anchor} for s in t.sections],
    }
    if full:
        out.update({
            "questions": list(t.questions), "keywords": list(t.keywords),
            "referrals": [r for r in t.referrals if r in content.centers],
            "related": [r for r in t.related if r in content.topics],
            "sources": [{"title": s.title, "url": s.url} for s in t.sources],
            "verify": list(t.verify),
            "sections": [{"heading": s.heading, "anchor": s.anchor, "markdown": s.markdown, "text": s.text,
                          "standard_answer": client_answer(t, s, content)} for s in t.sections],
        })
    return out


def center_json(c: Center) -> dict:
    return {
        "id": c.id, "name": c.name, "kind": c.kind, "phone": c.phone, "website": c.website,
        "address": c.address, "hours": c.hours, "region": c.region, "districts": list(c.districts),
        "serves": list(c.serves), "audience": list(c.audience), "unverified": list(c.unverified),
        "fallback": c.fallback, "verified": _iso(c.verified), "description": c.description,
        "sources": [{"title": s.title, "url": s.url} for s in c.sources], "verify": list(c.verify),
    }


def json_body() -> dict:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type",
                       "JSON으로 보내 주세요 (Content-Type: application/json).")
    try:
        data = request.get_json(silent=True)   # a body over MAX_CONTENT_LENGTH raises 413 here
    except RecursionError:                      # [[[[...]]]] thousands deep
        data = None
    if data is None:
        raise ApiError(400, "invalid_json", "JSON 형식이 올바르지 않아요. 예: {\"q\": \"육아휴직 급여 얼마예요?\"}")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "JSON 객체로 보내 주세요. 예: {\"q\": \"육아휴직 급여 얼마예요?\"}")
    return data


@bp.post("/ask")
def ask():
    data = json_body()
    if "q" not in data:
        raise ApiError(400, "missing_q", "질문(q)이 없어요. 예: {\"q\": \"육아휴직 급여 얼마예요?\"}")
    kb = get_kb()
    try:
        context = read_context(data)   # optional region / audience / worker_type
        answer = kb.ask(data["q"], context=context) if context else kb.ask(data["q"])
    except QuestionError as e:
        log_question(data["q"] if isinstance(data["q"], str) else "", refused=e.code)
        raise
    log_question(answer.q, answer)
    out = answer.to_json()
    if not answer.urgent:
        offer = chat_offer(answer.q)
        if offer:
            out["plan"] = offer     # a due date or a salary in the question: dates and a /plan link
    record_id = record_answer(answer, api_channel(data))
    if record_id:
        out["id"] = record_id   # only when the store recorded it: POST /api/feedback takes it
    return jsonify(out)


@bp.get("/search")
def search_api():
    raw = request.args.get("q", "")
    urgent = urgent_help(raw, get_kb().content)
    try:
        q = clean_question(raw)
    except QuestionError as e:
        if urgent is None:
            raise
        # refused as a search, but the 109 / 112 cards still go back
        return jsonify({"q": "", "error": e.message, "code": e.code, "urgent": urgent.to_json(),
                        "count": 0, "results": []}), 400
    filters = read_filters(request.args)
    limit = read_limit(request.args)
    hits, terms = search(q, filters, limit)
    kb = get_kb()
    return jsonify({"q": q, "filters": filters, "terms": list(terms), "count": len(hits),
                    "results": [dict(h.to_json(), referral=top_referral(h.topic, kb.content)) for h in hits],
                    "urgent": urgent.to_json() if urgent else None})


def top_referral(topic_id: str, content) -> dict | None:
    """The topic's first place to call, as a referral card (the widget shows it beside each result)."""
    topic = content.topics.get(topic_id)
    ids = [r for r in (topic.referrals if topic else ()) if r in content.centers][:1]
    found = referral_cards(ids, content, topic, crisis=False)
    return found[0].to_json() if found else None


@bp.get("/topics")
def topics():
    kb = get_kb()
    items = [topic_json(t, kb.content) for t in kb.content.topics.values()]
    return jsonify({"count": len(items), "topics": items})


@bp.get("/topics/<topic_id>")
def topic(topic_id):
    kb = get_kb()
    t = kb.content.topics.get(topic_id)
    if t is None:
        raise ApiError(404, "unknown_topic", f"'{topic_id[:60]}' 주제가 없어요. GET /api/topics 에서 목록을 보세요.")
    return jsonify(topic_json(t, kb.content, full=True))


@bp.get("/centers")
def centers():
    kb = get_kb()
    items = [center_json(c) for c in kb.content.centers.values()]
    return jsonify({"count": len(items), "centers": items})


@bp.get("/health")
def health():
    kb = get_kb()
    if kb is None:
        return jsonify({"status": "loading"}), 503
    sections = sum(len(t.sections) for t in kb.content.topics.values())
    st = kb_status()   # "degraded" with reasons when the content on disk is not what is served
    return jsonify({"status": st["status"], "topics": len(kb.content.topics), "centers": len(kb.content.centers),
                    "sections": sections, "documents": kb.searcher.doc_count, "reasons": st["reasons"],
                    "index": st["index"]})
