"""The widget in a real browser, on another site: Playwright driving Debian's headless Chromium.

The demo host page (docs/widget-demo.html, an imaginary center with aggressive CSS) is served from
a SECOND origin (another port); the widget and the API come from the app's origin, which lists
that host in KB_WIDGET_ORIGINS. A third origin, not listed, must be refused. Screenshots go to
docs/screenshots/ with KB_SCREENSHOTS=1.
"""
from __future__ import annotations

import json
import sys
from contextlib import suppress
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package; web_fixtures lives here

from web_fixtures import browser, screenshots_dir, serve  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "docs" / "widget-demo.html"
DEMO_APP_URL = "http://127.0.0.1:8000"   # what the demo page names; rewritten to the test server
PAY_Q = "육아휴직 쓰면 돈 얼마나 나와요"
CRISIS_Q = "회사 때문에 너무 힘들어서 죽고 싶어요"
HOST_SELECTORS = ["body", "header h1", "nav a", "main > p", "#email", "#newsletter button", "#notice li", "h2"]
HOST_PROPS = ["font-family", "font-size", "color", "background-color", "text-transform", "letter-spacing",
              "border-top-style", "border-top-width", "padding-top", "margin-top", "line-height", "display"]


def host_site(app_url: dict):
    """The imaginary center's site: the demo page naming our app at app_url["url"], and a page framing /embed."""
    def wsgi(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path == "/widget-demo.html":
            body = DEMO.read_text(encoding="utf-8").replace(DEMO_APP_URL, app_url["url"])
        elif path == "/frame.html":
            body = (f'<!doctype html><html lang="ko"><meta charset="utf-8"><title>frame</title>'
                    f'<iframe id="kb" title="권리 상담 검색" src="{app_url["url"]}/embed?region=구로구" '
                    f'width="600" height="500"></iframe></html>')
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body.encode("utf-8")]
    return wsgi


@pytest.fixture(scope="module")
def sites(knowledge, instance_dir):
    """{"app": our app's URL, "host": the listed center site, "stranger": a site not on the list}."""
    from web import create_app

    app_url = {"url": ""}
    with serve(host_site(app_url)) as host, serve(host_site(app_url)) as stranger:
        app = create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
                          "KB_INSTANCE": str(instance_dir), "KB_WIDGET_ORIGINS": host, "KB_RATE_LIMIT": "1000/minute"})
        with serve(app) as app_base:
            app_url["url"] = app_base
            yield {"app": app_base, "host": host, "stranger": stranger}


def new_page(browser, **options):  # noqa: F811
    options.setdefault("locale", "ko-KR")
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    p = context.new_page()
    p.js_errors = []
    p.on("pageerror", lambda e: p.js_errors.append(str(e)))
    return context, p


@pytest.fixture
def page(browser):  # noqa: F811
    context, p = new_page(browser)
    yield p
    p.unroute_all(behavior="ignoreErrors")   # a route held on purpose must not outlive its test
    context.close()


def open_demo(page, base):
    page.goto(f"{base}/widget-demo.html")
    page.wait_for_function("window.KBWidget && window.KBWidget.instances.length === 1")
    return page.locator("[data-kb-widget] input[role=combobox]")


def host_styles(page):
    return page.evaluate("""([sels, props]) => sels.map(sel => {
        const el = document.querySelector(sel); const cs = getComputedStyle(el);
        return [sel, props.map(p => cs.getPropertyValue(p))];
    })""", [HOST_SELECTORS, HOST_PROPS])


def shadow(page, script):
    """Evaluate `script` (a function body) with `root` = the widget's shadow root."""
    return page.evaluate(f"() => {{ const root = document.querySelector('[data-kb-widget]').shadowRoot; {script} }}")


def type_question(box, text):
    box.click()
    box.press_sequentially(text, delay=20)


# ---------------------------------------------------------------- the main path, from a listed site

