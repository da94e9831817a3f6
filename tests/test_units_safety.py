"""Crisis wording and the question expansions, pinned exactly. (Masking is pinned in
tests/test_privacy.py; the whole crisis and danger matcher in tests/test_safety.py.)"""
from __future__ import annotations

import pytest

from kb.expand import expand, headcount

# ---------------------------------------------------------------- crisis


@pytest.mark.parametrize("q", [
    "죽고 싶어요", "죽 고 싶 다", "자살", "I want to DIE", "Suicide hotline", "KILL MYSELF",
    "살고\t싶지\n않아요",
])
def test_crisis_ignores_spacing_and_case(safety_check, q):
    assert safety_check(q).crisis is True


@pytest.mark.parametrize("q", ["", "출산휴가 며칠이에요", "죽도록 일을 시켜요", "Diet plan", None, 42])
def test_no_crisis(safety_check, q):
    assert safety_check(q).crisis is False
    assert safety_check(q).urgent is False


# ---------------------------------------------------------------- expansion

@pytest.mark.parametrize("q, n", [
    ("직원 4명인 회사", 4), ("근로자 3인 사업장", 3), ("상시근로자가 4명", 4), ("알바 2명", 2),
    ("강사 3명인 학원", 3), ("직원이 총 12명", 12), ("3명 있는 카페", 3), ("4인 사업장", 4),
    ("2명뿐인 가게", 2), ("사람 100 명", 100), ("직원 1000명", None), ("출산휴가 90일", None),
    ("3명이 다녀요", 3), ("10명 규모", 10), ("5명 짜리 회사", 5), ("아이 2명", None),
])
def test_headcount(q, n):
    assert headcount(q) == n


@pytest.mark.parametrize("q, expanded", [
    ("직원 4명인 회사 출산휴가", "직원 4명인 회사 출산휴가 5인 미만 사업장"),
    ("알바 1명", "알바 1명 5인 미만 사업장"),
    ("직원 5명인 회사", "직원 5명인 회사"),
    ("직원 0명", "직원 0명 5인 미만 사업장"),
    ("육아휴직 신청", "육아휴직 신청"),
])
def test_small_workplace_expansion(q, expanded):
    assert expand(q) == expanded
