"""What the search sees of a question: the person's feeling words left out, whole words at a time.

"출산휴가 안 준대요 너무 서러워요" asks about 출산휴가; "서러워요" says how the person is. The
safety matcher (kb/safety.py) finds such phrases (route `distress`, words in content/safety.yaml)
and gives their spans, which cover the morphemes only ("억울하" of "억울해서"): blanking just those
leaves stray endings ("서", "겠어요") that the analyser may read as words. So each span is widened
to the whole words it touches. Runs of lone jamo (ㅠㅠ, ㅋㅋ, ᅲᅲ after NFKC) are dropped too: they
are never a topic, and a term the index has never seen weighs the most, so it would lower the
share of the question a topic explains (its coverage) and with it the answer's confidence.
"""
from __future__ import annotations

import re

from . import safety

# compatibility jamo (ㄱ-ㅣ) and the conjoining jamo NFKC turns them into; a syllable (가-힣) is
# one code point of its own, so dropping these never breaks a word
_LONE_JAMO = re.compile(r"[\u1100-\u11ff\u3131-\u318e]+")


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to the whitespace around it: the whole words it touches."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def without_spans(text: str, spans) -> str:
    """`text` with each span (widened to whole words) removed, single-spaced."""
    out, pos = [], 0
    for start, end in sorted(widen(text, s, e) for s, e in spans):
        if start >= pos:
            out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return " ".join("".join(out).split())


def search_text(question: str, verdict: safety.Verdict) -> str:
    """The question as searched: no feeling words (when the matcher found any), no jamo runs.

    Falls back to the question itself when nothing would be left ("너무 서러워요" alone)."""
    text = safety.normalise(question)
    spans = [a.span for a in verdict.alarms if a.route == safety.DISTRESS and a.span != (0, 0)]
    kept = without_spans(text, spans) if spans else text
    kept = " ".join(_LONE_JAMO.sub(" ", kept).split())
    return kept or question
