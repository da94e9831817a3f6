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


# ---------------------------------------------------------------- the context a caller passes

@pytest.mark.parametrize("data, code", [
    ({"region": 5}, "bad_region"),
    ({"region": "가" * 41}, "bad_region"),
    ({"audience": ["worker"]}, "bad_audience"),
    ({"audience": "boss"}, "bad_audience"),
    ({"worker_type": "astronaut"}, "bad_worker_type"),
])
def test_read_context_refuses_bad_values_in_korean(data, code):
    from kb.questions import QuestionError
    from kb.referrals import read_context

    with pytest.raises(QuestionError) as e:
        read_context(data)
    assert e.value.code == code
    assert e.value.message.startswith(next(iter(data)))


def test_read_context_messages():
    from kb.questions import QuestionError
    from kb.referrals import WORKER_TYPES, read_context

    messages = []
    for data in ({"region": 5}, {"audience": "boss"}, {"worker_type": "x"}):
        with pytest.raises(QuestionError) as e:
            read_context(data)
        messages.append(e.value.message)
    assert messages == ["region는 40자 이내의 글자로 보내 주세요.",
                        "audience는 worker, employer, counselor 중 하나로 보내 주세요.",
                        "worker_type은 " + ", ".join(WORKER_TYPES) + " 중 하나로 보내 주세요."]


def test_read_context_keeps_what_is_given_and_skips_what_is_empty():
    from kb.referrals import Context, read_context

    assert read_context({"region": " 동녘구 ", "audience": "employer", "worker_type": "platform"}) == Context(
        region="동녘구", audience="employer", worker_type="platform")
    assert read_context({"region": "가" * 40}) == Context(region="가" * 40)
    assert read_context({"region": "", "audience": None, "q": "질문"}) is None
    assert read_context({}) is None
    assert read_context("region=동녘구") is None
    assert read_context({"worker_type": "freelancer"}) == Context(worker_type="freelancer")
    assert read_context({"audience": "counselor"}) == Context(audience="counselor")


# ---------------------------------------------------------------- a hand-made city
# Five 자치구 on one meridian (0.01 degree of latitude = 1.11 km): 동녘구 at 37.50, 서녘구 1.11 km
# north, 남녘구 4.44 km, 북녘구 11.1 km, 먼곳구 22.2 km; 솔구 without a position. Stations 별빛
# (동녘구) and 달빛 (서녘구).

def city():
    from kb.places import Place, Places

    return Places(
        districts={"동녘구": (37.50, 127.0), "서녘구": (37.51, 127.0), "남녘구": (37.54, 127.0),
                   "북녘구": (37.60, 127.0), "먼곳구": (37.70, 127.0), "솔구": None},
        names={"별빛": Place("별빛", "동녘구"), "달빛": Place("달빛", "서녘구")}, shorts={"서녘": "서녘구"})


def schedule(value):
    from kb.hours import parse_schedule

    s, errors = parse_schedule(value)
    assert errors == []
    return s


def shelter(cid, district, *, near=(), open_hours=None, description="이동노동자 쉼터입니다."):
    from dataclasses import replace

    return replace(center(cid, kind="shelter", description=description), districts=(district,), near=tuple(near),
                   open_hours=open_hours)


SHELTERS = (
    shelter("s-east", "동녘구", near=("별빛 역",), open_hours=schedule({"weekdays": "09:00-18:00"})),
    shelter("s-west", "서녘구"),                                    # hours unknown
    shelter("s-south", "남녘구", open_hours=schedule("always")),
    shelter("s-north", "북녘구", description="여성 전용 휴게 공간이 있는 쉼터입니다.", open_hours=schedule("always")),
)


