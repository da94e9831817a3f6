"""kb/privacy.py pinned exactly: the masked text of each form, character for character.

tests/test_privacy.py says what must never leak (any form, generated); this file says what a
counselor reading a log sees instead, so that a one-character change of a mask, a boundary or a
separator is noticed (`make mutation`). Every expected string is written out by hand from the
rules in the module's docstring: the last four digits of a phone, the birth date of a resident
number, the last four of a card or account, the first letter of a passport and an e-mail.
"""
from __future__ import annotations

import pytest

from kb.privacy import NAME_MASK, is_public_number, mask

N = NAME_MASK


@pytest.mark.parametrize("raw, masked", [
    # mobiles, separated: the middle group hidden, separators kept
    ("010-1234-5678", "010-****-5678"),
    ("010 1234 5678", "010 **** 5678"),
    ("010.1234.5678", "010.****.5678"),
    ("010/1234/5678", "010/****/5678"),
    ("010..1234..5678", "010..****..5678"),
    ("010)1234(5678", "010)****(5678"),
    ("(010) 1234-5678", "(010) ****-5678"),
    ("010-123-4567", "010-***-4567"),
    ("연락처는 010-1234-5678 입니다", "연락처는 010-****-5678 입니다"),
    ("010-1234-5678번", "010-****-5678번"),
    ("a010-1234-5678", "a010-****-5678"),
    ("010-1234-5678 010-2345-6789", "010-****-5678 010-****-6789"),
    # unseparated: written back with hyphens
    ("01012345678", "010-****-5678"),
    ("0101234567", "010-****-4567"),
    ("번호01012345678임", "번호010-****-5678임"),
    # full-width, other dashes, odd spaces and invisible characters are folded first
    ("０１０－１２３４－５６７８", "010-****-5678"),
    ("010—1234—5678", "010-****-5678"),
    ("010–1234–5678", "010-****-5678"),
    ("010ー1234ー5678", "010-****-5678"),
    ("010\u30001234\u30005678", "010 **** 5678"),
    ("010\u200b1234\u200b5678", "010-****-5678"),
    ("010\u00ad1234-5678", "010-****-5678"),
    # international: the country code and the area or mobile prefix stay
    ("+82-10-1234-5678", "+82-10-****-5678"),
    ("+82 10 1234 5678", "+82 10 **** 5678"),
    ("+82 10-1234-5678 입니다", "+82 10-****-5678 입니다"),
    ("tel:+82-10-1234-5678", "tel:+82-10-****-5678"),
    ("+8210-1234-5678", "+8210-****-5678"),
    ("+821012345678", "+82 10-****-5678"),
    ("821012345678", "+82 10-****-5678"),
    ("+82212345678", "+82 *****5678"),
    ("+82-2-123-4567", "+82-2-***-4567"),
    ("+82 2 1234 5678", "+82 2 **** 5678"),
    ("82-10-1234-5678", "82-**-****-5678"),
    ("전화 +1 650-253-0000", "전화 +1 ***-***-0000"),
    ("+1 650 253 0000", "+1 650 *** 0000"),
    ("+44 2079460958", "+44 ******0958"),
    # landlines
    ("02-123-4567", "02-***-4567"),
    ("(02) 123-4567", "(02) ***-4567"),
    ("02)123-4567", "02)***-4567"),
    ("(031)123-4567", "(031)***-4567"),
    ("0212345678", "02-****-5678"),
    ("0311234567", "031-****-4567"),
    ("070-1234-5678", "070-****-5678"),
    ("0505-123-4567", "0505-***-4567"),
    ("010 1234 5678 또는 02 123 4567", "010 **** 5678 또는 02 *** 4567"),
    # spaced oddly: found by libphonenumber as one valid number (these used to be logged whole)
    ("전화 010 - 1234 - 5678", "전화 010 - **** - 5678"),
    ("010 -1234- 5678", "010 -****- 5678"),
    ("010 12345678", "010-****-5678"),
    ("0101234 5678", "010-****-5678"),
    ("010  1234  5678", "010  ****  5678"),
    ("010 . 1234 . 5678", "010 . **** . 5678"),
    ("010/1234 5678", "010/**** 5678"),
    ("0 10 1234 5678", "0 ** **** 5678"),
    ("+82 10 12345678", "+82 ** ****5678"),
    ("+82 (0)10 1234 5678", "+82 (0)** **** 5678"),
    ("+1 (650) 253-0000", "+1 (650) ***-0000"),
    ("+44 (0) 20 7946 0958", "+44 (0) ** **** 0958"),
    ("+82 2-123-4567", "+82 2-***-4567"),
    ("+1 (123) 456-7890", "+1 (123) ***-7890"),             # possible but not valid: masked all the same
    ("+82 99 12345678", "+82 ** ****5678"),
    ("+82 2 123 456", "+82 2 *** 456"),                     # nine digits are enough
    # a number skipped (a hotline, a list of years) does not end the search
    ("1588-1234, +82 (0)10 1234 5678", "1588-1234, +82 (0)** **** 5678"),
    ("2024 2025 2026 또는 +82 (0)10 1234 5678", "2024 2025 2026 또는 +82 (0)** **** 5678"),
    # a star two characters away is no mask of this number
    ("*ab+82 (0)10 1234 5678", "*ab+82 (0)** **** 5678"),
    ("+82 (0)10 1234 5678ab*", "+82 (0)** **** 5678ab*"),
    # digits typed one by one: all but the last four
    ("0 1 0 1 2 3 4 5 6 7 8", "* * * * * * * 5 6 7 8"),
    ("0\u00a01\u00a00 1 2 3 4 5 6 7 8", "* * * * * * * 5 6 7 8"),
    ("1 2 3 4 5 6 7 8 9", "* * * * * 6 7 8 9"),
    # resident registration numbers: the birth date stays, always written with a hyphen
    ("900101-2345678", "900101-*******"),
    ("900101 2345678", "900101-*******"),
    ("900101 - 2345678", "900101-*******"),
    ("9001012345678", "900101-*******"),
    ("주민 900101-1234567 과 010-1234-5678", "주민 900101-******* 과 010-****-5678"),
    ("900132-1234567", "900132-*******"),
    ("909999-9234567", "******-***4567"),                # not a date: a long number, last four kept
    # cards (Luhn check or not), accounts and other long numbers: the last four digits
    ("4111-1111-1111-1111", "****-****-****-1111"),
    ("4111 1111 1111 1111", "**** **** **** 1111"),
    ("4111111111111111", "************1111"),
    ("5105105105105100", "************5100"),
    ("4111-1111-1111-1112", "****-****-****-1112"),
    ("0111111111111111", "************1111"),
    ("110-123-456789", "***-***-**6789"),
    ("123456-01-123456", "******-**-**3456"),
    ("계좌 123456789", "계좌 *****6789"),
    ("123-456-789", "***-**6-789"),
    ("123456789012", "********9012"),
    ("12-34-56-78-90", "**-**-**-78-90"),
    ("821234567", "*****4567"),
    # too long for a phone number: a long number
    ("010-1234-56789", "***-****-*6789"),
    ("0123-4567-8901", "****-****-8901"),
    ("82-10-1234-56789", "**-**-****-*6789"),
    # passports: the first letter
    ("M12345678", "M********"),
    ("M123A4567", "M********"),
    ("여권 m123a4567", "여권 m********"),
    ("ｍ１２３４５６７８", "m********"),
    # e-mail: the first character and the domain
    ("someone.private@example.com", "s***@example.com"),
    ("a.b+c@mail.example.co.kr 로", "a***@mail.example.co.kr 로"),
    ("a@b.co", "a***@b.co"),
])
def test_each_form_masks_to_exactly(raw, masked):
    assert mask(raw) == masked
    assert mask(masked) == masked                       # idempotent


