"""Mask personal numbers before anything a person typed is logged.

Hotline numbers (1350, 1661-2020, 02-120) are not personal; mobile and landline numbers,
resident registration numbers and e-mail addresses are.
"""
from __future__ import annotations

import re

_RRN = re.compile(r"(?<!\d)(\d{6})\s*-?\s*([1-8])\d{6}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(01[016789])[-.\s]?(\d{3,4})[-.\s]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{1,2})[-.)\s]\s?(\d{3,4})[-.\s](\d{4})(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# a salary named as one (월급 300, 세전 350만원, 통상임금 2,800,000원): the amount is personal too
_SALARY = re.compile(r"((?:월급|연봉|세전|세후|통상임금|급여|임금|월\s*소득|실수령)\s*(?:이|은|는|가|이면|으로)?\s*(?:약\s*)?)"
                     r"\d[\d,.]*(\s*(?:만\s*원|만|원))?")


def mask(text: str) -> str:
    text = _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    text = _SALARY.sub(lambda m: f"{m.group(1)}***{m.group(2) or ''}", text)
    return text