def town(*topics, extra=(), holidays=frozenset()):
    from dataclasses import replace

    from kb.content import Content

    ids = ("c1", "c2", "c3", "c4", *GENERAL, "suicide-prevention-109", "women-emergency-1366",
           "seoul-sexual-harassment-center", "moel-regional-office", "nps-1355", "nhis-1577", "work-family-planner",
           "employment-center", "labor-relations-commission", "seoul-childcare-support-center", "seoul-labor-portal")
    centers = [center(c) for c in ids] + list(SHELTERS) + list(extra)
    centers.append(replace(center("seoul-working-mom-center", name="서울특별시 직장맘지원센터")))
    centers.append(replace(center(SW, name="서울특별시 남서부 직장맘센터"), districts=("동녘구", "솔구")))
    base = content(topics, centers)
    return Content(root=base.root, topics=base.topics, centers=base.centers, safety=base.safety, places=city(),
                   holidays=holidays)


def noon(day=25):
    from datetime import datetime

    from kb.hours import SEOUL

    return datetime(2026, 11, day, 12, 0, tzinfo=SEOUL)     # the 25th is a Wednesday, the 29th a Sunday


def night():
    return noon().replace(hour=23)


def test_nearest_shelters_at_a_station_the_near_one_then_the_next():
    from kb.referrals import nearest_shelters

    w = town()
    at = w.places.resolve("별빛역")
    assert nearest_shelters(at, w, noon()) == [("s-east", "별빛 근처 쉼터 (동녘구)"),
                                               ("s-south", "다음으로 가까운 쉼터 (남녘구)")]
    # closed at night but the station's own shelter still leads; within 6 km the open one beats the unknown one
    assert [c for c, _ in nearest_shelters(at, w, night())] == ["s-east", "s-south"]


def test_nearest_shelters_in_a_district_open_first_within_the_band():
    from kb.referrals import nearest_shelters

    w = town()
    at = w.places.resolve("달빛")
    assert nearest_shelters(at, w, noon()) == [("s-west", "달빛 근처 쉼터 (서녘구)"), ("s-east", "다음으로 가까운 쉼터 (동녘구)")]
    assert nearest_shelters(at, w, night())[1] == ("s-south", "다음으로 가까운 쉼터 (남녘구)")   # s-east closed


def test_nearest_shelters_beyond_six_km_by_distance_only():
    from kb.referrals import nearest_shelters

    w = town()
    north = w.places.resolve("북녘구")
    # 남녘구 is 6.7 km away (open), 서녘구 10 km: beyond 6 km the nearer wins, open or not
    assert nearest_shelters(north, w, noon()) == [("s-north", "북녘구 근처 쉼터 (북녘구)"),
                                                  ("s-south", "다음으로 가까운 쉼터 (남녘구)")]
    far = w.places.resolve("먼곳구")
    assert nearest_shelters(far, w, noon()) == [("s-north", "먼곳구에서 가장 가까운 쉼터 (북녘구)"),
                                                ("s-south", "다음으로 가까운 쉼터 (남녘구)")]
    nowhere = w.places.resolve("솔구")    # no position: every shelter is far at an unknown distance (then by id)
    assert [c for c, _ in nearest_shelters(nowhere, w, noon())] == ["s-east", "s-north"]


def test_nearest_shelters_without_a_place_open_first_then_listed_order():
    from kb.referrals import nearest_shelters

    w = town()
    assert nearest_shelters(None, w, noon()) == [("s-east", "이동노동자 쉼터 (동녘구)"),
                                                 ("s-south", "이동노동자 쉼터 (남녘구)")]
    assert nearest_shelters(None, w, night()) == [("s-south", "이동노동자 쉼터 (남녘구)"),
                                                  ("s-north", "이동노동자 쉼터 (북녘구)")]


def test_nearest_shelters_women_only_rooms_first_when_asked():
    from kb.referrals import nearest_shelters

    w = town()
    at = w.places.resolve("별빛")
    assert nearest_shelters(at, w, noon(), women_space=True) == [
        ("s-north", "여성 전용 공간이 있는 쉼터 (북녘구)"), ("s-east", "다음으로 가까운 쉼터 (동녘구)")]
    assert nearest_shelters(None, w, noon(), women_space=True)[0] == ("s-north", "여성 전용 공간이 있는 쉼터 (북녘구)")


def test_a_public_holiday_closes_a_weekday_place():
    from datetime import date

    w = town(holidays=frozenset({date(2026, 11, 25)}))
    (card,) = cards(["s-east"], w, None, crisis=False, now=noon())
    assert card.open_now is False
    (card,) = cards(["s-east"], town(), None, crisis=False, now=noon())
    assert card.open_now is True


