"""kb/privacy.py: every format of personal number in the issue is masked, hotlines are not,
and the properties hold for generated text (hypothesis)."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.privacy import NAME_MASK, mask

HOTLINES = ["1350", "1661-2020", "02-120", "109", "112", "1366", "1588-1234", "1644-2020"]
FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def digits(s: str) -> str:
    return re.sub(r"\D", "", s.translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}))


@pytest.mark.parametrize("raw, secret", [
    ("+82-10-1234-5678로 연락", "12345678"),
    ("+82 10 1234 5678", "12345678"),
    ("+821012345678", "12345678"),
    ("82-10-1234-5678", "12345678"),
    ("０１０－１２３４－５６７８", "12345678"),
    ("010 1234 5678", "12345678"),
    ("0 1 0 1 2 3 4 5 6 7 8", "1234"),
    ("010.1234.5678", "12345678"),
    ("(02) 123-4567", "1234567"),
    ("0212345678", "12345678"),
    ("주민번호 900101-2345678", "2345678"),
    ("주민번호 900101 2345678", "2345678"),
    ("주민번호９００１０１－２３４５６７８", "2345678"),
    ("카드 4111-1111-1111-1111", "411111111111"),
    ("카드 4111 1111 1111 1111", "411111111111"),
    ("카드번호 4111111111111111", "411111111111"),
    ("계좌 110-123-456789 로 입금", "11012345"),
    ("국민은행 123456-01-123456", "12345601"),
    ("여권 M12345678", "12345678"),
    ("여권번호 M123A4567", "123A4567"),
    ("메일 someone.private@example.com", "someone.private"),
    ("제 이름은 홍길동입니다", "홍길동"),
    ("저는 김민지입니다 육아휴직 문의", "김민지"),
    ("이름: 박서준, 연락처 010-9876-5432", "박서준"),
    ("성함은 이영희 이고요", "이영희"),
])
def test_formats_from_the_issue_are_masked(raw, secret):
    out = mask(raw)
    if secret.isdigit():
        assert secret not in digits(out), out
    else:
        assert secret not in out, out


def test_masked_forms_stay_readable():
    assert mask("제 번호는 010-1234-5678 이에요") == "제 번호는 010-****-5678 이에요"
    assert mask("제 이름은 홍길동입니다") == f"제 이름은 {NAME_MASK}입니다"
    assert mask("저는 임산부입니다") == "저는 임산부입니다"          # a description, not a name


@pytest.mark.parametrize("text", [
    "1350이나 1661-2020, 02-120", "109 112 1366 1588-1234 119", "2026-11-25 기준 1,500,000원 90일",
    "2024 2025 2026년", "출산휴가 90일, 다태아 120일", "월 250만원 받아요",
])
def test_hotlines_dates_and_amounts_stay(text):
    assert mask(text) == text


# ---------------------------------------------------------------- properties

korean = st.text(alphabet="가나다라마바사아자차카타파하 육아휴직급여출산전화번호연락주세요", max_size=12)
sep = st.sampled_from(["-", " ", ".", "", "－"])


@st.composite
def mobile(draw):
    mid = draw(st.from_regex(r"\A[0-9]{4}\Z"))
    last = draw(st.from_regex(r"\A[0-9]{4}\Z"))
    prefix = draw(st.sampled_from(["010", "011", "016", "+82-10", "+82 10", "+8210", "82-10"]))
    s = draw(sep)
    number = f"{prefix}{s}{mid}{s}{last}"
    if draw(st.booleans()):
        number = number.translate(FULLWIDTH)
    return number, mid + last, digits(prefix)


@given(korean, mobile(), korean)
@settings(max_examples=300, deadline=None)
def test_any_mobile_number_in_any_form_loses_its_subscriber_digits(before, number, after):
    raw, secret, prefix = number
    out = mask(f"{before} {raw} {after}")
    kept = digits(out)
    # the text around holds no digits: what is left is the prefix, then the subscriber part
    # (compared after the prefix: "+82-10-****-0000" keeps 82 10, which may spell the secret's start)
    # (masking part of the prefix too, "82-**-****-0000", is fine)
    tail = kept[len(prefix):] if kept.startswith(prefix) else kept
    assert secret not in tail, (raw, out)


@given(st.from_regex(r"\A[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])\Z"), st.from_regex(r"\A[1-4][0-9]{6}\Z"),
       st.sampled_from(["-", " ", "", " - "]), korean)
@settings(max_examples=200, deadline=None)
def test_any_resident_number_loses_its_last_seven_digits(birth, rest, s, text):
    out = mask(f"{text} {birth}{s}{rest} {text}")
    assert rest not in digits(out), out


@st.composite
def card(draw):
    body = [int(x) for x in draw(st.from_regex(r"\A[3-6][0-9]{14}\Z"))]
    total = 0
    for i, n in enumerate(reversed(body)):      # Luhn check digit
        if i % 2 == 0:
            n *= 2
            n = n - 9 if n > 9 else n
        total += n
    full = "".join(map(str, body)) + str((10 - total % 10) % 10)
    s = draw(st.sampled_from(["-", " ", ""]))
    return s.join(full[i:i + 4] for i in range(0, 16, 4)), full


@given(card(), korean)
@settings(max_examples=200, deadline=None)
def test_any_card_number_keeps_at_most_its_last_four(c, text):
    raw, full = c
    out = mask(f"{text} {raw} {text}")
    assert full[:12] not in digits(out), out


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_masking_never_fails_and_is_idempotent(text):
    once = mask(text)
    assert mask(once) == once


@given(korean, st.sampled_from(HOTLINES), korean)
@settings(max_examples=200, deadline=None)
def test_hotlines_are_never_masked(before, hotline, after):
    assert hotline in mask(f"{before} {hotline} {after}")
