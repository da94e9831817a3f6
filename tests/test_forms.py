"""Request forms and letters: the real content/forms files, kb.forms' filling and deadline rules
on a fixed clock, `kb check` on broken forms, and the /forms pages through Flask's test client."""
from __future__ import annotations

import io
import logging
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from kb.content import load
from kb.forms import BLANK, check_forms, fill, korean_date, load_forms, parse_form, prefill

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TODAY = date(2026, 11, 25)
EXPECTED = {"parental-leave-request", "maternity-leave-request", "childcare-reduced-hours-request",
            "paternity-leave-request", "pregnancy-reduced-hours-request", "compliance-letter",
            "labor-office-petition"}


@pytest.fixture(scope="module")
def forms():
    found, problems = load_forms(CONTENT)
    assert not problems, problems
    return found


def sample_inputs(form) -> dict:
    """Plausible inputs for every field: later date fields get later dates, so order rules hold."""
    values, day = {}, date(2027, 1, 4)
    for f in form.fields:
        if f.type == "date":
            values[f.id] = day.isoformat()
            day += timedelta(days=40)
        elif f.type == "number":
            values[f.id] = str(max(f.min or 1, min(f.max or 20, 20)))
        elif f.type == "choice":
            values[f.id] = f.choices[0].value
        else:
            values[f.id] = f"샘플 {f.label}"
    return values


# ---------------------------------------------------------------- content

def test_the_seven_forms_exist_and_pass_kb_check(forms, content):
    assert set(forms) >= EXPECTED
    problems = check_forms(content, TODAY)
    assert [str(p) for p in problems if not p.warning] == []
    for form in forms.values():
        assert form.reviewed and form.sources, form.id
        for f in form.fields:
            if f.required:
                assert f.basis, (form.id, f.id)


@pytest.mark.parametrize("form_id", sorted(EXPECTED))
def test_each_form_fills_every_required_item(forms, form_id):
    form = forms[form_id]
    values = sample_inputs(form)
    filled = fill(form, values, TODAY)
    assert filled.ok, (filled.errors, filled.missing)
    text = filled.text
    assert "{{" not in text and BLANK not in text
    assert filled.lines[0].startswith("# ")
    for f in form.fields:
        if not f.required:
            continue
        shown = korean_date(date.fromisoformat(values[f.id])) if f.type == "date" else values[f.id]
        assert shown in text, (form_id, f.id, shown)


def test_parental_leave_request_holds_the_items_of_the_decree(forms):
    form = forms["parental-leave-request"]
    filled = fill(form, {"name": "김하늘", "child_name": "이봄", "child_birth": "2026-05-01",
                         "start": "2027-01-04", "end": "2027-07-03", "applied": "2026-11-25"}, TODAY)
    assert filled.ok and filled.warnings == ()
    for item in ("김하늘", "이봄", "2026년 5월 1일", "2027년 1월 4일", "2027년 7월 3일", "2026년 11월 25일",
                 "시행령 제11조"):
        assert item in filled.text
    # optional fields left empty leave a line to write on, and the note line disappears
    assert "소속·직위: " + BLANK in filled.text
    assert "\n\n\n" not in filled.text


def test_missing_required_items_are_named(forms):
    filled = fill(forms["parental-leave-request"], {"child_name": "이봄"}, TODAY)
    assert not filled.ok
    assert {f.id for f in filled.missing} == {"name", "child_birth", "start", "end"}   # applied defaults to today
    assert filled.values["applied"] == TODAY.isoformat()


def test_a_choice_brings_its_article_and_penalty(forms):
    form = forms["compliance-letter"]
    values = sample_inputs(form) | {"leave": "출산전후휴가"}
    text = fill(form, values, TODAY).text
    assert "근로기준법 제74조" in text and "2년 이하의 징역 또는 2천만원 이하의 벌금" in text
    values["leave"] = "육아휴직"
    text = fill(form, values, TODAY).text
    assert "제19조" in text and "500만원 이하의 벌금" in text
    values["leave"] = "아무거나"
    assert any(e.field == "leave" for e in fill(form, values, TODAY).errors)


# ---------------------------------------------------------------- deadlines on a fixed clock