# ---------------------------------------------------------------- reading the situation

def flags(s):
    from dataclasses import fields

    return {f.name for f in fields(s) if f.type in ("bool", bool) and f.name != "place_named" and getattr(s, f.name)}


@pytest.mark.parametrize("q, tid, category, ctx, expected", [
    ("질문", None, "", {}, set()),
    ("질문", None, "", {"audience": "employer"}, {"employer"}),
    ("질문", None, "", {"audience": "worker"}, set()),
    ("가게 사장인데 물어볼게요", None, "", {}, {"employer"}),
    ("질문", None, "", {"worker_type": "platform"}, {"mobile"}),
    ("질문", None, "", {"worker_type": "mobile"}, {"mobile"}),
    ("질문", None, "", {"worker_type": "regular"}, set()),
    ("배달 라이더예요", None, "", {}, {"mobile"}),
    ("질문", "mobile-worker-shelters", "rights", {}, {"mobile"}),          # the topic alone: no shelter wish
    ("쉼터 있나요", None, "", {}, {"wants_shelter"}),
    ("여성 전용 공간", None, "", {}, {"women_space"}),
    ("지원금 있나요", None, "", {}, {"employer_help"}),
    ("질문", "employer-grants", "rights", {}, {"employer_help"}),
    ("질문", "work-family-planner", "rights", {}, {"employer_help"}),
    ("질문", "flexible-work", "rights", {}, {"employer_help"}),
    ("질문", "x", "pregnancy", {}, {"employer_help", "parent"}),
    ("질문", "x", "birth", {}, {"employer_help", "parent"}),
    ("질문", "x", "parenting", {}, {"employer_help", "parent"}),
    ("질문", "x", "support", {}, set()),
    ("질문", None, "", {"worker_type": "freelancer"}, {"freelancer"}),
    ("질문", None, "", {"worker_type": "special"}, {"freelancer"}),
    ("프리랜서예요", None, "", {}, {"freelancer"}),
    ("질문", "freelancer-platform", "rights", {}, {"freelancer"}),
    ("육아 중이에요", None, "", {}, {"parent"}),
    ("성희롱 당했어요", None, "", {}, {"harassment"}),
    ("질문", "sexual-harassment", "rights", {}, {"harassment"}),
    ("무서워요", None, "", {}, {"fear"}),
    ("해고 당했어요", None, "", {}, {"dismissal"}),
    ("질문", "unfair-dismissal", "rights", {}, {"dismissal"}),
    ("질문", "pregnancy-dismissal", "rights", {}, {"dismissal"}),
    ("임금 체불이요", None, "", {}, {"wages"}),
    ("질문", "wage-arrears", "rights", {}, {"wages"}),
    ("노동청에 진정", None, "", {}, {"labor_office"}),
    ("국민연금 문의", None, "", {}, {"pension"}),
    ("건강보험 문의", None, "", {}, {"health"}),
    ("4대 보험 문의", None, "", {}, {"pension", "health"}),
    ("어린이집 문의", None, "", {}, {"childcare"}),
    ("질문", "childcare-support-services", "rights", {}, {"childcare"}),
    ("우울해요", None, "", {}, {"distress"}),
    ("질문", "psychological-counseling", "rights", {}, {"distress"}),
    ("질문", "emotional-labor", "rights", {}, {"distress"}),
])
def test_read_situation_flag_by_flag(q, tid, category, ctx, expected):
    from kb.referrals import Context, read_situation

    t = topic(tid, category=category) if tid else None
    s = read_situation(q, t, town(), Context(**ctx) if ctx else None)
    assert flags(s) == expected
    assert s.place is None and s.place_named is False