def test_widget_on_a_center_site_searches_moves_and_opens_a_result(page, sites, knowledge, screenshots_dir):  # noqa: F811
    # the host page's own look, without the widget ...
    page.route("**/static/widget.js", lambda route: route.abort())
    page.goto(f"{sites['host']}/widget-demo.html")
    before = host_styles(page)
    page.unroute("**/static/widget.js")

    box = open_demo(page, sites["host"])
    type_question(box, PAY_Q)
    options = page.locator("[data-kb-widget] [role=option]")
    options.first.wait_for()
    n = options.count()
    assert 2 <= n <= 5
    listbox = page.locator("[data-kb-widget] [role=listbox]")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert page.locator("[data-kb-widget] [role=status]").inner_text().startswith(f"검색 결과 {n}개")
    # highlighted words are <mark> elements holding plain text
    assert page.locator("[data-kb-widget] [role=option] mark").count() >= 1

    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    assert options.nth(0).get_attribute("aria-selected") == "false"
    box.press("End")
    assert box.get_attribute("aria-activedescendant") == options.nth(n - 1).get_attribute("id")
    box.press("Home")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    box.press("ArrowUp")   # wraps to the last
    assert box.get_attribute("aria-activedescendant") == options.nth(n - 1).get_attribute("id")
    box.press("ArrowDown")  # and back to the first
    title = options.nth(0).locator(".t").inner_text()
    assert shadow(page, "return root.activeElement && root.activeElement.getAttribute('role')") == "combobox"

    box.press("Enter")   # open the active result
    panel = page.locator("[data-kb-widget] .p")
    panel.locator("h3").wait_for()
    assert panel.locator("h3").inner_text() == title
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    tel = panel.locator(".c a[href^='tel:']")
    assert tel.count() == 1
    first_result = page.evaluate(f"""async () => (await (await fetch('{sites['app']}/api/search?q=' +
        encodeURIComponent({json.dumps(PAY_Q)}) + '&limit=5')).json()).results[0]""")
    assert tel.get_attribute("href") == "tel:" + "".join(ch for ch in first_result["referral"]["phone"] if ch.isdigit())
    full = panel.locator("a[target=_blank]")
    assert full.get_attribute("href") == sites["app"] + first_result["url"]
    assert full.get_attribute("rel") == "noopener"

    # the host page looks exactly as it did without the widget
    assert host_styles(page) == before
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshots_dir / "widget-desktop.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_host_css_does_not_reach_the_widget_and_themes_only_through_variables(page, sites):
    open_demo(page, sites["host"])
    looks = shadow(page, """
        const get = (sel, prop) => getComputedStyle(root.querySelector(sel)).getPropertyValue(prop);
        return {kbDisplay: get('.kb', 'display'), inputFont: get('input', 'font-family'),
                inputBg: get('input', 'background-color'), inputBorder: get('input', 'border-top-style'),
                labelTransform: get('label', 'text-transform'), labelSpacing: get('label', 'letter-spacing'),
                buttonBg: get('button', 'background-color'), buttonTransform: get('button', 'transform'),
                radius: get('input', 'border-top-left-radius'), hiddenList: get('[role=listbox]', 'display')};""")
    assert looks["kbDisplay"] == "block"                     # host: .kb { display: none !important }
    assert "Georgia" not in looks["inputFont"]                # host: * { font-family: Georgia !important }
    assert looks["inputBg"] == "rgb(255, 255, 255)"          # host: input { background: #000 !important }
    assert looks["inputBorder"] == "solid"                   # host: input { border: dotted }
    assert looks["labelTransform"] == "none"                 # host: * { text-transform: uppercase }
    assert looks["labelSpacing"] == "normal"
    assert looks["buttonTransform"] == "none"                # host: button { transform: rotate(-3deg) }
    assert looks["hiddenList"] == "none"                     # host: [hidden] { display: block !important }
    # the center's theme, set on the host element with --kb-accent and --kb-radius
    assert looks["buttonBg"] == "rgb(122, 31, 92)"
    assert looks["radius"] == "4px"
    # the host keeps its say over the box's place: margin and width
    box = page.locator("[data-kb-widget]").bounding_box()
    assert box["width"] <= 720.5
    assert page.evaluate("getComputedStyle(document.querySelector('[data-kb-widget]')).borderTopStyle") == "none"