def _parental(start, applied="2026-11-25", end=None):
    return {"name": "김하늘", "child_name": "이봄", "child_birth": "2026-05-01", "start": start,
            "end": end or "2027-06-30", "applied": applied}


def test_thirty_day_notice_for_parental_leave(forms):
    form = forms["parental-leave-request"]
    late = fill(form, _parental("2026-12-24"), TODAY)            # 29 days after the application
    assert [w.field for w in late.warnings] == ["start"]
    assert "29일 남았어요" in late.warnings[0].message and "시행령 제11조" in late.warnings[0].basis
    on_time = fill(form, _parental("2026-12-25"), TODAY)          # exactly 30 days
    assert on_time.warnings == ()
    # the application date defaults to the injected clock
    assert fill(form, _parental("2026-12-24", applied=""), TODAY).warnings
    assert fill(form, _parental("2026-12-24", applied=""), date(2026, 11, 20)).warnings == ()


def test_period_rules(forms):
    form = forms["parental-leave-request"]
    backwards = fill(form, _parental("2027-02-01", end="2027-01-01"), TODAY)
    assert not backwards.ok and backwards.errors[0].field == "end"
    too_long = fill(form, _parental("2027-01-01", end="2028-01-01"), TODAY)
    assert any("1년 6개월" in w.message for w in too_long.warnings)
    assert fill(form, _parental("2027-01-01", end="2027-12-31"), TODAY).warnings == ()


def test_paternity_leave_window_of_120_days(forms):
    form = forms["paternity-leave-request"]
    base = {"name": "박하늘", "birth": "2027-01-01", "start": "2027-04-20", "days": "5"}
    assert fill(form, base | {"end": "2027-04-30"}, TODAY).warnings == ()      # day 120
    late = fill(form, base | {"end": "2027-05-01"}, TODAY)                     # day 121
    assert [w.field for w in late.warnings] == ["end"] and "2027년 4월 30일" in late.warnings[0].message
    early = fill(form, base | {"start": "2026-12-20", "end": "2026-12-24"}, TODAY)
    assert any("확인 필요" in w.message for w in early.warnings)
    assert any(e.field == "days" for e in fill(form, base | {"end": "2027-04-30", "days": "25"}, TODAY).errors)


def test_maternity_leave_keeps_45_days_after_birth(forms):
    form = forms["maternity-leave-request"]
    base = {"name": "김하늘", "due_date": "2027-03-01", "babies": "한 명", "start": "2027-01-15"}
    assert fill(form, base | {"end": "2027-04-14"}, TODAY).warnings == ()      # 90 days, 45 after the due date
    short = fill(form, base | {"end": "2027-04-13"}, TODAY)
    assert any("45일" in w.message for w in short.warnings)
    long = fill(form, base | {"end": "2027-04-20"}, TODAY)
    assert any("90일" in w.message for w in long.warnings)


def test_pregnancy_reduced_hours_three_days(forms):
    form = forms["pregnancy-reduced-hours-request"]
    base = {"name": "김하늘", "weeks": "10", "work_hours": "10:00~16:00", "end": "2026-12-31"}
    assert fill(form, base | {"start": "2026-11-27"}, TODAY).warnings            # 2 days
    assert fill(form, base | {"start": "2026-11-28"}, TODAY).warnings == ()      # 3 days


def test_childcare_hours_must_stay_between_15_and_35(forms):
    form = forms["childcare-reduced-hours-request"]
    base = {"name": "김하늘", "child_name": "이봄", "child_birth": "2020-05-01", "start": "2027-01-04",
            "end": "2027-06-30"}
    assert fill(form, base | {"hours_after": "25"}, TODAY).ok
    bad = fill(form, base | {"hours_after": "10"}, TODAY)
    assert bad.errors and "15~35" in bad.errors[0].message and "제19조의2" in bad.errors[0].basis


def test_petition_warns_after_three_months(forms):
    form = forms["labor-office-petition"]
    base = sample_inputs(form)
    late = fill(form, base | {"event_date": "2026-08-24", "filed": "2026-11-25"}, TODAY)
    assert any("3개월" in w.message for w in late.warnings)
    assert fill(form, base | {"event_date": "2026-08-26", "filed": "2026-11-25"}, TODAY).warnings == ()


