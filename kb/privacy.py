"""Mask personal data before anything a person typed is logged, stored or copied: the one place.

Covered: mobile and landline numbers in any form people type them (010-1234-5678, 010 1234
5678, 01012345678, +82-10-1234-5678, +82 10..., 82-10..., full-width ０１０－１２３４－５６７８,
digits spaced one by one), resident registration numbers (주민등록번호), card numbers (13-19
digits), bank account numbers and other long digit runs (9+ digits),
passport numbers (M12345678, M123A4567), e-mail addresses, and names a person gives for
themselves ("제 이름은 홍길동", "저는 김민지입니다", "이름: 박서준").

Phone numbers are found with Google's libphonenumber (the `phonenumbers` package) besides the
patterns, so unseparated and international forms are caught too. Hotlines and business
representative numbers are not personal and stay readable: 1350, 1661-2020, 02-120, 109, 112,
1366 and every 15xx/16xx/18xx-xxxx number.

The result keeps what a counselor reading a log needs (the kind of number, the last digits of a
phone, the birth date part of nothing): `010-****-5678`, `900101-*******`, `****-****-****-1234`.
Masking is idempotent: masked text masks to itself.
"""
from __future__ import annotations

import re

import phonenumbers

# Full-width digits, letters and punctuation -> ASCII; every dash people type -> "-".
_FOLD: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\ufe58\ufe63\uff0d"})
_FOLD.update({0x3000: " ", 0x00A0: " "})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_RRN = re.compile(r"(?<![\d*])(\d{2}[01]\d[0-3]\d)\s*-?\s*[1-8]\d{6}(?![\d*])")
_PASSPORT = re.compile(r"(?<![A-Za-z0-9*])([A-Za-z])(?:\d{8}|\d{3}[A-Za-z]\d{4})(?![A-Za-z0-9*])")
# A run of digits with single separators between groups (hyphen, dot, space, slash, parentheses).
_DIGIT_RUN = re.compile(r"(?<![\d*])\+?\d(?:[-. /()]{0,2}\d)+(?![\d*])")
_SPACED_DIGITS = re.compile(r"(?<![\d*])\d(?:[ ]\d){8,}(?![\d*])")      # 0 1 0 1 2 3 4 5 6 7 8

_SURNAME = ("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민나"
            "진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부")
# "제 이름은 X", "이름: X", "성함은 X" always name a person; "저는 X입니다" does when X looks like a name.
_NAME_INTRO = re.compile(r"((?:제\s*)?(?:이름|성함)\s*(?:은|는|이|:)\s*)([가-힣]{2,4}?)"
                         r"(?=\s*(?:입니다|이에요|예요|이고|이구요|인데|이라고|라고|씨|님|[,.!?]|\s|$))")
_NAME_SELF = re.compile(r"((?:저는|전|나는|난)\s+)([" + _SURNAME + r"][가-힣]{1,3}?)"
                        r"(?=\s*(?:입니다|이에요|예요|이라고|라고\s*합니다))")
# Words people use to describe themselves that start with a surname syllable (not names).
_NOT_NAMES = {"임산부", "임신부", "정규직", "계약직", "기간제", "주부", "조리사", "사무직", "간호사", "교사", "강사",
              "공무원", "사장", "대표", "사업주", "근로자", "직장인", "회사원", "프리랜서", "아빠", "엄마", "신입",
              "인턴", "육아휴직자", "한부모", "워킹맘", "전업주부", "초보", "남편", "아내", "부모", "정직원", "알바"}
NAME_MASK = "○○○"


def _fold(text: str) -> str:
    return _ZERO_WIDTH.sub("", text.translate(_FOLD))


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def is_public_number(digits: str) -> bool:
    """Hotlines and business numbers, which are fine to keep: short service numbers (109, 112,
    1350, 1366), 02-120, and the nationwide representative numbers 15xx/16xx/18xx-xxxx."""
    d = digits[2:] if digits.startswith("82") and len(digits) == 10 else digits    # +82 1588-1234
    return len(d) <= 4 or d == "02120" or bool(re.fullmatch(r"1[5-9]\d{6}", d))


