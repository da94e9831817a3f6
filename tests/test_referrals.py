"""The referral router on the real content and index, with a pinned clock (Asia/Seoul).

Clocks: a weekday at noon, the same weekday at 23:00, a Sunday afternoon, a public holiday
(2026-12-25, a Friday) and a weekday at 06:30, when every office line is closed.
"""
import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from kb.hours import SEOUL
from kb.questions import QuestionError
from kb.referrals import HEAD, Context, read_context

from .conftest import CONTENT, ROOT

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=SEOUL)
NIGHT = datetime(2026, 11, 25, 23, 0, tzinfo=SEOUL)
SUNDAY = datetime(2026, 11, 29, 14, 0, tzinfo=SEOUL)
HOLIDAY = datetime(2026, 12, 25, 12, 0, tzinfo=SEOUL)
DAWN = datetime(2026, 11, 26, 6, 30, tzinfo=SEOUL)
CLOCKS = {"weekday-noon": NOON, "weekday-23h": NIGHT, "sunday": SUNDAY, "holiday": HOLIDAY, "dawn": DAWN}
OWN_SET = ROOT / "bench" / "eval" / "router-own.jsonl"


def ask(knowledge, q, now=NOON, **ctx):
    return knowledge.ask(q, now=now, context=Context(**ctx) if ctx else None)


def card(answer, cid):
    return next(c for c in answer.referral_cards if c.id == cid)


# ---------------------------------------------------------------- place

@pytest.mark.parametrize("q, first", [
    ("신도림역 근처 배달 기사 쉴 곳 있나요", "hyu-seoul-guro"),
    ("가산디지털단지역 근처에 대리기사가 쉴 곳", "hyu-seoul-gasan"),
    ("종각역 근처 배달 라이더 쉼터", "hyu-seoul-jonggak"),
    ("상암동 택배기사 쉼터", "hyu-seoul-sangam"),
    ("합정역 근처 퀵 기사 쉼터", "hyu-seoul-hapjeong"),
    ("잠실역 근처 배달 라이더 쉼터", "hyu-seoul-seocho"),      # no shelter within 6 km: the nearest, open or not
])
@pytest.mark.parametrize("clock", CLOCKS.values(), ids=CLOCKS.keys())
def test_the_nearest_shelter_comes_first_at_any_hour(knowledge, q, first, clock):
    a = ask(knowledge, q, now=clock)
    assert a.referrals[0] == first
    assert content_kind(knowledge, a.referrals[1]) == "shelter" and a.referrals[1] != first


def content_kind(knowledge, cid):
    return knowledge.content.centers[cid].kind


def test_different_places_give_different_shelters(knowledge):
    firsts = {ask(knowledge, q).referrals[0] for q in (
        "가산디지털단지역 근처에 대리기사가 쉴 곳", "종각역 근처 배달 라이더 쉼터", "상암동 택배기사 쉼터")}
    assert firsts == {"hyu-seoul-gasan", "hyu-seoul-jonggak", "hyu-seoul-sangam"}


def test_next_nearest_shelter_follows_and_says_so(knowledge):
    a = ask(knowledge, "신도림역 근처 배달 기사 쉴 곳 있나요")
    assert a.referrals[:2] == ("hyu-seoul-guro", "hyu-seoul-gasan")
    assert card(a, "hyu-seoul-guro").why.startswith("신도림 근처 쉼터 (구로구)")
    assert card(a, "hyu-seoul-gasan").why.startswith("다음으로 가까운 쉼터 (금천구)")


def test_within_a_band_the_open_shelter_comes_first(knowledge):
    """청량리 (동대문구) has no shelter; 북창 (중구) and 종각 (종로구) are both near. At 14:00 on a
    weekday 종각 is open (13-22) while 북창's hours are unknown; at 12:00 종각 is still closed."""
    at_two = ask(knowledge, "청량리역 근처 오토바이 배달 쉼터", now=NOON.replace(hour=14))
    at_noon = ask(knowledge, "청량리역 근처 오토바이 배달 쉼터", now=NOON)
    assert at_two.referrals[0] == "hyu-seoul-jonggak" and card(at_two, "hyu-seoul-jonggak").open_now is True
    assert at_noon.referrals[0] == "hyu-seoul-bukchang"
    assert card(at_noon, "hyu-seoul-jonggak").open_now is False


