"""The knowledge base as one object: loaded content plus a fresh index to search.

`open_kb` is what the CLI and the web app call. It rebuilds the index when the content (or the
analysis code's format) changed since the last build, and refuses to build from content with
errors — an old index keeps serving in that case, a missing one is an error.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from search import rerank
from search.documents import SectionDoc
from search.index import build, current_fingerprint, fingerprint
from search.searcher import Searcher

from . import answer as answering
from . import config
from .check import check
from .content import Content, Problem, load
from .models import Answer, Topic

log = logging.getLogger(__name__)


class ContentError(Exception):
    """Content with errors cannot be indexed; `problems` says where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in content; first: {problems[0]}" if problems else "content errors")


def section_docs(content: Content) -> list[SectionDoc]:
    docs = []
    for t in content.topics.values():
        questions = "\n".join(t.questions)
        keywords = "\n".join((*t.keywords, t.summary))
        for i, s in enumerate(t.sections):
            docs.append(SectionDoc(
                topic=t.id, anchor=s.anchor, order=i, title=t.title, heading=s.heading, body=s.text,
                questions=questions, keywords=keywords, category=t.category,
                audience=t.audience, applies_to=t.applies_to,
            ))
    return docs


def blocking_problems(content: Content) -> list[Problem]:
    """Errors that make content unsafe to index (shape errors; not the editorial checks)."""
    return [p for p in check(content) if not p.warning and "has no file" not in p.message]


def build_index(content: Content, instance: Path) -> Path:
    problems = blocking_problems(content)
    if problems:
        raise ContentError(problems)
    docs = section_docs(content)
    path = build(docs, content.lexicon, instance, fingerprint(content.files()))
    rerank.build_embeddings(path, docs, content.lexicon)   # optional; nothing without a model
    return path


def ensure_index(content: Content, instance: Path) -> bool:
    """Build when missing or stale; return True when a build happened."""
    fp = fingerprint(content.files())
    current = current_fingerprint(instance)
    if current == fp:
        return False
    try:
        build_index(content, instance)
        return True
    except ContentError:
        if current is None:
            raise
        log.error("content has errors; keeping the old index", exc_info=True)
        return False


@dataclass
class KnowledgeBase:
    content: Content
    searcher: Searcher
    instance: Path

    def ask(self, question: str, *, now=None, context=None) -> Answer:
        """`now` pins the clock (default: Seoul time now); `context` is a kb.referrals.Context."""
        return answering.ask(question, self.content, self.searcher, now=now, context=context)

    def search(self, question: str, filters: dict | None = None, limit: int = 20, snippets: bool = True):
        return self.searcher.search(question, limit=limit, filters=filters, snippets=snippets)

    def topic(self, topic_id: str) -> Topic | None:
        return self.content.topics.get(topic_id)

    def close(self):
        self.searcher.close()


def open_kb(content_root: str | Path | None = None, instance: str | Path | None = None,
            build_if_stale: bool = True) -> KnowledgeBase:
    content_root = Path(content_root or config.content_dir())
    instance = Path(instance or config.instance_dir())
    content = load(content_root)
    if build_if_stale:
        ensure_index(content, instance)
    return KnowledgeBase(content, rerank.wrap(Searcher(instance), instance), instance)
