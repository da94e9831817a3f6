"""The counselor view (/search) in headless Chromium at 375 px and 1280 px: filters that apply on
change, the 계약직 topic lifted by the 계약직 filter, "문자·카톡용 복사" read back from the
clipboard, several answers copied at once, the print view with its dates and sources, and the
recent searches kept in the browser only. Shares the session `browser` of tests/web_fixtures.py.

`KB_SCREENSHOTS=1` writes search.png, search-mobile.png and search-print.png to docs/screenshots/.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package; web_fixtures lives here

from web_fixtures import browser, live_app, live_server, new_context, screenshots_dir, watched  # noqa: F401

from kb.client_text import SMS_LIMIT

WIDTHS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
FIXED_TERM = "fixed-term-worker-leave"


@pytest.fixture(params=list(WIDTHS))
def counselor(request, browser, live_server):
    """A page at 375 px or 1280 px whose clipboard the test may write and read back."""
    size = request.param
    phone = size == "phone"
    context = new_context(browser, live_server, viewport=WIDTHS[size], device_scale_factor=2 if phone else 1,
                          is_mobile=phone, has_touch=phone)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = watched(context.new_page())
    page.size = size
    yield page
    context.close()


def result_topics(page) -> list[str]:
    return [li.get_attribute("data-topic") for li in page.locator("li.result").all()]


def query_of(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def no_horizontal_scroll(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_filter_applies_on_change_and_lifts_the_fixed_term_topic(counselor, screenshots_dir):
    page = counselor
    page.goto("/search?q=출산휴가")
    before = result_topics(page)
    assert before[0] != FIXED_TERM
    with page.expect_navigation():
        page.select_option("#f-applies", "fixed-term")             # no submit button pressed
    assert query_of(page) == {"q": "출산휴가", "applies_to": "fixed-term"}
    assert result_topics(page)[0] == FIXED_TERM
    assert page.locator("#f-applies").input_value() == "fixed-term"
    no_horizontal_scroll(page)
    page.locator("li.result").first.locator("input[type=checkbox]").check()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    if page.size == "phone":                                       # the phone picture: from the filters down
        page.evaluate("document.querySelector('.filters').scrollIntoView({behavior: 'instant'})")
    name = "search.png" if page.size == "desktop" else "search-mobile.png"
    page.screenshot(path=str(screenshots_dir / name), full_page=False)
    # the case type too: only topics filed under 거부 remain
    with page.expect_navigation():
        page.select_option("#f-case", "refusal")
    assert query_of(page) == {"q": "출산휴가", "applies_to": "fixed-term", "case_type": "refusal"}
    topics = set(result_topics(page))
    assert topics and FIXED_TERM in topics
    from kb.content import load
    content = load(Path(__file__).resolve().parent.parent / "content")
    assert all("refusal" in content.topics[t].case_types for t in topics)
    assert not page.js_errors, page.js_errors


def test_filter_change_without_words_waits_for_them(counselor):
    page = counselor
    page.goto("/search")
    page.evaluate("window.samePage = true")
    page.select_option("#f-applies", "fixed-term")
    page.wait_for_timeout(300)
    assert page.evaluate("window.samePage") is True               # nothing to search yet: no reload
    assert "applies_to" not in page.url
    page.fill("#sq", "출산휴가")
    with page.expect_navigation():
        page.press("#sq", "Enter")
    assert result_topics(page)[0] == FIXED_TERM


def test_sms_copy_is_short_with_a_link_and_reads_back(counselor):
    page = counselor
    page.goto("/search?q=출산휴가&applies_to=fixed-term")
    first = page.locator("li.result").first
    button = first.locator("button.btn-sms")
    assert button.is_visible()
    button.click()
    page.wait_for_function("() => document.getElementById('copy-status').textContent.includes('문자·카카오톡')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == first.locator("pre.sms-text").text_content()
    assert len(copied) <= SMS_LIMIT
    assert "기준일 " in copied and "1350" in copied
    link = next(line for line in copied.splitlines() if line.startswith("자세히: ")).removeprefix("자세히: ")
    assert link.startswith(page.url.split("/search")[0] + f"/topics/{FIXED_TERM}#")
    page.goto(link)                                                # the link in the message works
    assert page.locator("h1").inner_text().startswith("계약직")
    assert not page.js_errors, page.js_errors


def test_several_answers_copied_at_once(counselor):
    page = counselor
    page.goto("/search?q=출산휴가&applies_to=fixed-term")
    button = page.locator("#copy-picked")
    assert button.is_visible() and button.is_disabled()
    results = page.locator("li.result")
    results.nth(0).locator("input[data-pick]").check()
    results.nth(2).locator("input[data-pick]").check()
    assert button.inner_text().endswith("(2)")
    button.click()
    page.wait_for_function("() => document.getElementById('copy-status').textContent.includes('2개')")
    copied = page.evaluate("navigator.clipboard.readText()")
    texts = [results.nth(i).locator("pre.copy-text").text_content() for i in (0, 2)]
    closing = texts[0].split("\n\n")[-1]
    assert closing.startswith(("더 궁금한 점은", "금액·날짜"))
    for text in texts:
        assert text.removesuffix(closing).strip() in copied          # each answer, in full
    if texts[1].endswith(closing):
        assert copied.count(closing) == 1 and copied.endswith(closing)   # the hotline once, at the end
    assert copied.index(texts[0].split("\n")[0]) < copied.index(texts[1].split("\n")[0])
    assert not page.js_errors, page.js_errors


def test_print_view_of_the_picked_answers(counselor, screenshots_dir):
    page = counselor
    page.goto("/search?q=출산휴가&applies_to=fixed-term")
    results = page.locator("li.result")
    picked = [results.nth(i).locator("input[data-pick]").get_attribute("value") for i in (0, 1)]
    for i in (0, 1):
        results.nth(i).locator("input[data-pick]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="선택한 답변 인쇄용 보기").click()
    assert urlsplit(page.url).path == "/search/print"
    items = page.locator("article.print-item")
    assert [f"{a.get_attribute('data-topic')}:{a.get_attribute('data-anchor')}" for a in items.all()] == picked
    assert page.locator("[data-print-page]").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".print-bar").is_visible()
    first = items.first
    assert first.locator(".print-effective").is_visible() and first.locator(".print-reviewed").is_visible()
    assert first.locator(".print-effective").inner_text()[:2] == "20"
    sources = first.locator(".print-sources a")
    assert sources.count() >= 1 and sources.first.is_visible()
    assert sources.first.get_attribute("href").startswith("http")
    after = sources.first.evaluate("a => getComputedStyle(a, '::after').content")
    assert sources.first.get_attribute("href") in after            # the address is printed after the link
    if page.size == "desktop":
        page.screenshot(path=str(screenshots_dir / "search-print.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_recent_searches_stay_in_the_browser(counselor):
    page = counselor
    sent: list[str] = []
    page.on("request", lambda r: sent.append((r.url, r.post_data or "")))
    page.goto("/search")
    assert not page.locator("#recent-searches").is_visible()       # nothing searched yet
    page.goto("/search?q=육아휴직 급여")
    with page.expect_navigation():
        page.select_option("#f-case", "benefit-claim")
    page.goto("/search?q=계약직 출산휴가")
    recent = page.locator("#recent-list li")
    assert [li.locator("a").inner_text() for li in recent.all()] == ["계약직 출산휴가", "육아휴직 급여", "육아휴직 급여"]
    assert "급여 신청" in recent.nth(1).inner_text()                  # the filter is named beside the words
    # never sent: no request carries the list, and nothing is kept in a cookie
    stored = page.evaluate("localStorage.getItem('kb-recent-searches')")
    assert "계약직 출산휴가" in stored
    assert not any("kb-recent" in url or "육아휴직 급여" in body for url, body in sent)
    assert page.context.cookies() == []
    # a click runs it again, with its filter
    with page.expect_navigation():
        recent.nth(1).locator("a").click()
    assert query_of(page) == {"q": "육아휴직 급여", "case_type": "benefit-claim"}
    assert page.locator("#f-case").input_value() == "benefit-claim"
    # moved to the top, not listed twice
    assert [li.locator("a").inner_text() for li in recent.all()] == ["육아휴직 급여", "계약직 출산휴가", "육아휴직 급여"]
    assert "급여 신청" in recent.nth(0).inner_text() and "급여 신청" not in recent.nth(2).inner_text()
    # at most 20
    page.evaluate("""() => localStorage.setItem('kb-recent-searches', JSON.stringify(
        Array.from({length: 25}, (_, i) => ({q: '검색 ' + i, query: 'q=' + encodeURIComponent('검색 ' + i), labels: []}))))""")
    page.goto("/search?q=임금체불")
    assert page.locator("#recent-list li").count() == 20
    assert page.locator("#recent-list li a").first.inner_text() == "임금체불"
    # the clear button forgets them, here and after a reload
    page.click("#recent-clear")
    assert not page.locator("#recent-searches").is_visible()
    assert page.evaluate("localStorage.getItem('kb-recent-searches')") is None
    page.goto("/search")
    assert not page.locator("#recent-searches").is_visible()
    assert not page.js_errors, page.js_errors


def test_recent_searches_text_is_shown_as_text(counselor):
    page = counselor
    page.goto("/search")
    page.evaluate("""() => localStorage.setItem('kb-recent-searches', JSON.stringify(
        [{q: '<img src=x onerror=window.pwned=1>', query: 'q=x', labels: ['<b>x</b>']}]))""")
    page.goto("/search")
    item = page.locator("#recent-list li")
    assert item.locator("a").inner_text() == "<img src=x onerror=window.pwned=1>"
    assert item.locator("img, b").count() == 0
    assert page.evaluate("window.pwned") is None


def test_without_javascript_filters_and_print_still_work(browser, live_server):
    context = new_context(browser, live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/search?q=출산휴가")
        page.select_option("#f-applies", "fixed-term")
        with page.expect_navigation():
            page.click("form[data-filter-form] button[type=submit]")
        assert result_topics(page)[0] == FIXED_TERM
        assert not page.locator("#copy-picked").is_visible()
        assert not page.locator("#recent-searches").is_visible()
        page.locator("li.result").nth(1).locator("input[data-pick]").check()
        with page.expect_navigation():
            page.get_by_role("button", name="선택한 답변 인쇄용 보기").click()
        assert page.locator("article.print-item").count() == 1
        assert "기준일" in page.locator("article.print-item").inner_text()
    finally:
        context.close()
