"""A personal plan from the due date and the salary: the dates and the money of a whole leave.

Pure functions over dataclasses: `make_plan(PlanInput, Rules) -> Plan`. Every day count, rate,
cap and floor comes from content/rules.yaml (kb.rules), looked up for the date it applies to, so
a plan that crosses 2026-01-01 uses the 2025 cap before it and the 2026 cap after it.

Day counting (cited in rules.yaml `conventions`):
- a leave starting on day S that lasts N days ends on S + N - 1 (the first day counts: 민법 제157조
  단서, leave starts at 0시); 출산전후휴가 counts calendar days, holidays included, and the day of
  birth belongs to the after-birth part;
- "N개월" and "만 N세" are counted on the calendar (민법 제160조): a period of months ends the day
  before the same date N months later, or on the month's last day when that date does not exist;
- pregnancy days count from the first day of the last period, 280 days before the due date.
Money: a day's pay is the monthly figure / 30 (the caps are per 30 days); amounts are floored to
the won after summing, and every figure is a 모의계산 (the real one comes from 고용24 or 1350).

Also here: `parse_question` picks a due date or a salary out of a chat question, so the chat can
offer a /plan link prefilled with them.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from math import floor
from typing import overload

from .rules import Rules

MOTHER, FATHER = "mother", "father"
PRIORITY, LARGE = "priority", "large"
DISCLAIMER = "모의계산입니다 — 실제 금액은 고용24·1350에서 확인하세요."


class PlanError(ValueError):
    """Input that cannot make a plan: `message` is Korean and says what to fix; `field` names the input."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PlanInput:
    monthly_wage: int                       # 월 통상임금, 원
    due_date: date | None = None            # 출산예정일 (or)
    birth_date: date | None = None          # 출산일
    multiple: bool = False                  # 다태아
    premature: bool = False                 # 미숙아 (출산 뒤에야 알 수 있다)
    high_risk: bool = False                 # 고위험 임신 (임신기 단축을 임신 전 기간)
    weekly_hours: int = 40                  # 주 소정근로시간
    company: str = PRIORITY                 # priority = 우선지원대상기업, large = 대규모기업
    role: str = MOTHER                      # 이 계획을 쓰는 사람
    leave_months: int = 12                  # 내 육아휴직 개월 수 (0 = 안 씀)
    leave_start: date | None = None         # 내 육아휴직 시작일 (없으면: 엄마는 출산휴가 다음 날, 아빠는 출산일)
    other_leave_months: int = 0             # 다른 부모의 육아휴직 개월 수
    other_leave_start: date | None = None
    other_wage: int | None = None           # 다른 부모의 월 통상임금 (6+6 금액을 같이 볼 때)
    reduced_hours: int | None = None        # 육아기 근로시간 단축 뒤 주 근로시간


@dataclass(frozen=True)
class DateItem:
    key: str
    label: str
    start: date
    end: date | None
    note: str
    rule: str
    legal_basis: tuple[str, ...]
    verify: str = ""                        # 확인 필요 (empty when confirmed)


@dataclass(frozen=True)
class MoneyRow:
    key: str
    who: str                                # 나 / 다른 부모
    label: str
    start: date
    end: date
    insurance: int | None                   # 고용보험이 주는 돈 (None = 확인 필요)
    employer: int                           # 회사가 줘야 하는 돈
    rule: str
    legal_basis: tuple[str, ...]
    note: str = ""
    verify: str = ""

    @property
    def total(self) -> int | None:
        return None if self.insurance is None else self.insurance + self.employer


@dataclass(frozen=True)
class RuleRef:
    id: str
    title: str
    legal_basis: tuple[str, ...]
    effective: date
    source: str
    verify: str = ""