def test_read_situation_place_from_the_question_or_else_the_region():
    from kb.places import Place
    from kb.referrals import Context, read_situation

    w = town()
    s = read_situation("별빛역 근처예요", None, w, Context(region="서녘구"))
    assert (s.place, s.place_named) == (Place("별빛", "동녘구"), True)
    s = read_situation("질문", None, w, Context(region="서녘구"))
    assert (s.place, s.place_named) == (Place("서녘구", "서녘구"), False)
    s = read_situation("질문", None, w, Context(region="달빛 근처"))     # not a name: found inside the text
    assert (s.place, s.place_named) == (Place("달빛", "서녘구"), False)
    assert read_situation("질문", None, w, Context(region="어딘가")).place is None
    # a short district name alone is resolved (in a question it needs a particle after it)
    assert read_situation("질문", None, w, Context(region="서녘")).place == Place("서녘", "서녘구")
    assert read_situation(None, None, w).place is None
    # the shelter topic with a place: the person wants a shelter
    s = read_situation("별빛역", topic("mobile-worker-shelters", category="rights"), w)
    assert flags(s) == {"mobile", "wants_shelter"}
    no_places = content([], [])
    assert read_situation("별빛역", None, no_places, Context(region="동녘구")).place is None


# ---------------------------------------------------------------- the plan, rule by rule

def plan_of(q, *topics, confident=True, crisis=False, when=None, w=None, **ctx):
    from kb.referrals import Context, plan

    w = w or town(*topics)
    return plan(q, list(topics), w, crisis=crisis, confident=confident, now=when or noon(),
                context=Context(**ctx) if ctx else None)


def rtopic(tid="t", refs=("c1", "c2", "c3", "c4"), category="rights"):
    return topic(tid, referrals=refs, category=category)


def test_plan_harassment_center_first_then_1366_then_the_labor_office():
    r = plan_of("상사가 성희롱을 했어요", rtopic())
    assert r.ids == ["seoul-sexual-harassment-center", "women-emergency-1366", "moel-regional-office", "c1"]
    assert r.reasons["seoul-sexual-harassment-center"] == "직장 내 성희롱·성폭력 상담과 사건 지원"
    assert r.reasons["women-emergency-1366"] == "성희롱·성폭력 피해 24시간 상담 (여성긴급전화)"
    assert r.reasons["moel-regional-office"] == "회사가 조사·조치를 하지 않으면 노동청에 신고할 수 있어요"
    assert "c1" not in r.reasons
    afraid = plan_of("상사가 성희롱을 했어요 무서워요", rtopic())
    assert afraid.ids[:3] == ["women-emergency-1366", "seoul-sexual-harassment-center", "moel-regional-office"]


def test_plan_harassment_asked_by_an_employer():
    r = plan_of("직원이 성희롱 신고를 했어요", rtopic(), audience="employer")
    assert r.ids == ["seoul-sexual-harassment-center", "c1", "c2", "c3"]
    assert r.reasons == {"seoul-sexual-harassment-center": "사업주의 성희롱 조사·조치와 예방교육 상담"}


def test_plan_insurance_lines():
    r = plan_of("4대 보험 어떻게 내요", rtopic())
    assert r.ids == ["nps-1355", "nhis-1577", "c1", "c2"]
    assert r.reasons == {"nps-1355": "휴가·휴직 중 국민연금 납부예외·추후납부 문의", "nhis-1577": "휴가·휴직 중 건강보험료 문의"}


def test_plan_employer_facing_a_leave():
    r = plan_of("질문", rtopic(category="parenting"), audience="employer")
    assert r.ids == ["work-family-planner", "employment-center", "c1", "c2"]
    assert r.reasons == {"work-family-planner": "중소기업 사업주에게 대체인력·유연근무를 1:1로 설계해 주는 고용센터 플래너",
                         "employment-center": "사업주 지원금(대체인력·업무분담·근로시간 단축) 신청 창구"}
    assert plan_of("질문", rtopic(), audience="employer").ids == ["c1", "c2", "c3", "c4"]   # no leave, no grant


