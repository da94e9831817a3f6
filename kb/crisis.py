"""Recognise crisis wording, so that 109 comes before anything else.

Matching is on the raw question with spaces squeezed out, because people in distress do not
type carefully ("죽고싶어요", "살고 싶지 않아요"). False positives cost little (a 109 card on
top); a miss could cost a life, so the list errs on the side of matching.
"""
from __future__ import annotations

import re

_PATTERNS = [
    # wanting to die, to disappear, to end it
    r"죽고싶", r"죽고만싶", r"죽어버리", r"죽어야", r"죽을래", r"죽을까", r"죽는게나", r"죽는게낫",
    r"자살", r"자해", r"극단적선택", r"극단선택", r"목숨을끊", r"목숨끊", r"생을마감", r"삶을끝",
    r"살고싶지않", r"살고싶지가않", r"살기싫", r"살아있기싫", r"살아있는게", r"살아있는것이", r"사는게의미",
    r"살아갈이유", r"살이유가없", r"살의미", r"사라지고싶", r"없어지고싶", r"사라져버리", r"세상을떠나고싶",
    r"끝내버리고싶", r"다끝내고싶", r"다끝내버", r"모든걸끝", r"마지막일것같", r"오늘밤이마지막",
    # means: jumping, hanging, pills, bridges
    r"뛰어내리", r"목매", r"약을모아", r"수면제를모", r"유서", r"한강다리", r"다리에서뛰", r"옥상에서뛰",
    # despair that people write before asking for help
    r"버틸수가없", r"더는못버티", r"더이상못버티", r"견딜수가없", r"짐이되", r"짐같", r"아무의미가없",
    r"suicid", r"killmyself", r"kill myself", r"wanttodie", r"endmylife", r"endingitall", r"endeverything", r"betteroffwithoutme",
    r"can'tgoon", r"cantgoon", r"can'tdothisanymore", r"cantdothisanymore", r"noreasontolive",
    r"don'twanttolive", r"dontwanttolive", r"hurtmyself", r"selfharm",
]
_CRISIS = re.compile("|".join(_PATTERNS))


def is_crisis(question: str) -> bool:
    squeezed = re.sub(r"\s+", "", question).lower()
    return bool(_CRISIS.search(squeezed))