@pytest.mark.parametrize("text", [
    # hotlines and representative numbers
    "1350", "1661-2020", "02-120", "+82 2 120", "109 112 1366 1588-1234", "1588-1234로 전화", "1644 2020",
    "1 3 6 6", "1 5 8 8 1 2 3 4", "1366 1588-1234",
    "+82 1588-1234", "8215881234", "8 2 1 5 8 8 1 2 3 4",                 # from abroad too
    # too short to be personal, or not a number
    "12345678", "1 2 3 4 5 6 7 8", "번호 123 456 789 012", "M1234567", "AM12345678", "M12345678A",
    "메일 x@y", "abc@def.g",
    # next to a mask already made: left as it is (masking is idempotent)
    "*900101-1234567", "9001011234567*", "*010-1234-5678", "010-1234-5678*",
    # several numbers in a row, each judged alone (two spaces kept as typed)
    "1366  1588-1234", "2024 2025 2026년",
])
def test_left_as_typed(text):
    assert mask(text) == text


def test_empty_and_none():
    assert mask("") == ""
    assert mask(None) == ""                             # type: ignore[arg-type]


@pytest.mark.parametrize("raw, masked", [
    ("월급 300", "월급 ***"),
    ("세전 350만원", "세전 ***만원"),
    ("통상임금 2,800,000원", "통상임금 ***원"),
    ("월급 1,500,000원", "월급 ***원"),
    ("월급은 약 250만 원", "월급은 약 ***만 원"),
    ("연봉이 3000", "연봉이 ***"),
    ("연봉 3.5", "연봉 ***"),
    ("월소득 250", "월소득 ***"),
    ("월 소득 250", "월 소득 ***"),
    ("실수령 200만", "실수령 ***만"),
    ("급여가 250만", "급여가 ***만"),
    ("급여는 1350만원", "급여는 ***만원"),
    ("급여 1366만", "급여 ***만"),
    ("임금으로 300", "임금으로 ***"),
    ("급여 1200", "급여 ***"),
    ("임금 200", "임금 ***"),
    ("임금 99", "임금 ***"),
    ("급여 13", "급여 ***"),
    # a service number after such a word is a number to call
    ("급여 1350", "급여 1350"),
    ("급여 1366", "급여 1366"),
    ("임금 112", "임금 112"),
    ("급여 120", "급여 120"),
    # a range or a masked amount is left alone
    ("월급 300-400", "월급 300-400"),
    ("월급 300*", "월급 300*"),
])
def test_salary_amounts(raw, masked):
    assert mask(raw) == masked