def test_plan_a_parent_in_a_district_gets_the_center_covering_it():
    t = rtopic(refs=("seoul-working-mom-center", "c1"), category="parenting")
    r = plan_of("동녘구 사는데 질문", t)
    assert r.ids == [SW, "c1"]
    assert r.reasons == {SW: "동녘구 → 남서부 직장맘센터 (동녘·솔구 담당)"}
    r = plan_of("서녘구 사는데 질문", t)
    assert r.ids == ["seoul-working-mom-center", "c1"]
    assert r.reasons == {"seoul-working-mom-center": "서녘구 → 서울특별시 직장맘지원센터 (서울 직장맘·직장대디 상담)"}


def test_plan_not_a_parents_question_keeps_its_place_but_the_right_center():
    t = rtopic(refs=("c1", "seoul-working-mom-center", "c2"))
    r = plan_of("동녘구 사는데 연차 질문", t)
    assert r.ids == ["c1", SW, "c2"]
    assert r.reasons == {SW: "동녘구 → 남서부 직장맘센터 (동녘·솔구 담당)"}


def test_plan_a_parent_without_a_district_keeps_her_center_in_sight():
    t = rtopic(refs=("c1", "c2", "seoul-working-mom-center"))
    r = plan_of("육아휴직 질문", t)
    assert r.ids == ["c1", "seoul-working-mom-center", "c2"]
    assert r.reasons == {}          # no reason of its own: the card says what the center does
    # an employer's leave question goes to the planner instead
    assert plan_of("육아휴직 질문", t, audience="employer").ids == ["work-family-planner", "employment-center", "c1", "c2"]
    t2 = rtopic(refs=("c1", "seoul-working-mom-center", "c2"))
    assert plan_of("육아휴직 질문", t2).ids == ["c1", "seoul-working-mom-center", "c2"]


def test_plan_a_shelter_near_a_named_place():
    t = rtopic(refs=("s-west", "c1"))
    r = plan_of("별빛역 근처 배달 쉼터", t)
    assert r.ids == ["s-east", "s-south", "seoul-labor-rights-center", "c1"]
    assert r.reasons["seoul-labor-rights-center"] == "쉼터를 운영하는 서울노동권익센터 · 이동노동자 노동상담"
    assert r.reasons["s-east"] == "별빛 근처 쉼터 (동녘구)"


def test_plan_a_shelter_with_no_place_keeps_the_topics_list_then_the_operator():
    t = rtopic(refs=("s-west", "c1"))
    r = plan_of("배달 기사 쉼터 있나요", t)
    assert r.ids == ["s-west", "c1", "seoul-labor-rights-center"]
    assert r.reasons == {"seoul-labor-rights-center": "쉼터를 운영하는 서울노동권익센터 · 이동노동자 노동상담"}
    women = plan_of("여성 전용 쉼터 있나요", t)     # no place, but a women-only room: the list of those
    assert women.ids == ["s-north", "s-east", "seoul-labor-rights-center", "c1"]


def test_plan_a_mobile_worker_gets_the_labor_rights_center_second():
    r = plan_of("배달 일 하는데 연차 질문", rtopic())
    assert r.ids == ["c1", "seoul-labor-rights-center", "c2", "c3"]
    assert r.reasons == {"seoul-labor-rights-center": "플랫폼·이동노동자 노동상담과 권리구제 지원"}


def test_plan_dismissal_commission_first_or_second_for_a_parent():
    r = plan_of("해고 당했어요", rtopic())
    assert r.ids == ["labor-relations-commission", "seoul-labor-rights-center", "c1", "c2"]
    assert r.reasons["labor-relations-commission"] == (
        "부당해고는 해고된 날부터 3개월 안에 노동위원회에 구제신청 (5인 이상 사업장)")
    assert r.reasons["seoul-labor-rights-center"] == "해고 상담과 권리구제 지원"
    parent = plan_of("육아휴직 쓰고 해고 당했어요", rtopic())
    assert parent.ids == ["c1", "labor-relations-commission", "c2", "c3"]


def test_plan_unpaid_wages_order_depends_on_the_labor_office():
    r = plan_of("월급을 안 줘요", rtopic())
    assert r.ids == ["seoul-labor-rights-center", "moel-regional-office", "c1", "c2"]
    assert r.reasons == {"seoul-labor-rights-center": "임금체불 상담과 권리구제 지원",
                         "moel-regional-office": "임금체불 진정 (사업장 관할 노동청, 온라인 민원마당 가능)"}
    assert plan_of("월급을 안 줘요 노동청 진정", rtopic()).ids[:2] == ["moel-regional-office", "seoul-labor-rights-center"]