@dataclass
class Plan:
    inputs: PlanInput
    birth: date                             # 예정일 또는 출산일
    dates: list[DateItem] = field(default_factory=list)
    months: list[MoneyRow] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    rules: list[RuleRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    as_of: date | None = None
    hotline: dict = field(default_factory=dict)
    disclaimer: str = DISCLAIMER

    def to_json(self) -> dict:
        def conv(v):
            if isinstance(v, date):
                return v.isoformat()
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [conv(x) for x in v]
            return v

        return {
            "inputs": conv(asdict(self.inputs)),
            "birth": self.birth.isoformat(),
            "dates": [conv(asdict(d)) for d in self.dates],
            "months": [dict(conv(asdict(m)), total=m.total) for m in self.months],
            "totals": self.totals,
            "rules": [conv(asdict(r)) for r in self.rules],
            "notes": self.notes,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "hotline": self.hotline,
            "disclaimer": self.disclaimer,
        }


# ---------------------------------------------------------------- calendar helpers

def add_months(d: date, months: int) -> date:
    """The same date `months` later; the month's last day when it has no such date (민법 제160조제3항)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def months_end(start: date, months: int) -> date:
    """Last day of a period of `months` starting on `start` (민법 제157조 단서, 제160조): the day before
    the same date `months` later, or that month's last day when it has no such date (제160조제3항)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def age_end(birth: date, age: int) -> date:
    """The last day a child is 만 `age` years old (the day before the next birthday)."""
    return months_end(birth, 12 * (age + 1))


def grade_end(birth: date, grade: int, school: dict) -> date:
    """The last day of primary grade `grade` (초·중등교육법 제13조제1항, 제24조제1항): school starts on
    the school year's first day of the year after the child turns `entry_age`; a school year ends the
    day before the next one starts."""
    entry = date(birth.year + school["entry_age"] + 1, school["year_start_month"], 1)
    return add_months(entry, 12 * grade) - timedelta(days=1)


def _won(x: Fraction | int) -> int:
    return floor(x)


def _pct(rate) -> Fraction:
    return Fraction(rate) / 100


# ---------------------------------------------------------------- validation

def minimum_monthly(rules: Rules, day: date, weekly_hours: int) -> tuple[int, str]:
    """The least a month's 통상임금 may be for `weekly_hours` on `day`, and a 확인 필요 note."""
    mw = rules.at("minimum_wage", day)
    wh = rules.at("work_hours", day)
    if weekly_hours >= wh["weekly_rest_min_hours"]:   # 주휴 included: prorate the 209-hour month
        least = Fraction(mw["monthly"]) * weekly_hours / wh["weekly_full"]
    else:                                             # no 주휴 below the threshold
        least = Fraction(mw["hourly"]) * weekly_hours * Fraction(str(wh["weeks_per_month"]))
    return _won(least), rules["minimum_wage"].unverified_on(day)


def validate(inp: PlanInput, rules: Rules, today: date) -> None:
    """Raise PlanError with a Korean message for input that would give a wrong number."""
    lim = rules.limits
    if (inp.due_date is None) == (inp.birth_date is None):
        raise PlanError("출산예정일이나 출산일 중 하나를 입력해 주세요.", "due_date")
    birth = inp.due_date or inp.birth_date
    assert birth is not None  # the check above: exactly one of the two is given
    if birth < today - timedelta(days=lim["due_date_past_days"]):
        raise PlanError("날짜가 1년 넘게 지났어요. 출산예정일(또는 출산일)을 다시 확인해 주세요.", "due_date")
    if birth > today + timedelta(days=lim["due_date_future_days"]):
        raise PlanError("출산예정일이 너무 멀어요. 연도와 날짜를 다시 확인해 주세요.", "due_date")
    if inp.birth_date is not None and inp.birth_date > today:
        raise PlanError("출산일이 아직 오지 않은 날이에요. 출산 전이면 '출산예정일'로 입력해 주세요.", "birth_date")
    if inp.premature and inp.multiple:
        raise PlanError("다태아와 미숙아를 함께 고르면 계산할 수 없어요. 다태아(120일)만 골라 주세요.", "premature")
    if inp.company not in (PRIORITY, LARGE):
        raise PlanError("회사 규모를 골라 주세요: 우선지원대상기업(중소기업 등) 또는 대규모기업.", "company")
    if inp.role not in (MOTHER, FATHER):
        raise PlanError("계획을 볼 사람을 골라 주세요: 출산하는 엄마 또는 배우자(아빠).", "role")
    full = rules.at("work_hours", today)["weekly_full"]
    if not (lim["weekly_hours_min"] <= inp.weekly_hours <= full):
        raise PlanError(f"주 소정근로시간은 {lim['weekly_hours_min']}~{full}시간 사이로 입력해 주세요.", "weekly_hours")
    for wage, name in ((inp.monthly_wage, "monthly_wage"), (inp.other_wage, "other_wage")):
        if wage is None:
            continue
        if wage > lim["monthly_wage_max"]:
            raise PlanError("월 통상임금이 너무 커요. 원 단위(예: 3000000) 또는 만원 단위(예: 300)로 다시 입력해 주세요.", name)
        hours = inp.weekly_hours if name == "monthly_wage" else full
        least, _ = minimum_monthly(rules, today, hours)
        if wage < least:
            raise PlanError(
                f"월 통상임금 {wage:,}원은 주 {hours}시간 기준 최저임금 월 환산액({least:,}원)보다 적어요. "
                "금액을 다시 확인해 주세요. 최저임금보다 적게 받고 있다면 고용노동부 1350에 상담하세요.", name)
    for months, name in ((inp.leave_months, "leave_months"), (inp.other_leave_months, "other_leave_months")):
        if not (0 <= months <= lim["leave_months_max"]):
            raise PlanError(f"육아휴직 개월 수는 0~{lim['leave_months_max']}개월로 입력해 주세요.", name)
    if inp.reduced_hours is not None:
        crh = rules.at("childcare_reduced_hours", today)
        if not (crh["hours_min"] <= inp.reduced_hours <= crh["hours_max"]) or inp.reduced_hours >= inp.weekly_hours:
            raise PlanError(f"육아기 근로시간 단축 뒤 근로시간은 주 {crh['hours_min']}~{crh['hours_max']}시간이고 "
                            "지금 근로시간보다 적어야 해요.", "reduced_hours")


# ---------------------------------------------------------------- the plan

def _ref(rules: Rules, rule_id: str, day: date) -> RuleRef:
    rule = rules[rule_id]
    p = rule.at(day)
    return RuleRef(rule.id, rule.title, rule.legal_basis, p.start, rule.sources[0].url if rule.sources else "",
                   rule.unverified_on(day))


def make_plan(inp: PlanInput, rules: Rules, today: date) -> Plan:
    """Dates and month-by-month money for `inp`, with the rule behind every line."""
    validate(inp, rules, today)
    birth = inp.due_date or inp.birth_date
    assert birth is not None  # validate() made sure one of them is given
    plan = Plan(inputs=inp, birth=birth, as_of=today, hotline=dict(rules.hotline))
    used: dict[str, date] = {}

    def use(rule_id: str, day: date):
        used.setdefault(rule_id, day)
        return rules.at(rule_id, day)

    mat_start, mat_end = _all_dates(plan, inp, rules, birth, use)

    if inp.role == MOTHER:
        _maternity_pay(plan, inp, rules, mat_start, mat_end, use)
    else:
        _spouse_pay(plan, inp, rules, birth, use)

    my_start = inp.leave_start or (mat_end + timedelta(days=1) if inp.role == MOTHER else birth)
    other_start = inp.other_leave_start or my_start
    six = _six_plus_six(plan, inp, rules, birth, my_start, other_start, use)
    if inp.leave_months:
        _parental_pay(plan, rules, "나", inp.monthly_wage, my_start, inp.leave_months, six, use)
    if inp.other_leave_months and inp.other_wage:
        _parental_pay(plan, rules, "다른 부모", inp.other_wage, other_start, inp.other_leave_months, six, use)
    elif inp.other_leave_months:
        plan.notes.append("다른 부모의 통상임금을 넣으면 그 사람의 육아휴직 급여도 함께 계산해요.")
    if inp.leave_months > rules.at("parental_leave", my_start)["months"]:
        pl = rules.at("parental_leave", my_start)
        plan.notes.append(
            f"{pl['months']}개월을 넘는 육아휴직(최대 {pl['months_extended']}개월)은 부모가 같은 자녀에 대해 각각 "
            f"{pl['both_parents_min_months']}개월 이상 쓰거나, 한부모·장애아동 부모인 경우에만 쓸 수 있어요.")
        use("parental_leave", my_start)

    if inp.reduced_hours is not None:
        red_start = months_end(my_start, inp.leave_months) + timedelta(days=1) if inp.leave_months else my_start
        _reduced_pay(plan, inp, rules, red_start, use)

    plan.months.sort(key=lambda r: (r.start, r.who != "나"))
    plan.totals = _totals(plan.months)
    plan.rules = [_ref(rules, rid, day) for rid, day in used.items()]
    return plan


def _all_dates(plan, inp, rules, birth, use):
    _pregnancy_dates(plan, inp, rules, birth, use)
    mat = _maternity_dates(plan, inp, rules, birth, use)
    _spouse_dates(plan, inp, rules, birth, use)
    _child_limits(plan, rules, birth, use)
    plan.dates.sort(key=lambda d: (d.start, d.end or d.start))
    return mat


def plan_dates(due_date: date | None, birth_date: date | None, rules: Rules, today: date) -> list[DateItem]:
    """Only the dates (no salary needed): what the chat shows when a question names a due date."""
    least, _ = minimum_monthly(rules, today, rules.at("work_hours", today)["weekly_full"])
    inp = PlanInput(least, due_date=due_date, birth_date=birth_date)
    validate(inp, rules, today)
    birth = due_date or birth_date
    assert birth is not None  # validate() made sure one of them is given
    plan = Plan(inputs=inp, birth=birth)
    _all_dates(plan, inp, rules, plan.birth, lambda rid, day: rules.at(rid, day))
    return plan.dates


def _verify_text(period) -> str:
    return period.unverified


def _pregnancy_dates(plan, inp, rules, birth, use):
    if inp.birth_date is not None:
        return
    lmp = birth - timedelta(days=use("pregnancy", birth)["full_term_days"])
    prh = use("pregnancy_reduced_hours", birth)
    basis = rules["pregnancy_reduced_hours"].legal_basis
    if inp.high_risk and prh.get("high_risk_whole_pregnancy"):
        plan.dates.append(DateItem("pregnancy_reduction_all",
                                   f"임신기 근로시간 단축 (하루 {prh['hours_per_day']}시간, 고위험 임신: 임신 전 기간)",
                                   lmp, birth - timedelta(days=1), "의사 진단서를 첨부해 개시 3일 전까지 신청",
                                   "pregnancy_reduced_hours", basis))
    else:
        plan.dates.append(DateItem("pregnancy_reduction_early",
                                   f"임신기 근로시간 단축 (하루 {prh['hours_per_day']}시간): 임신 초기",
                                   lmp, lmp + timedelta(days=prh["early_until_day"]),
                                   f"임신 후 {prh['early_until_day']}일까지", "pregnancy_reduced_hours", basis))
        plan.dates.append(DateItem("pregnancy_reduction_late",
                                   f"임신기 근로시간 단축 (하루 {prh['hours_per_day']}시간): 임신 후기",
                                   lmp + timedelta(days=prh["late_from_day"]), birth - timedelta(days=1),
                                   f"임신 후 {prh['late_from_day']}일부터 출산 전까지", "pregnancy_reduced_hours", basis))
    sched = use("prenatal_checkup", birth)["schedule"]
    first_week = 0
    for band in sched:
        start = lmp + timedelta(days=7 * first_week)
        last = band.get("until_week")
        end = birth - timedelta(days=1)
        if last is not None:
            end = min(lmp + timedelta(days=7 * last + 6), end)
            label = f"태아검진시간: 임신 {first_week}~{last}주" if first_week else f"태아검진시간: 임신 {last}주까지"
        else:
            label = f"태아검진시간: 임신 {first_week}주부터 출산까지"
        if start <= end:
            plan.dates.append(DateItem(f"checkup_{last or 'birth'}", label, start, end,
                                       f"{band['every_weeks']}주마다 1회 (검진 시간을 이유로 임금을 깎을 수 없음)",
                                       "prenatal_checkup",
                                       rules["prenatal_checkup"].legal_basis))
        if last is not None:
            first_week = last + 1


def _kind(inp) -> str:
    return "multiple" if inp.multiple else "premature" if inp.premature else "single"


def _maternity_dates(plan, inp, rules, birth, use):
    ml = use("maternity_leave", birth)
    kind = _kind(inp)
    days, after = ml["days"][kind], ml["after_birth_min"][kind]
    # the earliest start that still leaves `after` days from birth; a premature birth is known only
    # after it, so its extra days come at the end of a leave planned as a single birth
    base = "single" if kind == "premature" else kind
    start = birth - timedelta(days=ml["days"][base] - ml["after_birth_min"][base])
    end = start + timedelta(days=days - 1)
    basis = rules["maternity_leave"].legal_basis
    what = {"single": "", "multiple": " (다태아)", "premature": " (미숙아)"}[kind]
    plan.dates.append(DateItem("maternity_leave", f"출산전후휴가 {days}일{what}", start, end,
                               f"가장 이르게 시작하는 경우: 출산 전 {(birth - start).days}일 "
                               f"+ 출산일부터 {(end - birth).days + 1}일. "
                               "늦게 시작하면 끝나는 날도 그만큼 늦어져요.",
                               "maternity_leave", basis))
    plan.dates.append(DateItem("maternity_after_birth", f"출산 후 꼭 남겨야 하는 휴가 ({after}일)",
                               birth, birth + timedelta(days=after - 1),
                               "아기가 늦게 태어나 모자라면 회사가 휴가를 더 줘야 해요(늘어난 날의 임금 지급 의무는 없음).",
                               "maternity_leave", basis))
    return start, end


def _spouse_dates(plan, inp, rules, birth, use):
    sl = use("spouse_leave", birth)
    basis = rules["spouse_leave"].legal_basis
    before = sl.get("before_due_days")
    verify = _verify_text(sl)
    if inp.due_date is not None and before:
        early = inp.due_date - timedelta(days=before)
        eff = sl.start
        start = max(early, eff)
        note = f"출산예정일 {before}일 전부터 쓸 수 있어요(2026년 개정)."
        if early < eff:
            note += f" 개정 시행({eff.year}년 {eff.month}월경) 전 날짜는 쓸 수 없어요."
        plan.dates.append(DateItem("spouse_leave_before", f"배우자 출산전후휴가 {sl['days']}일 (출산 전 사용 가능)",
                                   start, birth - timedelta(days=1), note, "spouse_leave", basis, verify))
    plan.dates.append(DateItem("spouse_leave", f"배우자 출산휴가 {sl['days']}일 (소정근로일 기준)", birth,
                               birth + timedelta(days=sl["window_days"] - 1),
                               f"출산일부터 {sl['window_days']}일 안에 사용, "
                               f"{sl['splits']}회까지 나눠 쓰기(최대 {sl['splits'] + 1}번)",
                               "spouse_leave", basis))


def _child_limits(plan, rules, birth, use):
    school = use("school_year", birth)
    six = use("six_plus_six", birth)
    plan.dates.append(DateItem("six_plus_six", "6+6 부모육아휴직제: 부모 모두 육아휴직을 시작해야 하는 기간",
                               birth, months_end(birth, six["window_months"]), f"자녀 생후 {six['window_months']}개월 안",
                               "six_plus_six", rules["six_plus_six"].legal_basis, _verify_text(six)))
    pl = use("parental_leave", birth)
    a, g = age_end(birth, pl["child_age_max"]), grade_end(birth, pl["school_grade_max"], school.values)
    plan.dates.append(DateItem("parental_leave_last", "육아휴직을 쓸 수 있는 마지막 날", birth, max(a, g),
                               f"만 {pl['child_age_max']}세({a.isoformat()}까지) "
                               f"또는 초등 {pl['school_grade_max']}학년({g.isoformat()}까지) 중 늦은 날",
                               "parental_leave", rules["parental_leave"].legal_basis))
    crh = use("childcare_reduced_hours", birth)
    a, g = age_end(birth, crh["child_age_max"]), grade_end(birth, crh["school_grade_max"], school.values)
    plan.dates.append(DateItem("reduced_hours_last", "육아기 근로시간 단축을 쓸 수 있는 마지막 날", birth, max(a, g),
                               f"만 {crh['child_age_max']}세({a.isoformat()}까지) "
                               f"또는 초등 {crh['school_grade_max']}학년({g.isoformat()}까지) 중 늦은 날",
                               "childcare_reduced_hours", rules["childcare_reduced_hours"].legal_basis))


def _maternity_pay(plan, inp, rules, start, end, use):
    """30-day rows; each day uses the cap in force that day (rules.yaml conventions.pay_units)."""
    ml = use("maternity_leave", start)
    kind = _kind(inp)
    days, paid = ml["days"][kind], ml["paid_days"][kind]
    regular = ml["days"]["single"] if kind == "premature" else days   # days whose insurance pay is known
    wage = Fraction(inp.monthly_wage)
    basis = rules["maternity_leave_pay"].legal_basis
    unit = use("maternity_leave_pay", start)["per_days"]
    for first in range(1, days + 1, unit):
        last = min(first + unit - 1, days)
        ins, emp, unknown = Fraction(0), Fraction(0), False
        for i in range(first, last + 1):
            day = start + timedelta(days=i - 1)
            cap = Fraction(use("maternity_leave_pay", day)["cap"])
            daily_ins = min(wage * _pct(rules.at("maternity_leave_pay", day)["rate"]), cap) / unit
            if i > regular:
                unknown = True
            elif inp.company == PRIORITY:
                ins += daily_ins
                if i <= paid:
                    emp += wage / unit - daily_ins
            elif i <= paid:
                emp += wage / unit
            else:
                ins += daily_ins
        s, e = start + timedelta(days=first - 1), start + timedelta(days=last - 1)
        rule = rules["maternity_leave_pay"]
        caps = sorted({rules.at("maternity_leave_pay", s)["cap"], rules.at("maternity_leave_pay", e)["cap"]})
        note = "월 상한 " + " → ".join(f"{c:,}원" for c in caps)
        note += " (날짜별 적용)" if len(caps) > 1 else ""
        if inp.company == LARGE and first <= paid:
            note = f"최초 {paid}일은 회사가 통상임금 100%"
        elif inp.company == PRIORITY and emp:
            note += f"; 최초 {paid}일의 상한 초과분은 회사가 지급"
        verify = ""
        if unknown:
            verify = rule.verify
        elif len(caps) > 1:
            verify = rules.conventions.get("pay_units", {}).get("text", "")
        plan.months.append(MoneyRow(f"maternity_{first}", "나", f"출산전후휴가 {first}~{last}일째", s, e,
                                    None if unknown else _won(ins), _won(emp), "maternity_leave_pay", basis, note, verify))


def _spouse_pay(plan, inp, rules, birth, use):
    sl = use("spouse_leave", birth)
    wh = rules.at("work_hours", birth)
    wage = Fraction(inp.monthly_wage)
    pay = wage * wh["daily_full"] / wh["monthly_hours_full"] * sl["days"]   # 통상임금 일액 × 20일
    end = birth + timedelta(days=sl["window_days"] - 1)
    basis = rules["spouse_leave_pay"].legal_basis
    if inp.company == PRIORITY:
        p = use("spouse_leave_pay", birth)
        ins = min(pay * _pct(p["rate"]), Fraction(p["cap_total"]))
        plan.months.append(MoneyRow("spouse_leave", "나", f"배우자 출산휴가 {sl['days']}일", birth, end,
                                    _won(ins), _won(pay - ins),
                                    "spouse_leave_pay", basis,
                                    f"{sl['days']}일 합계 상한 {p['cap_total']:,}원, 나머지 임금은 회사(유급휴가)"))
    else:
        plan.months.append(MoneyRow("spouse_leave", "나", f"배우자 출산휴가 {sl['days']}일", birth, end, 0, _won(pay),
                                    "spouse_leave", rules["spouse_leave"].legal_basis,
                                    "대규모기업은 회사가 20일 임금을 부담(고용보험 급여 없음)"))


def _six_plus_six(plan, inp, rules, birth, my_start, other_start, use) -> int:
    """How many first months get the 6+6 caps (0 when the condition is not met)."""
    if not (inp.leave_months and inp.other_leave_months):
        return 0
    six = use("six_plus_six", birth)
    window_end = months_end(birth, six["window_months"])
    if my_start > window_end or other_start > window_end or my_start < birth or other_start < birth:
        plan.notes.append(f"6+6 부모육아휴직제는 부모 모두 자녀 생후 {six['window_months']}개월({window_end.isoformat()}) 안에 "
                          "육아휴직을 시작해야 해요. 입력한 시작일로는 일반 육아휴직 급여로 계산했어요.")
        return 0
    return min(inp.leave_months, inp.other_leave_months, len(six["caps"]))


def _parental_pay(plan, rules, who, monthly_wage, start, months, six_months, use):
    wage = Fraction(monthly_wage)
    for k in range(1, months + 1):
        s = start if k == 1 else months_end(start, k - 1) + timedelta(days=1)
        e = months_end(start, k)
        if k <= six_months:
            six = use("six_plus_six", s)
            cap = six["caps"][k - 1]
            amount = min(wage * _pct(six["rate"]), Fraction(cap))
            rows = ("six_plus_six", rules["six_plus_six"].legal_basis,
                    f"6+6 특례 {k}개월차: 100%, 상한 {cap:,}원", six.unverified)
        else:
            p = use("parental_leave_pay", s)
            band = next(b for b in p["bands"] if b["first_month"] <= k <= b["last_month"])
            amount = max(min(wage * _pct(band["rate"]), Fraction(band["cap"])), Fraction(p["floor"]))
            floor_hit = wage * _pct(band["rate"]) < p["floor"]
            note = f"{band['first_month']}~{band['last_month']}개월: {band['rate']}%, 상한 {band['cap']:,}원"
            if floor_hit:
                note += f", 하한 {p['floor']:,}원 적용"
            rows = ("parental_leave_pay", rules["parental_leave_pay"].legal_basis, note, p.unverified if floor_hit else "")
        plan.months.append(MoneyRow(f"parental_{'me' if who == '나' else 'other'}_{k}", who, f"육아휴직 {k}개월째", s, e,
                                    _won(amount), 0, rows[0], rows[1], rows[2], rows[3]))


def reduced_hours_pay(monthly_wage: int, weekly_hours: int, reduced_hours: int, period) -> int:
    """육아기 근로시간 단축 급여 a month: the first `first_hours` cut hours at first_rate up to first_cap,
    the rest at rest_rate up to rest_cap, each prorated by cut hours / weekly hours."""
    wage = Fraction(monthly_wage)
    cut = weekly_hours - reduced_hours
    first = min(cut, period["first_hours"])
    rest = cut - first
    amount = min(wage * _pct(period["first_rate"]), Fraction(period["first_cap"])) * first / weekly_hours
    amount += min(wage * _pct(period["rest_rate"]), Fraction(period["rest_cap"])) * rest / weekly_hours
    return _won(amount)


def _reduced_pay(plan, inp, rules, start, use):
    p = use("childcare_reduced_hours", start)
    amount = reduced_hours_pay(inp.monthly_wage, inp.weekly_hours, inp.reduced_hours, p)
    plan.months.append(MoneyRow("reduced_hours", "나",
                                f"육아기 근로시간 단축 (주 {inp.weekly_hours}→{inp.reduced_hours}시간) 한 달",
                                start, months_end(start, 1), amount, 0, "childcare_reduced_hours",
                                rules["childcare_reduced_hours"].legal_basis,
                                f"처음 {p['first_hours']}시간분 {p['first_rate']}%(상한 {p['first_cap']:,}원), "
                                f"나머지 {p['rest_rate']}%(상한 {p['rest_cap']:,}원), "
                                "회사는 줄어든 시간만큼 덜 준 임금을 뺀 나머지를 지급"))


def _totals(rows: list[MoneyRow]) -> dict:
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        t = out.setdefault(r.who, {"insurance": 0, "employer": 0, "unknown": 0})
        if r.insurance is None:
            t["unknown"] += 1
        else:
            t["insurance"] += r.insurance
        t["employer"] += r.employer
    return out


# ---------------------------------------------------------------- chat: a date or an amount in a question

@dataclass(frozen=True)
class PlanHints:
    due_date: date | None = None
    birth_date: date | None = None
    monthly_wage: int | None = None
    notes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.due_date or self.birth_date or self.monthly_wage)

    def query(self) -> dict:
        """The /plan form fields these hints fill."""
        out = {}
        if self.due_date:
            out["due_date"] = self.due_date.isoformat()
        if self.birth_date:
            out["birth_date"] = self.birth_date.isoformat()
        if self.monthly_wage:
            out["monthly_wage"] = str(self.monthly_wage)
        return out