def test_enter_asks_and_shows_the_core_answer_with_its_date(page, sites, knowledge):
    from kb.referrals import Context

    expected = knowledge.ask(PAY_Q, context=Context(region="구로구"))   # the demo page's data-region
    sent = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/ask") and r.method == "POST" else None)
    box = open_demo(page, sites["host"])
    box.fill(PAY_Q)
    box.press("Enter")
    panel = page.locator("[data-kb-widget] .p")
    panel.locator(".d").wait_for()
    text = panel.inner_text()
    assert expected.core[:40] in text
    assert f"기준일 {expected.as_of}" in text
    cards = panel.locator(".c li")
    assert cards.count() == len(expected.referral_cards)
    assert [c.inner_text().split("\n")[0] for c in cards.all()] == [c.name for c in expected.referral_cards]
    assert cards.first.locator("a[href^='tel:']").count() >= 1
    # text first, places to call after it; the server logged the answer, so its feedback question follows
    assert shadow(page, "return root.querySelector('.p').firstElementChild.tagName") == "H3"
    assert panel.locator(".f").count() == 1
    # the host center's 자치구 (data-region) goes with the question, for the referral router
    assert sent == [{"q": PAY_Q, "region": "구로구"}]
    assert not page.js_errors, page.js_errors


def test_one_global_and_no_change_to_the_host_document(page, sites):
    page.route("**/static/widget.js", lambda route: route.abort())
    page.goto(f"{sites['host']}/widget-demo.html")
    count_nodes = "document.querySelectorAll('*').length"
    before = set(page.evaluate("Object.keys(window)"))
    nodes = page.evaluate(count_nodes)
    page.unroute("**/static/widget.js")
    open_demo(page, sites["host"])
    assert set(page.evaluate("Object.keys(window)")) - before == {"KBWidget"}
    # nothing added to the host's document (no <style> in its head): all of it lives in the shadow root
    assert page.evaluate(count_nodes) == nodes
    assert page.evaluate("document.body.querySelectorAll('[data-kb-widget] *').length") == 1   # the fallback link, hidden
    assert page.locator("[data-kb-widget] > a").is_hidden()


def test_a_crisis_answer_puts_109_first(page, sites):
    box = open_demo(page, sites["host"])
    box.fill(CRISIS_Q)
    box.press("Enter")
    first_card = page.locator("[data-kb-widget] .p > ul.c:first-child li").first
    first_card.wait_for()
    assert first_card.locator("a").first.get_attribute("href") == "tel:109"
    assert "u" in first_card.get_attribute("class")
    assert "109" in page.locator("[data-kb-widget] .p .l").inner_text()   # the calm lead, after the cards
    assert "먼저" in page.locator("[data-kb-widget] [role=status]").inner_text()


def test_crisis_words_typed_in_the_box_bring_109_before_any_result(page, sites):
    box = open_demo(page, sites["host"])
    type_question(box, "죽고 싶어요")
    first_card = page.locator("[data-kb-widget] .p > ul.c:first-child li").first
    first_card.wait_for()
    assert first_card.locator("a").first.get_attribute("href") == "tel:109"
    assert "전화할 수 있는 곳" in page.locator("[data-kb-widget] [role=status]").inner_text()
    # typing on to an ordinary question clears the urgent cards
    box.fill("")
    type_question(box, "출산휴가 며칠")
    page.wait_for_function("""() => { const r = document.querySelector('[data-kb-widget]').shadowRoot;
        return r.querySelectorAll('[role=option]').length > 0 && !r.querySelector('.p ul.c'); }""")