def test_plan_childcare_with_and_without_a_district():
    r = plan_of("어린이집 문의", rtopic())
    assert r.ids[0] == "seoul-childcare-support-center"
    assert r.reasons["seoul-childcare-support-center"] == "아이돌봄·보육 지원 기관 연계"
    r = plan_of("서녘구 어린이집 문의", rtopic())
    assert r.reasons["seoul-childcare-support-center"] == "아이돌봄·보육 지원 기관 연계 · 서녘구에도 구 육아종합지원센터가 있어요"


def test_plan_freelancer_unpaid_or_on_its_topic_leads_otherwise_second():
    flc = "프리랜서·플랫폼 노동자 상담 (대금 미지급 소송 지원 등)"
    r = plan_of("프리랜서 질문", rtopic("freelancer-platform"))
    assert r.ids == ["seoul-labor-rights-center", "seoul-labor-portal", "c1", "c2"]
    assert r.reasons == {"seoul-labor-rights-center": flc, "seoul-labor-portal": "프리랜서 안심결제 등 온라인 지원"}
    r = plan_of("프리랜서 질문", rtopic())
    assert r.ids == ["c1", "seoul-labor-rights-center", "c2", "c3"]
    assert r.reasons == {"seoul-labor-rights-center": flc}
    assert plan_of("프리랜서 질문", rtopic(), audience="employer").ids == ["c1", "c2", "c3", "c4"]
    # not confident: the freelancer topic is not the answer, so it does not lead
    assert plan_of("프리랜서 질문", rtopic("freelancer-platform"), confident=False).ids[0] == "moel-1350"


def test_plan_out_of_hours_keeps_the_head_and_adds_the_24_hour_lines():
    from dataclasses import replace

    office = schedule({"weekdays": "09:00-18:00"})
    w = town(rtopic())
    for cid in ("c1", "c2", "c3", "c4"):
        w.centers[cid] = replace(w.centers[cid], open_hours=office)
    w.centers["dasan-120"] = replace(w.centers["dasan-120"], open_hours=schedule("always"))
    r = plan_of("질문", rtopic(), w=w, when=night())
    assert r.ids == ["c1", "c2", "c3", "dasan-120"]
    assert r.reasons == {"dasan-120": "운영 시간 밖에도 통화할 수 있는 24시간 서울시 안내 전화"}
    assert r.open_now == {"c1": False, "c2": False, "c3": False, "dasan-120": True}
    assert plan_of("질문", rtopic(), w=w, when=noon()).ids == ["c1", "c2", "c3", "c4"]
    sad = plan_of("우울해요", rtopic(), w=w, when=night())
    assert sad.ids == ["c1", "c2", "c3", "suicide-prevention-109"]
    assert sad.reasons["suicide-prevention-109"] == "마음이 힘들 때 24시간 통화할 수 있는 곳"
    assert sad.open_now["suicide-prevention-109"] is None     # its hours are not known here
    w.centers["seoul-sexual-harassment-center"] = replace(w.centers["seoul-sexual-harassment-center"], open_hours=office)
    hurt = plan_of("상사가 성희롱을 했어요", rtopic(), w=w, when=night())
    assert hurt.ids[:4] == ["seoul-sexual-harassment-center", "women-emergency-1366", "moel-regional-office", "dasan-120"]


def test_plan_closed_places_after_the_head_move_behind_open_ones():
    from dataclasses import replace

    w = town(rtopic())
    office = schedule({"weekdays": "09:00-18:00"})
    w.centers["c1"] = replace(w.centers["c1"], open_hours=schedule("always"))
    w.centers["c4"] = replace(w.centers["c4"], open_hours=office)
    t = rtopic(refs=("c1", "c2", "c3", "c4", "c5"))
    w.topics["t"] = t
    w.centers["c5"] = center("c5")
    assert plan_of("질문", t, w=w, when=night()).ids == ["c1", "c2", "c3", "c5"]