_DATE_WORD = r"(예정일|출산\s*예정|출산일|낳|태어|출산했|분만)"   # not bare 출산: "출산휴가를 3월 10일부터" names no birth
_YMD = re.compile(r"(?P<y>20\d\d)\s*[-./년]\s*(?P<m>\d{1,2})\s*[-./월]\s*(?P<d>\d{1,2})\s*일?")
_MD = re.compile(r"(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일|(?<![\d.])(?P<m2>\d{1,2})/(?P<d2>\d{1,2})(?![\d/])")
_WAGE = re.compile(r"(?P<kw>월급|월\s*급여|세전|통상임금|월\s*소득|월\s*임금|급여|월)\s*(?:이|은|는|가)?\s*(?:약\s*)?"
                   r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>만\s*원|만|원)?")
_BIRTH_PAST = re.compile(r"낳았|태어났|출산했|출산을\s*했|출산일|분만했")


def parse_question(q: str, today: date) -> PlanHints:
    """A due date (or birth date) and a monthly salary mentioned in a chat question.

    A date without a year is the next such date from today for a due date, the last one for a
    birth that already happened, and the hint says so. An impossible date (2월 30일) gives no date
    and a note instead of a guess.
    """
    notes = []
    due = birth = None
    has_date_word = re.search(_DATE_WORD, q)
    m = _YMD.search(q)
    if m and has_date_word:
        try:
            d = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            notes.append(f"{m['y']}년 {int(m['m'])}월 {int(m['d'])}일은 없는 날짜예요.")
            d = None
        if d:
            due, birth = (None, d) if _BIRTH_PAST.search(q) and d <= today else (d, None)
    elif has_date_word:
        m = _MD.search(q)
        if m:
            month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
            past = bool(_BIRTH_PAST.search(q))
            d = _resolve_month_day(month, day, today, past)
            if d is None:
                notes.append(f"{month}월 {day}일은 없는 날짜예요. 날짜를 다시 확인해 주세요.")
            else:
                which = "지난" if past else "다가오는"
                notes.append(f"연도가 없어 {which} {d.year}년 {month}월 {day}일로 보았어요.")
                due, birth = (None, d) if past else (d, None)
    wage = None
    for m in _WAGE.finditer(q):
        n = float(m["n"].replace(",", ""))
        unit = (m["unit"] or "").replace(" ", "")
        if m["kw"].replace(" ", "") == "월" and not unit:
            continue                                   # "월 3회" and the like: 월 alone needs a unit
        if unit in ("만원", "만") or (not unit and n < 10000):
            value = int(n * 10000)
        else:
            value = int(n)
        if value >= 100000:
            wage = value
            break
    return PlanHints(due, birth, wage, tuple(notes))