def _keep_last(s: str, keep: int = 4) -> str:
    """Replace every digit but the last `keep` with '*', separators kept."""
    total = sum(ch.isdigit() for ch in s)
    out, seen = [], 0
    for ch in s:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def _phone(s: str) -> str:
    """010-1234-5678 -> 010-****-5678; +82-10-1234-5678 -> +82-10-****-5678."""
    groups = re.split(r"([^\d]+)", s)
    digit_groups = [i for i, g in enumerate(groups) if g.isdigit()]
    if len(digit_groups) >= 3:
        for i in digit_groups[1:-1]:
            if not (i == digit_groups[1] and s.startswith("+") and len(digit_groups) >= 4):
                groups[i] = "*" * len(groups[i])
        groups[digit_groups[-1]] = _keep_last(groups[digit_groups[-1]])      # +82 10 12345678
        return "".join(groups)
    digits = _digits(s)
    if digits.startswith("82") and len(digits) in (11, 12):         # +821012345678
        national = "0" + digits[2:]
        return f"+82 {national[1:3]}-****-{digits[-4:]}" if national.startswith("01") else f"+82 {_keep_last(national[1:])}"
    if digits.startswith("0"):                                      # unseparated: 010, 031, 02
        head = 2 if digits.startswith("02") else 3
        return f"{digits[:head]}-****-{digits[-4:]}"
    return _keep_last(s)


_SPACED_PHONE = (r"\+?(?:82[ -]?)?\(?0?1[016789]\)?[ -.]{1,2}\d{3,4}[ -.]\d{4}"   # a mobile number written with spaces
                 r"|\(?0\d{1,2}\)?[ -.]{1,2}\d{3,4}[ -.]\d{4}")                   # a landline, (02) 123-4567
# A card is written with one separator throughout ("4111 1111 1111 1111", "4111-1111-1111-1111"),
# so "1366 1588-1234 119" (three numbers with mixed separators) is never read as one.
_SPACED_CARD = r"\d{4}(?P<sep>[ -])\d{4}(?P=sep)\d{4}(?P=sep)\d{1,7}"
_SPACED_WHOLE = re.compile(_SPACED_PHONE + "|" + _SPACED_CARD)
# inside a list a card is found too ("1366 4111 1111 1111 1111": the card is masked, 1366 kept);
# a card is not followed by another group with its separator, so a hotline before it is not taken in
_PHONE_IN_LIST = re.compile(_SPACED_PHONE + "|" + _SPACED_CARD + r"(?!\d|(?P=sep)\d{4}(?!\d))")


def _mask_number(s: str) -> str:
    digits = _digits(s)
    if is_public_number(digits) or len(digits) < 9:
        return s
    if (digits.startswith("0") and len(digits) <= 11) or (digits.startswith("82") and len(digits) <= 12):
        return _phone(s)
    # cards (13-19 digits), accounts and other long numbers: the last four digits. (A card needs
    # no Luhn check here: a card is masked exactly like any other long number.)
    return _keep_last(s)


def _mask_parts(s: str) -> str:
    """Each space-separated part of a list of numbers judged alone."""
    return " ".join(_DIGIT_RUN.sub(lambda x: _mask_number(x.group(0)), part) for part in s.split(" "))


def _mask_run(m: re.Match) -> str:
    s = m.group(0)
    if " " not in s or _SPACED_WHOLE.fullmatch(s):
        return _mask_number(s)
    # "109 112 1366" is a list of numbers, not one; but a phone number written with
    # spaces may sit in such a list ("010 1234 5678 1366"): it is masked whole, the other parts
    # alone. It must start a part ("2024 2025 2026" holds no "024 2025 2026"); where it ends is
    # not checked: a longer last group is masked with it, the safe side.
    out, pos = [], 0
    for start in [0] + [i + 1 for i, ch in enumerate(s) if ch == " "]:
        w = _PHONE_IN_LIST.match(s, start) if start >= pos else None
        if w:
            out += [_mask_parts(s[pos:start]), _mask_number(w.group(0))]
            pos = w.end()
    return "".join(out) + _mask_parts(s[pos:])


