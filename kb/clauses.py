"""Split a message that asks two things into its two questions.

"출휴 끝나고 바로 육휴 쓸 수 있어요? 그리고 육휴 중에 연차는요?" asks two things; searched as one
text, the words of both pull the answer to a topic that fits neither well. People mark the seam
with a question's end (?, -나요, -까요), a sentence end Kiwi finds without punctuation ("…있어요 그리고
…"), or a linking word (그리고, 또, 그리고요, 하나 더, 추가로). Kiwi's sentence split finds the
sentences; a linking word inside a sentence, after a clause ending, opens a new clause too.

A clause counts as a question when it ends with "?", with an asking ending (-나요, -까요, -ㄴ가요,
-죠, -는지), with "…는요" (the short "and what about X?"), or holds a question word (얼마, 몇,
언제, 어디, 어떻게, 뭐, 왜 …); "회사가 안 된대요" and "하나 더 물어볼게요" are not questions. Only a
message with two such questions is split, into at most two parts: the first question with whatever
leads up to it, and the rest. Whether the split is kept (each part needs a confident topic of its
own, and the two must differ) is the answer layer's decision (kb/answer.py); this module only
reads the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

# Linking words that open a new question ("… 있어요? 그리고 … 는요?"), as Kiwi gives them.
LINKS = frozenset({"그리고", "그리고요", "또", "또한", "추가로", "그럼", "그러면", "아울러"})
# "하나 더", "한 가지 더": a number word followed by 더
_MORE = frozenset({"하나", "한", "가지"})
QUESTION_WORDS = frozenset({"얼마", "몇", "며칠", "언제", "어디", "어떻", "뭐", "무엇", "뭘", "왜", "누구", "누가", "무슨",
                            "어느", "어떡", "어때", "어떤"})
# Endings that ask (Kiwi's EF/EC forms); "-대요/-래요" (hearsay) and "-어요" alone do not.
_ASKING = ("나요", "까요", "가요", "니까", "는지", "ᆫ지", "ᆫ가", "나", "냐", "니", "죠", "지요", "ᆯ까", "을까")
_HEARSAY = ("대요", "래요", "재요", "ᆫ대", "는대")
MAX_PARTS = 2
# Without one of these a message is read as one question and Kiwi is not asked at all (a sentence
# split costs about as much as the whole search): a question mark with more words after it, or a
# linking word standing on its own.
_LINK_WORD = re.compile(r"(?:^|\s)(?:그리고요?|또한?|추가로|아울러|그럼|그러면|하나\s*더|한\s*가지\s*더)(?=[\s,.?!]|$)")
_AFTER_QUESTION_MARK = re.compile(r"[?？]\s*\S*[\uac00-\ud7a3]\S*")


def may_hold_two(text: str) -> bool:
    """A cheap first look: could this message hold a second question?"""
    return bool(_AFTER_QUESTION_MARK.search(text) or _LINK_WORD.search(text))


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int
    question: bool


def _tag(t) -> str:
    return str(t.tag).split("-", 1)[0]


def _asks(tokens, text: str) -> bool:
    """Whether one clause (its Kiwi tokens and text) is a question."""
    if text.rstrip().endswith(("?", "？")):
        return True
    words = [t for t in tokens if not _tag(t).startswith("S")]
    if not words:
        return False
    if any(t.form in QUESTION_WORDS for t in words):
        return True
    last = words[-1]
    form, tag = last.form, _tag(last)
    if tag in ("EF", "EC") and form.endswith(_ASKING) and not form.endswith(_HEARSAY):
        return True
    # "쓸 수 있어요", "받을 수 없어요", "써도 돼요": asking whether something is allowed
    if tag == "EF" and not form.endswith(_HEARSAY) and len(words) >= 3:
        before, verb = words[-3], words[-2]
        if (before.form == "수" and verb.form in ("있", "없")) or (verb.form == "되" and before.form.endswith(("어도", "아도"))):
            return True
    # "연차는요": a topic particle and 요 — "and what about …?"
    return form == "요" and len(words) >= 2 and words[-2].form in ("는", "은") and _tag(words[-2]) == "JX"


def _link_at(tokens, i: int) -> bool:
    """Whether tokens[i] opens a new clause: a linking word right after a clause ending."""
    t = tokens[i]
    prev = tokens[i - 1] if i > 0 else None
    ended = prev is not None and (_tag(prev) in ("EF", "SF") or (_tag(prev) == "EC" and prev.form.endswith(_ASKING)))
    if not ended:
        return False
    if t.form in LINKS and _tag(t) in ("MAJ", "MAG", "IC"):
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return t.form in _MORE and nxt is not None and nxt.form == "더"


def clauses(text: str, kiwi) -> list[Clause]:
    """The message's clauses in order: Kiwi's sentences, cut again before a linking word."""
    out: list[Clause] = []
    for sent in kiwi.split_into_sents(text, return_tokens=True):
        tokens = list(sent.tokens or ())
        cuts = [sent.start] + [t.start for i, t in enumerate(tokens) if i > 0 and _link_at(tokens, i)] + [sent.end]
        for a, b in pairwise(cuts):
            piece = text[a:b].strip()
            if not piece:
                continue
            own = [t for t in tokens if a <= t.start < b]
            start = a + (len(text[a:b]) - len(text[a:b].lstrip()))
            out.append(Clause(piece, start, start + len(piece), _asks(own, piece)))
    return out


def split_question(text: str, kiwi) -> tuple[str, ...]:
    """One part, or two when the message holds two questions: (up to the first question, the rest)."""
    if not may_hold_two(text):
        return (text,)
    found = clauses(text, kiwi)
    asks = [i for i, c in enumerate(found) if c.question]
    if len(asks) < 2:
        return (text,)
    cut = found[asks[0] + 1].start
    first, rest = text[:cut].strip(), text[cut:].strip()
    return (first, rest) if first and rest else (text,)