def test_a_link_carries_only_dates_numbers_and_choices(forms):
    form = forms["parental-leave-request"]
    values, errors, warnings = prefill(form, {"start": "2026-12-10", "end": "2027-06-09", "name": "김하늘"}, TODAY)
    assert values["start"] == "2026-12-10" and "name" not in values
    assert not errors and warnings[0].field == "start"
    _, errors, _ = prefill(form, {"start": "내일"}, TODAY)
    assert errors and "2027-03-01처럼" in errors[0].message


# ---------------------------------------------------------------- kb check

BROKEN = """---
id: broken-form
title: 고장 난 신청서
kind: request
summary: 시험용
legal_basis: [근로기준법 제74조]
reviewed: 2026-11-20
sources: [{title: 시험, url: "https://example.org"}]
fields:
  - {id: name, label: 성명, required: true}
  - {id: start, label: 시작일, type: date, required: true, basis: 시험}
deadlines:
  - {kind: notice, field: stat, days: 30, basis: 시험, message: "{oops}"}
---
# 신청서
성명: {{name}} / 시작: {{start}} / 자녀: {{child}}
"""


def test_kb_check_reports_broken_forms_and_unknown_form_ids(tmp_path, content):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    (root / "forms" / "broken-form.md").write_text(BROKEN, encoding="utf-8")
    topic = root / "topics" / "parental-leave.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("forms: [parental-leave-request]",
                                                               "forms: [parental-leave-request, no-such-form]"),
                     encoding="utf-8")
    from kb.check import check

    messages = [str(p) for p in check(load(root), today=TODAY)]
    broken = [m for m in messages if "broken-form.md" in m]
    assert any("required field 'name' needs a legal basis" in m for m in broken)
    assert any("undeclared field 'child'" in m and ":16:" in m for m in broken)
    assert any("'stat', which is not a date field" in m for m in broken)
    assert any("unknown {...} name" in m for m in broken)
    assert any("parental-leave.md" in m and "'no-such-form' is not a form id" in m for m in messages)


def test_parse_form_reports_field_lines():
    form, problems = parse_form(Path("x/broken-form.md"), BROKEN)
    assert not problems
    assert form.field("name").line == 10 and form.field("start").line == 11


def test_topics_name_their_forms(content):
    assert content.topics["parental-leave"].forms == ("parental-leave-request",)
    assert set(content.topics["leave-refused"].forms) == {"compliance-letter", "labor-office-petition"}
    assert content.topics["minimum-wage"].forms == ()


# ---------------------------------------------------------------- web

@pytest.fixture
def form_app(knowledge, instance_dir):
    from web import create_app

    return create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(CONTENT), "KB_INSTANCE": str(instance_dir),
                       "FORMS_TODAY": TODAY})


@pytest.fixture
def fc(form_app):
    return form_app.test_client()


def test_forms_index_and_pages(fc, forms):
    page = fc.get("/forms").get_data(as_text=True)
    for form in forms.values():
        assert f'href="/forms/{form.id}"' in page
        r = fc.get(f"/forms/{form.id}")
        assert r.status_code == 200, form.id
        html = r.get_data(as_text=True)
        assert form.title in html and 'method="post"' in html and "저장하거나 기록하지 않아요" in html
        assert r.headers["Cache-Control"] == "no-store"
    r = fc.get("/forms/no-such-form")
    assert r.status_code == 404 and "찾으시는 신청서가 없어요" in r.get_data(as_text=True)


def test_dates_from_plan_link_fill_the_inputs_and_warn(fc):
    r = fc.get("/forms/parental-leave-request?start=2026-12-10&end=2027-06-09&name=김하늘")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'name="start" type="date" value="2026-12-10"' in html
    assert 'name="end" type="date" value="2027-06-09"' in html
    assert "김하늘" not in html                      # a name never comes from a URL
    assert "15일 남았어요" in html and "시행령 제11조" in html
    bad = fc.get("/forms/parental-leave-request?start=2026-13-40")
    assert bad.status_code == 400 and "2027-03-01처럼" in bad.get_data(as_text=True)


