"""Crisis wording, masking of personal numbers and the question expansions, pinned exactly."""
from __future__ import annotations

import pytest

from kb.crisis import is_crisis
from kb.expand import expand, headcount
from kb.privacy import mask

# ---------------------------------------------------------------- crisis

@pytest.mark.parametrize("q", [
    "죽고 싶어요", "죽 고 싶 다", "자살", "I want to DIE", "Suicide hotline", "KILL MYSELF",
    "살고\t싶지\n않아요",
])
def test_crisis_ignores_spacing_and_case(q):
    assert is_crisis(q) is True


@pytest.mark.parametrize("q", ["", "출산휴가 며칠이에요", "죽도록 일을 시켜요", "Diet plan"])
def test_no_crisis(q):
    assert is_crisis(q) is False


# ---------------------------------------------------------------- masking

@pytest.mark.parametrize("raw, masked", [
    ("제 번호는 010-1234-5678 이에요", "제 번호는 010-****-5678 이에요"),
    ("01012345678로 연락주세요", "010-****-5678로 연락주세요"),
    ("011.123.4567", "011-****-4567"),
    ("010 1234 5678", "010-****-5678"),
    ("주민번호 900101-2345678", "주민번호 900101-2******"),
    ("주민번호 9001012345678", "주민번호 900101-2******"),
    ("주민번호 900101 - 2345678", "주민번호 900101-2******"),
    ("02-123-4567 회사 번호", "02-****-4567 회사 번호"),
    ("02)1234-5678", "02-****-5678"),
    ("031 123 4567", "031-****-4567"),
    ("메일 someone@example.com 로", "메일 s***@example.com 로"),
    ("a.b+c@mail.example.co.kr", "a***@mail.example.co.kr"),
])
def test_mask_personal_numbers_exactly(raw, masked):
    assert mask(raw) == masked


@pytest.mark.parametrize("text", [
    "1350이나 1661-2020, 02-120", "출산휴가 90일, 시급 10,320원", "2026-11-25에", "123456789012345",
    "9001019345678", "x@y",
])
def test_mask_keeps_what_is_not_personal(text):
    assert mask(text) == text


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
