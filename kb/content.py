"""Load topics and centers from Markdown files with YAML front matter.

Loading never raises on bad content: every problem becomes a `Problem(path, line, message)` so
that `kb check` can list them all at once and the web app can refuse to swap in a broken build.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

try:  # libyaml's C parser reads the whole knowledge base ~5x faster than the Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # stubs: CSafeLoader and SafeLoader are unrelated classes with one API

from search.lexicon import Lexicon, load_lexicon

from .markdown_text import strip_anchor, to_plain
from .models import Center, Facets, Section, Source, Topic

if TYPE_CHECKING:
    from .places import Places


# What sort of problem a Problem is, for code that must treat some differently (never its message):
INVALID = "invalid"             # a file or a field that is wrong: unsafe to index
MISSING_FILE = "missing_file"   # a taxonomy topic or center with no file yet: an editorial gap, safe to index


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    warning: bool = False
    kind: str = INVALID

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


CASE_TYPES_FILE = "case_types.yaml"


@dataclass
class Content:
    root: Path
    topics: dict[str, Topic] = field(default_factory=dict)
    centers: dict[str, Center] = field(default_factory=dict)
    lexicon: Lexicon = field(default_factory=Lexicon)
    taxonomy: dict = field(default_factory=dict)
    facets: Facets = field(default_factory=Facets)   # content/facets.yaml: ids and their labels
    safety: dict = field(default_factory=dict)      # content/safety.yaml, compiled by kb.safety
    problems: list[Problem] = field(default_factory=list)
    places: Places | None = None     # content/places.yaml
    holidays: frozenset = frozenset()  # public holidays (content/holidays.yaml)
    case_types: dict = field(default_factory=dict)   # content/case_types.yaml: id -> Korean name

    def files(self) -> list[Path]:
        """Every file the index depends on (for the staleness fingerprint)."""
        return content_files(self.root)


def content_files(root: Path) -> list[Path]:
    root = Path(root)
    out: list[Path] = []
    for pattern in ("topics/*.md", "centers/*.md", "lexicon/*.txt", "lexicon/*.tsv", "taxonomy.yaml", "case_types.yaml",
                    FACETS_FILE):
        out.extend(root.glob(pattern))
    return sorted(out)


# ---------------------------------------------------------------- front matter

@dataclass(frozen=True)
class Document:
    meta: dict
    body: str
    body_line: int          # 1-based line where the body starts
    key_lines: dict          # top-level key -> 1-based line


def split_front_matter(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, [Problem(path, 1, "the file must start with '---' and YAML front matter")]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [Problem(path, 1, "front matter is not closed with a second '---' line")]
    raw = "\n".join(lines[1:end])
    try:
        meta = yaml.load(raw, Loader=_Loader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        context = getattr(e, "context_mark", None)
        if context is not None and (mark is None or mark.line >= end - 1):
            mark = context  # an unclosed [ or " is found only at the end: point at where it opened
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        return None, [Problem(path, line, f"invalid YAML in front matter: {problem}")]
    if not isinstance(meta, dict):
        return None, [Problem(path, 2, "front matter must be a mapping of fields")]
    key_lines: dict[str, int] = {}
    for i in range(1, end):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[i])
        if m:
            key_lines.setdefault(m.group(1), i + 1)
    body = "\n".join(lines[end + 1:])
    return Document(meta, body, end + 2, key_lines), []


# ---------------------------------------------------------------- sections

_SLUG_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_EXPLICIT_ANCHOR = re.compile(r"\{#([A-Za-z0-9_-]+)\}\s*$")


def slugify(heading: str) -> str:
    s = _SLUG_DROP.sub("", strip_anchor(heading)).strip().lower()
    return re.sub(r"[\s_]+", "-", s) or "section"


def split_sections(body: str, body_line: int, path: str) -> tuple[list[Section], list[Problem]]:
    sections: list[Section] = []
    problems: list[Problem] = []
    current: tuple[str, str, int, list[str]] | None = None   # (heading, anchor, line, [lines])
    preamble: list[int] = []   # line numbers
    used: set[str] = set()

    def close():
        if current is None:
            return
        heading, anchor, line, buf = current
        md = "\n".join(buf).strip()
        if not md:
            problems.append(Problem(path, line, f"section '{heading}' is empty"))
        sections.append(Section(heading, anchor, md, to_plain(md), line))

    for offset, line in enumerate(body.splitlines()):
        if line.startswith("## "):
            close()
            raw = line[3:].strip()
            m = _EXPLICIT_ANCHOR.search(raw)
            anchor = m.group(1) if m else slugify(raw)
            heading = strip_anchor(raw)
            base, k = anchor, 2
            while anchor in used:
                anchor = f"{base}-{k}"
                k += 1
            used.add(anchor)
            current = (heading, anchor, body_line + offset, [])
        elif current is None:
            if line.strip():
                preamble.append(body_line + offset)
        else:
            current[3].append(line)
    close()
    if preamble:
        problems.append(Problem(path, preamble[0], "text before the first '## ' section is not shown anywhere"))
    return sections, problems


# ---------------------------------------------------------------- fields

def as_tuple(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() if not isinstance(v, dict) else v for v in value)
    return (str(value).strip(),)


def as_date(value) -> date | str | None:
    """A date, None when absent, or the raw string when it is not a date (reported by check)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return str(value)