def test_plan_crisis_puts_109_first_with_its_open_state():
    r = plan_of("질문", rtopic(), crisis=True)
    assert r.ids == ["suicide-prevention-109", "c1", "c2", "c3"]
    assert r.open_now == {"suicide-prevention-109": None, "c1": None, "c2": None, "c3": None}
    w = content([rtopic()], [center(c) for c in ("c1", "c2", "c3", "c4", *GENERAL)])
    r = plan_of("질문", rtopic(), crisis=True, w=w)
    assert r.ids == ["suicide-prevention-109", "c1", "c2", "c3"]
    assert r.open_now["suicide-prevention-109"] is True      # not in the content: a line that is always there


def test_plan_keeps_the_clock_and_the_situation():
    r = plan_of("해고 당했어요", rtopic(), when=night())
    assert r.when == night()
    assert r.situation.dismissal is True


def test_plan_leaves_out_places_the_content_does_not_have():
    w = town(rtopic())
    del w.centers["nps-1355"]
    assert plan_of("국민연금 문의", rtopic(), w=w).ids == ["c1", "c2", "c3", "c4"]


def test_route_passes_the_clock_and_the_context():
    from dataclasses import replace

    from kb.referrals import Context

    t = rtopic(category="parenting")
    w = town(t)
    w.centers["c1"] = replace(w.centers["c1"], open_hours=schedule({"weekdays": "09:00-18:00"}))
    w.centers["dasan-120"] = replace(w.centers["dasan-120"], open_hours=schedule("always"))
    assert route("질문", [t], w, crisis=False, confident=True, now=night()) == ["c1", "c2", "c3", "dasan-120"]
    assert route("질문", [t], w, crisis=False, confident=True, now=noon()) == ["c1", "c2", "c3", "c4"]
    assert route("질문", [t], w, crisis=False, confident=True, now=noon(), context=Context(audience="employer"))[:2] == [
        "work-family-planner", "employment-center"]
    assert route("해고 당했어요", [rtopic()], w, crisis=False, confident=True, now=noon())[0] == "labor-relations-commission"


# ---------------------------------------------------------------- the clock on the cards

def test_time_note_closed_with_the_hours_or_24_hours():
    from dataclasses import replace

    from kb.referrals import time_note

    office = replace(center("x"), hours="평일 09:00-18:00", open_hours=schedule({"weekdays": "09:00-18:00"}))
    assert time_note(office, False) == "지금은 운영 시간이 아니에요 · 평일 09:00-18:00"
    assert time_note(office, True) == ""
    assert time_note(office, None) == ""
    unsure = replace(office, unverified=("hours",))
    assert time_note(unsure, False) == "지금은 운영 시간이 아니에요 · 평일 09:00-18:00 (확인 필요)"
    said = replace(unsure, hours="평일 낮 (확인 중)")
    assert time_note(said, False) == "지금은 운영 시간이 아니에요 · 평일 낮 (확인 중)"
    assert time_note(replace(office, hours=""), False) == "지금은 운영 시간이 아니에요 · 운영 시간 확인 필요"
    always = replace(center("y"), open_hours=schedule("always"))
    assert time_note(always, True) == "24시간"
    assert time_note(center("z"), True) == ""          # open by a routing's word, hours unknown


def test_cards_read_the_clock_given_or_the_routings():
    from dataclasses import replace

    from kb.referrals import Routing

    w = town()
    w.centers["c1"] = replace(w.centers["c1"], hours="평일 9-18시", open_hours=schedule({"weekdays": "09:00-18:00"}))
    (card,) = cards(["c1"], w, None, crisis=False, now=night())
    assert (card.open_now, card.why) == (False, "노동 상담을 합니다. · 지금은 운영 시간이 아니에요 · 평일 9-18시")
    (card,) = cards(["c1"], w, None, crisis=False, now=noon())
    assert (card.open_now, card.why) == (True, "노동 상담을 합니다.")
    # the routing's clock and decision win over `now`
    (card,) = cards(["c1"], w, None, crisis=False, routing=Routing(ids=["c1"], when=night()), now=noon())
    assert card.open_now is False
    (card,) = cards(["c1"], w, None, crisis=False, routing=Routing(ids=["c1"], open_now={"c1": True}, when=night()))
    assert card.open_now is True
    (card,) = cards(["c1"], w, None, crisis=False, routing=Routing(ids=["c1"]), now=noon())
    assert card.open_now is True