def test_post_fills_the_document_and_escapes_input(fc):
    data = _parental("2027-01-04") | {"name": "<script>alert(1)</script>김하늘"}
    r = fc.post("/forms/parental-leave-request", data=data)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'class="document"' in html and "2027년 1월 4일" in html
    assert 'action="/forms/parental-leave-request.docx"' in html


def test_post_with_missing_items_is_a_400_in_korean(fc):
    r = fc.post("/forms/parental-leave-request", data={"name": "김하늘"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "꼭 적어야 하는 칸이 비어 있어요" in html and "휴직 시작 예정일" in html
    assert 'class="document"' not in html
    r = fc.post("/forms/labor-office-petition", data={"what_happened": "가" * 3001})
    assert r.status_code == 400 and "3000자까지" in r.get_data(as_text=True)


def test_docx_opens_and_holds_the_text(fc):
    import docx

    r = fc.post("/forms/parental-leave-request.docx", data=_parental("2027-01-04"))
    assert r.status_code == 200
    assert r.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in r.headers["Content-Disposition"] and r.headers["Cache-Control"] == "no-store"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.data)).paragraphs)
    for item in ("육아휴직 신청서", "김하늘", "이봄", "2027년 1월 4일", "2027년 6월 30일", "시행령 제11조"):
        assert item in text
    assert fc.post("/forms/parental-leave-request.docx", data={"name": "김하늘"}).status_code == 400


def test_nothing_typed_is_logged_or_stored(fc, caplog, instance_dir, tmp_path):
    secret = "비밀스러운이름홍길동"
    story = "2027년 1월 5일 팀장이 거부함 연락처 010-1234-5678"
    before = {p: p.stat().st_mtime for p in Path(instance_dir).rglob("*") if p.is_file()}
    with caplog.at_level(logging.DEBUG):
        fc.post("/forms/labor-office-petition", data={"name": secret, "what_happened": story, "contact": "010-1234-5678"})
        fc.post("/forms/parental-leave-request.docx", data=_parental("2027-01-04") | {"name": secret})
        fc.get("/forms/parental-leave-request?start=2027-01-04")
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert secret not in logged and "1234-5678" not in logged and "팀장이 거부함" not in logged
    after = {p: p.stat().st_mtime for p in Path(instance_dir).rglob("*") if p.is_file()}
    assert after == before, "filling a form must not write anything"
    for p in Path(instance_dir).rglob("*"):
        if p.is_file():
            assert secret.encode() not in p.read_bytes()


def test_topic_page_and_chat_answer_link_to_the_form(fc):
    html = fc.get("/topics/parental-leave").get_data(as_text=True)
    assert 'href="/forms/parental-leave-request"' in html and "신청서 만들기" in html
    q = "육아휴직 신청서 어떻게 써서 내요?"
    html = fc.post("/", data={"q": q}).get_data(as_text=True)
    assert 'href="/forms/parental-leave-request"' in html
    fragment = fc.post("/", data={"q": q}, headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert 'data-form="parental-leave-request"' in fragment
    # a topic without forms offers none
    html = fc.post("/", data={"q": "최저임금 얼마예요?"}).get_data(as_text=True)
    assert "신청서 만들기" not in html


def test_plan_parameter_names_are_understood(forms):
    """/plan names its dates due_date, birth_date and leave_start; the forms accept them in a link."""
    values, _, _ = prefill(forms["parental-leave-request"], {"birth_date": "2027-03-01", "leave_start": "2027-06-01"}, TODAY)
    assert values["child_birth"] == "2027-03-01" and values["start"] == "2027-06-01"
    values, _, _ = prefill(forms["paternity-leave-request"], {"due_date": "2027-03-01"}, TODAY)
    assert values["birth"] == "2027-03-01"
    values, _, _ = prefill(forms["maternity-leave-request"], {"due_date": "2027-03-01"}, TODAY)
    assert values["due_date"] == "2027-03-01"


def test_counselor_search_offers_each_form_once(fc):
    html = fc.get("/search?q=육아휴직 신청").get_data(as_text=True)
    assert html.count('data-form="parental-leave-request"') == 1
    assert "내담자용 육아휴직 신청서 만들기" in html