@pytest.mark.parametrize("q, district, first, why", [
    ("금천구에 사는 직장맘인데 출산휴가 급여 상담받고 싶어요", "금천구", "seoul-southwest-working-mom-center",
     "금천구 → 서남권직장맘지원센터 (금천·구로·관악·영등포·동작·양천·강서 담당)"),
    ("구로구 워킹맘인데 육아휴직 거부당했어요", "구로구", "seoul-southwest-working-mom-center",
     "구로구 → 서남권직장맘지원센터 (금천·구로·관악·영등포·동작·양천·강서 담당)"),
    ("은평구 사는데 육아휴직 끝나고 복직했더니 권고사직 하래요", "은평구", "seoul-working-mom-center",
     "은평구 → 서울시직장맘지원센터"),
])
def test_district_picks_the_working_mom_center_and_says_why(knowledge, q, district, first, why):
    a = ask(knowledge, q)
    assert a.referrals[0] == first
    assert card(a, first).why.startswith(why)
    other = {"seoul-working-mom-center", "seoul-southwest-working-mom-center"} - {first}
    assert not other & set(a.referrals)


def test_a_place_in_the_question_wins_over_the_passed_region(knowledge):
    q = "강서구 직장맘입니다 육아휴직 상담 어디서 받아요"
    assert ask(knowledge, q, region="종로구").referrals[0] == "seoul-southwest-working-mom-center"
    plain = "육아휴직 상담 어디서 받아요"
    assert ask(knowledge, plain, region="종로구").referrals[0] == "seoul-working-mom-center"
    assert ask(knowledge, plain, region="구디").referrals[0] == "seoul-southwest-working-mom-center"
    assert ask(knowledge, "쉼터 어디 있어요", region="금천구").referrals[0] == "hyu-seoul-gasan"


def test_a_non_parent_question_keeps_its_own_first_place(knowledge):
    a = ask(knowledge, "동작구 사는데 부당해고 당했어요")
    assert a.referrals[0] == "labor-relations-commission"
    assert "3개월" in card(a, "labor-relations-commission").why


# ---------------------------------------------------------------- situation

@pytest.mark.parametrize("q, ctx, first", [
    ("직원 10명 회사 대표인데 육아휴직 대체인력 뽑으면 지원금 나오나요", {}, {"work-family-planner", "employment-center"}),
    ("대체인력 채용 지원금 얼마예요", {"audience": "employer"}, {"work-family-planner", "employment-center"}),
    ("회사 팀장한테 성희롱 당했는데 어디 신고해요", {}, {"seoul-sexual-harassment-center"}),
    ("회식에서 상사가 몸을 만졌어요 무서워요", {}, {"police-112"}),   # sexual assault: the danger route, 112 then 1366
    ("퇴직금 못 받았는데 노동청 진정 넣으려면", {}, {"moel-regional-office"}),
    ("사장이 몇 달째 월급을 안 줘요", {}, {"seoul-labor-rights-center"}),
    ("갑자기 해고 통보 받았어요 구제신청 하고 싶어요", {}, {"labor-relations-commission"}),
    ("육아휴직 중에 건강보험료 내야 하나요", {}, {"nhis-1577"}),
    ("출산휴가 기간 국민연금 납부 예외 되나요", {}, {"nps-1355"}),
    ("아이돌봄 서비스 신청은 어디서 해요", {}, {"seoul-childcare-support-center"}),
    ("프리랜서인데 클라이언트가 대금을 안 줘요", {}, {"seoul-labor-rights-center"}),
])
def test_the_situation_decides_the_first_place(knowledge, q, ctx, first):
    a = ask(knowledge, q, **ctx)
    assert a.referrals[0] in first, a.referrals


def test_company_size_does_not_make_an_employee_an_employer(knowledge):
    a = ask(knowledge, "직원 30명 회사 다니는데 갑자기 해고 통보를 받았어요")
    assert a.referrals[0] == "labor-relations-commission"
    assert "work-family-planner" not in a.referrals


def test_an_employer_without_a_grant_question_keeps_the_topic_place(knowledge):
    a = ask(knowledge, "식당 사장인데 근로계약서 무료로 점검해 주는 곳 있나요")
    assert a.referrals[0] != "work-family-planner"


def test_who_is_asking_does_not_override_what_about(knowledge):
    """A freelancer asking about birth pay: the employment center (the topic's place) stays first."""
    a = ask(knowledge, "프리랜서 번역가인데 고용보험 없이 출산하면 출산급여 받을 수 있나요")
    assert a.referrals[0] == "employment-center"
    assert "seoul-labor-rights-center" in a.referrals[:2]


def test_women_only_rooms_lead_when_asked(knowledge):
    a = ask(knowledge, "여성 전용 휴게실 있는 이동노동자 쉼터 있나요")
    assert set(a.referrals[:2]) == {"hyu-seoul-sadang", "hyu-seoul-hapjeong"}
    assert all(c.why.startswith("여성 전용 공간이 있는 쉼터") for c in a.referral_cards[:2])


def test_a_parent_pushed_out_gets_her_center_then_the_commission(knowledge):
    a = ask(knowledge, "은평구 사는데 육아휴직 끝나고 복직했더니 권고사직 하래요")
    assert a.referrals[:2] == ("seoul-working-mom-center", "labor-relations-commission")


