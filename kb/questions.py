"""Validate a question before it reaches the search engine."""
from __future__ import annotations

import unicodedata

MAX_QUESTION_CHARS = 500


class QuestionError(ValueError):
    """A question that cannot be answered as typed; `message` is Korean, for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def clean_question(raw) -> str:
    if raw is None or not isinstance(raw, str):
        raise QuestionError("질문을 글자로 입력해 주세요.", "not_text")
    q = raw.strip()
    if not q:
        raise QuestionError("질문을 입력해 주세요.", "empty")
    if len(q) > MAX_QUESTION_CHARS:
        raise QuestionError(f"질문이 너무 깁니다. {MAX_QUESTION_CHARS}자 이내로 줄여 주세요.", "too_long")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t\r" for ch in q):
        raise QuestionError("질문에 입력할 수 없는 제어 문자가 들어 있습니다.", "control_chars")
    return " ".join(q.split())