@pytest.mark.parametrize("raw, masked", [
    ("제 이름은 홍길동입니다", f"제 이름은 {N}입니다"),
    ("제 이름은 홍길동이고요", f"제 이름은 {N}이고요"),
    ("제이름은 김철수라고", f"제이름은 {N}라고"),
    ("이름은 김철수씨", f"이름은 {N}씨"),
    ("이름 : 김철수.", f"이름 : {N}."),
    ("이름: 박서준, 연락처", f"이름: {N}, 연락처"),
    ("성함은 이영희 이고요", f"성함은 {N} 이고요"),
    ("성함이 박영희 님", f"성함이 {N} 님"),
    ("제 성함은 홍길동!", f"제 성함은 {N}!"),
    ("이름이 김철수?", f"이름이 {N}?"),
    ("이름은 홍길동", f"이름은 {N}"),
    ("이름은 홍길동 ", f"이름은 {N} "),
    ("저는 이름이 홍길동입니다", f"저는 이름이 {N}입니다"),
    ("저는 홍길동입니다", f"저는 {N}입니다"),
    ("저는 김민지입니다 육아휴직 문의", f"저는 {N}입니다 육아휴직 문의"),
    ("난 김철수예요", f"난 {N}예요"),
    ("나는 이영희이에요", f"나는 {N}이에요"),
    ("전 최영이에요", f"전 {N}이에요"),
    ("나는 박민수라고 합니다", f"나는 {N}라고 합니다"),
    ("저는 김민지라고 합니다", f"저는 {N}라고 합니다"),
])
def test_names_given_for_oneself(raw, masked):
    assert mask(raw) == masked


@pytest.mark.parametrize("text", [
    "저는 임산부입니다", "저는 정규직입니다", "저는 워킹맘입니다", "저는 전업주부예요", "저는 육아휴직자입니다",
    "제 이름은 정규직원입니다",          # starts with a description: not a name
    "저는 박 서준입니다", "이름은 김 철수", "저는김민지입니다", "저는 김민지라고 해요",
])
def test_descriptions_and_unsure_names_stay(text):
    assert mask(text) == text


@pytest.mark.parametrize("digits, public", [
    ("109", True), ("112", True), ("1350", True), ("1366", True), ("02120", True), ("0120", True),
    ("15881234", True), ("16612020", True), ("18001234", True), ("19001234", True), ("8215881234", True),
    ("14001234", False), ("1588123", False), ("158812345", False), ("12345", False),
    ("821012345678", False), ("8202120", False), ("201234567", False), ("82201234567", False),
])
def test_public_numbers(digits, public):
    assert is_public_number(digits) is public
