"""Opening hours as data, and whether a place is open at a given moment in Seoul.

A center's front matter keeps the human text in `hours` and, beside it, `open_hours` in a small
structured form the router can compute with:

    open_hours: always                                # 24시간 365일
    open_hours: {weekdays: "09:00-18:00"}             # 평일; public holidays closed unless said
    open_hours: {daily: "09:00-02:00", holidays: open}   # an end before the start runs past midnight
    open_hours: {weekdays: daytime}                   # 평일 낮, exact hours not known
    open_hours: null                                  # unknown: never guessed

Keys: mon tue wed thu fri sat sun, weekdays (mon-fri), weekend (sat, sun), daily, holidays
(open | closed). A day's value is "HH:MM-HH:MM", a list of them, `daytime` or `closed`.

`is_open` answers True, False or None (unknown). `daytime` days are unknown between 07:00 and
21:00 and closed outside that window: "평일 업무시간" tells us nobody answers at 23:00 or on a
Sunday, but not whether the doors open at 09:00 or 10:00. The clock is always a parameter, so
tests pin it; `now()` is the real time in Asia/Seoul.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # stubs: CSafeLoader and SafeLoader are unrelated classes with one API

try:
    from zoneinfo import ZoneInfo

    SEOUL: tzinfo = ZoneInfo("Asia/Seoul")
except Exception:  # pragma: no cover - no tz database: Korea has no daylight saving time
    SEOUL = timezone(timedelta(hours=9), "Asia/Seoul")

HOLIDAYS_FILE = "holidays.yaml"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GROUPS = {"weekdays": (0, 1, 2, 3, 4), "weekend": (5, 6), "daily": tuple(range(7)),
          **{n: (i,) for i, n in enumerate(DAY_NAMES)}}
DAYTIME = (7 * 60, 21 * 60)      # when a "daytime" place might be open
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class Schedule:
    always: bool = False
    days: tuple = ((),) * 7              # per weekday: ((start_min, end_min), ...); end may pass 1440
    daytime: frozenset = frozenset()      # weekdays open at unknown daytime hours
    holidays_open: bool = False


def now() -> datetime:
    """The current time in Seoul."""
    return datetime.now(SEOUL)


def _range(text: str) -> tuple[int, int] | None:
    m = _RANGE.match(text.strip())
    if not m:
        return None
    h1, m1, h2, m2 = map(int, m.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end <= start:
        end += 24 * 60          # runs past midnight: 09:00-02:00
    return start, end


def parse_schedule(value) -> tuple[Schedule | None, list[str]]:
    """Front-matter `open_hours` -> (Schedule or None when unknown, error messages)."""
    if value is None:
        return None, []
    if value == "always":
        return Schedule(always=True, holidays_open=True), []
    if not isinstance(value, dict):
        return None, [f"open_hours must be 'always', null or a mapping of days to hours, not {value!r}"]
    errors = []
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    daytime: set[int] = set()
    holidays_open = False
    for key, spec in value.items():
        key = str(key)
        if key == "holidays":
            if spec not in ("open", "closed"):
                errors.append(f"open_hours.holidays must be open or closed, not {spec!r}")
            holidays_open = spec == "open"
            continue
        if key not in GROUPS:
            errors.append(f"open_hours: unknown day {key!r} (use {', '.join(['weekdays', 'weekend', 'daily', *DAY_NAMES])})")
            continue
        specs = spec if isinstance(spec, list) else [spec]
        for s in specs:
            s = str(s).strip()
            if s == "closed":
                continue
            if s == "daytime":
                daytime.update(GROUPS[key])
                continue
            r = _range(s)
            if r is None:
                errors.append(f"open_hours.{key}: {s!r} is not HH:MM-HH:MM, daytime or closed")
                continue
            for d in GROUPS[key]:
                days[d].append(r)
    if errors:
        return None, errors
    return Schedule(days=tuple(tuple(d) for d in days), daytime=frozenset(daytime), holidays_open=holidays_open), []


def is_open(schedule: Schedule | None, when: datetime, holidays=frozenset()) -> bool | None:
    """Open at `when` (any timezone; read in Seoul time)? None when the hours are not known."""
    if schedule is None:
        return None
    if schedule.always:
        return True
    t = when.astimezone(SEOUL) if when.tzinfo else when.replace(tzinfo=SEOUL)
    today = t.date()
    minute = t.hour * 60 + t.minute

    def closed_all_day(d: date) -> bool:
        return d in holidays and not schedule.holidays_open

    if not closed_all_day(today) and any(s <= minute < e for s, e in schedule.days[today.weekday()]):
        return True
    yesterday = today - timedelta(days=1)
    if not closed_all_day(yesterday) and any(
            e > 1440 and minute + 1440 < e for _, e in schedule.days[yesterday.weekday()]):
        return True
    if not closed_all_day(today) and today.weekday() in schedule.daytime and DAYTIME[0] <= minute < DAYTIME[1]:
        return None
    return False


def load_holidays(root: str | Path) -> tuple[frozenset, list[tuple[int, str]]]:
    """content/holidays.yaml -> (dates, [(line, problem)])."""
    path = Path(root) / HOLIDAYS_FILE
    if not path.exists():
        return frozenset(), [(1, "holidays.yaml is missing")]
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return frozenset(), [((mark.line + 1) if mark else 1, "invalid YAML")]
    out, problems = set(), []
    for key in (data.get("holidays") or {}) if isinstance(data, dict) else ():
        if isinstance(key, date):
            out.add(key)
        else:
            problems.append((1, f"holiday {key!r} is not a date YYYY-MM-DD"))
    return frozenset(out), problems
