"""Topics -> the section documents the search index holds (one per `## ` section).

Its own module because the index fingerprint hashes the code that decides what is indexed
(kb.service.INDEX_CODE): a change here rebuilds the index, a change elsewhere in kb does not."""
from __future__ import annotations

from datetime import date

from search.documents import SectionDoc

from .content import Content
from .models import Topic


def section_docs(content: Content) -> list[SectionDoc]:
    docs = []
    for t in content.topics.values():
        questions = "\n".join(t.questions)
        keywords = "\n".join((*t.keywords, t.summary))
        for i, s in enumerate(t.sections):
            docs.append(SectionDoc(
                topic=t.id, anchor=s.anchor, order=i, title=t.title, heading=s.heading, body=s.text,
                questions=questions, keywords=keywords, category=t.category,
                audience=t.audience, applies_to=t.applies_to, case_types=t.case_types,
                effective=section_date(t, s.anchor),
            ))
    return docs


def section_date(topic: Topic, anchor: str) -> str:
    """The section's own effective date (front matter `section_effective`), as YYYY-MM-DD or ""."""
    when = topic.section_effective.get(anchor)
    return when.isoformat() if isinstance(when, date) else ""
