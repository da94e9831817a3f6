"""Sections about a rule still to come (front matter `section_effective`) rank below the rule in
force for the same words, until their day comes or the question names their year.

Pure figures of search/effective.py, then the real index built from the real content."""
from __future__ import annotations

from datetime import date

import pytest

from search.effective import FUTURE_FACTOR, future_factor, parse_day, years_named


def test_future_factor():
    today = date(2026, 12, 4)
    assert future_factor(None, today) == 1.0
    assert future_factor(date(2026, 12, 4), today) == 1.0
    assert future_factor(date(2026, 1, 1), today) == 1.0
    assert future_factor(date(2026, 12, 5), today) == FUTURE_FACTOR < 1.0
    assert future_factor(date(2027, 1, 1), today, frozenset({2027})) == 1.0
    assert future_factor(date(2027, 1, 1), today, frozenset({2026})) == FUTURE_FACTOR


def test_years_named():
    today = date(2026, 12, 4)
    assert years_named(["2027년", "최저임금"], today) == {2027}
    assert years_named(["2027"], today) == {2027}
    assert years_named(["내년", "최저임금"], today) == {2027}
    assert years_named(["27년", "2027년도", "12,027"], today) == frozenset()


def test_parse_day():
    assert parse_day("2027-01-01") == date(2027, 1, 1)
    assert parse_day("") is None and parse_day(None) is None and parse_day("2027-13-01") is None


def test_the_content_declares_next_years_minimum_wage_as_future(content):
    assert content.topics["minimum-wage"].section_effective == {"2027-rate": date(2027, 1, 1)}


def _order(searcher, q):
    hit = next(t for t in searcher.search(q).topics if t.topic == "minimum-wage")
    return [s.anchor for s in hit.sections]


@pytest.fixture
def pinned(knowledge):
    searcher = knowledge.searcher
    clock = searcher.today
    yield searcher
    searcher.today = clock


def test_the_rule_in_force_ranks_above_next_years(pinned):
    pinned.today = lambda: date(2026, 12, 4)
    order = _order(pinned, "최저임금 시급 얼마예요")
    assert order.index("2026-rate") < order.index("2027-rate")


def test_naming_the_year_asks_for_the_change(pinned):
    pinned.today = lambda: date(2026, 12, 4)
    assert _order(pinned, "2027년 최저임금 얼마예요")[0] == "2027-rate"
    assert _order(pinned, "내년 최저임금 얼마예요")[0] == "2027-rate"


def test_the_penalty_lifts_on_the_day_without_a_rebuild(pinned):
    pinned.today = lambda: date(2026, 12, 4)
    before = {s.anchor: s.score for s in pinned.search("최저임금 시급 얼마예요").sections}
    pinned.today = lambda: date(2027, 1, 1)
    after = {s.anchor: s.score for s in pinned.search("최저임금 시급 얼마예요").sections}
    assert after["2027-rate"] == pytest.approx(before["2027-rate"] / FUTURE_FACTOR)
    assert after["2026-rate"] == pytest.approx(before["2026-rate"])


def test_kb_check_reports_a_bad_section_effective(content):
    from dataclasses import replace

    from kb.check import check_section_effective

    t = content.topics["minimum-wage"]
    bad = replace(t, section_effective={"no-such": date(2027, 1, 1), "2027-rate": "내년"})
    msgs = [p.message for p in check_section_effective(bad, t.path)]
    assert any("no-such" in m for m in msgs) and any("needs a date" in m for m in msgs)
    assert check_section_effective(t, t.path) == []