def _resolve_month_day(month: int, day: int, today: date, past: bool) -> date | None:
    if not (1 <= month <= 12) or not (1 <= day <= 31):
        return None
    for year in ((today.year, today.year - 1) if past else (today.year, today.year + 1)):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if (past and d <= today) or (not past and d >= today):
            return d
    # a date that exists only in leap years (2월 29일): look further
    for k in range(2, 9):
        year = today.year - k if past else today.year + k
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- input from a form, a JSON body or the CLI

_ISO = re.compile(r"^\s*(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?\s*$")
_AMOUNT = re.compile(r"^\s*(\d[\d,]*(?:\.\d+)?)\s*(만\s*원|만|원)?\s*$")
FIELDS = ("due_date", "birth_date", "monthly_wage", "multiple", "premature", "high_risk", "weekly_hours",
          "company", "role", "leave_months", "leave_start", "other_leave_months", "other_leave_start",
          "other_wage", "reduced_hours")


def parse_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    m = _ISO.match(str(value))
    if not m:
        raise PlanError("날짜는 2027-03-10처럼 연-월-일로 입력해 주세요.", field)
    y, mo, d = map(int, m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise PlanError(f"{y}년 {mo}월 {d}일은 없는 날짜예요. 날짜를 다시 확인해 주세요.", field) from None


def parse_amount(value, field: str) -> int | None:
    """원 or 만원: "3000000", "3,000,000원", "300", "300만원" are all 3,000,000원."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise PlanError("금액은 숫자로 입력해 주세요. 예: 300(만원) 또는 3000000(원)", field)
    if isinstance(value, (int, float)):
        n, unit = float(value), ""
    else:
        m = _AMOUNT.match(str(value))
        if not m:
            raise PlanError("금액은 숫자로 입력해 주세요. 예: 300(만원) 또는 3000000(원)", field)
        n, unit = float(m[1].replace(",", "")), (m[2] or "").replace(" ", "")
    if unit in ("만원", "만") or (not unit and n < 10000):
        n *= 10000
    return int(n)


@overload
def parse_int(value, field: str, default: int) -> int: ...
@overload
def parse_int(value, field: str, default: None) -> int | None: ...
def parse_int(value, field: str, default: int | None) -> int | None:
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise PlanError("숫자로 입력해 주세요.", field)
    try:
        f = float(str(value).strip())
    except ValueError:
        raise PlanError("숫자로 입력해 주세요.", field) from None
    if f != int(f):
        raise PlanError("정수로 입력해 주세요.", field)
    return int(f)


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "on", "true", "yes", "y")


def input_from_mapping(data) -> PlanInput:
    """A PlanInput from form fields or a JSON object (unknown keys are ignored). The form may send one
    `date` with `date_kind` = due | birth instead of due_date / birth_date."""
    get = data.get
    due, birth = parse_date(get("due_date"), "due_date"), parse_date(get("birth_date"), "birth_date")
    if get("date") not in (None, ""):
        d = parse_date(get("date"), "date")
        if get("date_kind") == "birth":
            birth = d
        else:
            due = d
    wage = parse_amount(get("monthly_wage"), "monthly_wage")
    if wage is None:
        raise PlanError("월 통상임금을 입력해 주세요. 예: 300(만원)", "monthly_wage")
    return PlanInput(
        monthly_wage=wage, due_date=due, birth_date=birth,
        multiple=_flag(get("multiple")), premature=_flag(get("premature")), high_risk=_flag(get("high_risk")),
        weekly_hours=parse_int(get("weekly_hours"), "weekly_hours", PlanInput.weekly_hours),
        company=str(get("company") or PRIORITY), role=str(get("role") or MOTHER),
        leave_months=parse_int(get("leave_months"), "leave_months", PlanInput.leave_months),
        leave_start=parse_date(get("leave_start"), "leave_start"),
        other_leave_months=parse_int(get("other_leave_months"), "other_leave_months", 0),
        other_leave_start=parse_date(get("other_leave_start"), "other_leave_start"),
        other_wage=parse_amount(get("other_wage"), "other_wage"),
        reduced_hours=parse_int(get("reduced_hours"), "reduced_hours", None),
    )
