"""Real-browser tests: Playwright driving Debian's headless Chromium against a live server.

If Chromium is missing these FAIL (they never skip): install it with
`apt-get update && apt-get install -y chromium`.
Screenshots of the chat, counselor and topic pages go to docs/screenshots/ with KB_SCREENSHOTS=1.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package; web_fixtures lives here

from web_fixtures import (  # noqa: F401
    MISSING_CHROMIUM,
    browser,
    chromium_missing,
    live_app,
    live_server,
    mobile_page,
    nojs_page,
    page,
    screenshots_dir,
)

PAY_Q = "육아휴직 급여 얼마나 나와요?"
CRISIS_Q = "회사 때문에 너무 힘들어서 죽고 싶어요"
OFF_TOPIC_Q = "오늘 날씨 어때요"


def test_chromium_is_installed():
    assert not chromium_missing(), MISSING_CHROMIUM


def ask(page, q, n=1):
    """Type a question in the chat box, press Enter, wait for the n-th answer."""
    page.fill("#q", q)
    page.press("#q", "Enter")
    answer = page.locator(f"#conversation > li.exchange:nth-child({n}) article.answer")
    answer.wait_for()
    return answer


def table_topic(knowledge):
    """A topic whose sections have a table (the widest content), else any topic."""
    topics = knowledge.content.topics
    for preferred in ("parental-leave-pay", "maternity-leave-pay"):
        if preferred in topics:
            return topics[preferred]
    return next((t for t in topics.values() if any("|---" in s.markdown for s in t.sections)), next(iter(topics.values())))


# ---------------------------------------------------------------- chat

def test_chat_answer_shows_dates_and_referral_cards(page, knowledge, screenshots_dir):
    expected = knowledge.ask(PAY_Q)
    page.goto("/")
    page.evaluate("window.__noReload = true")
    answer = ask(page, PAY_Q)
    text = answer.inner_text()
    assert expected.core[:40] in text
    assert f"기준일 {expected.as_of}" in text
    assert f"검토일 {expected.reviewed}" in text
    cards = answer.locator(".referral-card")
    assert cards.count() >= 1
    assert cards.first.locator("a[href^='tel:']").count() >= 1
    # links to the topic's sections
    assert answer.locator(f"a[href^='/topics/{expected.topics[0]}#']").count() >= 1
    assert page.evaluate("window.__noReload") is True, "answered without a page reload"
    assert page.locator("#q").input_value() == ""
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots_dir / "chat.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_conversation_grows_without_reload(page):
    page.goto("/")
    page.evaluate("window.__noReload = true")
    ask(page, PAY_Q, 1)
    ask(page, "출산휴가는 며칠이에요?", 2)
    assert page.locator("#conversation > li.exchange").count() == 2
    assert page.locator("#latest").count() == 1
    assert page.evaluate("window.__noReload") is True
    # the examples step aside once the conversation has started
    assert not page.locator(".examples").is_visible()
    assert not page.js_errors, page.js_errors


def test_example_question_button_asks_it(page):
    page.goto("/")
    chip = page.locator(".examples button.chip").first
    question = chip.get_attribute("value")
    chip.click()
    page.locator("#conversation article.answer").wait_for()
    assert question in page.locator("#conversation .bubble-q").first.inner_text()


def test_crisis_question_shows_109_card_first(page, screenshots_dir):
    page.goto("/")
    answer = ask(page, CRISIS_Q)
    first = answer.locator(":scope > *").first
    assert "crisis-card" in first.get_attribute("class")
    assert first.locator("a[href='tel:109']").count() == 1
    assert "109" in first.inner_text()
    card_box = first.bounding_box()
    core_box = answer.locator(".core").bounding_box()
    assert card_box["y"] < core_box["y"]
    assert not page.js_errors, page.js_errors


def test_unsure_answer_offers_hotlines(page, knowledge):
    expected = knowledge.ask(OFF_TOPIC_Q)
    page.goto("/")
    answer = ask(page, OFF_TOPIC_Q)
    assert "기준일" not in answer.inner_text()
    assert answer.locator(".referral-card").count() == len(expected.referral_cards) >= 1
    if expected.suggestions:
        assert "이 중 어떤 내용이 궁금하세요?" in answer.inner_text()
        assert answer.locator("button.chip-topic").count() == len(expected.suggestions)


def test_suggestion_button_asks_that_topic(page, knowledge, monkeypatch):
    from kb.models import Answer

    real_ask = knowledge.ask

    def fake_ask(q):
        if q == "휴가 이야기":
            return Answer(q=q, answer="질문을 정확히 이해하지 못했어요.", topics=("parental-leave",), sections=(),
                          referrals=(), referral_cards=(), confident=False, crisis=False, as_of=None, reviewed=None,
                          legal_basis=(), suggestions=(knowledge.content.topics["parental-leave"].title,))
        return real_ask(q)

    if "parental-leave" not in knowledge.content.topics:
        pytest.skip("parental-leave topic not written yet")
    monkeypatch.setattr(knowledge, "ask", fake_ask)
    page.goto("/")
    answer = ask(page, "휴가 이야기")
    assert "이 중 어떤 내용이 궁금하세요?" in answer.inner_text()
    answer.locator("button.chip-topic").first.click()
    second = page.locator("#conversation > li.exchange:nth-child(2) article.answer")
    second.wait_for()
    assert "기준일" in second.inner_text()


def test_a_lost_connection_says_whom_to_call(page, knowledge):
    """The number app.js offers when the server cannot be reached is the page's (from content/centers)."""
    page.goto("/")
    page.route("**/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.fill("#q", "육아휴직 급여")
    page.press("#q", "Enter")
    error = page.locator("#ask-error")
    error.wait_for(state="visible")
    assert error.inner_text() == ("연결이 끊겼어요. 잠시 뒤에 다시 해 주세요. 급하면 고용노동부 "
                                  f"{knowledge.content.centers['moel-1350'].phone}에 전화하세요.")


def test_empty_question_shows_message_without_request(page):
    page.goto("/")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/api/ask" in r.url else None)
    page.press("#q", "Enter")
    error = page.locator("#ask-error")
    error.wait_for(state="visible")
    assert "질문을 입력해 주세요" in error.inner_text()
    assert page.locator("#q").get_attribute("aria-invalid") == "true"
    assert requests == []


def test_typed_markup_is_shown_as_text(page):
    page.goto("/")
    q = "<img src=x onerror=\"window.__xss=1\"> 육아휴직 급여"
    answer = ask(page, q)
    assert answer.is_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator("#conversation .bubble-q").first.inner_text().endswith(q)
    assert page.locator("#conversation img").count() == 0


# ---------------------------------------------------------------- counselor

def test_copy_button_copies_the_standard_answer(page, knowledge):
    page.goto("/search?q=" + "육아휴직 급여")
    first = page.locator("li.result").first
    topic = knowledge.content.topics[first.get_attribute("data-topic")]
    section = topic.section(first.get_attribute("data-anchor"))
    button = first.locator("button.btn-copy")
    assert button.is_visible()
    assert first.locator("mark").count() >= 1
    button.click()
    page.wait_for_function("() => document.querySelector('li.result button.btn-copy').textContent.includes('복사했어요')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"[{topic.title}")
    assert section.text in copied
    assert f"기준일 {topic.effective}" in copied and "1350" in copied    # client-ready: the date and the hotline
    assert "검토일" not in copied and not any(note in copied for note in topic.verify)
    assert "<" not in copied.replace("<=", "")            # plain text, not HTML
    page.wait_for_function("() => document.getElementById('copy-status').textContent.includes('복사했어요')")
    assert not page.js_errors, page.js_errors


def test_filters_narrow_results(page, knowledge):
    page.goto("/search")
    page.fill("#sq", "휴가")
    page.select_option("#f-category", "birth")
    page.press("#sq", "Enter")
    page.locator(".result-count").wait_for()
    topics = {li.get_attribute("data-topic") for li in page.locator("li.result").all()}
    assert topics
    assert all(knowledge.content.topics[t].category == "birth" for t in topics)
    assert page.locator("#f-category").input_value() == "birth"


def test_slash_focuses_the_search_box(page):
    page.goto("/search?q=육휴")
    page.locator("li.result a").first.focus()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "sq"
    # typing "/" inside the box types it
    page.keyboard.type("/")
    assert page.locator("#sq").input_value().endswith("/")
    page.goto("/topics")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q" or page.evaluate("document.activeElement.tagName") == "BODY"
    page.goto("/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"


def _tab_until(page, predicate_js: str, limit: int = 60) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return True
    return False


def _focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    }""")


def test_keyboard_only_chat(page):
    page.goto("/")
    assert _tab_until(page, "document.activeElement.id === 'q'"), "Tab reaches the question box"
    assert _focus_is_visible(page)
    page.keyboard.type(PAY_Q)
    page.keyboard.press("Enter")
    page.locator("#conversation article.answer").wait_for()
    # focus moves to the answer; Tab then walks through its links
    assert page.evaluate("document.activeElement.classList.contains('answer')")
    assert _tab_until(page, "document.activeElement.tagName === 'A' && !!document.activeElement.closest('article.answer')", 5)
    assert _focus_is_visible(page)
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href
    # and onward, back to the box to ask again
    assert _tab_until(page, "document.activeElement.id === 'q'")


def test_keyboard_only_search(page):
    page.goto("/search")
    assert page.evaluate("document.activeElement.id") == "sq", "autofocus"
    page.keyboard.type("출산휴가 며칠")
    page.keyboard.press("Enter")
    page.locator("li.result").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "sq"
    assert _tab_until(page, "!!document.activeElement.closest('li.result') && document.activeElement.tagName === 'A'")
    assert _focus_is_visible(page)
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/topics/[^#]+#"))
    assert page.url.endswith(target)
    anchor = target.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").is_visible()
    # the copy button is reachable by Tab too
    page.go_back()
    page.locator("li.result").first.wait_for()
    assert _tab_until(page, "document.activeElement.classList.contains('btn-copy')")


def test_skip_link_is_first_and_visible_on_focus(page):
    page.goto("/topics")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.locator(".skip-link").bounding_box()["y"] >= 0


# ---------------------------------------------------------------- topic and centers pages

def test_topic_page_sections_and_anchors(page, knowledge, screenshots_dir):
    topic = table_topic(knowledge)
    page.goto(f"/topics/{topic.id}")
    assert page.locator("h1").inner_text() == topic.title
    for s in topic.sections:
        assert page.locator(f"section[id='{s.anchor}']").count() == 1
    if topic.reviewed:
        assert f"검토일 {topic.reviewed}" in page.locator(".topic-header").inner_text()
    page.screenshot(path=str(screenshots_dir / "topic.png"), full_page=False)
    last = topic.sections[-1]
    page.goto(f"/topics/{topic.id}#{last.anchor}")
    assert page.locator(f"section[id='{last.anchor}']").is_visible()
    # copy a section
    page.locator(f"section[id='{last.anchor}'] button.btn-copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert last.text in copied
    assert not page.js_errors, page.js_errors


def test_centers_page_has_tel_links(page, knowledge):
    page.goto("/centers")
    assert page.locator("li.center-card").count() == len(knowledge.content.centers)
    assert page.locator("li.center-card a[href^='tel:']").count() >= 1
    if any(c.unverified for c in knowledge.content.centers.values()):
        assert page.locator("li.center-card .badge-verify").count() >= 1


# ---------------------------------------------------------------- mobile

def _no_horizontal_scroll(page, width=375):
    sw = page.evaluate("document.documentElement.scrollWidth")
    assert sw <= width, f"{page.url}: scrollWidth {sw} > {width}"


def test_mobile_pages_have_no_horizontal_scroll(mobile_page, knowledge, screenshots_dir):
    page = mobile_page
    page.goto("/")
    _no_horizontal_scroll(page)
    ask(page, PAY_Q)
    _no_horizontal_scroll(page)
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots_dir / "mobile-chat.png"), full_page=False)
    ask(page, CRISIS_Q, 2)
    _no_horizontal_scroll(page)
    paths = ["/search", "/search?q=육아휴직 급여 상한", "/topics", "/centers", "/nope"]
    paths += [f"/topics/{t}" for t in knowledge.content.topics]
    for path in paths:
        page.goto(path)
        _no_horizontal_scroll(page)


def test_320px_chat_still_fits(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640}, locale="ko-KR")
    try:
        p = context.new_page()
        for path in ("/", "/search?q=육휴", "/centers"):
            p.goto(path)
            _no_horizontal_scroll(p, 320)
        p.goto("/")
        ask(p, PAY_Q)
        _no_horizontal_scroll(p, 320)
    finally:
        context.close()


def test_tap_targets_are_large_on_mobile(mobile_page):
    page = mobile_page
    page.goto("/")
    ask(page, PAY_Q)
    small = page.evaluate("""() => [...document.querySelectorAll(
            '.site-nav a, .ask-form button, .ask-form input, .section-links a, .phone-link, .chip')]
        .filter(el => el.offsetParent !== null)
        .filter(el => el.getBoundingClientRect().height < 40)
        .map(el => el.textContent.trim())""")
    assert small == []


# ---------------------------------------------------------------- without JavaScript

def test_no_js_form_post_works(nojs_page, knowledge):
    page = nojs_page
    expected = knowledge.ask(PAY_Q)
    page.goto("/")
    page.fill("#q", PAY_Q)
    with page.expect_navigation():
        page.click(".ask-form button[type=submit]")
    answer = page.locator("article.answer")
    assert answer.count() == 1
    text = answer.inner_text()
    assert f"기준일 {expected.as_of}" in text
    assert answer.locator(".referral-card").count() >= 1
    # the question box is there again for the next question
    assert page.locator("#q").count() == 1


def test_no_js_example_and_crisis(nojs_page):
    page = nojs_page
    page.goto("/")
    with page.expect_navigation():
        page.locator(".examples button.chip").first.click()
    assert page.locator("article.answer").count() == 1
    page.fill("#q", CRISIS_Q)
    with page.expect_navigation():
        page.press("#q", "Enter")
    first = page.locator("article.answer > *").first
    assert "crisis-card" in first.get_attribute("class")


def test_no_js_bad_input_message(nojs_page):
    page = nojs_page
    page.goto("/")
    page.fill("#q", "   ")
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert "질문을 입력해 주세요" in page.locator("#ask-error").inner_text()


def test_no_js_search_shows_standard_answer(nojs_page):
    page = nojs_page
    page.goto("/search?q=육아휴직 급여")
    first = page.locator("li.result").first
    assert not first.locator("button.btn-copy").is_visible()        # needs JS: hidden
    first.locator("details summary").click()
    assert first.locator("pre.copy-text").is_visible()
    assert "기준일" in first.locator("pre.copy-text").inner_text()


# ---------------------------------------------------------------- crisis and danger on a phone

@pytest.mark.parametrize("q, first_tel, route", [
    ("그냥 잠들어서 안 깨어났으면 좋겠어요", "tel:109", "crisis"),      # indirect wording
    ("남편이 때려요. 임신 중인데 무서워요", "tel:112", "danger"),        # violence now
])
def test_phone_shows_the_urgent_card_first(mobile_page, q, first_tel, route, screenshots_dir):
    page = mobile_page
    page.goto("/")
    answer = ask(page, q)
    first = answer.locator(":scope > *").first
    assert "crisis-card" in first.get_attribute("class")
    assert first.get_attribute("data-route") == route
    assert first.locator("a.crisis-call").first.get_attribute("href") == first_tel
    # the call button is on the first screen of the answer, above everything else in it
    call_box = first.locator("a.crisis-call").first.bounding_box()
    assert call_box["height"] >= 44 and call_box["width"] <= 375
    page.screenshot(path=str(screenshots_dir / f"{route}-phone.png"))


def test_long_message_ending_in_a_crisis_reaches_109(page):
    page.goto("/")
    answer = ask(page, "회사에서 " * 132 + "정말 죽고 싶어요")
    first = answer.locator(":scope > *").first
    assert first.locator("a[href='tel:109']").count() == 1
    assert not page.js_errors, page.js_errors


# ---------------------------------------------------------------- the conversation as people use it

NARRATIVE_Q = "임신했다고 말했더니 팀장이 권고사직 하래요 너무 서러워요 어떻게 해야 돼요"


@pytest.mark.parametrize("fixture", ["page", "mobile_page"])
def test_narrative_gets_steps_inline_and_one_call_button(request, fixture, knowledge):
    page = request.getfixturevalue(fixture)
    expected = knowledge.ask(NARRATIVE_Q)
    assert expected.detail, "the steps section is chosen"
    page.goto("/")
    answer = ask(page, NARRATIVE_Q)
    detail = answer.locator("section.detail")
    assert detail.is_visible()
    heading = knowledge.content.topics[expected.topics[0]].section(expected.detail).heading
    assert detail.locator(".detail-heading").inner_text() == heading
    assert answer.locator(".empathy").inner_text() == expected.empathy
    # one primary call button; the other places are folded
    assert answer.locator("a.btn-call").count() == 1
    assert answer.locator("a.btn-call").get_attribute("href").startswith("tel:")
    more = answer.locator("details.more-cards")
    assert not more.locator(".referral-card").first.is_visible()
    more.locator("summary").click()
    assert more.locator(".referral-card").first.is_visible()
    assert not page.js_errors, page.js_errors


@pytest.mark.parametrize("fixture", ["page", "mobile_page"])
def test_back_after_a_topic_link_restores_the_conversation(request, fixture):
    page = request.getfixturevalue(fixture)
    page.goto("/")
    answer = ask(page, PAY_Q)
    ask(page, "출산휴가는 며칠이에요?", 2)
    with page.expect_navigation():
        answer.locator(".answer-topic a").click()
    assert "/topics/" in page.url
    with page.expect_navigation():
        page.go_back()
    page.locator("#conversation > li.exchange").nth(1).wait_for()
    assert page.locator("#conversation > li.exchange").count() == 2
    assert PAY_Q in page.locator("#conversation .bubble-q").first.inner_text()
    # "새 대화 시작" forgets it, here and after a reload
    page.click("#new-chat")
    assert page.locator("#conversation > li.exchange").count() == 0
    page.reload()
    assert page.locator("#conversation > li.exchange").count() == 0
    assert page.locator(".examples").is_visible()


@pytest.mark.parametrize("fixture", ["page", "mobile_page"])
def test_question_box_grows_and_enter_sends(request, fixture):
    page = request.getfixturevalue(fixture)
    page.goto("/")
    box = page.locator("#q")
    assert box.evaluate("el => el.tagName") == "TEXTAREA"
    one_line = box.bounding_box()["height"]
    box.click()
    page.keyboard.type("출산휴가 끝나고 바로 육아휴직을 이어서 쓰고 싶은데")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("회사에 언제까지 말해야 하나요? 계약직이고 1년 넘게 일했어요.")
    assert "\n" in box.input_value()
    assert box.bounding_box()["height"] > one_line
    page.keyboard.press("Enter")
    page.locator("#conversation article.answer").wait_for()
    assert box.input_value() == ""


def test_link_with_q_answers_directly(page):
    page.goto("/?q=" + PAY_Q)
    answer = page.locator("#conversation article.answer")
    assert answer.count() == 1
    assert "기준일" in answer.inner_text()
# ---------------------------------------------------------------- feedback (issue 9: web/feedback.py, /report)
# Here rather than in a module of its own: a second module importing the session `browser`
# fixture would start a second Playwright inside the first one's event loop.

FEEDBACK_TOKEN = "test-admin-token-5c1f"


@pytest.fixture
def feedback_report_on(live_app):
    live_app.config["KB_ADMIN_TOKEN"] = FEEDBACK_TOKEN
    yield
    live_app.config["KB_ADMIN_TOKEN"] = None


def test_feedback_no_with_a_reason_reaches_the_report(page, live_app, feedback_report_on):
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
    page.fill("#r-token", FEEDBACK_TOKEN)
    page.get_by_role("button", name="보고서 보기").click()
    group = page.locator("li.report-group", has_text=q)
    group.wait_for()
    assert "설명이 부족해요" in group.inner_text()
    assert FEEDBACK_TOKEN not in page.url and FEEDBACK_TOKEN not in page.content()


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
# ---------------------------------------------------------------- the referral router in the chat
# (here, not in a module of its own: two modules importing the session `browser` fixture would
# start two Playwright drivers, and the second fails inside the first one's event loop)

from kb.referrals import Context  # noqa: E402

REGION_Q = "출산휴가 상담받고 싶어요"
BADGE = {True: "지금 운영 중", False: "지금은 운영 시간 아님"}


def check_cards(cards, expected):
    assert cards.count() == len(expected.referral_cards)
    for i, card in enumerate(expected.referral_cards):
        li = cards.nth(i)
        assert li.get_attribute("data-center") == card.id
        # text_content: all but the first place are folded under "다른 곳 … 더 보기"
        assert li.locator(".card-why").text_content().strip().startswith(card.why.split(" · ")[0])
        badge = li.locator(".card-open")
        if card.open_now is None:
            assert badge.count() == 0
        else:
            assert badge.text_content().strip() == BADGE[card.open_now]


def test_picked_district_routes_the_chat_and_cards_show_open_state(page, knowledge, screenshots_dir):
    page.goto("/")
    options = page.locator("select#region option")
    assert options.count() == 26                     # 선택 안 함 + 25 자치구
    page.select_option("select#region", "구로구")
    page.fill("#q", REGION_Q)
    page.press("#q", "Enter")
    answer = page.locator("#conversation > li.exchange:nth-child(1) article.answer")
    answer.wait_for()
    expected = knowledge.ask(REGION_Q, context=Context(region="구로구"))
    assert expected.referrals[0] == "seoul-southwest-working-mom-center"
    check_cards(answer.locator(".referral-card"), expected)
    assert "구로구 → 서남권직장맘지원센터" in answer.locator(".referral-card").first.inner_text()
    # the choice stays in the page for the next question, and nothing was stored in the browser
    assert page.locator("select#region").input_value() == "구로구"
    # (the conversation itself lives in this tab's sessionStorage, under one key, and nothing else)
    assert page.evaluate("window.localStorage.length + document.cookie.length") == 0
    assert page.evaluate("Object.keys(window.sessionStorage)") == ["kb-conversation"]
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots_dir / "chat-region.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_region_picker_works_without_javascript(nojs_page, knowledge):
    nojs_page.goto("/")
    nojs_page.select_option("select#region", "은평구")
    nojs_page.fill("#q", REGION_Q)
    nojs_page.click("#ask-form button[type=submit]")
    nojs_page.locator("article.answer").wait_for()
    expected = knowledge.ask(REGION_Q, context=Context(region="은평구"))
    assert expected.referrals[0] == "seoul-working-mom-center"
    check_cards(nojs_page.locator("article.answer .referral-card"), expected)
    assert nojs_page.locator("select#region").input_value() == "은평구"