def test_no_feedback_question_without_an_id(page, sites):
    def without_id(route):
        body = route.fetch().json()
        body.pop("id", None)
        route.fulfill(json=body, headers={"Access-Control-Allow-Origin": sites["host"]})

    page.route("**/api/ask", without_id)
    box = open_demo(page, sites["host"])
    box.fill(PAY_Q)
    box.press("Enter")
    panel = page.locator("[data-kb-widget] .p")
    panel.locator(".d").wait_for()
    assert panel.locator(".f").count() == 0


def test_feedback_question_only_for_a_logged_answer(page, sites):
    posted = []

    def with_id(route):
        response = route.fetch()
        body = response.json()
        body["id"] = 42
        route.fulfill(response=response, json=body)

    def feedback(route):
        posted.append(route.request.post_data_json)
        route.fulfill(status=200, json={"ok": True}, headers={"Access-Control-Allow-Origin": sites["host"]})

    page.route("**/api/ask", with_id)
    page.route("**/api/feedback", feedback)
    box = open_demo(page, sites["host"])
    box.fill(PAY_Q)
    box.press("Enter")
    ask = page.locator("[data-kb-widget] .f")
    ask.wait_for()
    assert "도움이 되었나요?" in ask.inner_text()
    ask.get_by_role("button", name="아니요").click()
    page.wait_for_function("() => document.querySelector('[data-kb-widget]').shadowRoot.querySelector('.f')"
                           ".textContent.includes('고마워요')")
    page.wait_for_timeout(300)
    assert posted == [{"id": 42, "helpful": False}]


def test_a_danger_answer_shows_its_cards_first_in_the_order_given(page, sites):
    cards = [{"id": "police-112", "name": "경찰 112", "phone": "112", "why": "지금 위험하면"},
             {"id": "women-1366", "name": "여성긴급전화 1366", "phone": "1366", "why": "폭력 피해 상담"}]

    def danger(route):
        response = route.fetch()
        body = response.json()
        body.update(danger=True, crisis=False, referral_cards=cards, referrals=[c["id"] for c in cards])
        route.fulfill(response=response, json=body)

    page.route("**/api/ask", danger)
    box = open_demo(page, sites["host"])
    box.fill("남편이 때려요")
    box.press("Enter")
    first = page.locator("[data-kb-widget] .p > ul.c:first-child li")
    first.first.wait_for()
    assert [li.locator("a").first.get_attribute("href") for li in first.all()] == ["tel:112", "tel:1366"]
    assert "u" in first.first.get_attribute("class")


def test_rate_limited_shows_the_servers_korean_message_and_hotlines(page, sites):
    message = "요청이 너무 많아요. 30초 뒤에 다시 해 주세요."
    page.route("**/api/search?*", lambda route: route.fulfill(
        status=429, json={"error": message, "code": "rate_limited", "retry_after": 30},
        headers={"Access-Control-Allow-Origin": sites["host"], "Retry-After": "30"}))
    box = open_demo(page, sites["host"])
    type_question(box, "육아휴직 급여")
    error = page.locator("[data-kb-widget] .e")
    error.wait_for()
    assert message in error.inner_text()
    assert error.locator("a[href='tel:109']").count() == 1


def test_enter_while_the_korean_ime_composes_does_not_ask(page, sites):
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/api/ask") else None)
    box = open_demo(page, sites["host"])
    box.fill("육아휴직")
    box.dispatch_event("keydown", {"key": "Enter", "isComposing": True, "keyCode": 229})
    page.wait_for_timeout(400)
    assert asked == []
    box.press("Enter")
    page.locator("[data-kb-widget] .p h3, [data-kb-widget] .p .c").first.wait_for()
    assert len(asked) == 1


# ---------------------------------------------------------------- keyboard and focus

