"""Read the plain-text lexicon: Kiwi user words (with their parts) and synonym lines.

The lexicon is editors' data (content/lexicon/), so parsing is forgiving about blank lines and
comments but reports malformed lines with their line number instead of guessing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class UserWord:
    word: str
    tag: str = "NNP"
    score: float = 0.0
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SynonymLine:
    canonical: str
    variants: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class LexiconProblem:
    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Lexicon:
    user_words: tuple[UserWord, ...] = ()
    synonyms: tuple[SynonymLine, ...] = ()
    problems: tuple[LexiconProblem, ...] = field(default=(), compare=False)


ALLOWED_TAGS = {"NNP", "NNG"}


def parse_userdict(text: str, path: str = "userdict.tsv") -> tuple[list[UserWord], list[LexiconProblem]]:
    words, problems = [], []
    seen = set()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        word = cols[0].strip()
        tag = (cols[1].strip() if len(cols) > 1 else "") or "NNP"
        if not word or any(ch.isspace() for ch in word):
            problems.append(LexiconProblem(path, n, f"a user word must be one word without spaces: {word!r}"))
            continue
        if tag not in ALLOWED_TAGS:
            problems.append(LexiconProblem(path, n, f"tag must be one of {sorted(ALLOWED_TAGS)}, not {tag!r}"))
            continue
        try:
            score = float(cols[2]) if len(cols) > 2 and cols[2].strip() else 0.0
        except ValueError:
            problems.append(LexiconProblem(path, n, f"score must be a number, not {cols[2]!r}"))
            continue
        parts = tuple(cols[3].split()) if len(cols) > 3 else ()
        stray = [x for x in parts if x not in word]
        if stray:
            problems.append(LexiconProblem(path, n, f"parts {' '.join(stray)!r} are not inside {word!r}"))
            continue
        if word in seen:
            continue
        seen.add(word)
        words.append(UserWord(word, tag, score, parts))
    return words, problems


def parse_synonyms(text: str, path: str = "synonyms.txt") -> tuple[list[SynonymLine], list[LexiconProblem]]:
    lines, problems = [], []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            problems.append(LexiconProblem(path, n, "expected 'canonical = variant, variant, ...'"))
            continue
        canonical, _, rest = line.partition("=")
        canonical = canonical.strip()
        variants = tuple(v.strip() for v in rest.split(",") if v.strip())
        if not canonical or not variants:
            problems.append(LexiconProblem(path, n, "a synonym line needs a canonical term and at least one variant"))
            continue
        lines.append(SynonymLine(canonical, variants, n))
    return lines, problems


def load_lexicon(directory: str | Path) -> Lexicon:
    """Load `userdict.tsv` and `synonyms.txt` from a folder; missing files mean an empty part."""
    directory = Path(directory)
    words, syns, problems = [], [], []
    ud = directory / "userdict.tsv"
    if ud.exists():
        w, p = parse_userdict(ud.read_text(encoding="utf-8"), str(ud))
        words += w
        problems += p
    sy = directory / "synonyms.txt"
    if sy.exists():
        s, p = parse_synonyms(sy.read_text(encoding="utf-8"), str(sy))
        syns += s
        problems += p
    return Lexicon(tuple(words), tuple(syns), tuple(problems))
