"""Domain knowledge the words alone do not carry, added to a question before it is searched.

"직원 4명인 회사" never says "5인 미만", but that is what the law cares about; "아빠" asking
about 출산휴가 is asking about 배우자 출산휴가. Each rule adds words, never removes them.
"""
from __future__ import annotations

import re

_HEADCOUNT = re.compile(r"(직원|근로자|노동자|사람|인원|강사|알바|직원수|상시근로자|식구)[^\d]{0,6}(\d{1,3})\s*(명|인)")
_HEADCOUNT_AFTER = re.compile(r"(\d{1,3})\s*(명|인)\s*(짜리|인|이|있는|뿐|밖에|규모|사업장|회사|가게|매장|카페|식당|학원|사무실)")


def headcount(question: str) -> int | None:
    """The number of people at the workplace, when the question says it ("직원 4명", "3명인 가게")."""
    m = _HEADCOUNT.search(question)
    if m:
        return int(m.group(2))
    m = _HEADCOUNT_AFTER.search(question)
    if m:
        return int(m.group(1))
    return None


def expand(question: str) -> str:
    """The question plus the domain words it implies (shown to no one; searched only)."""
    extra = []
    n = headcount(question)
    if n is not None and n < 5:
        extra.append("5인 미만 사업장")
    return question if not extra else question + " " + " ".join(extra)
