"""The shape of what gets indexed: one document per topic section."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionDoc:
    topic: str
    anchor: str
    order: int              # 0 for the topic's first section (핵심 답변)
    title: str              # the topic's title
    heading: str            # the section's heading
    body: str               # the section's plain text
    questions: str = ""     # the topic's questions, one per line
    keywords: str = ""      # the topic's keywords and summary
    category: str = ""
    audience: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()
    case_types: tuple[str, ...] = ()   # the topic's kinds of case (거부, 체불 ...), a filter only
    effective: str = ""     # YYYY-MM-DD when the section describes a rule that takes effect later
