"""Recognise crisis wording, so that 109 comes before anything else.

Matching is on the raw question with spaces squeezed out, because people in distress do not
type carefully ("죽고싶어요", "살고 싶지 않아요"). False positives cost little (a 109 card on
top); a miss could cost a life, so the list errs on the side of matching.
"""
from __future__ import annotations

import re

_PATTERNS = [
    r"죽고싶", r"죽고만싶", r"죽어버리", r"죽어야", r"죽을래", r"죽을까", r"자살", r"자해",
    r"살고싶지않", r"살기싫", r"살고싶지가않", r"사는게의미", r"살아갈이유", r"삶을끝", r"생을마감",
    r"극단적선택", r"목숨을끊", r"목숨끊", r"사라지고싶", r"없어지고싶", r"뛰어내리", r"목매",
    r"세상을떠나고싶", r"끝내고싶어요", r"유서",
    r"suicid", r"killmyself", r"wanttodie", r"endmylife",
]
_CRISIS = re.compile("|".join(_PATTERNS))


def is_crisis(question: str) -> bool:
    squeezed = re.sub(r"\s+", "", question).lower()
    return bool(_CRISIS.search(squeezed))
