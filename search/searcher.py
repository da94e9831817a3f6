"""Rank sections for a question and aggregate them to topics.

Whoosh's QueryParser splits on spaces before any analyzer runs, which is wrong for Korean;
instead the whole question goes through the index's own analyzer and the query is built from
its terms, one weighted OR over the fields (BM25F). Besides scores, each result carries how much
of the question it explains (`coverage`, the idf-weighted share of the question's terms that
the topic contains): the answer layer uses it to abstain instead of guessing.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh import scoring

from .analysis import terms as analyse_terms
from .index import FIELD_BOOSTS, SEARCH_FIELDS, open_index


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


@dataclass(frozen=True)
class SectionHit:
    topic: str
    anchor: str
    heading: str
    order: int
    score: float
    matched: frozenset[str]
    snippet: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class TopicHit:
    topic: str
    score: float
    coverage: float
    sections: tuple[SectionHit, ...]


@dataclass(frozen=True)
class SearchResult:
    terms: tuple[str, ...]
    sections: tuple[SectionHit, ...]
    topics: tuple[TopicHit, ...]
    term_weights: dict = field(default_factory=dict)


FILTER_FIELDS = ("category", "audience", "applies_to")


class Searcher:
    """A read-only view of one index; thread-safe for concurrent `search` calls."""

    def __init__(self, instance_dir):
        self.ix = open_index(instance_dir)
        self.analyzer = self.ix.schema["body"].analyzer
        self.weighting = scoring.BM25F(B=0.75, K1=1.2, title_B=0.3, heading_B=0.3, questions_B=0.5,
                                       keywords_B=0.3)
        self._searcher = self.ix.searcher(weighting=self.weighting)
        self._lock = threading.Lock()
        self.doc_count = self._searcher.doc_count() or 1
        self._idf_cache: dict[str, float] = {}

    def close(self):
        self._searcher.close()

    def terms(self, text: str) -> list[str]:
        return analyse_terms(self.analyzer, text)

    def term_weight(self, term: str) -> float:
        """An idf over all searched fields: rare or unknown terms weigh most."""
        w = self._idf_cache.get(term)
        if w is None:
            df = max(self._searcher.doc_frequency(f, term) for f in SEARCH_FIELDS)
            w = math.log(1 + (self.doc_count - df + 0.5) / (df + 0.5))
            self._idf_cache[term] = w
        return w

    def search(self, text: str, limit: int = 30, filters: dict | None = None,
               snippets: bool = False) -> SearchResult:
        qterms = self.terms(text)
        weights = {t: self.term_weight(t) for t in qterms}
        if not qterms:
            return SearchResult((), (), (), {})
        q = Q.Or([Q.Term(f, t, boost=FIELD_BOOSTS[f]) for t in qterms for f in SEARCH_FIELDS])
        flt = self._filter(filters)
        with self._lock:
            results = self._searcher.search(q, limit=limit, filter=flt, terms=True)
            hits = []
            for r in results:
                matched = frozenset(t.decode() if isinstance(t, bytes) else t for _, t in r.matched_terms())
                body = r.get("body", "")
                hits.append(SectionHit(
                    topic=r["topic"], anchor=r["anchor"], heading=r["heading"], order=r["order"],
                    score=float(r.score), matched=matched,
                    snippet=self.snippet(body, set(qterms)) if snippets else (),
                ))
        return SearchResult(tuple(qterms), tuple(hits), aggregate(hits, weights), weights)

    def _filter(self, filters: dict | None):
        if not filters:
            return None
        parts = []
        for name in FILTER_FIELDS:
            value = filters.get(name)
            if value:
                values = [value] if isinstance(value, str) else list(value)
                parts.append(Q.Or([Q.Term(name, v) for v in values]))
        return Q.And(parts) if parts else None

    def snippet(self, text: str, wanted: set[str], width: int = 160) -> tuple[Segment, ...]:
        """The stretch of `text` with the most matched terms, split into matched/unmatched runs."""
        spans = [(t.startchar, t.endchar) for t in self.analyzer(text, chars=True) if t.text in wanted]
        if not text:
            return ()
        if spans:
            best_start, best_count = spans[0][0], 0
            for s, _ in spans:
                count = sum(1 for a, _ in spans if s <= a < s + width)
                if count > best_count:
                    best_start, best_count = s, count
            lo = max(0, best_start - 30)
        else:
            lo = 0
        hi = min(len(text), lo + width)
        segs, cur = [], lo
        for s, e in sorted(set(spans)):
            if s < cur or s >= hi:
                continue
            e = min(e, hi)
            if s > cur:
                segs.append(Segment(text[cur:s], False))
            segs.append(Segment(text[s:e], True))
            cur = e
        if cur < hi:
            segs.append(Segment(text[cur:hi], False))
        if lo > 0:
            segs.insert(0, Segment("…", False))
        if hi < len(text):
            segs.append(Segment("…", False))
        return tuple(segs)


def aggregate(hits: list[SectionHit], weights: dict[str, float]) -> tuple[TopicHit, ...]:
    """Topic score = its best section plus a little for other matching sections."""
    by_topic: dict[str, list[SectionHit]] = {}
    for h in hits:
        by_topic.setdefault(h.topic, []).append(h)
    total = sum(weights.values()) or 1.0
    out = []
    for topic, secs in by_topic.items():
        secs.sort(key=lambda h: -h.score)
        score = secs[0].score + 0.15 * sum(h.score for h in secs[1:3])
        matched = set().union(*(h.matched for h in secs))
        coverage = sum(w for t, w in weights.items() if t in matched) / total
        out.append(TopicHit(topic, score, coverage, tuple(secs)))
    out.sort(key=lambda t: -t.score)
    return tuple(out)
