"""The counselor view through Flask's test client: the case-type filter, the boost, the client
texts, the picks form and the print view (/search/print). The browser side is in
tests/test_counselor_browser.py."""
from __future__ import annotations

import html
import re

import pytest

from kb.client_text import SMS_LIMIT


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def result_topics(page: str) -> list[str]:
    return re.findall(r'<li class="result" data-topic="([^"]+)"', page)


def test_search_form_has_the_case_type_filter_and_applies_on_change(client, knowledge):
    page = page_of(client.get("/search", query_string={"q": "해고", "case_type": "dismissal"}))
    select = re.search(r'<select id="f-case" name="case_type" data-autosubmit>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', select)
    assert options == [("", "전체")] + list(knowledge.content.case_types.items())
    assert '<option value="dismissal" selected>권고사직·해고</option>' in select
    assert page.count("data-autosubmit") == 4                  # every filter applies when picked
    assert all("dismissal" in knowledge.content.topics[t].case_types for t in result_topics(page))


def test_fixed_term_filter_lists_the_fixed_term_topic_first(client):
    plain = result_topics(page_of(client.get("/search", query_string={"q": "출산휴가"})))
    assert plain[0] != "fixed-term-worker-leave"
    lifted = result_topics(page_of(client.get("/search", query_string={"q": "출산휴가", "applies_to": "fixed-term"})))
    assert lifted[0] == "fixed-term-worker-leave"


@pytest.mark.parametrize("value", ["firing", "<script>alert(1)</script>", "refusal,dismissal"])
def test_unknown_case_type_is_a_400(client, value):
    r = client.get("/search", query_string={"q": "해고", "case_type": value})
    assert r.status_code == 400
    raw = r.get_data(as_text=True)
    assert "<script>alert" not in raw
    assert "case_type 값" in html.unescape(raw) and "알 수 없어요" in html.unescape(raw)
    api = client.get("/api/search", query_string={"q": "해고", "case_type": value})
    assert api.status_code == 400
    assert api.get_json()["code"] == "bad_filter"


def test_api_search_case_type_and_texts(client, knowledge):
    data = client.get("/api/search", query_string={"q": "출산휴가", "case_type": "refusal", "limit": 10}).get_json()
    assert data["filters"] == {"case_type": "refusal"}
    assert data["results"]
    for res in data["results"]:
        topic = knowledge.content.topics[res["topic"]]
        assert "refusal" in topic.case_types
        assert len(res["sms"]) <= SMS_LIMIT
        assert f"http://localhost/topics/{res['topic']}#{res['anchor']}" in res["sms"]
        assert f"기준일 {topic.effective}" in res["standard_answer"] and "검토일" not in res["standard_answer"]


def test_results_carry_picks_and_both_copy_texts(client):
    page = page_of(client.get("/search", query_string={"q": "육아휴직 급여", "applies_to": "fixed-term"}))
    form = re.search(r'<form class="picks-form" id="picks-form" method="get" action="/search/print">(.*?)</form>', page, re.S)
    assert form, "the picks are a plain GET form to the print view (works without JavaScript)"
    assert '<input type="hidden" name="q" value="육아휴직 급여">' in form.group(1)
    assert '<input type="hidden" name="applies_to" value="fixed-term">' in form.group(1)
    boxes = re.findall(r'<input type="checkbox" name="s" value="([^"]+)" data-pick="(copy-\d+)">', form.group(1))
    assert len(boxes) == len(result_topics(page)) >= 3
    for _value, copy_id in boxes:
        assert f'id="{copy_id}"' in page and f'id="{copy_id.replace("copy", "sms")}"' in page
    sms = re.findall(r'<pre class="sms-text" id="sms-\d+">(.*?)</pre>', page, re.S)
    assert len(sms) == len(boxes) and all(len(s) <= SMS_LIMIT for s in sms)


def test_print_view_of_picked_sections_shows_dates_and_sources(client, knowledge):
    picks = ["fixed-term-worker-leave:contract-end", "maternity-leave:days"]
    r = client.get("/search/print", query_string=[("q", "계약직 출산휴가"), ("s", picks[0]), ("s", picks[1])])
    assert r.status_code == 200
    page = page_of(r)
    articles = re.findall(r'<article class="print-item" data-topic="([^"]+)" data-anchor="([^"]+)">(.*?)</article>', page, re.S)
    assert [f"{t}:{a}" for t, a, _ in articles] == picks
    for tid, anchor, body in articles:
        topic = knowledge.content.topics[tid]
        assert topic.section(anchor).heading in body
        assert f'<dd class="print-effective">{topic.effective}</dd>' in body
        assert f'<dd class="print-reviewed">{topic.reviewed}</dd>' in body
        for src in topic.sources:
            if src.url.startswith("http"):
                assert f'href="{src.url}"' in body
        assert f"http://localhost/topics/{tid}#{anchor}" in body
    assert "상담 내용: 계약직 출산휴가" in page and "1350" in page


def test_print_view_without_picks_prints_the_first_results(client):
    page = page_of(client.get("/search/print", query_string={"q": "출산휴가", "applies_to": "fixed-term"}))
    topics = re.findall(r'<article class="print-item" data-topic="([^"]+)"', page)
    assert len(topics) == 5 and topics[0] == "fixed-term-worker-leave"


@pytest.mark.parametrize("query", [
    {"s": "no-such-topic:x"}, {"s": "maternity-leave:no-such-anchor"}, {"s": "<b>x</b>"},
    {}, {"q": ""}, {"q": "출산휴가", "case_type": "nope"},
])
def test_print_view_bad_input_is_a_400_page(client, query):
    r = client.get("/search/print", query_string=query)
    assert r.status_code == 400
    raw = r.get_data(as_text=True)
    assert 'role="alert"' in raw and "<b>x</b>" not in raw
    assert '<article class="print-item"' not in raw
