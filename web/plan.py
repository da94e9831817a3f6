"""The personal plan page (/plan), its calendar file (/plan.ics) and `POST /api/plan`.

Salaries are personal: inputs travel only in POST bodies (the no-JavaScript form posts; the
shareable link keeps them in the URL fragment, which browsers never send to a server), nothing is
stored, and nothing from the inputs is logged. The computing is kb.plan's; this module only reads
the request and renders.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from kb.plan import FIELDS, PlanError, input_from_mapping, make_plan
from kb.rules import load_rules

from .current import get_kb
from .helplines import help_lines

bp = Blueprint("plan", __name__)

# what the form shows before anything is entered (matches PlanInput's defaults)
FORM_DEFAULTS = {"date_kind": "due", "weekly_hours": "40", "company": "priority", "role": "mother",
                 "leave_months": "12", "other_leave_months": "0"}


def _today() -> date:
    return current_app.config.get("PLAN_TODAY") or date.today()


def _rules():
    return load_rules(current_app.config.get("KB_CONTENT"))


def compute(data):
    """(plan, None) or (None, PlanError) for a mapping of inputs."""
    try:
        return make_plan(input_from_mapping(data), _rules(), _today()), None
    except PlanError as e:
        return None, e


@bp.app_template_filter("won")
def won(value) -> str:
    if value is None:
        return "확인 필요"
    return f"{value:,}원"


def _form_values(data) -> dict:
    values = dict(FORM_DEFAULTS)
    for key in ("date", "date_kind", *FIELDS):
        if data.get(key) not in (None, ""):
            values[key] = str(data.get(key))[:40]
    return values


@bp.get("/plan")
def page():
    return render_template("plan.html", form=dict(FORM_DEFAULTS), plan=None, error=None)


@bp.post("/plan")
def submit():
    plan, error = compute(request.form)
    status = 400 if error else 200
    return render_template("plan.html", form=_form_values(request.form), plan=plan, error=error), status


@bp.post("/plan.ics")
def calendar_file():
    plan, error = compute(request.form)
    if error:
        return render_template("plan.html", form=_form_values(request.form), plan=None, error=error), 400
    body = to_ics(plan, help_lines(get_kb().content).labor.phone)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": "attachment; filename=my-leave-plan.ics",
                             "Cache-Control": "no-store"})


@bp.post("/api/plan")
def api_plan():
    if not request.is_json:
        return _api_error(415, "unsupported_media_type", "JSON으로 보내 주세요 (Content-Type: application/json).")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _api_error(400, "invalid_json", 'JSON 객체로 보내 주세요. 예: {"due_date": "2027-03-10", "monthly_wage": 3000000}')
    plan, error = compute(data)
    if error:
        return _api_error(400, "invalid_plan_input", error.message, error.field)
    return jsonify(plan.to_json())


def _api_error(status, code, message, field=""):
    body = {"error": message, "code": code}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    return response


def to_ics(plan, confirm_at: str) -> bytes:
    """The plan's key dates as all-day events (RFC 5545, written with the icalendar library); a date
    to confirm names the number to ask (`confirm_at`, web/helplines.py)."""
    from datetime import timedelta

    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//maternity-kb//plan//KO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "내 출산·육아 휴가 계획")
    stamp = datetime.now(timezone.utc)
    for i, d in enumerate(plan.dates):
        ev = Event()
        ev.add("uid", f"{plan.birth.isoformat()}-{d.key}-{i}@maternity-kb")
        ev.add("dtstamp", stamp)
        ev.add("summary", d.label + (" (확인 필요)" if d.verify else ""))
        ev.add("dtstart", d.start)
        ev.add("dtend", (d.end or d.start) + timedelta(days=1))    # DTEND of an all-day event is exclusive
        ev.add("description", "; ".join(x for x in (d.note, ", ".join(d.legal_basis),
                                                    d.verify and f"확인 필요: {d.verify} ({confirm_at})") if x))
        cal.add_component(ev)
    return cal.to_ical()



# ---------------------------------------------------------------- the chat's offer

CHAT_DATE_KEYS = ("maternity_leave", "spouse_leave_before", "spouse_leave", "six_plus_six")


def chat_offer(q: str) -> dict | None:
    """When a chat question names a due date or a salary: the key dates (if a date) and a /plan link
    whose inputs sit in the URL fragment (never sent to a server). None when it names neither."""
    from urllib.parse import urlencode

    from flask import url_for

    from kb.plan import DISCLAIMER, parse_question, plan_dates

    today = _today()
    hints = parse_question(q or "", today)
    if not hints and not hints.notes:
        return None
    dates, notes = [], list(hints.notes)
    if hints.due_date or hints.birth_date:
        try:
            items = plan_dates(hints.due_date, hints.birth_date, _rules(), today)
            dates = [{"key": d.key, "label": d.label, "start": d.start.isoformat(),
                      "end": d.end.isoformat() if d.end else None, "verify": d.verify}
                     for d in items if d.key in CHAT_DATE_KEYS]
        except PlanError as e:
            notes.append(e.message)
    missing = [name for name, have in (("출산예정일", hints.due_date or hints.birth_date), ("월 통상임금", hints.monthly_wage))
               if not have]
    base = url_for("plan.page")
    choices = []
    if not missing:   # both inputs known: ask who and what company with one tap, rather than guess
        for role, who in (("mother", "출산하는 엄마"), ("father", "배우자(아빠)")):
            for company, size in (("priority", "우선지원대상기업(중소기업 등)"), ("large", "대규모기업")):
                query = dict(hints.query(), role=role, company=company)
                choices.append({"label": f"{who} · {size}", "url": base + "#" + urlencode(query)})
    return {"inputs": hints.query(), "url": base + ("#" + urlencode(hints.query()) if hints else ""),
            "dates": dates, "notes": notes, "missing": missing, "choices": choices,
            "as_of": today.isoformat(), "disclaimer": DISCLAIMER}
