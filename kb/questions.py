"""Validate a question before it reaches the search engine.

What people (and programs) send includes text that is not a question at all: lone UTF-16
surrogates from broken clients (Kiwi and every encoder fail on them), zero-width characters and
Hangul fillers that look like text but are empty, control characters. Those are refused here
with a Korean message and a machine `code`. Junk that is valid text ("1", "NOT",
"' OR 1=1 --", "{{7*7}}") is not refused, but `has_words` tells the answer layer it can never
be answered confidently.
"""
from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 500
EMPTY_QUESTION = "질문을 입력해 주세요."   # also what the chat page says before sending (web/views.py)

# Invisible characters that are not whitespace to str.split(): zero-width space/joiners, word
# joiner, BOM, soft hyphen, Hangul fillers (ㅤ U+3164 is what people paste to send "nothing"),
# the braille blank and other format (Cf) characters.
_INVISIBLE = {"\u3164", "\u115f", "\u1160", "\uffa0", "\u2800", "\u00ad", "\u180e"}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class QuestionError(ValueError):
    """A question that cannot be answered as typed; `message` is Korean, for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _invisible(ch: str) -> bool:
    return ch in _INVISIBLE or unicodedata.category(ch) == "Cf"


def clean_question(raw) -> str:
    if raw is None or not isinstance(raw, str):
        raise QuestionError("질문을 글자로 입력해 주세요.", "not_text")
    if any("\ud800" <= ch <= "\udfff" for ch in raw):
        raise QuestionError("질문에 깨진 글자가 들어 있어요. 다시 입력해 주세요.", "invalid_unicode")
    q = "".join(ch for ch in raw if not _invisible(ch)).strip()
    if not q:
        raise QuestionError(EMPTY_QUESTION, "empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"질문이 너무 깁니다. {MAX_QUESTION_CHARS}자 이내로 줄여 주세요.", "too_long")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in q):
        raise QuestionError("질문에 입력할 수 없는 제어 문자가 들어 있습니다.", "control_chars")
    return " ".join(q.split())


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def has_words(q: str) -> bool:
    """Whether a question has enough language in it to be answered with confidence: at least two
    Hangul syllables, or a sentence of four or more Latin words (a migrant worker asking in
    English). Digits, SQL or template fragments and lone Latin words match numbers and stray
    tokens in the content and must never come back as a confident answer."""
    return len(_HANGUL.findall(q)) >= 2 or len(_LATIN_WORD.findall(q)) >= 4
