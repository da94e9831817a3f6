"""Every synonym variant in content/lexicon/synonyms.txt means its canonical term to the engine.

A variant that analyses to nothing is invisible to search (평임 once analysed to 평/NNB 이 ㅁ and
then to nothing), and one that reaches other main terms than its canonical splits one question
into two ("산휴 거부" and "출산휴가 거부" once reached different terms). Real Kiwi, real lexicon.
"""
from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.content import load
from search.analysis import get_kiwi, kiwi_user_words, korean_analyzer

from .conftest import CONTENT

LEXICON = load(CONTENT).lexicon
get_kiwi(kiwi_user_words(LEXICON))  # Kiwi itself once per process (nothing analysed at import)


@functools.lru_cache(maxsize=1)
def analyser():
    """Built on first use, inside the test run: hypothesis must not see (and print) a fixture, and
    nothing may be analysed (and cached) at import, before a mutation under test is switched on."""
    return korean_analyzer(LEXICON)
PAIRS = [(line.canonical, v) for line in LEXICON.synonyms for v in line.variants]


def mains(analyzer, text: str) -> set[str]:
    return {t.text for t in analyzer(text) if not getattr(t, "part", False)}


def test_the_lexicon_has_variants():
    assert len(PAIRS) > 1000


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=st.sampled_from(PAIRS))
def test_every_variant_reaches_its_canonical_main_terms(pair):
    canonical, variant = pair
    got = mains(analyser(), variant)
    assert got, f"{variant!r} analyses to nothing"
    assert got == mains(analyser(), canonical), (variant, canonical)


def test_every_variant_exhaustively():
    """The same property over the whole file (hypothesis samples; this misses none). The same
    analyser as above: under mutation testing each mutant's process builds it once, not twice."""
    analyzer = analyser()
    bad = [(v, c) for c, v in PAIRS if not mains(analyzer, v) or mains(analyzer, v) != mains(analyzer, c)]
    assert bad == []


def test_no_canonical_analyses_to_nothing():
    analyzer = analyser()
    assert [c for c in dict.fromkeys(c for c, _ in PAIRS) if not mains(analyzer, c)] == []


@pytest.mark.parametrize("a, b, expected", [
    ("평임", "평균임금", {"평균임금"}),
    ("산휴 거부", "출산휴가 거부", {"출산전후휴가", "거부"}),
    ("출휴 거부", "출산휴가거부", {"출산전후휴가", "거부"}),
    ("노동청 진정", "진정", {"진정"}),
    ("kids", "아이", {"아이"}),
])
def test_named_cases(a, b, expected):
    assert mains(analyser(), a) == mains(analyser(), b) == expected
