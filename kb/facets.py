"""A counselor's filters read as who is calling, not only as what to hide.

Picking 계약직 hides the topics that do not apply to 계약직 workers (an index filter), and it also
moves the topic *written for* 계약직 to the top: without that, "출산휴가" + 계약직 lists the
general 출산전후휴가 sections first and the 계약직 topic on page two. Which topic is written for
whom is metadata, not a list of ids here: a topic is written for the kind of worker it lists
first in `applies_to`, and for the reader it lists first in `audience` (content/README.md).
General topics list 정규직 / 근로자 first, so picking those lifts them all alike.

The case-type filter (권고사직·해고, 거부, ...) is a plain filter on the topics' `case_types`.
"""
from __future__ import annotations

from dataclasses import replace

from search.searcher import SectionHit

from .models import Topic

# Each filter field a topic can be written for multiplies its sections' scores by this much.
# 2.0 lifts the 계약직 topic over the general 출산전후휴가 sections for "출산휴가" + 계약직 without
# lifting a topic that barely matches the words (bench figures in tests/test_facets.py cases).
PRIMARY_BOOST = 2.0
BOOSTED_FIELDS = ("applies_to", "audience")
# Sections searched before the boost reorders them: the written-for topic may start far down
# (12th for "출산휴가" + 계약직). Snippets for 60 sections cost time (bench/counselor.py: mean ~12 ms
# against ~5 ms unfiltered on the dev questions), so the wider pool is read only when a boost can apply.
POOL = 60
# The query string's one case type is matched against the index's `case_types` field.
CASE_TYPE = "case_type"


def written_for(topic: Topic, field: str, value: str) -> bool:
    """True when `value` is the first one the topic lists in `field` (applies_to or audience)."""
    listed: tuple[str, ...] = getattr(topic, field, ())
    return bool(value) and bool(listed) and listed[0] == value


def boost(topic: Topic | None, filters: dict) -> float:
    """The factor a topic's sections get for these filters (1.0: none)."""
    factor = 1.0
    if topic is None:
        return factor
    for field in BOOSTED_FIELDS:
        value = filters.get(field)
        if isinstance(value, str) and written_for(topic, field, value):
            factor *= PRIMARY_BOOST
    return factor


def index_filters(filters: dict) -> dict | None:
    """The page's filters as the searcher's: a topic for everyone (applies_to "all") applies to
    every kind of worker, and one case type matches a topic listing it among its case_types."""
    out = {k: v for k, v in filters.items() if v}
    if out.get("applies_to") and out["applies_to"] != "all":
        out["applies_to"] = [out["applies_to"], "all"]
    if CASE_TYPE in out:
        out["case_types"] = out.pop(CASE_TYPE)
    return out or None


def rerank(sections, topics: dict, filters: dict) -> list[SectionHit]:
    """Sections ordered by score times their topic's boost (ties keep the search's order); each
    carries its boosted score, so the order shown and the scores agree."""
    scored = [(s.score * boost(topics.get(s.topic), filters), i, s) for i, s in enumerate(sections)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [s if score == s.score else replace(s, score=score) for score, _, s in scored]


def counselor_search(kb, q: str, filters: dict, limit: int) -> tuple[list[SectionHit], tuple[str, ...]]:
    """Sections for the counselor view: filtered in the index, boosted for the topic written
    for the chosen worker or audience, cut to `limit`. `kb` is a kb.service.KnowledgeBase."""
    lifting = any(filters.get(f) for f in BOOSTED_FIELDS)   # only then can a section from further down rise
    result = kb.search(q, filters=index_filters(filters), limit=max(limit, POOL) if lifting else limit, snippets=True)
    ranked = rerank(result.sections, kb.content.topics, filters)
    return ranked[:limit], result.terms
