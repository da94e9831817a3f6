"""Flask test-client tests: every page and API route, every kind of bad input, escaping, headers.

They use the real content and a real index (conftest's `knowledge`), so they assert shapes and
behaviour, not particular wording of the content, which editors keep changing.
"""
from __future__ import annotations

import html
import json
import logging
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from kb.models import Answer, ReferralCard, SectionRef
from kb.questions import MAX_QUESTION_CHARS

ROOT = Path(__file__).resolve().parent.parent
PAY_Q = "육아휴직 급여 얼마나 나와요?"
CRISIS_Q = "회사 때문에 너무 힘들어서 죽고 싶어요"
OFF_TOPIC_Q = "오늘 날씨 어때요"
ANSWER_KEYS = {"q", "answer", "topics", "sections", "referrals", "referral_cards", "confident", "crisis",
               "as_of", "reviewed", "legal_basis", "suggestions"}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def unescaped(response) -> str:
    return html.unescape(text_of(response))


def ask_form(client, q):
    return client.post("/", data={"q": q})


def ask_api(client, q):
    return client.post("/api/ask", json={"q": q})


# ---------------------------------------------------------------- app factory

def test_factory_reuses_the_open_knowledge_base(app, knowledge):
    assert app.extensions["kb"] is knowledge
    assert app.testing
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024


def test_blueprints_per_area(app):
    assert {"chat", "counselor", "topics", "api"} <= set(app.blueprints)


# ---------------------------------------------------------------- chat (HTML)