def as_sources(value) -> tuple[Source, ...]:
    out = []
    for v in value or ():
        if isinstance(v, dict):
            out.append(Source(str(v.get("title", "")).strip(), str(v.get("url", "") or "").strip()))
        elif isinstance(v, str):
            out.append(Source(v.strip(), v.strip() if v.startswith("http") else ""))
    return tuple(out)


def as_section_dates(value) -> dict:
    """`section_effective: {anchor: YYYY-MM-DD}` as {anchor: date or the raw text} (kb check reports bad ones)."""
    if not isinstance(value, dict):
        return {}
    return {str(k): as_date(v) for k, v in value.items()}


def parse_topic(path: Path, text: str) -> tuple[Topic | None, list[Problem]]:
    p = str(path)
    doc, problems = split_front_matter(text, p)
    if doc is None:
        return None, problems
    m = doc.meta
    sections, sp = split_sections(doc.body, doc.body_line, p)
    problems += sp
    topic = Topic(
        id=str(m.get("id", "")).strip(), title=str(m.get("title", "") or "").strip(),
        category=str(m.get("category", "") or "").strip(), summary=str(m.get("summary", "") or "").strip(),
        sections=tuple(sections), audience=as_tuple(m.get("audience")), applies_to=as_tuple(m.get("applies_to")),
        questions=as_tuple(m.get("questions")), keywords=as_tuple(m.get("keywords")),
        legal_basis=as_tuple(m.get("legal_basis")), effective=as_date(m.get("effective")),
        reviewed=as_date(m.get("reviewed")), referrals=as_tuple(m.get("referrals")),
        related=as_tuple(m.get("related")), sources=as_sources(m.get("sources")),
        verify=as_tuple(m.get("verify")), path=p, lines=dict(doc.key_lines), meta_keys=frozenset(m),
        forms=as_tuple(m.get("forms")), case_types=as_tuple(m.get("case_types")),
        section_effective=as_section_dates(m.get("section_effective")),
    )
    return topic, problems


