"""A message asking two things, on a 375 px phone in real headless Chromium: both answers show,
each under its own question, nothing wider than the screen (and the same without JavaScript).

If Chromium is missing these FAIL (they never skip): install it with
`apt-get update && apt-get install -y chromium`. KB_SCREENSHOTS=1 saves docs/screenshots/two-part-phone.png.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package; web_fixtures lives here

from web_fixtures import (  # noqa: F401
    browser,
    live_app,
    live_server,
    mobile_page,
    nojs_page,
    screenshots_dir,
)

TWO = "출휴 끝나고 바로 육휴 쓸 수 있어요? 그리고 육휴 중에 연차는요?"


def test_both_answers_on_a_phone(mobile_page, knowledge, screenshots_dir):  # noqa: F811 (fixtures from web_fixtures)
    expected = knowledge.ask(TWO)
    assert expected.also is not None
    page = mobile_page
    page.goto("/")
    page.fill("#q", TWO)
    page.press("#q", "Enter")
    parts = page.locator("#conversation > li.exchange:nth-child(1) article.answer-part")
    parts.nth(1).wait_for()
    assert parts.count() == 2
    first, second = parts.nth(0), parts.nth(1)
    assert first.is_visible() and second.is_visible()
    assert "질문 1" in first.locator(".part-q").inner_text()
    assert "그리고 육휴 중에 연차는요?" in second.locator(".part-q").inner_text()
    assert expected.core[:30] in first.inner_text() and expected.also.core[:30] in second.inner_text()
    assert first.locator("a[href='/topics/parental-leave']").count() == 1
    assert second.locator("a[href='/topics/leave-and-annual-leave']").count() == 1
    # the second answer comes below the first, and neither is wider than the phone
    a, b = first.bounding_box(), second.bounding_box()
    assert a is not None and b is not None and b["y"] >= a["y"] + a["height"]
    assert max(a["x"] + a["width"], b["x"] + b["width"]) <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots_dir / "two-part-phone.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_both_answers_without_javascript(nojs_page, knowledge):  # noqa: F811
    expected = knowledge.ask(TWO)
    nojs_page.goto("/")
    nojs_page.fill("#q", TWO)
    nojs_page.locator("#ask-form button[type=submit]").first.click()
    parts = nojs_page.locator("article.answer-part")
    parts.nth(1).wait_for()
    assert parts.count() == 2
    assert expected.also.core[:30] in parts.nth(1).inner_text()