def test_cards_take_the_routings_reason_except_109_in_a_crisis():
    from kb.referrals import Routing

    w = town()
    r = Routing(ids=["c1", "suicide-prevention-109"], reasons={"c1": "이유 하나", "suicide-prevention-109": "이유 둘"})
    assert [c.why for c in cards(r.ids, w, None, crisis=False, routing=r)] == ["이유 하나", "이유 둘"]
    assert [c.why for c in cards(r.ids, w, None, crisis=True, routing=r)] == [
        "이유 하나", "지금 많이 힘드시다면 24시간 언제든 전화로 이야기할 수 있는 곳입니다."]
    t = topic("a", title="육아휴직")
    w.centers["c2"] = center("c2", serves=("a",))
    assert [c.why for c in cards(["c2"], w, t, crisis=True, routing=Routing(ids=["c2"]))] == [
        "육아휴직 상담 · 노동 상담을 합니다."]


def test_a_note_already_in_the_reason_is_not_repeated():
    from dataclasses import replace

    from kb.referrals import Routing

    w = town()
    w.centers["c1"] = replace(w.centers["c1"], open_hours=schedule("always"))
    r = Routing(ids=["c1"], reasons={"c1": "24시간 상담"}, open_now={"c1": True})
    assert [c.why for c in cards(["c1"], w, None, crisis=False, routing=r)] == ["24시간 상담"]
    r = Routing(ids=["c1"], reasons={"c1": "상담"}, open_now={"c1": True})
    assert [c.why for c in cards(["c1"], w, None, crisis=False, routing=r)] == ["상담 · 24시간"]


def test_a_shelter_listing_the_station_as_near_beats_one_in_the_same_district():
    from dataclasses import replace

    from kb.referrals import nearest_shelters

    w = town()
    w.centers["s-south"] = replace(w.centers["s-south"], near=("별빛 역",))   # written with a space and 역
    w.centers["s-east"] = replace(w.centers["s-east"], near=())               # in the station's district only
    at = w.places.resolve("별빛역")
    assert nearest_shelters(at, w, noon()) == [("s-south", "별빛 근처 쉼터 (남녘구)"),
                                               ("s-east", "다음으로 가까운 쉼터 (동녘구)")]


def test_plan_more_rules_meeting():
    # wanting a shelter without a place, a mobile job or a women-only room adds nothing
    assert plan_of("쉼터 있나요", rtopic(refs=("c1",))).ids == ["c1"]
    # the same place from two rules keeps the first rule's reason (wages 40 before dismissal 41)
    r = plan_of("해고 당했는데 월급도 안 줘요", rtopic())
    assert r.reasons["seoul-labor-rights-center"] == "임금체불 상담과 권리구제 지원"


def test_plan_out_of_hours_moves_a_24_hour_line_up_from_the_rest():
    from dataclasses import replace

    w = town(rtopic())
    w.centers["c1"] = replace(w.centers["c1"], open_hours=schedule({"weekdays": "09:00-18:00"}))
    t = rtopic(refs=("c1", "c2", "c3", "c4", "dasan-120"))
    w.topics["t"] = t
    assert plan_of("질문", t, w=w, when=night()).ids == ["c1", "c2", "c3", "dasan-120"]


def test_plan_a_closed_place_after_the_head_is_still_shown_when_nothing_else_is_left():
    from dataclasses import replace

    w = town(rtopic())
    w.centers["c4"] = replace(w.centers["c4"], open_hours=schedule({"weekdays": "09:00-18:00"}))
    r = plan_of("질문", rtopic(), w=w, when=night())
    assert r.ids == ["c1", "c2", "c3", "c4"]
    assert r.open_now["c4"] is False
