"""Sections about a change still to come rank below the law in force.

A topic may hold a section on next year's rule ("2027년 최저임금은?") beside the one in force;
both use the same words, and whichever the BM25 figures favour would otherwise be shown as the
answer. Until the section's own effective date (stored with the section, from the topic's front
matter `section_effective`) its score is multiplied by `FUTURE_FACTOR`; from that day on it ranks
like any other section, without a rebuild. A question that names the year ("2027년 최저임금",
"내년 최저임금") asks about that change, and the section keeps its full score. "Today" is the date
in Seoul, where the law applies.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

FUTURE_FACTOR = 0.7
SEOUL = timezone(timedelta(hours=9))    # no daylight saving in Korea
_YEAR = re.compile(r"^(20\d\d)년?$")
NEXT_YEAR_WORDS = frozenset({"내년", "다음해", "next year"})


def seoul_today() -> date:
    return datetime.now(SEOUL).date()


def parse_day(text) -> date | None:
    """A stored YYYY-MM-DD, or None when there is none (or it is not a date)."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def years_named(terms, today: date) -> frozenset[int]:
    """The years a question's terms name: "2027년", "2027", "내년"."""
    years = set()
    for t in terms:
        m = _YEAR.match(t)
        if m:
            years.add(int(m.group(1)))
        elif t in NEXT_YEAR_WORDS:
            years.add(today.year + 1)
    return frozenset(years)


def future_factor(effective: date | None, today: date, asked: frozenset[int] = frozenset()) -> float:
    """The score factor of a section taking effect on `effective` (None: in force); `asked` are
    the years the question names (a section of such a year is what was asked)."""
    if effective is None or effective <= today or effective.year in asked:
        return 1.0
    return FUTURE_FACTOR
