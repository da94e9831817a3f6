"""The plan in a real browser (Playwright + Debian's headless Chromium): the chat's date block and
link, /plan with and without JavaScript, its print layout, the .ics download and a 375 px phone.

The app here fixes the plan's 'today' (PLAN_TODAY) so the dates are the hand-worked ones of
test_plan.py. Screenshots go to docs/screenshots/ with KB_SCREENSHOTS=1.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package

from web_fixtures import browser, new_context, screenshots_dir, serve, watched  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def plan_server(knowledge, instance_dir):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
                      "KB_INSTANCE": str(instance_dir), "PLAN_TODAY": TODAY})
    with serve(app, "plan-server") as url:
        yield url


def _page(browser, base, **options):
    context = new_context(browser, base, accept_downloads=True, **options)
    return context, watched(context.new_page())


@pytest.fixture
def jspage(browser, plan_server):
    context, page = _page(browser, plan_server)
    yield page
    context.close()


@pytest.fixture
def nojs(browser, plan_server):
    context, page = _page(browser, plan_server, java_script_enabled=False)
    yield page
    context.close()


def _ask(page, q):
    page.fill("#q", q)
    page.press("#q", "Enter")
    answer = page.locator("#conversation > li.exchange article.answer").last
    answer.wait_for()
    return answer


def test_chat_due_date_shows_the_dates_and_a_link(jspage, screenshots_dir):
    jspage.goto("/")
    answer = _ask(jspage, "예정일이 3월 10일인데 언제부터 출산휴가 쓸 수 있어요?")
    offer = answer.locator(".plan-offer")
    offer.wait_for()
    text = offer.inner_text()
    assert "출산전후휴가 90일 2027-01-24 ~ 2027-04-23" in text
    assert "2027년 3월 10일로 보았어요" in text
    assert "월 통상임금" in text                                  # the missing input is asked for
    jspage.screenshot(path=str(screenshots_dir / "plan-chat.png"), full_page=True)
    # the link fills the form from the fragment and waits for the salary (nothing is guessed)
    offer.locator("a[data-plan-link]").click()
    jspage.wait_for_url("**/plan#due_date=2027-03-10")
    assert jspage.input_value("#date") == "2027-03-10"
    assert jspage.evaluate("document.activeElement.id") == "monthly_wage"
    assert jspage.locator("#result").count() == 0
    assert jspage.js_errors == []


def test_chat_link_with_date_and_salary_computes_the_plan(jspage):
    jspage.goto("/")
    answer = _ask(jspage, "출산예정일 2027년 3월 10일, 월급 300이면 육아휴직 급여 얼마 나와요?")
    links = answer.locator(".plan-offer a[data-plan-link]")
    assert links.count() == 4                                       # who and which company: one tap, not a guess
    link = answer.locator(".plan-offer a[data-plan-link]:has-text('배우자(아빠) · 대규모기업')")
    assert link.get_attribute("href") == "/plan#due_date=2027-03-10&monthly_wage=3000000&role=father&company=large"
    link.click()
    jspage.locator("#result").wait_for()                            # posted: the salary never went in a URL
    assert jspage.url.endswith("/plan")
    rows = jspage.locator("tr[data-key^='parental_me_']")
    assert rows.count() == 12
    assert "2,500,000원" in rows.first.inner_text()
    # a father at a large company: the employer pays all 20 days of 배우자 출산휴가 (300만 × 8/209 × 20)
    spouse = jspage.locator("tr[data-key='spouse_leave']").inner_text()
    assert "0원" in spouse and "2,296,650원" in spouse
    assert jspage.locator("tr[data-key^='maternity_']").count() == 0
    share = jspage.locator("#share-link").get_attribute("href")
    assert share.startswith("/plan#") and "monthly_wage=300" in share and "due_date=2027-03-10" in share
    assert "role=father" in share and "company=large" in share
    assert jspage.js_errors == []


def test_plan_without_javascript_prints_and_downloads_ics(nojs, screenshots_dir, tmp_path):
    from icalendar import Calendar

    nojs.goto("/plan")
    nojs.fill("#date", "2027-03-10")
    nojs.fill("#monthly_wage", "300")
    nojs.check("input[name=multiple]")
    nojs.click("button[type=submit]:has-text('계산하기')")
    nojs.locator("#result").wait_for()
    timeline = nojs.locator(".timeline").inner_text()
    assert "출산전후휴가 120일 (다태아)" in timeline and "2027-01-09" in timeline and "2027-05-08" in timeline
    assert nojs.locator("tr[data-key^='maternity_']").count() == 4
    nojs.locator("h3:has-text('달마다 받는 돈')").scroll_into_view_if_needed()
    nojs.screenshot(path=str(screenshots_dir / "plan.png"), full_page=False)

    nojs.emulate_media(media="print")
    assert not nojs.locator("#plan-form").is_visible()
    assert not nojs.locator(".plan-actions").is_visible()
    assert nojs.locator(".plan-table").is_visible()
    nojs.screenshot(path=str(screenshots_dir / "plan-print.png"), full_page=True)
    nojs.emulate_media(media="screen")

    with nojs.expect_download() as info:
        nojs.click("button:has-text('.ics')")
    path = tmp_path / "plan.ics"
    info.value.save_as(path)
    cal = Calendar.from_ical(path.read_bytes())
    starts = {str(e["summary"]): e.decoded("dtstart") for e in cal.walk("VEVENT")}
    assert starts["출산전후휴가 120일 (다태아)"] == date(2027, 1, 9)


def test_plan_bad_date_message_without_javascript(nojs):
    nojs.goto("/plan")
    nojs.fill("#date", "2024-01-01")
    nojs.fill("#monthly_wage", "300")
    nojs.click("button[type=submit]:has-text('계산하기')")
    error = nojs.locator("#plan-error")
    assert error.is_visible() and "1년 넘게" in error.inner_text()
    assert nojs.locator("#result").count() == 0


def test_plan_on_a_375px_phone(browser, plan_server, screenshots_dir):
    context, page = _page(browser, plan_server, viewport={"width": 375, "height": 740}, device_scale_factor=2,
                          is_mobile=True, has_touch=True)
    try:
        page.goto("/plan#due_date=2027-03-10&monthly_wage=3000000&other_leave_months=6&other_wage=4000000")
        page.locator("#result").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.locator("tr[data-key^='parental_other_']").count() == 6
        page.locator(".timeline").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots_dir / "plan-mobile.png"), full_page=False)
    finally:
        context.close()