def test_escape_closes_then_clears_and_focus_is_never_trapped(page, sites):
    box = open_demo(page, sites["host"])
    type_question(box, "출산휴가 며칠")
    page.locator("[data-kb-widget] [role=option]").first.wait_for()
    box.press("ArrowDown")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "출산휴가 며칠"
    box.press("Escape")
    assert box.input_value() == ""
    page.keyboard.press("Tab")   # to the widget's button
    assert shadow(page, "return root.activeElement && root.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Tab")   # and out, to the host page's next field
    assert page.evaluate("document.activeElement && document.activeElement.id") == "email", "Tab leaves the widget"


def test_slash_focuses_the_box_only_outside_text_fields(page, sites):
    open_demo(page, sites["host"])
    page.locator("#email").click()
    page.keyboard.type("a/b")
    assert page.locator("#email").input_value() == "a/b"
    assert page.evaluate("document.activeElement.id") == "email"
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    assert shadow(page, "return root.activeElement && root.activeElement.getAttribute('role')") == "combobox"
    assert page.locator("[data-kb-widget] input").input_value() == ""   # the "/" was not typed


# ---------------------------------------------------------------- what the server sends is text

def test_server_text_is_escaped_and_marks_are_elements(page, sites):
    evil = '<img src=x onerror="window.__pwned=1">'

    def fake(route):
        route.fulfill(status=200, headers={"Access-Control-Allow-Origin": sites["host"]}, json={
            "q": "x", "count": 1, "results": [{
                "topic": "parental-leave", "title": evil, "heading": "<b>굵게</b>", "anchor": "a",
                "url": "/topics/parental-leave#a", "referral": None,
                "snippet": [{"text": "앞 ", "match": False}, {"text": evil, "match": True}, {"text": " 뒤", "match": False}]}]})

    page.route("**/api/search?*", fake)
    box = open_demo(page, sites["host"])
    type_question(box, "아무거나")
    option = page.locator("[data-kb-widget] [role=option]").first
    option.wait_for()
    assert evil in option.inner_text()
    found = shadow(page, """return {img: root.querySelectorAll('img, b').length,
        marks: [...root.querySelectorAll('[role=option] mark')]
            .map(m => [m.childNodes.length, m.firstChild.nodeType, m.textContent])};""")
    assert found["img"] == 0
    assert found["marks"] == [[1, 3, evil]]
    assert page.evaluate("window.__pwned") is None


# ---------------------------------------------------------------- stale answers, failures

def test_a_stale_search_response_is_dropped(page, sites):
    held = []
    states = {}

    def hold_first(route):
        if "limit=" in route.request.url and not held:
            held.append(route)   # never answered until the newer question is on screen
        else:
            route.continue_()

    page.on("requestfailed", lambda r: states.setdefault(r.url, "aborted"))
    page.route("**/api/search?*", hold_first)
    box = open_demo(page, sites["host"])
    type_question(box, "육아휴직")
    page.wait_for_timeout(600)
    assert len(held) == 1
    box.fill("")
    type_question(box, "임금체불 신고")
    option = page.locator("[data-kb-widget] [role=option]").first
    option.wait_for()
    newer = [o.inner_text() for o in page.locator("[data-kb-widget] [role=option]").all()]
    assert states.get(held[0].request.url) == "aborted", "the older request was aborted when the newer one started"
    with suppress(Exception):
        held[0].continue_()
    page.wait_for_timeout(500)
    assert [o.inner_text() for o in page.locator("[data-kb-widget] [role=option]").all()] == newer


def test_a_slow_api_gives_up_after_3_seconds_with_the_hotlines(page, sites):
    page.route("**/api/ask", lambda route: None)   # never answered
    box = open_demo(page, sites["host"])
    box.fill(PAY_Q)
    box.press("Enter")
    error = page.locator("[data-kb-widget] .e")
    error.wait_for(timeout=6000)
    assert "3초" in error.inner_text()
    hrefs = [a.get_attribute("href") for a in error.locator("a").all()]
    assert hrefs == ["tel:1350", "tel:16612020", "tel:109"]


