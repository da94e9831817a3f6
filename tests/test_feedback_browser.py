"""Feedback in a real browser (Playwright + Debian's headless Chromium): "아니요" with a reason,
without a reload, and the row shows up on the /report page; the same without JavaScript."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package

from web_fixtures import browser, live_app, live_server, nojs_page, page  # noqa: F401,E402

TOKEN = "test-admin-token-5c1f"


@pytest.fixture
def report_on(live_app):
    live_app.config["KB_ADMIN_TOKEN"] = TOKEN
    yield
    live_app.config["KB_ADMIN_TOKEN"] = None


def test_no_with_a_reason_reaches_the_report(page, live_app, report_on):
    q = "육휴 거절당했는데 어디에 물어봐요"
    page.goto("/")
    page.evaluate("window.__noReload = true")
    page.fill("#q", q)
    page.press("#q", "Enter")
    answer = page.locator("#conversation > li.exchange:nth-child(1) article.answer")
    answer.wait_for()
    form = answer.locator("form.feedback")
    assert form.locator(".feedback-q").inner_text() == "도움이 되었나요?"
    form.get_by_role("button", name="아니요").click()
    reason = form.locator(".feedback-reason")
    reason.wait_for(state="visible")
    form.get_by_label("설명이 부족해요").check()
    form.locator("textarea[name=text]").fill("거절당했을 때 할 일을 더 알려 주세요")
    form.get_by_role("button", name="이유 보내기").click()
    page.wait_for_function("document.querySelector('form.feedback .feedback-status').textContent.includes('의견 고마워요')")
    assert page.evaluate("window.__noReload") is True, "feedback was sent without a reload"
    assert not page.js_errors, page.js_errors

    [row] = [r for r in live_app.extensions["store"].records() if r.question == q]
    assert row.helpful is False and row.reason == "not_enough" and row.channel == "chat"

    page.goto("/report")
    page.fill("#r-token", TOKEN)
    page.get_by_role("button", name="보고서 보기").click()
    group = page.locator("li.report-group", has_text=q)
    group.wait_for()
    assert "설명이 부족해요" in group.inner_text()
    assert TOKEN not in page.url and TOKEN not in page.content()


def test_feedback_without_javascript(nojs_page, live_app):
    q = "출산휴가는 며칠이에요?"
    nojs_page.goto("/")
    nojs_page.fill("#q", q)
    nojs_page.get_by_role("button", name="물어보기").click()
    form = nojs_page.locator("article.answer form.feedback")
    form.wait_for()
    form.get_by_role("button", name="아니요").click()
    nojs_page.locator("h1", has_text="의견 고마워요").wait_for()
    nojs_page.get_by_label("질문과 다른 내용이에요").check()
    nojs_page.get_by_role("button", name="이유 보내기").click()
    nojs_page.locator("h1", has_text="의견 고마워요").wait_for()
    assert nojs_page.locator("input[name=reason]").count() == 0
    rows = [r for r in live_app.extensions["store"].records() if r.question == q and r.reason == "wrong_topic"]
    assert rows and rows[-1].helpful is False
