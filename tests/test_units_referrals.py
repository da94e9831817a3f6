"""kb.referrals pinned with hand-made topics and centers: districts, the route, the cards."""
from __future__ import annotations

import pytest

from kb.referrals import cards, first_sentence, route, why

from .synthetic import center, content, topic

GENERAL = ["moel-1350", "seoul-labor-rights-center", "dasan-120"]
SW = "seoul-southwest-working-mom-center"
REGIONS = {"seoul-southwest": ["금천구", "구로구", "관악구"], "seoul-center": ["중구", "종로구"]}


def world(*topics, centers=("c1", "c2", "c3", "c4", "c5", SW, "seoul-working-mom-center",
                            "suicide-prevention-109", *GENERAL)):
    return content(topics, [center(c) for c in centers], regions=REGIONS)


# (districts and places: tests/test_places.py, with the real content/places.yaml)


# ---------------------------------------------------------------- the route

def test_confident_route_is_the_topic_referrals_then_one_from_the_runner_up():
    a, b = topic("a", referrals=("c1", "c2")), topic("b", referrals=("c1", "c3", "c4"))
    assert route("질문", [a, b], world(a, b), crisis=False, confident=True) == ["c1", "c2", "c3"]


def test_only_the_runner_up_adds_a_place_not_the_third_topic():
    a, b, c = topic("a", referrals=("c1",)), topic("b", referrals=("c2",)), topic("c", referrals=("c3",))
    assert route("질문", [a, b, c], world(a, b, c), crisis=False, confident=True) == ["c1", "c2"]


def test_route_keeps_at_most_four_and_drops_unknown_centers():
    a = topic("a", referrals=("c1", "nowhere", "c2", "c3", "c4", "c5"))
    assert route("질문", [a], world(a), crisis=False, confident=True) == ["c1", "c2", "c3", "c4"]


def test_related_route_is_the_nearest_first_place_then_the_hotlines():
    a = topic("a", referrals=("c1", "c2"))
    assert route("질문", [a], world(a), crisis=False, confident=False, related=True) == ["c1", *GENERAL]


def test_unrelated_route_is_the_hotlines_only():
    a = topic("a", referrals=("c1", "c2"))
    assert route("질문", [a], world(a), crisis=False, confident=False) == GENERAL
    assert route("질문", [], world(), crisis=False, confident=False, related=True) == GENERAL
    assert route("질문", [], world(), crisis=False, confident=True) == GENERAL


def test_crisis_puts_109_first_and_keeps_three_others():
    a = topic("a", referrals=("c1", "c2", "c3", "c4"))
    assert route("질문", [a], world(a), crisis=True, confident=True) == ["suicide-prevention-109", "c1", "c2", "c3"]
    b = topic("b", referrals=("c1", "suicide-prevention-109"))
    assert route("질문", [b], world(b), crisis=True, confident=True) == ["suicide-prevention-109", "c1"]


# (the 자치구 -> working-mom center rules need content/places.yaml: tests/test_referrals.py)


# ---------------------------------------------------------------- cards

def test_unverified_phone_card_carries_the_fallback():
    w = content([], [center("x", phone="02-000-0000", unverified=("phone",), fallback="moel-1350"),
                     center("moel-1350", name="고용노동부 고객상담센터", phone="1350")])
    (card,) = cards(["x"], w, None, crisis=False)
    assert (card.phone, card.fallback_phone, card.fallback_name) == ("02-000-0000", "1350", "고용노동부 고객상담센터")
    assert card.unverified == ("phone",)


def test_verified_card_has_no_fallback_and_a_missing_fallback_is_empty():
    w = content([], [center("x", fallback="moel-1350"), center("y", unverified=("phone",), fallback="gone"),
                     center("moel-1350", phone="1350")])
    x, y = cards(["x", "y"], w, None, crisis=False)
    assert (x.fallback_phone, x.fallback_name) == ("", "")
    assert (y.fallback_phone, y.fallback_name) == ("", "")


def test_card_why_names_the_topic_it_is_given():
    t = topic("a", title="육아휴직")
    w = content([t], [center("x", serves=("a",), description="상담합니다. 둘째.")])
    assert [card.why for card in cards(["x"], w, t, crisis=False)] == ["육아휴직 상담 · 상담합니다."]
    assert [card.why for card in cards(["x"], w, None, crisis=False)] == ["상담합니다."]


def test_card_copies_the_center():
    c = center("x", name="어느 센터", phone="02-1", kind="center")
    c = type(c)(**{**c.__dict__, "hours": "평일 9-18시", "website": "https://example.org"})
    (card,) = cards(["x"], content([], [c]), None, crisis=False)
    assert (card.id, card.name, card.phone, card.kind, card.hours, card.website) == (
        "x", "어느 센터", "02-1", "center", "평일 9-18시", "https://example.org")


def test_why_names_the_topic_the_center_serves():
    t = topic("a", title="육아휴직")
    serving = center("x", serves=("a",), description="육아휴직 상담을 합니다. 무료입니다.")
    other = center("y", description="임금 상담을 합니다. 무료입니다.")
    assert why(serving, t, crisis=False) == "육아휴직 상담 · 육아휴직 상담을 합니다."
    assert why(other, t, crisis=False) == "임금 상담을 합니다."
    assert why(serving, None, crisis=False) == "육아휴직 상담을 합니다."
    assert why(center("suicide-prevention-109", description="상담 전화입니다."), t, crisis=False) == "상담 전화입니다."
    assert why(center("suicide-prevention-109"), t, crisis=True) == \
        "지금 많이 힘드시다면 24시간 언제든 전화로 이야기할 수 있는 곳입니다."
    assert why(other, t, crisis=True) == "임금 상담을 합니다."


@pytest.mark.parametrize("text, first", [
    ("**굵게** 상담합니다. 둘째 문장.", "굵게 상담합니다."),
    ("[링크](x) 와 `코드` 안내해요 둘째", "링크(x) 와 코드 안내해요"),
    ("물음표? 다음", "물음표?"),
    ("  # 제목만  ", "제목만"),
    ("끝맺음 없이 이어지는 한 문장", "끝맺음 없이 이어지는 한 문장"),
])
def test_first_sentence(text, first):
    assert first_sentence(text) == first


def test_first_sentence_is_cut_at_the_limit():
    assert first_sentence("가" * 90) == "가" * 90
    assert first_sentence("가" * 91) == "가" * 89 + "…"
    assert first_sentence("가" * 12, limit=10) == "가" * 9 + "…"