def test_api_stopped_shows_the_hotlines_without_breaking_the_host(browser, knowledge, instance_dir):  # noqa: F811
    from web import create_app

    app_url = {"url": ""}
    with serve(host_site(app_url)) as host:
        app = create_app({"TESTING": True, "KB": knowledge, "KB_INSTANCE": str(instance_dir), "KB_WIDGET_ORIGINS": host})
        context, p = new_page(browser)
        try:
            with serve(app) as app_base:
                app_url["url"] = app_base
                box = open_demo(p, host)
            # our server is gone now; the widget script was already loaded
            type_question(box, "육아휴직 급여")
            box.press("Enter")
            error = p.locator("[data-kb-widget] .e")
            error.wait_for()
            assert "연결할 수 없어요" in error.inner_text()
            assert [a.get_attribute("href") for a in error.locator("a").all()] == ["tel:1350", "tel:16612020", "tel:109"]
            assert "1661-2020" in error.inner_text()
            assert not p.js_errors, p.js_errors
            # the host page still works
            p.locator("#email").fill("me@example.kr")
            assert p.locator("#email").input_value() == "me@example.kr"
        finally:
            context.close()


def test_a_site_not_on_the_list_is_refused(page, sites):
    box = open_demo(page, sites["stranger"])
    type_question(box, "육아휴직 급여")
    error = page.locator("[data-kb-widget] .e")
    error.wait_for()
    assert "허용되지 않은 주소" in error.inner_text()
    assert error.locator("a[href='tel:1350']").count() == 1
    assert page.locator("[data-kb-widget] [role=option]").count() == 0
    assert not page.js_errors, page.js_errors


def test_phone_width_screenshot(browser, sites, screenshots_dir):  # noqa: F811
    context, p = new_page(browser, viewport={"width": 375, "height": 740}, device_scale_factor=2,
                          is_mobile=True, has_touch=True)
    try:
        box = open_demo(p, sites["host"])
        box.fill(PAY_Q)
        box.press("Enter")
        p.locator("[data-kb-widget] .p .d").wait_for()
        width = p.evaluate("document.querySelector('[data-kb-widget]').getBoundingClientRect().width")
        assert width <= 375
        overflow = shadow(p, """const kb = root.querySelector('.kb'); const r = kb.getBoundingClientRect();
            return {right: r.right, inner: kb.scrollWidth - kb.clientWidth};""")
        assert overflow["right"] <= 375 and overflow["inner"] <= 0, overflow   # nothing of ours sticks out at 375 px
        p.locator("[data-kb-widget]").scroll_into_view_if_needed()
        p.screenshot(path=str(screenshots_dir / "widget-mobile.png"), full_page=True)
        assert not p.js_errors, p.js_errors
    finally:
        context.close()


# ---------------------------------------------------------------- the iframe embed

def test_embed_iframe_works_on_a_listed_site_and_is_blocked_elsewhere(page, sites):
    page.goto(f"{sites['host']}/frame.html")
    frame = page.frame_locator("#kb")
    box = frame.locator("[data-kb-widget] input[role=combobox]")
    box.fill(PAY_Q)
    box.press("Enter")
    panel = frame.locator("[data-kb-widget] .p")
    panel.locator(".c a[href^='tel:']").first.wait_for()
    # styled inside the frame: the constructed stylesheet is allowed by the page's strict CSP
    assert frame.locator("[data-kb-widget] .kb").evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert panel.locator("a[target=_blank]").count() >= 1

    blocked = page.context.new_page()
    blocked.goto(f"{sites['stranger']}/frame.html", wait_until="load")   # "load" waits for the iframe too
    blocked.wait_for_timeout(300)
    child = blocked.frames[1] if len(blocked.frames) > 1 else None
    assert child is None or child.locator("[data-kb-widget]").count() == 0, "a site not on the list cannot frame /embed"
    blocked.close()
