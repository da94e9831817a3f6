"""Markdown to plain text, for the search index and for answers pasted into a message."""
from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_EMPH = re.compile(r"(\*\*|__|\*|`)")
_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.M)
_ANCHOR = re.compile(r"\s*\{#[^}]+\}\s*$")


def to_plain(markdown: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)}({m.group(2)})" if m.group(1) != m.group(2) else m.group(1), markdown)
    text = _TABLE_RULE.sub("", text)
    text = _HEADING.sub("", text)
    text = _EMPH.sub("", text)
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            s = " · ".join(c.strip() for c in s.strip("|").split("|") if c.strip())
        if s.startswith("> "):
            s = s[2:]
        lines.append(s)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def strip_anchor(heading: str) -> str:
    return _ANCHOR.sub("", heading).strip()
