"""The content-gap report as a page for counselors and editors (/report).

Off (404) unless KB_ADMIN_TOKEN is set. Then GET /report shows a token form and POST /report
with the token shows the report; scripts may send `Authorization: Bearer <token>` on GET. The
token is compared in constant time (hmac.compare_digest), never appears in a URL, and is never
logged. No session or cookie is set: each view asks again.
"""
from __future__ import annotations

import hmac
import os
from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request

from kb.report import build_report
from kb.store import REASONS, now_minute

from .current import get_kb
from .feedback import get_store

bp = Blueprint("report", __name__)
PERIODS = {"1": "최근 1일", "7": "최근 7일", "30": "최근 30일", "90": "최근 90일"}


def admin_token() -> str:
    return current_app.config.get("KB_ADMIN_TOKEN") or os.environ.get("KB_ADMIN_TOKEN", "")


def _authorised(token: str) -> bool:
    expected = admin_token()
    return bool(token) and hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))


@bp.route("/report", methods=["GET", "POST"])
def report_page():
    if not admin_token():
        abort(404)
    token = request.form.get("token", "") if request.method == "POST" else ""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        token = auth[len("Bearer "):].strip()
    days = request.form.get("days") or request.args.get("days") or "7"
    days = days if days in PERIODS else "7"
    if not token:
        return render_template("report.html", report=None, error=None, periods=PERIODS, days=days)
    if not _authorised(token):
        return render_template("report.html", report=None, error="토큰이 맞지 않아요.", periods=PERIODS,
                               days=days), 403
    store = get_store()
    if store is None:
        return render_template("report.html", report=None, error="질문 기록 저장소를 열 수 없어요.",
                               periods=PERIODS, days=days), 503
    kb = get_kb()
    since = now_minute() - timedelta(days=int(days))
    report = build_report(store.records(since=since), kb.searcher.analyzer, kb.content, since=since)
    titles = {t.id: t.title for t in kb.content.topics.values()}
    return render_template("report.html", report=report, titles=titles, reasons=REASONS, error=None,
                           periods=PERIODS, days=days)