def test_home_page_has_question_box_and_examples(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    body = text_of(r)
    assert '<html lang="ko">' in body
    assert 'name="q"' in body
    assert 'maxlength' not in body   # a long message must reach the server: it may carry a crisis
    assert 'method="post"' in body
    assert "이렇게 물어보세요" in body
    assert body.count('class="chip"') >= 3          # example questions as buttons
    assert 'name="viewport"' in body                 # mobile first


def test_form_post_answers_with_core_dates_sections_and_cards(client, knowledge):
    expected = knowledge.ask(PAY_Q)
    assert expected.confident
    r = ask_form(client, PAY_Q)
    assert r.status_code == 200
    page = unescaped(r)
    assert expected.core in page
    assert f"기준일 {expected.as_of}" in page
    assert f"검토일 {expected.reviewed}" in page
    for law in expected.legal_basis:
        assert law in page
    topic = expected.topics[0]
    assert f'href="/topics/{topic}"' in page
    assert re.search(rf'href="/topics/{re.escape(topic)}#[^"]+"', page), "links to the topic's sections"
    assert page.count('class="card referral-card"') == len(expected.referral_cards) >= 1
    first = expected.referral_cards[0]
    assert first.name in page
    assert f'href="tel:{re.sub(r"[^0-9+]", "", first.phone)}"' in page
    # the core comes before the legal basis, which comes before the cards
    assert page.index(expected.core) < page.index("기준일") < page.index("referral-card")


def test_form_post_shows_verify_items_as_notes(client, knowledge):
    candidates = [t for t in knowledge.content.topics.values() if t.verify]
    assert candidates, "some topic has verify items"
    topic = next((t for t in candidates if knowledge.ask(t.title).topics[:1] == (t.id,)), candidates[0])
    answer = knowledge.ask(topic.title)
    page = unescaped(ask_form(client, topic.title))
    assert "확인 필요" in page
    for item in answer.verify:
        assert item in page


def test_crisis_question_shows_109_before_any_text(client):
    r = ask_form(client, CRISIS_Q)
    assert r.status_code == 200
    page = text_of(r)
    article = page[page.index('<article'):]
    assert 'class="crisis-card"' in article
    assert 'href="tel:109"' in article
    # the 109 card is the first thing inside the answer
    first_tag = re.search(r"<article[^>]*>\s*(<[^>]+>)", page).group(1)
    assert 'class="crisis-card"' in first_tag
    assert article.index("crisis-card") < article.index('class="core"')


def test_off_topic_question_offers_hotlines_not_a_guess(client, knowledge):
    expected = knowledge.ask(OFF_TOPIC_Q)
    assert not expected.confident
    page = unescaped(ask_form(client, OFF_TOPIC_Q))
    assert "기준일" not in page
    assert "전화로 물어보세요" in page
    for card in expected.referral_cards:       # the general hotlines
        assert card.name in page


def _unsure_answer(q: str) -> Answer:
    return Answer(
        q=q, answer="질문을 정확히 이해하지 못했어요.", topics=("parental-leave", "maternity-leave", "paternity-leave"),
        sections=(), referrals=("moel-1350",),
        referral_cards=(ReferralCard(id="moel-1350", name="고용노동부 고객상담센터 1350", phone="1350",
                                     why="노동법 전화 안내", kind="hotline", hours="평일 09:00~18:00"),),
        confident=False, crisis=False, as_of=None, reviewed=None, legal_basis=(),
        suggestions=("육아휴직", "출산전후휴가", "배우자 출산휴가"),
    )


def test_unsure_answer_offers_closest_topics_as_buttons(client, knowledge, monkeypatch):
    monkeypatch.setattr(knowledge, "ask", lambda q: _unsure_answer(q))
    page = unescaped(ask_form(client, "휴가 가고 싶어요"))
    assert "이 중 어떤 내용이 궁금하세요?" in page
    for tid, title in zip(("parental-leave", "maternity-leave", "paternity-leave"),
                          ("육아휴직", "출산전후휴가", "배우자 출산휴가"), strict=True):
        assert re.search(rf'<button[^>]*name="q" value="{title}"[^>]*data-topic="{tid}"', page)
    assert "고용노동부 고객상담센터 1350" in page and 'href="tel:1350"' in page


def test_unverified_phone_is_marked_with_fallback(client, knowledge, monkeypatch):
    card = ReferralCard(id="x-center", name="어느 센터", phone="02-123-4567", why="이유", kind="center",
                        hours="평일", website="https://example.org", unverified=("phone", "hours"),
                        fallback_phone="120", fallback_name="120 다산콜재단")
    answer = Answer(q="q", answer="a", topics=("parental-leave",), sections=(SectionRef("parental-leave", "x", "제목", 1.0),),
                    referrals=("x-center",), referral_cards=(card,), confident=True, crisis=False,
                    as_of="2025-02-23", reviewed="2026-11-22", legal_basis=("어떤 법 제1조",), suggestions=(),
                    core="핵심입니다.", verify=("무엇을 확인할 것",))
    monkeypatch.setattr(knowledge, "ask", lambda q: answer)
    page = unescaped(ask_form(client, "아무 질문"))
    card_html = page[page.index('data-center="x-center"'):]
    card_html = card_html[:card_html.index("</li>")]
    assert 'href="tel:021234567"' in card_html
    assert card_html.count("확인 필요") == 2                  # phone and hours
    assert "120 다산콜재단" in card_html and 'href="tel:120"' in card_html
    assert 'href="https://example.org"' in card_html
    assert "기준일 2025-02-23" in page and "검토일 2026-11-22" in page
    assert "무엇을 확인할 것" in page


def test_example_buttons_post_their_question(client):
    page = text_of(client.get("/"))
    example = re.search(r'<button class="chip" type="submit" name="q" value="([^"]+)"', page).group(1)
    r = ask_form(client, html.unescape(example))
    assert r.status_code == 200
    assert 'class="bubble bubble-a answer' in text_of(r)


# ---------------------------------------------------------------- counselor (HTML)

def test_search_page_empty_state_autofocus(client):
    r = client.get("/search")
    assert r.status_code == 200
    page = text_of(r)
    assert "autofocus" in page and "data-slash-focus" in page
    assert 'name="category"' in page and 'name="audience"' in page and 'name="applies_to"' in page


def test_search_results_have_marks_and_copy_text(client, knowledge):
    r = client.get("/search", query_string={"q": "육아휴직 급여"})
    assert r.status_code == 200
    page = text_of(r)
    assert "<mark>" in page
    assert page.count('class="result"') >= 3
    assert "표준 답변 복사" in page
    # the copy text of the first result: topic title, section text, 기준일 and the hotline (client-ready:
    # no 검토일, no verify notes word for word)
    first = knowledge.search("육아휴직 급여", limit=1).sections[0]
    topic = knowledge.content.topics[first.topic]
    pre = html.unescape(re.search(r'<pre class="copy-text" id="copy-1">(.*?)</pre>', page, re.S).group(1))
    assert topic.title in pre
    assert topic.section(first.anchor).text in pre
    assert f"기준일 {topic.effective}" in pre and "1350" in pre
    assert "검토일" not in pre and not any(note in pre for note in topic.verify)
    assert f'href="/topics/{first.topic}#{first.anchor}"' in html.unescape(page)


def test_search_filters_by_category(client, knowledge):
    cats = knowledge.content.taxonomy["categories"]
    page = text_of(client.get("/search", query_string={"q": "휴가", "category": "birth"}))
    topics = set(re.findall(r'<li class="result" data-topic="([^"]+)"', page))
    assert topics
    assert all(knowledge.content.topics[t].category == "birth" for t in topics)
    assert f'<option value="birth" selected>{cats["birth"]}</option>' in page


def test_search_filters_by_audience_and_applies_to(client, knowledge):
    page = text_of(client.get("/search", query_string={"q": "육아휴직", "audience": "employer"}))
    topics = set(re.findall(r'data-topic="([^"]+)" data-anchor', page))
    assert topics and all("employer" in knowledge.content.topics[t].audience for t in topics)
    page = text_of(client.get("/search", query_string={"q": "출산휴가", "applies_to": "fixed-term"}))
    topics = set(re.findall(r'data-topic="([^"]+)" data-anchor', page))
    assert topics
    for t in topics:
        applies = knowledge.content.topics[t].applies_to
        assert "fixed-term" in applies or "all" in applies


def test_search_snippet_text_is_escaped(client, knowledge, monkeypatch):
    from search.searcher import SearchResult, SectionHit, Segment

    topic = next(iter(knowledge.content.topics.values()))
    hit = SectionHit(topic=topic.id, anchor=topic.sections[0].anchor, heading=topic.sections[0].heading, order=0,
                     score=9.0, matched=frozenset(),
                     snippet=(Segment("<script>alert(1)</script> ", False), Segment("<b>굵게</b>", True)))
    monkeypatch.setattr(knowledge, "search", lambda *a, **k: SearchResult(("x",), (hit,), ()))
    page = text_of(client.get("/search", query_string={"q": "아무거나"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>&lt;b&gt;굵게&lt;/b&gt;</mark>" in page


def test_search_no_results_message(client):
    r = client.get("/search", query_string={"q": "zzqxw"})
    assert r.status_code == 200
    assert "찾는 내용이 없어요" in text_of(r)


# ---------------------------------------------------------------- topics, centers (HTML)

def test_topics_index_lists_every_topic(client, knowledge):
    page = unescaped(client.get("/topics"))
    for t in knowledge.content.topics.values():
        assert f'href="/topics/{t.id}"' in page
        assert t.title in page
    for name in knowledge.content.taxonomy["categories"].values():
        if any(knowledge.content.taxonomy["categories"].get(t.category) == name for t in knowledge.content.topics.values()):
            assert name in page


def test_every_topic_page_renders(client, knowledge):
    content = knowledge.content
    for t in content.topics.values():
        r = client.get(f"/topics/{t.id}")
        assert r.status_code == 200, t.id
        page = unescaped(r)
        assert t.title in page
        for s in t.sections:
            assert f'id="{s.anchor}"' in page, (t.id, s.anchor)
            assert f'href="#{s.anchor}"' in page
        if t.effective:
            assert f"기준일 {t.effective}" in page
        if t.reviewed:
            assert f"검토일 {t.reviewed}" in page
        for law in t.legal_basis:
            assert law in page
        for v in t.verify:
            assert v in page
        if t.verify:
            assert "확인 필요" in page
        for src in t.sources:
            if src.url.startswith(("http://", "https://")):
                assert f'href="{src.url}"' in page, (t.id, src.url)
        for rid in t.referrals:
            if rid in content.centers:
                assert f'data-center="{rid}"' in page
        for rel in t.related:
            if rel in content.topics:
                assert f'href="/topics/{rel}"' in page
        assert "<script>" not in page.replace("<script src=", "")


def test_topic_markdown_becomes_html(client, knowledge):
    topic = next((t for t in knowledge.content.topics.values() if any("|---" in s.markdown for s in t.sections)), None)
    if topic is None:
        pytest.skip("no topic with a table right now")
    page = text_of(client.get(f"/topics/{topic.id}"))
    assert '<div class="table-wrap"><table>' in page
    assert "<li>" in page or "<p>" in page


def test_unknown_topic_is_404_in_korean(client):
    r = client.get("/topics/no-such-topic")
    assert r.status_code == 404
    assert "찾으시는 주제가 없어요" in text_of(r)


def test_centers_page_lists_every_center_by_kind(client, knowledge):
    r = client.get("/centers")
    assert r.status_code == 200
    page = unescaped(r)
    for c in knowledge.content.centers.values():
        assert c.name in page
        if c.phone:
            assert f'href="tel:{re.sub(r"[^0-9+]", "", c.phone)}"' in page
        if c.unverified:
            card = page[page.index(f'id="{c.id}"'):]
            card = card[:card.index("</li>")]
            assert "확인 필요" in card, c.id
    kinds = {c.kind for c in knowledge.content.centers.values()}
    for kind in kinds:
        assert f'id="kind-{kind}"' in page


def test_labels_are_those_of_facets_yaml(client, knowledge):
    """Center kinds (in their order), regions and the counselor's filters show content/facets.yaml's
    Korean labels, read here from the file itself."""
    facets = yaml.safe_load((ROOT / "content" / "facets.yaml").read_text(encoding="utf-8"))
    page = unescaped(client.get("/centers"))
    used = {c.kind for c in knowledge.content.centers.values()}
    kinds = [k for k in facets["kinds"] if k in used]
    assert sorted(kinds, key=lambda k: page.index(f'id="kind-{k}"')) == kinds
    for k in kinds:
        heading = page[page.index(f'id="kind-{k}"'):]
        assert heading[:heading.index("</h2>")].endswith(facets["kinds"][k]), k
    for r in {c.region for c in knowledge.content.centers.values()}:
        assert f'<option value="{r}">{facets["regions"][r]}</option>' in page
    search = unescaped(client.get("/search"))
    for key in ("audiences", "applies_to"):
        for fid, label in facets[key].items():
            assert re.search(rf'value="{re.escape(fid)}"[^>]*>\s*{re.escape(label)}\s*<', search), (key, fid)


def test_centers_region_filter(client, knowledge):
    page = unescaped(client.get("/centers", query_string={"region": "national"}))
    for c in knowledge.content.centers.values():
        if c.region != "national":
            assert f'id="{c.id}"' not in page
        else:
            assert f'id="{c.id}"' in page


# ---------------------------------------------------------------- JSON API

def test_api_ask_returns_the_answer_contract(client, knowledge):
    r = ask_api(client, PAY_Q)
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    data = r.get_json()
    assert set(data) >= ANSWER_KEYS
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,40}", data.pop("id"))   # logged by kb.store (POST /api/feedback takes it)
    assert data == knowledge.ask(PAY_Q).to_json()
    assert data["confident"] is True and data["crisis"] is False
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["as_of"]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["reviewed"])
    assert {"id", "name", "phone", "why"} <= set(data["referral_cards"][0])
    assert "육아휴직" in r.get_data(as_text=True)     # Korean is not \u-escaped


def test_api_ask_crisis_puts_109_first(client):
    data = ask_api(client, CRISIS_Q).get_json()
    assert data["crisis"] is True
    assert data["referrals"][0] == "suicide-prevention-109"
    assert data["referral_cards"][0]["phone"] == "109"


def test_api_ask_off_topic_abstains(client):
    data = ask_api(client, OFF_TOPIC_Q).get_json()
    assert data["confident"] is False
    assert data["referrals"]


def test_api_search(client, knowledge):
    r = client.get("/api/search", query_string={"q": "육아휴직 급여", "limit": 5})
    assert r.status_code == 200
    data = r.get_json()
    assert data["q"] == "육아휴직 급여"
    assert 1 <= len(data["results"]) <= 5
    first = data["results"][0]
    assert {"topic", "title", "anchor", "heading", "score", "snippet", "url", "standard_answer"} <= set(first)
    assert any(seg["match"] for seg in first["snippet"])
    assert first["url"] == f"/topics/{first['topic']}#{first['anchor']}"
    data = client.get("/api/search", query_string={"q": "휴가", "category": "birth", "audience": "worker",
                                                   "applies_to": "regular"}).get_json()
    assert data["filters"] == {"category": "birth", "audience": "worker", "applies_to": "regular"}
    for res in data["results"]:
        t = knowledge.content.topics[res["topic"]]
        assert t.category == "birth" and "worker" in t.audience
        assert "regular" in t.applies_to or "all" in t.applies_to


def test_api_topics(client, knowledge):
    data = client.get("/api/topics").get_json()
    assert data["count"] == len(knowledge.content.topics) == len(data["topics"])
    assert {"id", "title", "category", "summary", "effective", "reviewed", "url"} <= set(data["topics"][0])


def test_api_topic_detail_has_sections(client, knowledge):
    topic = knowledge.content.topics["parental-leave"] if "parental-leave" in knowledge.content.topics \
        else next(iter(knowledge.content.topics.values()))
    data = client.get(f"/api/topics/{topic.id}").get_json()
    assert data["id"] == topic.id and data["title"] == topic.title
    assert [s["anchor"] for s in data["sections"]] == [s.anchor for s in topic.sections]
    for s in data["sections"]:
        assert {"heading", "anchor", "markdown", "text"} <= set(s)
    assert data["legal_basis"] == list(topic.legal_basis)
    assert data["verify"] == list(topic.verify)


def test_api_centers(client, knowledge):
    data = client.get("/api/centers").get_json()
    assert data["count"] == len(knowledge.content.centers)
    ids = {c["id"] for c in data["centers"]}
    assert ids == set(knowledge.content.centers)
    c = data["centers"][0]
    assert {"id", "name", "kind", "phone", "hours", "region", "unverified", "website", "address"} <= set(c)


def test_api_health(client, knowledge):
    r = client.get("/api/health")
    assert r.status_code == 200
    data = r.get_json()
    assert data["status"] == "ok"
    assert data["topics"] == len(knowledge.content.topics) > 0


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("q, code, message", [
    ("", "empty", "질문을 입력해 주세요"),
    ("   ", "empty", "질문을 입력해 주세요"),
    ("가" * (MAX_QUESTION_CHARS + 1), "too_long", f"{MAX_QUESTION_CHARS}자 이내"),
    ("육아휴직\x00급여", "control_chars", "제어 문자"),
    ("육아휴직\x1b[31m", "control_chars", "제어 문자"),
])
def test_bad_questions(client, q, code, message):
    r = ask_form(client, q)
    assert r.status_code == 400
    assert message in text_of(r)
    assert 'aria-invalid="true"' in text_of(r)
    r = ask_api(client, q)
    assert r.status_code == 400
    assert r.get_json()["code"] == code
    assert message in r.get_json()["error"]
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code == 400 and r.get_json()["code"] == code
    r = client.get("/search", query_string={"q": q})
    if q.strip():
        assert r.status_code == 400 and message in text_of(r)


def test_question_of_exactly_max_length_is_accepted(client):
    r = ask_api(client, "육" * MAX_QUESTION_CHARS)
    assert r.status_code == 200


def test_form_post_without_q_is_a_clear_400(client):
    r = client.post("/", data={})
    assert r.status_code == 400
    assert "질문을 입력해 주세요" in text_of(r)


@pytest.mark.parametrize("body, code", [
    ("{not json", "invalid_json"),
    ("", "invalid_json"),
    ("[1, 2]", "invalid_json"),
    ('"육아휴직"', "invalid_json"),
    ("{}", "missing_q"),
    ('{"question": "육아휴직"}', "missing_q"),
    ('{"q": 42}', "not_text"),
    ('{"q": null}', "not_text"),
    ('{"q": ["육아휴직"]}', "not_text"),
])
def test_api_ask_bad_json(client, body, code):
    r = client.post("/api/ask", data=body, content_type="application/json")
    assert r.status_code == 400
    data = r.get_json()
    assert data["code"] == code
    assert data["error"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None])
def test_api_ask_wrong_content_type_is_415(client, content_type):
    kwargs = {"data": json.dumps({"q": PAY_Q})}
    if content_type:
        kwargs["content_type"] = content_type
    r = client.post("/api/ask", **kwargs)
    assert r.status_code == 415
    assert r.get_json()["code"] == "unsupported_media_type"


def test_json_with_charset_is_accepted(client):
    r = client.post("/api/ask", data=json.dumps({"q": PAY_Q}), content_type="application/json; charset=utf-8")
    assert r.status_code == 200


def test_body_over_16kb_is_413(client):
    big = "가" * 20_000
    r = client.post("/api/ask", data=json.dumps({"q": big}), content_type="application/json")
    assert r.status_code == 413
    assert r.get_json()["code"] == "payload_too_large"
    r = client.post("/", data={"q": big})
    assert r.status_code == 413
    assert "너무 길어요" in text_of(r)


def test_unknown_topic_api_is_404(client):
    r = client.get("/api/topics/no-such-topic")
    assert r.status_code == 404
    assert r.get_json()["code"] == "unknown_topic"


def test_unknown_route_is_404(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert r.mimetype == "text/html"
    assert "찾으시는 페이지가 없어요" in text_of(r)
    r = client.get("/api/no-such-route")
    assert r.status_code == 404
    assert r.get_json() == {"error": "찾으시는 페이지가 없어요. 주소를 다시 확인해 주세요.", "code": "not_found"}


@pytest.mark.parametrize("method, path", [
    ("get", "/api/ask"), ("put", "/api/ask"), ("delete", "/"), ("post", "/api/topics"),
    ("post", "/api/health"), ("post", "/search"), ("put", "/topics/parental-leave"), ("post", "/centers"),
])
def test_wrong_method_is_405(client, method, path):
    r = getattr(client, method)(path)
    assert r.status_code == 405
    assert r.headers.get("Allow")
    if path.startswith("/api/"):
        assert r.get_json()["code"] == "method_not_allowed"
    else:
        assert "그 방식으로 요청할 수 없어요" in text_of(r)


@pytest.mark.parametrize("params, code", [
    ({"q": "육아휴직", "category": "nope"}, "bad_filter"),
    ({"q": "육아휴직", "audience": "<script>"}, "bad_filter"),
    ({"q": "육아휴직", "applies_to": "martian"}, "bad_filter"),
    ({"q": "육아휴직", "limit": "abc"}, "bad_limit"),
    ({"q": "육아휴직", "limit": "0"}, "bad_limit"),
    ({"q": "육아휴직", "limit": "1000"}, "bad_limit"),
])
def test_bad_search_parameters(client, params, code):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 400
    assert r.get_json()["code"] == code
    r = client.get("/search", query_string=params)
    assert r.status_code == 400
    page = text_of(r)
    assert 'class="form-error"' in page
    assert "<script>" not in page.replace("<script src=", "")


def test_odd_inputs_never_500(client):
    odd = ["\u200b", "🙂" * 10, "' OR 1=1 --", "%00", "../../etc/passwd", "a\u0301" * 200, "\ufeff육아휴직",
           "<svg onload=alert(1)>", "{{7*7}}", "{% raw %}", "\\x00", "\t\n육아휴직\r\n", "ㅇㅇ", "?" * 500]
    for q in odd:
        for r in (ask_form(client, q), ask_api(client, q), client.get("/search", query_string={"q": q}),
                  client.get("/api/search", query_string={"q": q}), client.get("/topics/" + q.replace("/", "_")[:50] or "x")):
            assert r.status_code < 500, (q, r.status_code)


# ---------------------------------------------------------------- escaping

def test_question_with_script_comes_back_escaped(client):
    q = "<script>alert('x')</script> 육아휴직 급여"
    r = ask_form(client, q)
    assert r.status_code == 200
    page = text_of(r)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    r = client.get("/search", query_string={"q": q})
    page = text_of(r)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    r = client.post("/", data={"q": "<img src=x onerror=alert(1)>" + "가" * MAX_QUESTION_CHARS})
    assert r.status_code == 400
    assert "<img src=x" not in text_of(r)


def test_json_api_escapes_by_content_type(client):
    r = ask_api(client, "<script>alert(1)</script> 육아휴직")
    assert r.mimetype == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.get_json()["q"].startswith("<script>")


def test_markdown_is_sanitised():
    from web.views import render_markdown

    out = str(render_markdown(
        "안녕 <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> "
        '<a href="https://example.org" onclick="alert(1)" style="color:red">ok</a>\n\n'
        "| a | b |\n|:-|-:|\n| 1 | 2 |\n"))
    assert "<script" not in out
    assert "javascript:" not in out
    assert "onerror" not in out and "onclick" not in out
    assert "style=" not in out
    assert "<img" not in out
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in out
    assert '<div class="table-wrap"><table>' in out


# ---------------------------------------------------------------- security headers

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


@pytest.mark.parametrize("method, path, kwargs", [
    ("get", "/", {}), ("post", "/", {"data": {"q": PAY_Q}}), ("get", "/search?q=육휴", {}), ("get", "/topics", {}),
    ("get", "/topics/parental-leave", {}), ("get", "/centers", {}), ("get", "/api/health", {}),
    ("post", "/api/ask", {"json": {"q": PAY_Q}}), ("get", "/nope", {}), ("get", "/api/ask", {}),
    ("get", "/static/style.css", {}), ("get", "/static/app.js", {}), ("post", "/api/ask", {"data": "x"}),
])
def test_security_headers_on_every_response(client, method, path, kwargs):
    r = getattr(client, method)(path, **kwargs)
    csp = r.headers["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("method, path, data", [
    ("get", "/", None), ("post", "/", {"q": PAY_Q}), ("post", "/", {"q": CRISIS_Q}), ("post", "/", {"q": OFF_TOPIC_Q}),
    ("get", "/search?q=육아휴직 급여", None), ("get", "/topics", None), ("get", "/topics/parental-leave-pay", None),
    ("get", "/centers", None), ("get", "/nope", None), ("post", "/", {"q": ""}),
])
def test_pages_have_no_inline_script_or_style_and_no_external_assets(client, method, path, data):
    page = text_of(getattr(client, method)(path, data=data) if data is not None else getattr(client, method)(path))
    for attrs, body in SCRIPT_TAG.findall(page):
        assert "src=" in attrs and not body.strip(), "inline script"
    assert "<style" not in page.lower()
    assert not re.search(r"\sstyle\s*=", page, re.I), "inline style attribute"
    assert not re.search(r"\son[a-z]+\s*=", page, re.I), "inline event handler"
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page, re.I):
        assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"external asset: {tag}"


