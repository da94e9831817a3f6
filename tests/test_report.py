"""kb.report on logged records: what counts as a gap, how groups form, what is suggested.

Records are built directly here (the store's own tests cover writing and reading them back);
the analyzer is the real one (Kiwi, the user dictionary, the synonyms)."""
from __future__ import annotations

from datetime import datetime

from kb.report import build_report, close_words, content_terms, similarity
from kb.store import Record

AT = datetime(2026, 11, 24, 9, 30)


def rec(i, q, topic=None, confident=False, helpful=None, reason=None, route=None, channel="chat"):
    route = route or ("answer" if confident else "unsure")
    return Record(id=f"{i:022d}", at=AT, channel=channel, question=q, topic=topic, confident=confident,
                  crisis=route == "crisis", danger=route == "danger", route=route, helpful=helpful, reason=reason)


def test_content_words_drop_light_verbs_and_compound_parts(analyzer):
    assert content_terms(analyzer, "육아휴직을 거부당했어요") == {"육아휴직", "거부"}
    assert content_terms(analyzer, "육휴 거절") == {"육아휴직", "거부"}    # 거절 reads as 거부 (lexicon)
    # masked numbers and e-mails are not content
    assert content_terms(analyzer, "육휴 거절 010-****-5678 m***@example.com") == {"육아휴직", "거부"}


def test_words_that_begin_alike_count_half():
    assert close_words("거절", "거부")
    assert not close_words("세금", "벌금")           # only the ending is shared
    assert not close_words("거부", "거부")
    assert similarity(frozenset({"육아휴직", "거절"}), frozenset({"육아휴직", "거부"})) == 0.75
    assert similarity(frozenset({"육아휴직", "급여"}), frozenset({"육아휴직", "거부"})) == 0.5


def test_only_gaps_are_grouped_and_sensitive_rows_never(analyzer, content):
    records = [
        rec(1, "육휴 거절", "parental-leave", confident=True, helpful=False, reason="not_enough"),
        rec(2, "육아휴직을 거부당했어요", "parental-leave", confident=True, helpful=False, reason="wrong_topic",
            channel="widget:https://a.example.org"),
        rec(3, "회사가 육아휴직 안 된대요", "parental-leave", confident=True, helpful=True),   # helped: no gap
        rec(4, "육아휴직 급여 얼마", "parental-leave-pay", confident=True),                   # no feedback: no gap
        rec(5, "비트코인 세금 신고", None),
        rec(6, None, None, route="crisis"),
        rec(7, None, None, route="danger"),
        rec(8, None, "parental-leave", confident=False),                                      # log off: no text
    ]
    report = build_report(records, analyzer, content)
    assert (report.questions, report.sensitive, report.unreadable) == (8, 2, 1)
    assert (report.helpful, report.unhelpful, report.not_confident) == (1, 2, 2)
    assert [g.count for g in report.groups] == [2, 1]
    refused, coin = report.groups
    assert refused.examples == ["육휴 거절", "육아휴직을 거부당했어요"]
    assert refused.suggestion == "extend topic" and refused.target == "parental-leave"
    assert dict(refused.channels) == {"chat": 1, "widget": 1}
    assert coin.suggestion == "new topic" and coin.topic is None
    lines = {t.topic: t for t in report.by_topic}
    assert lines["parental-leave"].asked == 4 and lines["parental-leave"].unhelpful == 2
    md = report.to_markdown({"parental-leave": "육아휴직"})
    assert "육아휴직 (`parental-leave`)" in md and "비트코인" in md and "위기·위험 2건" in md
    data = report.to_json()
    assert data["groups"][0]["reasons"] == {"not_enough": 1, "wrong_topic": 1}


def test_at_most_three_examples_per_group(analyzer):
    records = [rec(i, f"비트코인 세금 신고 {i}번째 질문", None) for i in range(6)]
    report = build_report(records, analyzer)
    [g] = report.groups
    assert g.count == 6 and len(g.examples) == 3