def test_a_pay_question_keeps_the_topic_order(knowledge):
    """No district, no special situation: the editors' order (the employment center pays it)."""
    a = ask(knowledge, "육아휴직 급여 얼마나 나와요")
    assert a.referrals[0] == knowledge.content.topics[a.topics[0]].referrals[0]


def test_distress_out_of_hours_adds_109(knowledge):
    a = ask(knowledge, "콜센터 일 때문에 너무 우울하고 불안해요", now=NIGHT)
    assert "suicide-prevention-109" in a.referrals[:HEAD + 2]
    assert not a.crisis


def test_harassment_brings_1366_the_center_and_the_labor_office(knowledge):
    a = ask(knowledge, "회사 팀장한테 성희롱 당했는데 어디 신고해요")
    assert set(a.referrals[:3]) == {"seoul-sexual-harassment-center", "women-emergency-1366", "moel-regional-office"}


def test_a_mobile_worker_accident_keeps_the_accident_agency_first(knowledge):
    a = ask(knowledge, "배달 라이더인데 사고 나서 다쳤어요 산재 되나요")
    assert a.referrals[:2] == ("comwel-1588", "seoul-labor-rights-center")


def test_crisis_stays_first_whatever_else_applies(knowledge):
    for clock in CLOCKS.values():
        a = ask(knowledge, "신도림역 근처 배달하는데 회사 때문에 죽고 싶어요", now=clock, region="금천구")
        assert a.crisis and a.referrals[0] == "suicide-prevention-109"
        assert a.referral_cards[0].open_now is True


# ---------------------------------------------------------------- time

def test_weekday_noon_open_lines_and_no_extra_24h_line(knowledge):
    a = ask(knowledge, "출산휴가 급여 신청은 어디서 해요", now=NOON)
    assert card(a, "moel-1350").open_now is True
    assert "dasan-120" not in a.referrals
    assert "지금은 운영 시간이 아니에요" not in " ".join(c.why for c in a.referral_cards)


@pytest.mark.parametrize("clock", [NIGHT, SUNDAY, HOLIDAY, DAWN], ids=["23h", "sunday", "holiday", "dawn"])
def test_out_of_hours_keeps_the_right_place_adds_120_and_shows_hours(knowledge, clock):
    a = ask(knowledge, "금천구에 사는 직장맘인데 출산휴가 급여 상담받고 싶어요", now=clock)
    assert a.referrals[0] == "seoul-southwest-working-mom-center"
    first = a.referral_cards[0]
    assert first.open_now is False
    assert "지금은 운영 시간이 아니에요 · 평일 업무시간" in first.why
    assert "dasan-120" in a.referrals[:HEAD + 1]
    assert card(a, "dasan-120").open_now is True
    states = [c.open_now for c in a.referral_cards[HEAD:]]
    assert states == sorted(states, key=lambda s: s is False), "closed lines come after open ones"


def test_1350_shows_its_hours_when_closed(knowledge):
    a = ask(knowledge, "출산휴가 급여 신청은 어디서 해요", now=NIGHT)
    c = card(a, "moel-1350")
    assert c.open_now is False and c.why.endswith("지금은 운영 시간이 아니에요 · 평일 09:00~18:00")


def test_harassment_at_night_puts_1366_right_after_the_center(knowledge):
    a = ask(knowledge, "회사 팀장한테 성희롱 당했는데 어디 신고해요", now=NIGHT)
    assert a.referrals[:2] == ("seoul-sexual-harassment-center", "women-emergency-1366")
    assert card(a, "women-emergency-1366").open_now is True
    assert card(a, "seoul-sexual-harassment-center").open_now is False


def test_24_hour_lines_are_always_open(knowledge):
    for clock in CLOCKS.values():
        a = ask(knowledge, "회사 때문에 너무 힘들어서 죽고 싶어요", now=clock)
        assert card(a, "suicide-prevention-109").open_now is True


def test_unknown_hours_are_null_never_guessed(knowledge):
    a = ask(knowledge, "시청역 근처 배달하다 쉬어갈 곳", now=NOON)
    assert a.referrals[0] == "hyu-seoul-bukchang"
    assert a.referral_cards[0].open_now is None
    assert "지금은 운영 시간이 아니에요" not in a.referral_cards[0].why


def test_shelter_open_past_midnight(knowledge):
    late = datetime(2026, 11, 26, 1, 30, tzinfo=SEOUL)
    a = ask(knowledge, "가산디지털단지역 근처에 대리기사가 쉴 곳", now=late)
    assert a.referral_cards[0].id == "hyu-seoul-gasan" and a.referral_cards[0].open_now is True


# ---------------------------------------------------------------- the whole own set, at every clock

