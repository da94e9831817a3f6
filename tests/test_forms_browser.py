"""Forms in a real browser (Playwright + Debian's headless Chromium): from a chat answer to a
filled 육아휴직 신청서, its print layout (print-media screenshot), the .docx download opened with
python-docx, and the same form without JavaScript.

The app fixes the forms' clock (FORMS_TODAY) so the deadline warning is predictable; the one
Chromium of the run comes from web_fixtures.
Screenshots go to docs/screenshots/ with KB_SCREENSHOTS=1.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package; web_fixtures lives here

from web_fixtures import browser, new_context, screenshots_dir, serve, watched  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)
QUESTION = "육아휴직 신청서 어떻게 써서 내요?"
INPUTS = {"company": "주식회사 햇살", "name": "김하늘", "department": "디자인팀 대리", "child_name": "이봄",
          "child_birth": "2026-05-01", "start": "2026-12-10", "end": "2027-06-09"}


@pytest.fixture(scope="module")
def forms_server(knowledge, instance_dir):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
                      "KB_INSTANCE": str(instance_dir), "FORMS_TODAY": TODAY})
    with serve(app, "forms-server") as url:
        yield url


def _context(browser, base, **options):
    return new_context(browser, base, viewport={"width": 1100, "height": 900}, accept_downloads=True, **options)


def fill_inputs(page):
    for name, value in INPUTS.items():
        page.fill(f"#f-{name}", value)


def test_from_chat_answer_to_printed_and_downloaded_parental_leave_request(browser, forms_server, screenshots_dir):
    import docx

    context = _context(browser, forms_server)
    page = watched(context.new_page())
    page.goto("/")
    page.fill("#q", QUESTION)
    page.press("#q", "Enter")
    answer = page.locator("#conversation > li.exchange article.answer").first
    answer.wait_for()
    link = answer.locator("a[data-form='parental-leave-request']")
    assert link.inner_text().strip() == "신청서 만들기: 육아휴직 신청서"
    link.click()
    page.wait_for_url("**/forms/parental-leave-request")

    fill_inputs(page)
    page.click("button[type=submit]:has-text('신청서 채우기')")
    document = page.locator("#document")
    document.wait_for()
    text = document.inner_text()
    for item in ("육아휴직 신청서", "김하늘", "디자인팀 대리", "이봄", "2026년 5월 1일", "2026년 12월 10일",
                 "2027년 6월 9일", "2026년 11월 25일", "시행령 제11조"):
        assert item in text, item
    warning = page.locator(".form-warnings").first
    assert "15일 남았어요" in warning.inner_text()            # 2026-11-25 → 2026-12-10
    assert page.locator("[data-print]").is_visible()        # JavaScript shows the print button

    page.emulate_media(media="print")
    assert document.is_visible()
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".fill-form").is_visible()
    assert not page.locator(".form-warnings").first.is_visible()
    page.screenshot(path=str(screenshots_dir / "form-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.screenshot(path=str(screenshots_dir / "form-filled.png"), full_page=False)

    with page.expect_download() as info:
        page.click("[data-docx]")
    download = info.value
    assert download.suggested_filename == "parental-leave-request.docx"
    saved = Path(download.path())
    paragraphs = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    for item in ("육아휴직 신청서", "김하늘", "이봄", "2026년 12월 10일", "2027년 6월 9일"):
        assert item in paragraphs, item
    assert not page.js_errors, page.js_errors
    context.close()


def test_form_works_without_javascript(browser, forms_server):
    context = _context(browser, forms_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/forms/parental-leave-request?start=2027-01-04&end=2027-06-30")
    assert page.input_value("#f-start") == "2027-01-04"
    fill_inputs(page)
    page.fill("#f-start", "2027-01-04")
    page.click("button[type=submit]:has-text('신청서 채우기')")
    text = page.locator("#document").inner_text()
    assert "김하늘" in text and "2027년 1월 4일" in text
    assert not page.locator("[data-print]").is_visible()    # no print button without JavaScript
    assert page.locator(".print-hint").is_visible()
    context.close()
