"""Request forms and letters filled from the person's own details (/forms, /forms/<id>, .docx).

What a person types is private: the filled form travels only in POST bodies (never in a URL),
is rendered back into the page and into the .docx, and is neither stored nor logged. A link may
carry dates, numbers and choices (from /plan: `?start=2027-03-01&end=...`), nothing else. The
filling and the deadline rules are kb.forms' pure functions; this module reads the request and
renders. The clock is `FORMS_TODAY` in the app config when set (tests), else today.
"""
from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, Response, current_app, render_template, request

from kb.forms import Filled, Form, fill, load_forms, prefill

from .current import get_kb

bp = Blueprint("forms", __name__)

# A petition's story can be long: Korean text is ~9 bytes a character once form-encoded.
MAX_FORM_BYTES = 96 * 1024


def _today() -> date:
    return current_app.config.get("FORMS_TODAY") or date.today()


def all_forms() -> dict[str, Form]:
    """The forms of the open knowledge base's content folder, read once per app."""
    forms = current_app.extensions.get("forms")
    if forms is None:
        forms, _ = load_forms(get_kb().content.root)
        current_app.extensions["forms"] = forms
    return forms


@bp.app_template_global()
def form_links(ids) -> list[tuple[str, str]]:
    """(id, title) of the forms a topic names, for "신청서 만들기" links (unknown ids skipped)."""
    forms = all_forms()
    return [(fid, forms[fid].title) for fid in ids or () if fid in forms]


@bp.app_template_global()
def topic_forms(topic_id: str) -> list[tuple[str, str]]:
    """(id, title) of the forms of a topic given by id (the counselor's search results)."""
    topic = get_kb().content.topics.get(topic_id)
    return form_links(topic.forms) if topic is not None else []


@bp.before_request
def allow_longer_letters():
    request.max_content_length = MAX_FORM_BYTES
    request.max_form_memory_size = MAX_FORM_BYTES


@bp.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_found():
    return render_template("error.html", status=404, code="unknown_form",
                           message="찾으시는 신청서가 없어요. 신청서 목록에서 골라 주세요."), 404


@bp.get("/forms")
def index():
    forms = sorted(all_forms().values(), key=lambda f: (["request", "letter", "petition"].index(f.kind)
                                                        if f.kind in ("request", "letter", "petition") else 9, f.title))
    topics = get_kb().content.topics
    return render_template("forms.html", forms=forms, topics=topics)


@bp.get("/forms/<form_id>")
def form_page(form_id):
    form = all_forms().get(form_id)
    if form is None:
        return _not_found()
    values, errors, warnings = prefill(form, request.args, _today())
    status = 400 if errors else 200
    return render_template("forms_form.html", form=form, values=values, errors=errors, warnings=warnings,
                           missing=(), filled=None, topic=get_kb().content.topics.get(form.topic)), status


@bp.post("/forms/<form_id>")
def form_fill(form_id):
    form = all_forms().get(form_id)
    if form is None:
        return _not_found()
    filled = fill(form, request.form, _today())
    status = 200 if filled.ok else 400
    return render_template("forms_form.html", form=form, values=filled.values, errors=filled.errors,
                           warnings=filled.warnings, missing=filled.missing, filled=filled if filled.ok else None,
                           topic=get_kb().content.topics.get(form.topic)), status


@bp.post("/forms/<form_id>.docx")
def form_docx(form_id):
    form = all_forms().get(form_id)
    if form is None:
        return _not_found()
    filled = fill(form, request.form, _today())
    if not filled.ok:
        return render_template("forms_form.html", form=form, values=filled.values, errors=filled.errors,
                               warnings=filled.warnings, missing=filled.missing, filled=None,
                               topic=get_kb().content.topics.get(form.topic)), 400
    return Response(to_docx(filled), mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename={form.id}.docx",
                             "Cache-Control": "no-store"})


def to_docx(filled: Filled) -> bytes:
    """The filled document as a Word file: the title as a heading, one paragraph a line."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Malgun Gothic"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "맑은 고딕")   # Korean glyphs in Word
    for line in filled.lines:
        if line.startswith("# "):
            doc.add_heading(line[2:], level=1)
        else:
            doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