@pytest.mark.parametrize("clock", CLOCKS.values(), ids=CLOCKS.keys())
def test_own_router_set_at_every_clock(knowledge, clock):
    items = [json.loads(line) for line in OWN_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 40
    misses = []
    for it in items:
        refs = list(knowledge.ask(it["q"], now=clock, context=read_context(it)).referrals)
        good = (("first" not in it or (refs and refs[0] in it["first"]))
                and ("top3" not in it or set(refs[:3]) & set(it["top3"]))
                and ("not_first" not in it or not refs or refs[0] not in it["not_first"]))
        if not good:
            misses.append((it["id"], refs))
    assert len(misses) <= len(items) * 0.05, misses


# ---------------------------------------------------------------- contract and context

def test_every_card_has_why_and_open_now(knowledge):
    a = knowledge.ask("신도림역 근처 배달 기사 쉴 곳 있나요", now=NIGHT).to_json()
    assert [c["id"] for c in a["referral_cards"]] == a["referrals"]
    for c in a["referral_cards"]:
        assert c["why"] and "open_now" in c and c["open_now"] in (True, False, None)


@pytest.mark.parametrize("data, code", [
    ({"audience": "boss"}, "bad_audience"),
    ({"worker_type": "astronaut"}, "bad_worker_type"),
    ({"region": ["금천구"]}, "bad_region"),
    ({"region": "가" * 41}, "bad_region"),
])
def test_bad_context_is_a_clear_error(data, code):
    with pytest.raises(QuestionError) as e:
        read_context(data)
    assert e.value.code == code and e.value.message


def test_context_reader_keeps_what_is_given():
    assert read_context({"q": "x"}) is None
    assert read_context({"region": " 금천구 ", "audience": "employer"}) == Context(region="금천구", audience="employer")


def test_api_ask_takes_region_and_rejects_a_bad_audience(client):
    r = client.post("/api/ask", json={"q": "출산휴가 상담 받고 싶어요", "region": "구로구"})
    assert r.status_code == 200
    data = r.get_json()
    assert data["referrals"][0] == "seoul-southwest-working-mom-center"
    assert all("open_now" in c for c in data["referral_cards"])
    bad = client.post("/api/ask", json={"q": "출산휴가 상담", "audience": "boss"})
    assert bad.status_code == 400
    assert "audience" in bad.get_data(as_text=True)


def test_batch_passes_region_and_audience(instance_dir):
    lines = "\n".join(json.dumps(x, ensure_ascii=False) for x in (
        {"q": "육아휴직 상담 어디서 받아요", "region": "양천구"},
        {"q": "대체인력 채용 지원금 얼마예요", "audience": "employer"},
        {"q": "육아휴직 상담", "audience": "boss"},
    )) + "\n"
    from kb.cli import cli

    r = CliRunner().invoke(cli, ["--content", str(CONTENT), "--instance", str(instance_dir), "ask", "--batch"], input=lines)
    out = [json.loads(x) for x in r.output.splitlines() if x.strip()]
    assert r.exit_code == 0 and len(out) == 3
    assert out[0]["referrals"][0] == "seoul-southwest-working-mom-center"
    assert out[1]["referrals"][0] in ("work-family-planner", "employment-center")
    assert "audience" in out[2]["error"]


def test_chat_form_takes_the_picked_district_and_ignores_unknown_ones(client):
    import html
    import re

    page = html.unescape(client.post("/", data={"q": "출산휴가 상담받고 싶어요", "region": "관악구"}).get_data(as_text=True))
    first = re.search(r'class="card referral-card" data-center="([^"]+)"', page).group(1)
    assert first == "seoul-southwest-working-mom-center"
    assert '<option value="관악구" selected>' in page
    assert "관악구 → 서남권직장맘지원센터" in page
    odd = client.post("/", data={"q": "출산휴가 상담받고 싶어요", "region": "<script>"})
    assert odd.status_code == 200 and "<script>" not in odd.get_data(as_text=True).split("<main", 1)[-1]
    home = client.get("/").get_data(as_text=True)
    assert home.count("<option value=") == 26


def test_counselor_search_shows_routed_cards_with_why_and_state(client, knowledge):
    import html
    import re

    q = "신도림역 근처 배달 기사 쉴 곳 있나요"
    page = html.unescape(client.get("/search", query_string={"q": q}).get_data(as_text=True))
    ids = re.findall(r'class="card referral-card" data-center="([^"]+)"', page)
    assert ids and ids[0] == "hyu-seoul-guro"
    assert "신도림 근처 쉼터 (구로구)" in page
    assert ("지금 운영 중" in page) or ("지금은 운영 시간 아님" in page)   # the 09-02 shelter is never unknown


def test_physical_harassment_words_bring_1366_first(knowledge):
    a = ask(knowledge, "팀장이 강제로 껴안으려고 했어요", now=NIGHT)
    assert a.referrals[0] == "women-emergency-1366" and a.referral_cards[0].open_now is True
