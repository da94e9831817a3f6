"""Rank sections for a question and aggregate them to topics.

Whoosh's QueryParser splits on spaces before any analyzer runs, which is wrong for Korean;
instead the whole question goes through the index's own analyzer and its terms are scored with
per-field BM25: BM25 in each field on its own (with the field's length normalisation), the
fields' scores summed with their boosts. (This is not BM25F, which would pool a term's
frequencies over the fields before saturating them once.) Besides scores, each result carries how much
of the question it explains (`coverage`, the idf-weighted share of the question's terms that
the topic contains): the answer layer uses it to abstain instead of guessing.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from whoosh.scoring import bm25

from .analysis import terms as analyse_terms
from .analysis import weighted_terms
from .effective import future_factor, parse_day, seoul_today, years_named
from .index import FIELD_BOOSTS, SEARCH_FIELDS, open_index, open_index_dir
from .lru import LRU


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


FILTER_FIELDS = ("category", "audience", "applies_to", "case_types")


class Searcher:
    """A read-only view of one index; thread-safe for concurrent `search` calls.

    The index has a few hundred section documents, so instead of Whoosh's generic matcher
    tree (pure-Python OR trees cost ~20 ms a question here) the searcher scores per-field BM25
    straight from the postings: per query term and field, read the posting list once (cached),
    and add `bm25(idf, weight, field length)` times the field's boost (so each field saturates
    on its own; not BM25F). Field lengths and stored fields
    are read once when the index is opened.
    """

    K1 = 1.2
    FIELD_B: ClassVar[dict[str, float]] = {"title": 0.3, "heading": 0.3, "questions": 0.5, "keywords": 0.3, "body": 0.75}

    # Bounds for the memoised figures (terms come from whatever people type).
    POSTINGS_CACHE = 20_000
    IDF_CACHE = 20_000
    SPAN_CACHE = 2_000

    def __init__(self, instance_dir=None, index_dir=None, check: bool = True):
        """Open the instance's current index, or one `index_dir`; `check` verifies its MANIFEST."""
        self.ix = open_index_dir(index_dir, check=check) if index_dir is not None else open_index(instance_dir, check=check)
        self.index_dir = index_dir
        self.analyzer = self.ix.schema["body"].analyzer
        self._searcher = self.ix.searcher()
        self._reader = self._searcher.reader()
        self.doc_count = self._reader.doc_count_all() or 1
        self._docnums = [n for n in range(self._reader.doc_count_all()) if not self._reader.is_deleted(n)]
        self._stored = {n: self._reader.stored_fields(n) for n in self._docnums}
        self._lengths = {f: {n: self._reader.doc_field_length(n, f, 0) or 0 for n in self._docnums}
                         for f in SEARCH_FIELDS}
        self._avg = {f: self._searcher.avg_field_length(f) or 1.0 for f in SEARCH_FIELDS}
        self._title_terms = self._analyse_titles()
        # sections about a rule not yet in force (search/effective.py), by docnum
        self._effective = {n: d for n, d in ((n, parse_day(r.get("effective"))) for n, r in self._stored.items()) if d}
        self.today = seoul_today     # the clock; a test may pin it
        self._postings = LRU(self.POSTINGS_CACHE)
        self._idf_cache = LRU(self.IDF_CACHE)
        self._span_cache = LRU(self.SPAN_CACHE)
        self._contrib_cache = LRU(self.POSTINGS_CACHE)
        self._size = max(self._docnums, default=-1) + 1
        self._lock = threading.Lock()

    def close(self):
        self._searcher.close()

    def _analyse_titles(self) -> dict[str, frozenset]:
        """Each topic's title as main terms (no parts), for the names-the-topic bonus."""
        out = {}
        for r in self._stored.values():
            if r["topic"] not in out:
                out[r["topic"]] = frozenset(t.text for t in self.analyzer(r.get("title", ""))
                                            if not getattr(t, "part", False))
        return out

    def terms(self, text: str) -> list[str]:
        return analyse_terms(self.analyzer, text)

    def _posting(self, field: str, term: str) -> tuple[float, tuple]:
        """(idf, ((docnum, weight), ...)) for a term in a field, read once."""
        key = (field, term)
        got = self._postings.get(key)
        if got is None:
            with self._lock:
                if (field, term) in self._reader:
                    items = tuple(self._reader.postings(field, term).items_as("weight"))
                    got = (self._searcher.idf(field, term), items)
                else:
                    got = (0.0, ())
                self._postings.put(key, got)
        return got

    def term_weight(self, term: str) -> float:
        """An idf over all searched fields: rare or unknown terms weigh most."""
        w = self._idf_cache.get(term)
        if w is None:
            df = max(len(self._posting(f, term)[1]) for f in SEARCH_FIELDS)
            w = math.log(1 + (self.doc_count - df + 0.5) / (df + 0.5))
            self._idf_cache.put(term, w)
        return w

    def _contributions(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray, frozenset]:
        """(docnums, bm25 per docnum, docnums as a set) for a term in a field, computed once.

        Every input of a posting's BM25 (idf, the term's weight, the field's length and average)
        is fixed while the index is open, so the per-posting figure is too: a question then only
        scales and adds arrays instead of looping over postings in Python (that loop was a third
        of a request's time, bench/profile.py)."""
        key = ("bm25", field, term)
        got = self._contrib_cache.get(key)
        if got is None:
            idf, items = self._posting(field, term)
            b, avg, lengths = self.FIELD_B[field], self._avg[field], self._lengths[field]
            docs = np.fromiter((n for n, _ in items), dtype=np.int64, count=len(items))
            contrib = np.fromiter((bm25(idf, w, lengths.get(n, 0), avg, b, self.K1) for n, w in items),
                                  dtype=np.float64, count=len(items))
            got = (docs, contrib, frozenset(docs.tolist()))
            self._contrib_cache.put(key, got)
        return got

    def search(self, text: str, limit: int = 30, filters: dict | None = None,
               snippets: bool = False) -> SearchResult:
        qweights = weighted_terms(self.analyzer, text)
        qterms = list(qweights)
        if not qterms:
            return SearchResult((), (), (), {})
        weights = {t: self.term_weight(t) * qweights[t] for t in qterms}
        scores = np.zeros(self._size, dtype=np.float64)
        reached = np.zeros(self._size, dtype=bool)
        docs_of: dict[str, list[frozenset]] = {}
        for t in qterms:
            for f in SEARCH_FIELDS:
                docs, contrib, doc_set = self._contributions(f, t)
                if not doc_set:
                    continue
                scores[docs] += (FIELD_BOOSTS[f] * qweights[t]) * contrib
                reached[docs] = True
                docs_of.setdefault(t, []).append(doc_set)
        if self._effective:     # sections about a rule still to come (search/effective.py)
            today = self.today()
            asked = years_named(qterms, today)
            for n, when in self._effective.items():
                scores[n] *= future_factor(when, today, asked)
        allowed = self._allowed_mask(filters)
        if allowed is not None:
            reached &= allowed
        found = np.flatnonzero(reached)
        order = np.lexsort((found, -scores[found]))[:limit]
        wanted = set(qterms)
        hits = []
        for n in found[order].tolist():
            r = self._stored[n]
            matched = frozenset(t for t, sets in docs_of.items() if any(n in s for s in sets))
            hits.append(SectionHit(
                topic=r["topic"], anchor=r["anchor"], heading=r["heading"], order=r["order"],
                score=float(scores[n]), matched=matched,
                snippet=self.snippet(r.get("body", ""), wanted) if snippets else (),
            ))
        topics = aggregate(hits, weights, self._title_terms, set(qterms))
        return SearchResult(tuple(qterms), tuple(hits), topics, weights)

    def _allowed_mask(self, filters: dict | None) -> np.ndarray | None:
        """The `_allowed` docnums as a boolean array over docnums (None = no filter)."""
        allowed = self._allowed(filters)
        if allowed is None:
            return None
        mask = np.zeros(self._size, dtype=bool)
        mask[list(allowed)] = True
        return mask

    def _allowed(self, filters: dict | None) -> set | None:
        """Docnums passing the category/audience/applies_to/case_types filters (None = no filter)."""
        if not filters or not any(filters.get(k) for k in FILTER_FIELDS):
            return None
        out = set()
        for n, r in self._stored.items():
            ok = True
            for name in FILTER_FIELDS:
                value = filters.get(name)
                if not value:
                    continue
                wanted = {value} if isinstance(value, str) else set(value)
                have = set(filter(None, str(r.get(name, "")).split(",")))
                if not wanted & have:
                    ok = False
                    break
            if ok:
                out.add(n)
        return out

    def _token_spans(self, text: str) -> tuple[tuple[str, int, int], ...]:
        """Every index term of a section body with its characters, analysed once per process
        (bodies never change while an index is open; analysing 20 bodies per search cost ~20 ms)."""
        got = self._span_cache.get(text)
        if got is None:
            got = tuple((t.text, t.startchar, t.endchar) for t in self.analyzer(text, chars=True))
            self._span_cache.put(text, got)
        return got

    def snippet(self, text: str, wanted: set[str], width: int = 160) -> tuple[Segment, ...]:
        """The stretch of `text` with the most matched terms, split into matched/unmatched runs."""
        spans = [(a, b) for term, a, b in self._token_spans(text) if term in wanted]
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


COVERAGE_FLOOR = 0.4
TITLE_BONUS = 0.3


def aggregate(hits: list[SectionHit], weights: dict[str, float], titles: dict[str, frozenset] | None = None,
              qterms: set | None = None) -> tuple[TopicHit, ...]:
    """Topic score = its best section plus a little for other matching sections, scaled by how
    much of the question the topic explains (a topic that matches one word very often should
    not beat one that matches every word), and raised a little when the question names the
    topic's title (육아휴직 신청 -> 육아휴직, not a topic that mentions 육아휴직 in passing)."""
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
        score *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage
        title = (titles or {}).get(topic)
        if title and qterms:
            score *= 1 + TITLE_BONUS * len(title & qterms) / len(title)
        out.append(TopicHit(topic, score, coverage, tuple(secs)))
    out.sort(key=lambda t: -t.score)
    return tuple(out)
