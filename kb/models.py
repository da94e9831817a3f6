"""The domain's data: topics with sections, centers, and the answer given to a question."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .hours import Schedule


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    markdown: str
    text: str          # plain text, for search and for plain-text answers
    line: int          # line of the heading in the file, for error messages


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    category: str
    summary: str
    sections: tuple[Section, ...]
    audience: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    effective: date | str | None = None  # the raw text when it is not a date (kb check reports it)
    reviewed: date | str | None = None
    referrals: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    verify: tuple[str, ...] = ()
    path: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)   # front-matter key -> its line
    forms: tuple[str, ...] = ()     # ids of content/forms/ documents this topic offers ("신청서 만들기")
    case_types: tuple[str, ...] = ()   # kinds of case it helps with (taxonomy.yaml case_types: 거부, 체불 ...)
    # anchor -> the date a section's rule takes effect, for sections about a change still to come
    # (front matter `section_effective`); the search ranks them below the law in force until then
    section_effective: dict = field(default_factory=dict, compare=False, hash=False)
    meta_keys: frozenset[str] = field(default=frozenset(), compare=False)   # every key the front matter has (kb check)

    @property
    def core(self) -> Section | None:
        """The 핵심 답변: the first section."""
        return self.sections[0] if self.sections else None

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


@dataclass
class Facets:
    """The ids topics and centers may use, each with its Korean label, in display order
    (content/facets.yaml): one table for `kb check`, the filters and every page."""

    audiences: dict[str, str] = field(default_factory=dict)
    applies_to: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Center:
    id: str
    name: str
    kind: str
    description: str
    phone: str = ""
    website: str = ""
    address: str = ""
    hours: str = ""
    region: str = ""
    districts: tuple[str, ...] = ()
    near: tuple[str, ...] = ()            # stations and neighbourhoods it is close to (places.yaml names)
    open_hours: Schedule | None = None    # None when the hours are not known
    serves: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()
    fallback: str = ""
    verified: date | str | None = None  # as above
    sources: tuple[Source, ...] = ()
    verify: tuple[str, ...] = ()
    path: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)   # front-matter key -> its line
    meta_keys: frozenset[str] = field(default=frozenset(), compare=False)   # every key the front matter has (kb check)
    body_line: int = field(default=1, compare=False)                        # where the description starts

    def is_verified(self, field_name: str) -> bool:
        return field_name not in self.unverified


@dataclass(frozen=True)
class ReferralCard:
    id: str
    name: str
    phone: str
    why: str
    kind: str = ""
    hours: str = ""
    website: str = ""
    unverified: tuple[str, ...] = ()
    fallback_phone: str = ""
    fallback_name: str = ""
    urgent: bool = False            # 109, 112, 1366 ... put first by a crisis or danger route
    open_now: bool | None = None    # at the moment of the answer, in Seoul; None = hours unknown

    def to_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "phone": self.phone, "why": self.why,
            "kind": self.kind, "hours": self.hours, "website": self.website,
            "unverified": list(self.unverified), "fallback_phone": self.fallback_phone,
            "fallback_name": self.fallback_name, "urgent": self.urgent, "open_now": self.open_now,
        }


@dataclass(frozen=True)
class SectionRef:
    topic: str
    anchor: str
    title: str
    score: float

    def to_json(self) -> dict:
        return {"topic": self.topic, "anchor": self.anchor, "title": self.title, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Answer:
    """What `kb ask` and POST /api/ask return; `to_json` is the contract of DESIGN.md."""

    q: str
    answer: str
    topics: tuple[str, ...]
    sections: tuple[SectionRef, ...]
    referrals: tuple[str, ...]
    referral_cards: tuple[ReferralCard, ...]
    confident: bool
    crisis: bool
    as_of: str | None
    reviewed: str | None
    legal_basis: tuple[str, ...]
    suggestions: tuple[str, ...]
    core: str = ""                 # the 핵심 답변 alone (for the chat's first line)
    verify: tuple[str, ...] = ()   # "확인 필요" notes of the answered topic
    danger: bool = False           # violence, threats, stalking or sexual assault: 112 first
    lead: str = ""                 # the calm sentence that opens a crisis or danger answer
    detail: str = ""               # anchor of the section shown under the 핵심 답변 (steps, or the part asked)
    empathy: str = ""              # one human line for a distressed (not endangered) person
    part: str = ""                 # the clause this answers, when the message asked two things
    also: Answer | None = None     # the answer to the message's second question (kb/clauses.py)

    @property
    def urgent(self) -> bool:
        return self.crisis or self.danger

    @property
    def route(self) -> str:
        """What may be logged of an urgent question instead of its text."""
        return "+".join(r for r, on in (("crisis", self.crisis), ("danger", self.danger)) if on)

    def to_json(self) -> dict:
        return {
            "q": self.q, "answer": self.answer, "topics": list(self.topics),
            "sections": [s.to_json() for s in self.sections],
            "referrals": list(self.referrals),
            "referral_cards": [c.to_json() for c in self.referral_cards],
            "confident": self.confident, "crisis": self.crisis,
            "as_of": self.as_of, "reviewed": self.reviewed,
            "legal_basis": list(self.legal_basis), "suggestions": list(self.suggestions),
            "core": self.core, "verify": list(self.verify), "danger": self.danger, "lead": self.lead,
            "detail": self.detail, "empathy": self.empathy,
            "part": self.part, "also": self.also.to_json() if self.also is not None else None,
        }