def parse_center(path: Path, text: str) -> tuple[Center | None, list[Problem]]:
    p = str(path)
    doc, problems = split_front_matter(text, p)
    if doc is None:
        return None, problems
    m = doc.meta
    from .hours import parse_schedule

    schedule, errors = parse_schedule(m.get("open_hours"))
    problems += [Problem(p, doc.key_lines.get("open_hours", 1), e) for e in errors]
    center = Center(
        id=str(m.get("id", "")).strip(), name=str(m.get("name", "") or "").strip(),
        kind=str(m.get("kind", "") or "").strip(), description=doc.body.strip(),
        phone=str(m.get("phone", "") or "").strip(), website=str(m.get("website", "") or "").strip(),
        address=str(m.get("address", "") or "").strip(), hours=str(m.get("hours", "") or "").strip(),
        region=str(m.get("region", "") or "").strip(), districts=as_tuple(m.get("districts")),
        near=as_tuple(m.get("near")), open_hours=schedule,
        serves=as_tuple(m.get("serves")), audience=as_tuple(m.get("audience")),
        unverified=as_tuple(m.get("unverified")), fallback=str(m.get("fallback", "") or "").strip(),
        verified=as_date(m.get("verified")), sources=as_sources(m.get("sources")),
        verify=as_tuple(m.get("verify")), path=p, lines=dict(doc.key_lines), meta_keys=frozenset(m),
        body_line=doc.body_line,
    )
    return center, problems


def _load_yaml(path: Path, problems: list[Problem]) -> dict:
    """A YAML mapping of content (an absent file is an empty one), or a Problem with its line."""
    if not path.exists():
        problems.append(Problem(str(path), 1, f"{path.name} is missing"))
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problems.append(Problem(str(path), (mark.line + 1) if mark else 1, "invalid YAML"))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "must be a mapping of keys"))
        return {}
    return data


FACETS_FILE = "facets.yaml"


def load_facets(root: Path, problems: list[Problem]) -> Facets:
    """content/facets.yaml: four mappings of id -> Korean label; what is not one is a Problem."""
    path = root / FACETS_FILE
    data = _load_yaml(path, problems)
    tables: dict[str, dict[str, str]] = {}
    for name in ("audiences", "applies_to", "kinds", "regions"):
        value = data.get(name)
        if not isinstance(value, dict) or not value or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
            if data:
                problems.append(Problem(str(path), 1, f"{name} must be a mapping of id: Korean label"))
            tables[name] = {}
            continue
        tables[name] = {k: v.strip() for k, v in value.items()}
    return Facets(**tables)


def load(root: str | Path) -> Content:
    """Read every topic, center, the lexicon and the taxonomy under `root` (content/)."""
    root = Path(root)
    content = Content(root=root)
    readers: tuple[tuple[str, Callable[[Path, str], tuple[Any, list[Problem]]], dict[str, Any]], ...] = (
        ("topics", parse_topic, content.topics), ("centers", parse_center, content.centers))
    for kind, parser, store in readers:
        for path in sorted((root / kind).glob("*.md")):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as e:
                content.problems.append(Problem(str(path), 1, f"not UTF-8 text: {e.reason}"))
                continue
            item, problems = parser(path, text)
            content.problems += problems
            if item is None:
                continue
            key = item.id or path.stem
            if key in store:
                content.problems.append(Problem(str(path), 1, f"duplicate id {key!r} (also in {store[key].path})"))
                continue
            store[key] = item
    from .hours import HOLIDAYS_FILE, load_holidays
    from .places import load_places

    content.places = load_places(root)
    content.problems += content.places.problems
    content.holidays, hp = load_holidays(root)
    # without the file the hours still work (weekends only): a warning, decided by the file, not the words
    absent = not (root / HOLIDAYS_FILE).exists()
    content.problems += [Problem(str(root / HOLIDAYS_FILE), line, msg, warning=absent,
                                 kind=MISSING_FILE if absent else INVALID) for line, msg in hp]
    content.lexicon = load_lexicon(root / "lexicon")
    content.problems += [Problem(x.path, x.line, x.message) for x in content.lexicon.problems]
    content.safety = _load_yaml(root / "safety.yaml", content.problems)
    content.taxonomy = _load_yaml(root / "taxonomy.yaml", content.problems)
    if (root / CASE_TYPES_FILE).exists():    # optional: without it no topic may list case_types
        content.case_types = {str(k): str(v) for k, v in _load_yaml(root / CASE_TYPES_FILE, content.problems).items()}
    content.facets = load_facets(root, content.problems)
    return content
