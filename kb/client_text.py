"""What a counselor pastes to the person on the phone: plain text, ready to send as it is.

Two lengths: the full text (title, the section, its legal basis, the 기준일 and where to call)
for an e-mail or a long message, and a short one for 문자·카카오톡 (at most 300 characters,
with a link to the topic page). Neither carries the topic's `verify` lines word for word: they
are notes for whoever keeps the content up to date as much as for readers, so the client gets
one plain caution instead, with the hotline to confirm at. Neither carries the 검토일 (a date of
our own work, not of the law).
"""
from __future__ import annotations

import re

from .content import Content
from .models import Center, Section, Topic
from .referrals import GENERAL_HOTLINES

SMS_LIMIT = 300
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _hotline_center(content: Content) -> Center | None:
    return next((content.centers[c] for c in GENERAL_HOTLINES if c in content.centers), None)


def _name_and_number(center: Center) -> str:
    """'고용노동부 고객상담센터 1350' (the number once, even when the name already carries it)."""
    return center.name if center.phone and center.phone in center.name else f"{center.name} {center.phone}".strip()


def hotline(content: Content) -> str:
    """'고용노동부 고객상담센터 1350(평일 09:00~18:00)': the first general hotline, from content."""
    center = _hotline_center(content)
    if center is None:
        return ""
    name = _name_and_number(center)
    return f"{name}({center.hours})" if center.hours else name


def as_of(topic: Topic) -> str:
    return f"기준일 {topic.effective}" if topic.effective else ""


def heading_line(topic: Topic, section: Section | None) -> str:
    if section is None or section is topic.core:
        return topic.title
    return f"{topic.title} - {section.heading}"


def closing_line(topic: Topic, content: Content) -> str:
    """Where to call: a caution when some facts of the topic are still to be confirmed."""
    line = hotline(content)
    if not line:
        return ""
    if topic.verify:
        return f"금액·날짜 등 일부 내용은 바뀌었을 수 있으니 {line}에서 꼭 확인하세요."
    return f"더 궁금한 점은 {line}에 물어보세요."


def client_answer(topic: Topic, section: Section | None, content: Content) -> str:
    """The full text: [title - heading], the section, 근거, 기준일, and the hotline."""
    body = section.text if section is not None else topic.summary
    basis = ("근거: " + ", ".join(topic.legal_basis)) if topic.legal_basis else ""
    dated = " · ".join(p for p in (basis, as_of(topic)) if p)
    parts = (f"[{heading_line(topic, section)}]", body.strip(), dated, closing_line(topic, content))
    return "\n\n".join(p for p in parts if p)


_LIST_MARK = re.compile(r"(?m)^[ \t]*(?:[-*•]|\d+[.)])[ \t]+")
_ENDS = (".", "!", "?", ":")
_POINTS_BELOW = "아래"       # "아래 표와 같습니다": what it points at may not make it into a short text


def units(text: str) -> list[str]:
    """The pieces a short text is cut from: each line (a paragraph, list item or table row) split
    into its sentences, list marks dropped and spaces squeezed."""
    out: list[str] = []
    for line in _LIST_MARK.sub("", text or "").splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            out += [u for u in _SENTENCE_END.split(line) if u]
    return out


def join_units(pieces: list[str]) -> str:
    """Sentences follow each other with a space; a table row or a line without an end mark is
    kept apart from the next with ' / ' (the line breaks are gone in one line of text)."""
    text = ""
    for piece in pieces:
        if not text:
            text = piece
        else:
            text += (" " if text.endswith(_ENDS) else " / ") + piece
    return text


def fit(text: str, room: int) -> str:
    """As many whole sentences and rows of `text`, from the start, as fit in `room` characters
    (leaving out a sentence pointing "아래" when not all fits); when not even the first fits,
    its beginning cut at a space with '…'."""
    pieces = units(text)
    whole = join_units(pieces)
    if len(whole) <= room:
        return whole
    pieces = [u for u in pieces if _POINTS_BELOW not in u] or pieces
    taken: list[str] = []
    for piece in pieces:
        if len(join_units([*taken, piece])) > room:
            break
        taken.append(piece)
    if len(taken) > 1 and not taken[-1].endswith(_ENDS) and taken[-2].endswith(_ENDS):
        taken.pop()       # a table's header row without any of its rows says nothing
    if taken:
        return join_units(taken)
    cut = pieces[0][:max(0, room - len(ELLIPSIS))] if pieces else ""
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,·") + ELLIPSIS if cut else ""


def sms_answer(topic: Topic, section: Section | None, link: str, content: Content,
               limit: int = SMS_LIMIT) -> str:
    """At most `limit` characters for 문자·카카오톡: the title, as much of the section as fits in
    whole sentences, the 기준일, the link to the topic page, and the hotline's number."""
    center = _hotline_center(content)
    call = f"문의 {_name_and_number(center)}" if center else ""
    head = f"[{heading_line(topic, section)}]"
    tail = "\n".join(p for p in (as_of(topic), f"자세히: {link}" if link else "", call) if p)
    room = limit - len(head) - len(tail) - 2          # two line breaks around the body
    body = fit(section.text if section is not None else topic.summary, room) if room > 0 else ""
    text = "\n".join(p for p in (head, body, tail) if p)
    if len(text) > limit:                              # a very long title: keep the link and the number
        text = "\n".join(p for p in (fit(head, limit - len(tail) - 1), tail) if p)[:limit]
    return text
