"""kb/plan.py against figures worked by hand from the law (rules in content/rules.yaml).

Every expected number below is computed in the comment next to it, not by the code under test.
Day counting: the first day of a leave counts (민법 제157조 단서); months end the day before the
same date, or on the month's last day when there is none (민법 제160조).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kb.plan import (
    FATHER,
    LARGE,
    PlanError,
    PlanInput,
    age_end,
    grade_end,
    make_plan,
    months_end,
    parse_question,
    reduced_hours_pay,
)
from kb.rules import load_rules

CONTENT = Path(__file__).resolve().parent.parent / "content"
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def rules():
    return load_rules(CONTENT)


def _rows(plan, prefix, who="나"):
    return [m for m in plan.months if m.key.startswith(prefix) and m.who == who]


def _date(plan, key):
    return next(d for d in plan.dates if d.key == key)


# ---------------------------------------------------------------- the hand-checked cases (2026 rules)

def test_parental_leave_12_months_at_3_million(rules):
    # 250만×3 + 200만×3 + min(300만×80%, 160만)×6 = 750 + 600 + 960 = 2,310만원
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10)), rules, TODAY)
    rows = _rows(plan, "parental_me")
    assert [r.insurance for r in rows] == [2_500_000] * 3 + [2_000_000] * 3 + [1_600_000] * 6
    assert sum(r.insurance for r in rows) == 23_100_000


def test_six_plus_six_both_parents_at_4_million(rules):
    # each parent: 250, 250, 300, 350, 400, min(400, 450)=400 → 1,950만원
    inp = PlanInput(4_000_000, due_date=date(2027, 3, 10), leave_months=6, other_leave_months=6, other_wage=4_000_000)
    plan = make_plan(inp, rules, TODAY)
    for who in ("나", "다른 부모"):
        rows = _rows(plan, "parental", who)
        assert [r.insurance for r in rows] == [2_500_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000, 4_000_000]
        assert sum(r.insurance for r in rows) == 19_500_000
        assert all(r.rule == "six_plus_six" for r in rows)


def test_maternity_leave_pay_priority_company_3_million(rules):
    # 고용보험 min(300만, 220만) × 3 = 660만원; 회사 (300−220)만 × 2 = 160만원 for the first 60 days
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), leave_months=0), rules, TODAY)
    rows = _rows(plan, "maternity")
    assert [(r.insurance, r.employer) for r in rows] == [(2_200_000, 800_000), (2_200_000, 800_000), (2_200_000, 0)]
    assert plan.totals["나"] == {"insurance": 6_600_000, "employer": 1_600_000, "unknown": 0}


def test_childcare_reduced_hours_pay(rules):
    p2026 = rules.at("childcare_reduced_hours", date(2026, 6, 1))
    # 40→30: min(300, 250) × 10/40 = 62.5만원
    assert reduced_hours_pay(3_000_000, 40, 30, p2026) == 625_000
    # 40→25: + min(300×80%, 160) × 5/40 = 20만원 → 82.5만원
    assert reduced_hours_pay(3_000_000, 40, 25, p2026) == 825_000
    # 2025 caps 220만/150만: 40→25 = 220×10/40 + 150×5/40 = 55 + 18.75 = 73.75만원
    assert reduced_hours_pay(3_000_000, 40, 25, rules.at("childcare_reduced_hours", date(2025, 6, 1))) == 737_500


def test_reduced_hours_row_follows_parental_leave(rules):
    # mother, due 2027-03-10: maternity leave ends 2027-04-23, 12 months of leave end 2028-04-23,
    # so the reduction starts 2028-04-24 under the 2026 caps (still in force): 82.5만원
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), reduced_hours=25), rules, TODAY)
    row = _rows(plan, "reduced_hours")[0]
    assert row.start == date(2028, 4, 24) and row.insurance == 825_000


# ---------------------------------------------------------------- dates

def test_maternity_dates_single_birth(rules):
    # due 2027-03-10: earliest start leaves 45 days from the due date → 2027-03-10 − 45 = 2027-01-24;
    # 90 days with the first day counted end on 2027-01-24 + 89 = 2027-04-23
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10)), rules, TODAY)
    ml = _date(plan, "maternity_leave")
    assert (ml.start, ml.end) == (date(2027, 1, 24), date(2027, 4, 23))
    after = _date(plan, "maternity_after_birth")
    assert (after.start, after.end) == (date(2027, 3, 10), date(2027, 4, 23))   # 45 days incl. the due date
    # parental leave follows the next day
    assert _rows(plan, "parental_me")[0].start == date(2027, 4, 24)


def test_maternity_dates_leap_year(rules):
    # due 2028-03-15 (2028 is a leap year): 45 days before = 2028-01-30 (Feb has 29 days);
    # end = 2028-01-30 + 89 days = 2028-04-28
    plan = make_plan(PlanInput(3_000_000, due_date=date(2028, 3, 15)), rules, date(2027, 6, 1))
    ml = _date(plan, "maternity_leave")
    assert (ml.start, ml.end) == (date(2028, 1, 30), date(2028, 4, 28))


def test_twins_dates_and_pay_priority(rules):
    # 다태아 120일, 60 days after birth: start 2027-03-10 − 60 = 2027-01-09, end + 119 = 2027-05-08.
    # 고용보험 220만 × 4 = 880만; 회사 (300−220)/30 × 75 days = 200만 (30+30+15 days: 80+80+40)
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), multiple=True, leave_months=0), rules, TODAY)
    ml = _date(plan, "maternity_leave")
    assert (ml.start, ml.end) == (date(2027, 1, 9), date(2027, 5, 8))
    rows = _rows(plan, "maternity")
    assert [(r.insurance, r.employer) for r in rows] == [
        (2_200_000, 800_000), (2_200_000, 800_000), (2_200_000, 400_000), (2_200_000, 0)]
    assert plan.totals["나"]["insurance"] == 8_800_000 and plan.totals["나"]["employer"] == 2_000_000


def test_large_company_single_and_twins(rules):
    # 대규모기업: first 60 days the employer pays 100% (300만 × 2 = 600만), insurance only the last 30 days (220만)
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), company=LARGE, leave_months=0), rules, TODAY)
    assert [(r.insurance, r.employer) for r in _rows(plan, "maternity")] == [
        (0, 3_000_000), (0, 3_000_000), (2_200_000, 0)]
    # twins: employer 75 days × 10만 = 750만; insurance 45 days × 220만/30 = 330만
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), company=LARGE, multiple=True, leave_months=0), rules, TODAY)
    assert plan.totals["나"] == {"insurance": 3_300_000, "employer": 7_500_000, "unknown": 0}


def test_premature_100_days_extra_pay_is_unverified(rules):
    # born 2026-11-01 (premature): leave planned as 90 from 2026-11-01 − 45 = 2026-09-17, 100 days end 2026-12-25.
    # Days 91-100: how insurance pays them is not confirmed → no number, 확인 필요
    plan = make_plan(PlanInput(3_000_000, birth_date=date(2026, 11, 1), premature=True, leave_months=0), rules, TODAY)
    ml = _date(plan, "maternity_leave")
    assert (ml.start, ml.end) == (date(2026, 9, 17), date(2026, 12, 25))
    rows = _rows(plan, "maternity")
    assert [r.label for r in rows][-1] == "출산전후휴가 91~100일째"
    assert rows[-1].insurance is None and rows[-1].verify
    assert [r.insurance for r in rows[:3]] == [2_200_000] * 3
    assert plan.totals["나"]["unknown"] == 1


def test_maternity_pay_crossing_2026_caps(rules):
    # due 2026-01-10: start 2025-11-26, days 1-36 in 2025 (cap 210만), 37-90 in 2026 (cap 220만).
    # insurance: 30×7만 = 210만; 6×7만 + 24×(220만/30) = 42만 + 176만 = 218만; 30×(220만/30) = 220만 → 648만
    # employer (first 60 days): 30×3만 = 90만; 6×3만 + 24×(80만/30) = 18만 + 64만 = 82만 → 172만
    plan = make_plan(PlanInput(3_000_000, due_date=date(2026, 1, 10), leave_months=0), rules, date(2025, 12, 1))
    rows = _rows(plan, "maternity")
    assert [(r.insurance, r.employer) for r in rows] == [(2_100_000, 900_000), (2_180_000, 820_000), (2_200_000, 0)]
    assert rows[1].verify  # the way a cap change inside a leave applies is marked 확인 필요
    assert plan.totals["나"]["insurance"] == 6_480_000 and plan.totals["나"]["employer"] == 1_720_000


def test_parental_leave_floor_for_part_time(rules):
    # 주 15시간, 통상임금 85만원 (최저 2,156,880 × 15/40 = 808,830 이상): months 1-6 pay 85만 (100%),
    # month 7: 85만 × 80% = 68만 < 하한 70만 → 70만
    plan = make_plan(PlanInput(850_000, due_date=date(2027, 3, 10), weekly_hours=15, leave_months=7), rules, TODAY)
    rows = _rows(plan, "parental_me")
    assert [r.insurance for r in rows] == [850_000] * 6 + [700_000]
    assert "하한" in rows[-1].note and rows[-1].verify   # the floor is 확인 필요 in facts.md


def test_six_plus_six_limited_by_shorter_parent(rules):
    # mother 12 months at 400만, father 3 months at 500만: 6+6 caps for the first 3 months only
    # mother: 250, 250, 300, then 200, 200, 200, 160×6; father: 250, 250, 300
    inp = PlanInput(4_000_000, due_date=date(2027, 3, 10), leave_months=12, other_leave_months=3, other_wage=5_000_000)
    plan = make_plan(inp, rules, TODAY)
    me = [r.insurance for r in _rows(plan, "parental", "나")]
    assert me == [2_500_000, 2_500_000, 3_000_000] + [2_000_000] * 3 + [1_600_000] * 6
    assert [r.insurance for r in _rows(plan, "parental", "다른 부모")] == [2_500_000, 2_500_000, 3_000_000]


def test_six_plus_six_window_missed(rules):
    # born 2027-03-10: the 18-month window ends 2028-09-09; a father starting 2028-10-01 misses it
    inp = PlanInput(4_000_000, due_date=date(2027, 3, 10), leave_months=6, other_leave_months=6,
                    other_wage=4_000_000, other_leave_start=date(2028, 10, 1))
    plan = make_plan(inp, rules, TODAY)
    assert _date(plan, "six_plus_six").end == date(2028, 9, 9)
    assert [r.insurance for r in _rows(plan, "parental", "나")] == [2_500_000] * 3 + [2_000_000] * 3
    assert any("6+6" in n for n in plan.notes)


def test_father_spouse_leave_pay(rules):
    # 20 days of 통상임금: 300만 × 8/209 × 20 = 2,296,650.7원; insurance cap (2027 → 2026 rule) 1,684,210원,
    # the rest 612,440원 is the employer's (paid leave)
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), role=FATHER, leave_months=0), rules, TODAY)
    row = _rows(plan, "spouse_leave")[0]
    assert (row.insurance, row.employer) == (1_684_210, 612_440)
    # a large company pays all of it, no insurance
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), role=FATHER, company=LARGE, leave_months=0), rules, TODAY)
    row = _rows(plan, "spouse_leave")[0]
    assert (row.insurance, row.employer) == (0, 2_296_650)


def test_spouse_leave_before_birth_only_after_the_2026_change(rules):
    # due 2026-08-15 (before the 2026-09 change): only the 120-day window from birth, to 2026-12-12
    plan = make_plan(PlanInput(3_000_000, due_date=date(2026, 8, 15), role=FATHER), rules, date(2026, 6, 1))
    keys = [d.key for d in plan.dates]
    assert "spouse_leave_before" not in keys
    assert _date(plan, "spouse_leave").end == date(2026, 12, 12)   # 2026-08-15 + 119 days
    # due 2026-10-01: 50 days before = 2026-08-12, but not before the change (2026-09, exact day unconfirmed)
    plan = make_plan(PlanInput(3_000_000, due_date=date(2026, 10, 1), role=FATHER), rules, date(2026, 6, 1))
    before = _date(plan, "spouse_leave_before")
    assert before.start == date(2026, 9, 1) and before.end == date(2026, 9, 30) and "확인" in before.verify
    # due 2027-03-10: 50 days before = 2027-01-19
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), role=FATHER), rules, TODAY)
    assert _date(plan, "spouse_leave_before").start == date(2027, 1, 19)


def test_pregnancy_windows(rules):
    # due 2027-03-10 → last period began 280 days earlier, 2026-06-03.
    # early window to day 84: 2026-08-26; late window from day 218: 2027-01-07, to the day before the due date
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10)), rules, TODAY)
    early, late = _date(plan, "pregnancy_reduction_early"), _date(plan, "pregnancy_reduction_late")
    assert (early.start, early.end) == (date(2026, 6, 3), date(2026, 8, 26))
    assert (late.start, late.end) == (date(2027, 1, 7), date(2027, 3, 9))
    # high-risk: the whole pregnancy
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), high_risk=True), rules, TODAY)
    whole = _date(plan, "pregnancy_reduction_all")
    assert (whole.start, whole.end) == (date(2026, 6, 3), date(2027, 3, 9))
    # checkups: every 4 weeks to week 28 (28w6d = 2026-06-03 + 202 = 2026-12-22), every 2 to week 36
    assert _date(plan, "checkup_28").end == date(2026, 12, 22)
    assert _date(plan, "checkup_36").start == date(2026, 12, 23) and "2주" in _date(plan, "checkup_36").note
    # weekly from week 37 (2026-06-03 + 37×7 = 2027-02-17) until the day before the due date
    weekly = _date(plan, "checkup_birth")
    assert (weekly.start, weekly.end) == (date(2027, 2, 17), date(2027, 3, 9)) and "1주" in weekly.note


def test_child_age_limits_and_school_years(rules):
    school = rules.at("school_year", date(2027, 1, 1)).values
    # born 2027-01-05: 만 8세 ends 2036-01-04; enters school 2034-03-01, grade 2 ends 2036-02-29 (leap) → later one
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 1, 5)), rules, TODAY)
    assert _date(plan, "parental_leave_last").end == date(2036, 2, 29)
    # 만 12세 ends 2040-01-04; grade 6 ends 2040-02-29 (2040 is a leap year)
    assert _date(plan, "reduced_hours_last").end == date(2040, 2, 29)
    # born 2027-03-10: 만 8세 (2036-03-09) is later than grade 2 (2036-02-29)
    assert age_end(date(2027, 3, 10), 8) == date(2036, 3, 9)
    assert grade_end(date(2027, 3, 10), 2, school) == date(2036, 2, 29)
    # born 2028-02-29: 만 8세 ends 2037-02-28 (no 2037-02-29: the month's last day, 민법 제160조제3항)
    assert age_end(date(2028, 2, 29), 8) == date(2037, 2, 28)


def test_month_ends():
    assert months_end(date(2027, 1, 31), 1) == date(2027, 2, 28)     # no Feb 31 → month's last day
    assert months_end(date(2028, 1, 31), 1) == date(2028, 2, 29)     # leap year
    assert months_end(date(2027, 1, 15), 1) == date(2027, 2, 14)
    assert months_end(date(2027, 8, 31), 18) == date(2029, 2, 28)
    assert months_end(date(2027, 3, 1), 12) == date(2028, 2, 29)


def test_parental_months_starting_on_the_31st(rules):
    # leave from 2027-01-31: month 1 ends 2027-02-28, month 2 runs 2027-03-01..2027-03-30, month 3 from 2027-03-31
    inp = PlanInput(3_000_000, birth_date=date(2026, 11, 1), leave_months=3, leave_start=date(2027, 1, 31))
    rows = _rows(make_plan(inp, rules, TODAY), "parental_me")
    assert [(r.start, r.end) for r in rows] == [
        (date(2027, 1, 31), date(2027, 2, 28)), (date(2027, 3, 1), date(2027, 3, 30)), (date(2027, 3, 31), date(2027, 4, 30))]


def test_every_line_names_its_rule_and_basis(rules):
    plan = make_plan(PlanInput(3_000_000, due_date=date(2027, 3, 10), reduced_hours=30), rules, TODAY)
    ids = {r.id for r in plan.rules}
    for item in list(plan.dates) + list(plan.months):
        assert item.rule in ids and item.legal_basis
    assert plan.to_json()["months"][0]["total"] == 3_000_000


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("change, field", [
    ({"due_date": date(2025, 11, 1)}, "due_date"),             # more than a year ago
    ({"due_date": date(2027, 12, 1)}, "due_date"),             # beyond a pregnancy
    ({"monthly_wage": 2_000_000}, "monthly_wage"),             # under 2,156,880 at 40 h
    ({"monthly_wage": 500_000_000}, "monthly_wage"),           # absurd
    ({"weekly_hours": 45}, "weekly_hours"),
    ({"weekly_hours": 0}, "weekly_hours"),
    ({"reduced_hours": 10}, "reduced_hours"),                  # below 15
    ({"reduced_hours": 40}, "reduced_hours"),                  # not a reduction
    ({"leave_months": 19}, "leave_months"),
    ({"company": "huge"}, "company"),
    ({"due_date": None}, "due_date"),
    ({"multiple": True, "premature": True}, "premature"),
])
def test_bad_input_is_refused_in_korean(rules, change, field):
    inp = replace(PlanInput(3_000_000, due_date=date(2027, 3, 10)), **change)
    with pytest.raises(PlanError) as e:
        make_plan(inp, rules, TODAY)
    assert e.value.field == field
    assert any("\uac00" <= ch <= "\ud7a3" for ch in e.value.message)


def test_minimum_wage_check_prorates_hours(rules):
    # 주 10시간 (no 주휴 below 15h): 10,320 × 10 × 4.345 = 448,404원 at least
    ok = PlanInput(500_000, due_date=date(2027, 3, 10), weekly_hours=10)
    make_plan(ok, rules, TODAY)
    with pytest.raises(PlanError):
        make_plan(replace(ok, monthly_wage=440_000), rules, TODAY)


# ---------------------------------------------------------------- the chat's hints

@pytest.mark.parametrize("q, due, birth, wage", [
    ("예정일이 3월 10일인데 언제부터 쉴 수 있어요?", date(2027, 3, 10), None, None),
    ("출산예정일 2027년 1월 5일, 월급 300이면 육아휴직 급여 얼마?", date(2027, 1, 5), None, 3_000_000),
    ("세전 350만원인데 육아휴직 급여 얼마 나와요", None, None, 3_500_000),
    ("통상임금 2,800,000원이에요", None, None, 2_800_000),
    ("예정일이 12월 1일이에요", date(2026, 12, 1), None, None),
    ("11월 1일에 아기 낳았어요", None, date(2026, 11, 1), None),
    ("예정일 2/29", date(2028, 2, 29), None, None),           # the next 2월 29일 is in 2028
    ("월 3회 검진 가도 되나요", None, None, None),
    ("출산휴가를 3월 10일부터 쓰려는데 회사가 안 된대요", None, None, None),   # a leave date, not a birth
    ("3월 10일에 낳을 예정이에요", date(2027, 3, 10), None, None),           # future: a due date
    ("2026.10.3 출산했어요 월 급여 250만원", None, date(2026, 10, 3), 2_500_000),
    ("육아휴직 급여 얼마나 나와요?", None, None, None),
])
def test_parse_question(q, due, birth, wage):
    h = parse_question(q, TODAY)
    assert (h.due_date, h.birth_date, h.monthly_wage) == (due, birth, wage)


def test_parse_question_says_how_it_read_a_date():
    h = parse_question("예정일이 3월 10일", TODAY)
    assert any("2027년 3월 10일" in n for n in h.notes)
    bad = parse_question("예정일이 2월 30일이에요", TODAY)
    assert bad.due_date is None and any("없는 날짜" in n for n in bad.notes)
    assert parse_question("예정일이 3월 10일", TODAY).query() == {"due_date": "2027-03-10"}
