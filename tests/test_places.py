"""Places (content/places.yaml -> 자치구), opening hours as data, and the checks kb check makes."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from kb.check import check
from kb.content import load
from kb.hours import SEOUL, is_open, parse_schedule
from kb.places import load_places

from .conftest import CONTENT


@pytest.fixture(scope="module")
def places():
    return load_places(CONTENT)


def test_all_25_districts_with_positions_and_no_problems(places):
    assert len(places.districts) == 25
    assert all(places.districts.values())
    assert places.problems == []
    assert {"종로구", "중구", "금천구", "강동구"} <= set(places.districts)


@pytest.mark.parametrize("text, name, district", [
    ("신도림역 근처 배달 기사 쉴 곳", "신도림", "구로구"),
    ("가산디지털단지역 근처에 대리기사가 쉴 곳", "가산디지털단지", "금천구"),
    ("종각역 근처 배달 라이더 쉼터", "종각", "종로구"),
    ("상암동 택배기사 쉼터", "상암", "마포구"),
    ("광화문 쪽 쉼터", "광화문", "종로구"),
    ("여의도 회사 다녀요", "여의도", "영등포구"),
    ("구로디지털단지에서 일해요", "구로디지털단지", "구로구"),   # longest name, not 구로
    ("금천구에 살아요", "금천구", "금천구"),
    ("마포 쪽에 살아요", "마포", "마포구"),
    ("은평 사는데", "은평", "은평구"),
    ("신 도 림 역", "신도림", "구로구"),                           # spaces squeezed
    ("대림역 2번 출구", "대림역", "구로구"),
    ("대림동 살아요", "대림동", "영등포구"),
    ("강남역 근처", "강남역", "강남구"),
    ("dmc 근처", "DMC", "마포구"),
])
def test_places_resolve_to_their_district(places, text, name, district):
    found = places.find(text)
    assert found is not None and (found.name, found.district) == (name, district)


@pytest.mark.parametrize("text", [
    "연장근로 가산수당은 얼마예요",        # 가산 (금천구) must not match a wage word
    "수유시간 하루 두 번",                 # 수유 (강북구)
    "교대근무 중 임신했어요",              # 교대 (서초구)
    "이대로 회사 다녀도 되나요",           # 이대 (서대문구)
    "성수기라 휴가를 못 쓰게 해요",        # 성수 (성동구)
    "하계휴가 대신 연차를 쓰래요",         # 하계 (노원구)
    "능동적으로 일하라는데",               # 능동 (광진구)
    "손가락을 다쳤어요",                   # 가락 (송파구)
    "동작이 느리다고 혼나요",              # 동작 without a particle that makes it a place
])
def test_ordinary_words_are_not_places(places, text):
    assert places.find(text) is None


def test_first_named_place_wins(places):
    assert [p.district for p in places.find_all("구로구 사는데 회사는 강남역")] == ["구로구", "강남구"]
    assert places.find("구로구 사는데 회사는 강남역").district == "구로구"


def test_resolve_accepts_districts_short_names_and_stations(places):
    assert places.resolve("금천구").district == "금천구"
    assert places.resolve("금천").district == "금천구"
    assert places.resolve("신도림역").district == "구로구"
    assert places.resolve("역삼").district == "강남구"
    assert places.resolve("부산") is None
    assert places.resolve("") is None


def test_distances_order_neighbours(places):
    assert places.distance_km("종로구", "중구") < places.distance_km("종로구", "강서구")
    assert places.distance_km("구로구", "금천구") < 6
    assert places.distance_km("구로구", "없는구") == float("inf")


def write(tmp_path, text):
    (tmp_path / "places.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_name_under_two_districts_is_a_problem(tmp_path):
    p = load_places(write(tmp_path, "districts:\n  종로구:\n    center: [37.57, 126.97]\n    places: [광화문]\n"
                                    "  중구:\n    center: [37.56, 126.99]\n    places: [광화문]\n"))
    messages = [x.message for x in p.problems]
    assert any("'광화문' is listed under 종로구 and 중구" in m for m in messages)
    assert any("Seoul has 25 자치구" in m for m in messages)


def test_bad_district_and_position_are_problems(tmp_path):
    p = load_places(write(tmp_path, "districts:\n  종로:\n    center: [0, 0]\n    places: [광화문]\n"))
    messages = [x.message for x in p.problems]
    assert any("must be a 자치구 name ending in 구" in m for m in messages)
    assert any("center must be [latitude, longitude] inside Seoul" in m for m in messages)


def test_missing_places_file_is_a_warning(tmp_path):
    p = load_places(tmp_path)
    assert p.problems and all(x.warning for x in p.problems)


def test_kb_check_rejects_unknown_districts_and_near_names():
    content = load(CONTENT)
    assert [x for x in check(content, today=date(2026, 11, 25)) if not x.warning] == []
    c = content.centers["hyu-seoul-guro"]
    content.centers[c.id] = replace(c, districts=("구로동구",), near=("달나라역",))
    messages = [x.message for x in check(content, today=date(2026, 11, 25))]
    assert "district '구로동구' is not a 자치구 in places.yaml" in messages
    assert "near '달나라역' is not a place in places.yaml" in messages


def test_every_shelter_has_a_district_and_structured_hours_field():
    content = load(CONTENT)
    shelters = [c for c in content.centers.values() if c.kind == "shelter"]
    assert len(shelters) == 8
    for c in shelters:
        assert c.districts and c.near, c.id
        assert "open_hours" in c.meta_keys, c.id   # present even when null (unknown)


# ---------------------------------------------------------------- hours

def kst(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SEOUL)


WED, SUN, XMAS = (2026, 11, 25), (2026, 11, 29), (2026, 12, 25)   # 2026-12-25 is a Friday


def test_weekday_schedule_with_public_holidays_closed():
    s, errors = parse_schedule({"weekdays": "09:00-18:00"})
    assert errors == []
    holidays = load(CONTENT).holidays
    assert date(*XMAS) in holidays
    assert is_open(s, kst(*WED, 12), holidays) is True
    assert is_open(s, kst(*WED, 8, 59), holidays) is False
    assert is_open(s, kst(*WED, 18), holidays) is False
    assert is_open(s, kst(*WED, 23), holidays) is False
    assert is_open(s, kst(*SUN, 12), holidays) is False
    assert is_open(s, kst(*XMAS, 12), holidays) is False


def test_past_midnight_and_holidays_open():
    s, _ = parse_schedule({"daily": "09:00-02:00", "holidays": "open"})
    assert is_open(s, kst(*WED, 23), {date(*WED)}) is True
    assert is_open(s, kst(2026, 11, 26, 1, 30)) is True      # still Wednesday's night
    assert is_open(s, kst(2026, 11, 26, 2, 0)) is False
    assert is_open(s, kst(2026, 11, 26, 8, 59)) is False
    closed_on_holidays, _ = parse_schedule({"daily": "09:00-02:00"})
    assert is_open(closed_on_holidays, kst(*XMAS, 12), {date(*XMAS)}) is False
    # the night after a holiday belongs to the holiday: closed
    assert is_open(closed_on_holidays, kst(2026, 12, 26, 1, 0), {date(*XMAS)}) is False


def test_daytime_is_unknown_by_day_and_closed_at_night_and_weekends():
    s, _ = parse_schedule({"weekdays": "daytime"})
    assert is_open(s, kst(*WED, 12)) is None
    assert is_open(s, kst(*WED, 23)) is False
    assert is_open(s, kst(*WED, 6, 30)) is False
    assert is_open(s, kst(*SUN, 12)) is False
    assert is_open(s, kst(*XMAS, 12), {date(*XMAS)}) is False


def test_always_unknown_and_other_timezones():
    always, _ = parse_schedule("always")
    assert is_open(always, kst(*XMAS, 3), {date(*XMAS)}) is True
    assert is_open(None, kst(*WED, 12)) is None
    s, _ = parse_schedule({"weekdays": "09:00-18:00"})
    utc_noon_wed = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)          # 12:00 in Seoul
    assert is_open(s, utc_noon_wed) is True
    assert is_open(s, datetime(2026, 11, 25, 12, 0) + timedelta(0)) is True     # naive = Seoul


@pytest.mark.parametrize("value, message", [
    ("weekdays", "must be 'always', null or a mapping"),
    ({"weekday": "09:00-18:00"}, "unknown day 'weekday'"),
    ({"weekdays": "9시-6시"}, "is not HH:MM-HH:MM"),
    ({"weekdays": "09:00-18:00", "holidays": "maybe"}, "holidays must be open or closed"),
])
def test_bad_open_hours_are_reported(value, message):
    s, errors = parse_schedule(value)
    assert s is None and any(message in e for e in errors)


def test_bad_open_hours_in_a_center_file_fail_kb_check(tmp_path):
    import shutil

    shutil.copytree(CONTENT, tmp_path / "content")
    f = tmp_path / "content" / "centers" / "moel-1350.md"
    f.write_text(f.read_text(encoding="utf-8").replace('open_hours: {weekdays: "09:00-18:00"}',
                                                       'open_hours: {weekdays: "아홉시"}'), encoding="utf-8")
    problems = [p for p in check(load(tmp_path / "content"), today=date(2026, 11, 25)) if not p.warning]
    assert len(problems) == 1 and "moel-1350.md" in problems[0].path and "HH:MM-HH:MM" in problems[0].message
