"""The chat's 자치구 picker and the open/closed state on referral cards, in real Chromium.

The server answers with the real clock, so the test compares the page with what the router
says for the same question at the same minute, and checks both the fetch path and the
no-JavaScript form path.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package; web_fixtures lives here

from web_fixtures import browser, live_app, live_server, nojs_page, page, screenshots_dir  # noqa: F401,E402

from kb.referrals import Context  # noqa: E402

Q = "출산휴가 상담받고 싶어요"
BADGE = {True: "지금 운영 중", False: "지금은 운영 시간 아님"}


def check_cards(cards, expected):
    assert cards.count() == len(expected.referral_cards)
    for i, card in enumerate(expected.referral_cards):
        li = cards.nth(i)
        assert li.get_attribute("data-center") == card.id
        assert li.locator(".card-why").inner_text().startswith(card.why.split(" · ")[0])
        badge = li.locator(".card-open")
        if card.open_now is None:
            assert badge.count() == 0
        else:
            assert badge.inner_text().strip() == BADGE[card.open_now]


def test_picked_district_routes_the_chat_and_cards_show_open_state(page, knowledge, screenshots_dir):
    page.goto("/")
    options = page.locator("select#region option")
    assert options.count() == 26                     # 선택 안 함 + 25 자치구
    page.select_option("select#region", "구로구")
    page.fill("#q", Q)
    page.press("#q", "Enter")
    answer = page.locator("#conversation > li.exchange:nth-child(1) article.answer")
    answer.wait_for()
    expected = knowledge.ask(Q, context=Context(region="구로구"))
    assert expected.referrals[0] == "seoul-southwest-working-mom-center"
    check_cards(answer.locator(".referral-card"), expected)
    assert "구로구 → 서남권직장맘지원센터" in answer.locator(".referral-card").first.inner_text()
    # the choice stays in the page for the next question, and nothing was stored in the browser
    assert page.locator("select#region").input_value() == "구로구"
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length + document.cookie.length") == 0
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots_dir / "chat-region.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_picker_works_without_javascript(nojs_page, knowledge):
    nojs_page.goto("/")
    nojs_page.select_option("select#region", "은평구")
    nojs_page.fill("#q", Q)
    nojs_page.click("#ask-form button[type=submit]")
    nojs_page.locator("article.answer").wait_for()
    expected = knowledge.ask(Q, context=Context(region="은평구"))
    assert expected.referrals[0] == "seoul-working-mom-center"
    check_cards(nojs_page.locator("article.answer .referral-card"), expected)
    assert nojs_page.locator("select#region").input_value() == "은평구"