def _mask_phones(text: str) -> str:
    """What the patterns missed, found by libphonenumber (international and odd forms)."""
    out, last = [], 0
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(text, "KR", leniency=phonenumbers.Leniency.POSSIBLE))
    except Exception:      # the matcher is defensive, but logging must never fail on odd text
        matches = []
    for m in matches:
        digits = _digits(m.raw_string)
        near = text[max(0, m.start - 2):m.end + 2]
        if len(digits) < 9 or is_public_number(digits) or "*" in near:
            continue
        raw = m.raw_string
        if (" " in raw and not raw.startswith("+") and not _SPACED_WHOLE.fullmatch(raw)
                and not phonenumbers.is_valid_number(m.number)):
            continue        # "2024 2025 2026", "1366 1588-1234": several numbers, judged one by one above
        out.append(text[last:m.start])
        out.append(_phone(m.raw_string))
        last = m.end
    out.append(text[last:])
    return "".join(out)


def _mask_name(m: re.Match) -> str:
    name = m.group(2)
    if name in _NOT_NAMES or any(name.startswith(w) for w in _NOT_NAMES):
        return m.group(0)
    return m.group(1) + NAME_MASK

# a salary named as one (월급 300, 세전 350만원, 통상임금 2,800,000원): the amount is personal too
_SALARY = re.compile(r"((?:월급|연봉|세전|세후|통상임금|급여|임금|월\s*소득|실수령)\s*(?:이|은|는|가|이면|으로)?\s*(?:약\s*)?)"
                     r"\d[\d,.]*(?![\d*-])(\s*(?:만\s*원|만|원))?")


_SERVICE_NUMBER = re.compile(r"1\d\d|13\d\d")

# an account number named as one, however it is spaced ("계좌 110 123 456789", "계좌번호: 3333 01 1234567"):
# without the word a spaced run is a list of short numbers, judged one by one above
_ACCOUNT = re.compile(r"((?:계좌|통장)(?:\s*번호)?\s*(?:는|은|이|가|:)?\s*)(\d[\d -]{6,}\d)(?![\d*])")


def _mask_account(m: re.Match) -> str:
    number = m.group(2)
    return m.group(0) if len(_digits(number)) < 9 else m.group(1) + _keep_last(number)


def _mask_salary(m: re.Match) -> str:
    """월급 300 -> 월급 ***; a bare service number after such a word ("급여 1350", "임금 112") is a
    number to call, not an amount (three digits from 1, or 13xx: 109, 112, 120, 1350, 1366)."""
    unit = m.group(2) or ""
    if not unit and _SERVICE_NUMBER.fullmatch(m.group(0)[len(m.group(1)):]):
        return m.group(0)
    return f"{m.group(1)}***{unit}"


def mask(text: str) -> str:
    if not text:
        return text or ""
    text = _fold(text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = _RRN.sub(lambda m: f"{m.group(1)}-*******", text)
    text = _PASSPORT.sub(lambda m: m.group(1) + "*" * 8, text)
    text = _SPACED_DIGITS.sub(lambda m: _keep_last(m.group(0)) if not is_public_number(_digits(m.group(0))) else m.group(0), text)
    text = _ACCOUNT.sub(_mask_account, text)
    text = _DIGIT_RUN.sub(_mask_run, text)
    text = _mask_phones(text)
    text = _SALARY.sub(_mask_salary, text)
    text = _NAME_INTRO.sub(_mask_name, text)
    text = _NAME_SELF.sub(_mask_name, text)
    return text