def test_static_assets_are_served(client):
    for name, mimetype in (("style.css", "text/css"), ("app.js", "text/javascript"), ("favicon.svg", "image/svg+xml")):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200
        assert r.mimetype == mimetype
        r.close()
    css = (ROOT / "web" / "static" / "style.css").read_text()
    assert "@import" not in css and "url(http" not in css and "@font-face" not in css


# ---------------------------------------------------------------- privacy in logs

def test_questions_are_logged_masked(client, caplog):
    caplog.set_level(logging.INFO, logger="web")
    ask_form(client, "010-1234-5678 번호로 연락 주세요 육아휴직 급여")
    ask_api(client, "제 주민번호 900101-2345678 인데 출산휴가")
    client.get("/search", query_string={"q": "010-9876-5432 육아휴직"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "010-****-5678" in logged
    assert "1234-5678" not in logged and "2345678" not in logged and "9876" not in logged


# ---------------------------------------------------------------- kb serve

def test_serve_command_is_registered_and_documents_defaults():
    from click.testing import CliRunner

    from kb.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"], obj={})
    assert result.exit_code == 0, result.output
    assert "--host" in result.output and "--port" in result.output
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_serve_runs_gunicorn_with_defaults(monkeypatch, app, instance_dir):
    from click.testing import CliRunner

    import web
    import web.serve
    from kb.cli import cli

    configs, serves = [], []

    def fake_create_app(config):
        configs.append(config)
        return app

    monkeypatch.setattr(web, "create_app", fake_create_app)
    monkeypatch.setattr(web.serve, "run_gunicorn", lambda wsgi, options: serves.append((wsgi, options)))
    result = CliRunner().invoke(cli, ["--instance", str(instance_dir), "serve"], obj={})
    assert result.exit_code == 0, result.output
    wsgi, opts = serves[-1]
    assert wsgi is app
    assert opts["bind"] == ["127.0.0.1:8000"] and opts["preload_app"] is True
    assert opts["workers"] == web.serve.DEFAULT_WORKERS and opts["worker_class"] == "gthread"
    assert str(configs[-1]["KB_INSTANCE"]) == str(instance_dir) and configs[-1]["KB_RELOAD"] is True
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "3",
                                      "--no-reload-on-build", "--trusted-host", "kb.example.org"], obj={})
    assert result.exit_code == 0, result.output
    opts = serves[-1][1]
    assert opts["bind"] == ["0.0.0.0:8123"] and opts["workers"] == 3
    assert configs[-1]["KB_RELOAD"] is False and configs[-1]["TRUSTED_HOSTS"] == ["kb.example.org"]
    result = CliRunner().invoke(cli, ["serve", "--port", "99999"], obj={})
    assert result.exit_code != 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kb_serve_answers_health_over_http(instance_dir, tmp_path):
    """The real command in a subprocess: gunicorn on a free port, /api/health 200 once loaded."""
    import shutil

    kb_exe = Path(sys.executable).with_name("kb")
    assert kb_exe.exists(), "the kb console script is installed (pip install -e .)"
    instance = tmp_path / "instance"
    shutil.copytree(instance_dir, instance, symlinks=True)
    port = _free_port()
    proc = subprocess.Popen([str(kb_exe), "--instance", str(instance), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        data = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as resp:
                    assert resp.status == 200
                    data = json.loads(resp.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert data is not None, proc.stdout.read() if proc.poll() is not None else "server did not come up"
        assert data["status"] == "ok" and data["topics"] > 0
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", data=json.dumps({"q": PAY_Q}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert json.loads(resp.read())["confident"] is True
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------- docs

def test_api_md_documents_every_route():
    text = (ROOT / "web" / "API.md").read_text(encoding="utf-8")
    for route in ("POST /api/ask", "GET /api/search", "GET /api/topics", "GET /api/topics/", "GET /api/centers",
                  "GET /api/health"):
        assert route in text
    assert text.count("curl ") >= 6
