"""Small hand-made domain objects for the fast unit tests (no index; Kiwi only for safety.yaml).

The unit tests pin the decisions of kb/ and search/ with inputs whose numbers are written out,
so that each expected value is worked out by hand in the test, not read back from the code.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from kb.content import Content
from kb.models import Center, Section, Topic
from search.analysis import get_kiwi
from search.searcher import SearchResult, SectionHit, TopicHit

# Kiwi itself (no user words: the hand-made content has no lexicon) once per process, at import:
# a mutation tool forks one test process per mutant from a process that has imported the tests,
# and creating Kiwi in every fork cost seconds per mutant. Nothing is analysed here.
get_kiwi()

CORE = "핵심-답변"


def section(anchor: str, heading: str | None = None, text: str | None = None) -> Section:
    heading = heading or anchor
    text = text if text is not None else f"{heading} 본문입니다."
    return Section(heading=heading, anchor=anchor, markdown=text, text=text, line=1)


def topic(tid: str, *, title: str | None = None, category: str = "parenting", anchors=(CORE, "apply", "pay"),
          referrals=(), summary: str = "", verify=(), legal_basis=("어떤 법 제1조",),
          effective=date(2025, 2, 23), reviewed=date(2026, 11, 20), applies_to=("regular",)) -> Topic:
    return Topic(
        id=tid, title=title or f"{tid} 제목", category=category, summary=summary or f"{tid} 요약입니다.",
        sections=tuple(section(a, text=f"{tid}의 {a} 내용입니다.") for a in anchors),
        referrals=tuple(referrals), verify=tuple(verify), legal_basis=tuple(legal_basis),
        effective=effective, reviewed=reviewed, applies_to=tuple(applies_to),
    )


def center(cid: str, *, name: str | None = None, phone: str = "1350",
           description: str = "노동 상담을 합니다. 두 번째 문장.", serves=(), unverified=(), fallback: str = "",
           kind: str = "hotline") -> Center:
    return Center(id=cid, name=name or f"{cid} 이름", kind=kind, description=description, phone=phone,
                  serves=tuple(serves), unverified=tuple(unverified), fallback=fallback)


REPO = Path(__file__).resolve().parent.parent


def content(topics=(), centers=(), regions=None) -> Content:
    """Hand-made topics and centers with the real crisis/danger lexicon (content/safety.yaml is
    data the answer needs; its matcher runs the real Kiwi)."""
    from kb.safety import load_raw

    return Content(root=Path("."), topics={t.id: t for t in topics}, centers={c.id: c for c in centers},
                   taxonomy={"regions": regions} if regions is not None else {},
                   safety=load_raw(REPO / "content" / "safety.yaml"))


def shit(topic_id: str, anchor: str, score: float, matched=(), order: int = 0, heading: str = "") -> SectionHit:
    return SectionHit(topic=topic_id, anchor=anchor, heading=heading or anchor, order=order, score=score,
                      matched=frozenset(matched))


def thit(topic_id: str, score: float = 10.0, coverage: float = 1.0, sections=()) -> TopicHit:
    return TopicHit(topic=topic_id, score=score, coverage=coverage, sections=tuple(sections))


def result(topics=(), sections=(), terms=("질문",)) -> SearchResult:
    return SearchResult(terms=tuple(terms), sections=tuple(sections), topics=tuple(topics), term_weights={})


class StubSearcher:
    """Stands in for search.Searcher: returns one prepared result and records what it was asked."""

    def __init__(self, res: SearchResult):
        self.res = res
        self.asked: list[tuple[str, int]] = []

    def search(self, text, limit=30, filters=None, snippets=False):
        self.asked.append((text, limit))
        return self.res
