"""kb/client_text.py: what a counselor pastes to a client, full and 문자·카카오톡 length, on
hand-made topics (each expected text written out) and on every section of the real content."""
from __future__ import annotations

from dataclasses import replace

import pytest

from kb.client_text import SMS_LIMIT, client_answer, fit, hotline, sms_answer
from kb.content import Content

from .synthetic import center, topic

HOTLINE = replace(center("moel-1350", name="고용노동부 고객상담센터 1350"), hours="평일 09:00~18:00")
CONTENT = Content(root=None, centers={"moel-1350": HOTLINE})   # type: ignore[arg-type]
LINK = "https://kb.example.kr/topics/a#apply"


def test_hotline_names_the_number_once_with_hours():
    assert hotline(CONTENT) == "고용노동부 고객상담센터 1350(평일 09:00~18:00)"
    other = Content(root=None, centers={"moel-1350": center("moel-1350", name="노동 상담", phone="1350")})  # type: ignore[arg-type]
    assert hotline(other) == "노동 상담 1350"
    assert hotline(Content(root=None)) == ""   # type: ignore[arg-type]


def test_client_answer_core_section():
    t = topic("a")
    assert client_answer(t, t.core, CONTENT) == (
        "[a 제목]\n\na의 핵심-답변 내용입니다.\n\n근거: 어떤 법 제1조 · 기준일 2025-02-23\n\n"
        "더 궁금한 점은 고용노동부 고객상담센터 1350(평일 09:00~18:00)에 물어보세요.")


def test_client_answer_leaves_out_verify_notes_and_the_review_date():
    t = topic("a", verify=("편집자 메모: 블로그에서만 확인",))
    text = client_answer(t, t.section("apply"), CONTENT)
    assert text.startswith("[a 제목 - apply]\n\na의 apply 내용입니다.")
    assert "블로그" not in text and "편집자" not in text and "확인 필요" not in text
    assert "검토일" not in text and "2026-11-20" not in text
    assert text.endswith("금액·날짜 등 일부 내용은 바뀌었을 수 있으니 "
                         "고용노동부 고객상담센터 1350(평일 09:00~18:00)에서 꼭 확인하세요.")


def test_client_answer_without_dates_or_basis():
    t = topic("a", legal_basis=(), effective=None)
    assert client_answer(t, None, CONTENT) == (
        "[a 제목]\n\na 요약입니다.\n\n더 궁금한 점은 고용노동부 고객상담센터 1350(평일 09:00~18:00)에 물어보세요.")


@pytest.mark.parametrize("text, room, expected", [
    ("첫 문장입니다. 둘째 문장입니다.", 100, "첫 문장입니다. 둘째 문장입니다."),
    ("첫 문장입니다. 둘째 문장입니다.", 10, "첫 문장입니다."),                # whole sentences only
    ("- 하나입니다.\n- 둘입니다.", 100, "하나입니다. 둘입니다."),              # list marks and breaks go
    ("아주 긴 한 문장이 여기 있어서 들어가지 않아요", 12, "아주 긴 한 문장이…"),   # cut at a space with …
    ("띄어쓰기없는아주긴문장", 5, "띄어쓰기…"),      # no space: cut where it must
    ("| 기간 | 금액 |\n1~3개월 · 250만원\n4~6개월 · 200만원", 100, "| 기간 | 금액 | / 1~3개월 · 250만원 / 4~6개월 · 200만원"),
    ("금액은 아래 표와 같습니다. 2025년부터입니다.\n1개월 · 250만원", 100,
     "금액은 아래 표와 같습니다. 2025년부터입니다. 1개월 · 250만원"),             # all fits: kept
    ("금액은 아래 표와 같습니다. 2025년부터입니다.\n기간 · 금액\n1개월 · 250만원\n2개월 · 250만원", 40,
     "2025년부터입니다. 기간 · 금액 / 1개월 · 250만원"),                          # not all: "아래" left out
    ("서울, 부산입니다.\n센터 · 전화\n서울 · 02-1\n부산 · 051-1", 18, "서울, 부산입니다."),   # no header row alone
    ("", 10, ""),
])
def test_fit(text, room, expected):
    got = fit(text, room)
    assert got == expected
    assert len(got) <= room


def test_sms_answer_short_section_whole():
    t = topic("a")
    assert sms_answer(t, t.section("apply"), LINK, CONTENT) == (
        "[a 제목 - apply]\na의 apply 내용입니다.\n기준일 2025-02-23\n자세히: https://kb.example.kr/topics/a#apply\n"
        "문의 고용노동부 고객상담센터 1350")


def test_sms_answer_long_section_is_cut_to_the_limit_keeping_link_and_number():
    long_text = " ".join(f"{i}번째 문장은 조금 길게 써 둔 설명입니다." for i in range(40))
    t = replace(topic("a"), sections=(replace(topic("a").core, text=long_text),))
    text = sms_answer(t, t.core, LINK, CONTENT)
    assert len(text) <= SMS_LIMIT
    assert "0번째 문장은" in text and "39번째" not in text
    assert text.endswith(f"기준일 2025-02-23\n자세히: {LINK}\n문의 고용노동부 고객상담센터 1350")


def test_sms_answer_with_a_huge_title_still_fits():
    t = topic("a", title="아주 " * 200 + "긴 제목")
    text = sms_answer(t, t.core, LINK, CONTENT)
    assert len(text) <= SMS_LIMIT
    assert LINK in text


# ---------------------------------------------------------------- every section of the real content

def test_every_real_section_fits_a_text_message(content):
    hot = content.centers["moel-1350"]
    checked = 0
    for t in content.topics.values():
        for s in t.sections:
            link = f"https://example.kr/topics/{t.id}#{s.anchor}"
            text = sms_answer(t, s, link, content)
            assert len(text) <= SMS_LIMIT, (t.id, s.anchor, len(text))
            assert link in text and hot.phone in text, (t.id, s.anchor)
            assert f"기준일 {t.effective}" in text
            body = text.split("\n")[1]
            assert body and body not in (f"기준일 {t.effective}",), (t.id, s.anchor)   # some of the section is said
            checked += 1
    assert checked > 200


def test_every_real_client_answer_is_client_ready(content):
    hot = content.centers["moel-1350"]
    for t in content.topics.values():
        for s in t.sections:
            text = client_answer(t, s, content)
            assert s.text.strip() in text
            assert f"기준일 {t.effective}" in text and hot.phone in text
            assert "검토일" not in text
            for note in t.verify:
                assert note not in text, (t.id, note)
