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


def mask(text: str) -> str:
    text = _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****-{m.group(3)}", text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
    return text
