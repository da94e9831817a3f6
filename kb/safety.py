"""Recognise a person in danger: thoughts of suicide or self-harm (crisis: 109 first) and
violence, threats, stalking or sexual assault (danger: 112 first, then 1366).

Why not substrings: "알리자마자 해고" contains "자해", "배고파 죽겠어요" contains "죽", and people
in distress write "목을 매고", "목 매고" and "목매고" alike. So the question is analysed with the
same Kiwi as the search, particles and endings are dropped, and each phrase of the lexicon
(`content/safety.yaml`, written by editors as plain Korean and analysed the same way) is matched
as an ordered run of morphemes with a few words allowed in between. Part-of-speech tags keep
죽/VV ("die") apart from the auxiliary 죽/VX of "배고파 죽겠어요". Negation right after a match
("죽고 싶지는 않아요"), look-alike contexts ("자해 방지 교육", "유족") and a phrase quoted as an
expression ('"죽고 싶다"는 표현') cancel that match. Other languages go through regexes.

This module holds only the matcher; every word lives in content. Detection runs on any text a
person sends, before any length or format refusal (see kb.answer.ask).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from search.lru import LRU

CRISIS = "crisis"
DANGER = "danger"
ROUTES = (CRISIS, DANGER)          # the urgent routes: a place to call comes first
# Softer signals from the same lexicon: a distressed (not endangered) person gets one human
# line first, and their feeling words are kept out of the search; a person asking what to do
# now gets the steps inline.
DISTRESS = "distress"
STEPS = "steps"
SIGNALS = ROUTES + (DISTRESS, STEPS)

# Kiwi tags dropped before matching: endings, particles (but not the adverbial ones like
# 한테/에게 that tell who did what), punctuation and symbols, the copula.
_KEEP_PARTICLES = {"JKB"}
_NEGATORS = {("않", "VX"), ("않", "VV"), ("말", "VX"), ("못하", "VX")}
_NEGATIVE_FORMS = {"않", "안", "못", "없", "말", "못하"}
_QUOTED = re.compile(r"\"([^\"]{1,120})\"|'([^']{1,120})'|「([^」]{1,120})」|『([^』]{1,120})』")
_NAMING_AFTER_QUOTE = re.compile(r"\s*(이?라는|이?란\b|는\s*(말|표현|단어|문구|제목|글|노래|책)|"
                                 r"(이)?라고\s*(쓴|적힌|된|하는\s*(말|표현)))")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "＂": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "＇": "'"})
# text longer than this is checked at both ends (a body is capped far lower by the web layer)
MAX_SCAN_CHARS = 20_000


def normalise(text: str) -> str:
    """NFKC, straight quotes, no zero-width or other format characters, single spaces.

    Full-width letters, curly apostrophes ("can’t") and zero-width joiners must not hide a phrase.
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cs", "Co"))
    return " ".join(text.split())


@dataclass(frozen=True)
class Tok:
    form: str
    tag: str
    start: int
    end: int


def _base_tag(tag: str) -> str:
    return tag.split("-", 1)[0]


def _kept(tag: str) -> bool:
    t = _base_tag(tag)
    if t.startswith("J"):
        return t in _KEEP_PARTICLES
    return not (t.startswith("E") or (t.startswith("S") and t not in ("SL", "SH", "SN")) or t == "VCP")


def analyse(kiwi, text: str) -> list[Tok | None]:
    """Kept morphemes in order; None marks a sentence end, which a phrase never spans."""
    out: list[Tok | None] = []
    for t in kiwi.tokenize(text):
        tag = _base_tag(t.tag)
        if tag == "SF":
            if out and out[-1] is not None:
                out.append(None)
            continue
        if _kept(tag):
            out.append(Tok(t.form.lower(), tag, t.start, t.start + t.len))
    return out


def _same(part: tuple[str, str], tok: Tok) -> bool:
    form, tag = part
    if form != tok.form:
        return False
    if not tag:
        return True
    if tag.startswith("N") and tok.tag.startswith("N"):
        return True
    return tag == tok.tag


@dataclass(frozen=True)
class Pattern:
    rule: str
    route: str
    kind: str
    parts: tuple[tuple[str, str], ...]     # (form, tag); tag "" matches any tag
    phrase: str

    @property
    def negative(self) -> bool:
        return any(form in _NEGATIVE_FORMS for form, _ in self.parts)


@dataclass(frozen=True)
class RegexRule:
    rule: str
    route: str
    kind: str
    regex: re.Pattern


@dataclass(frozen=True)
class Alarm:
    """One reason to raise the alarm: which rule, which route, what kind of danger, and where
    in the normalised text (start, end), so that feeling words can be left out of a search."""

    rule: str
    route: str
    kind: str
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Verdict:
    alarms: tuple[Alarm, ...] = ()
    at_work: bool = False

    @property
    def crisis(self) -> bool:
        return any(a.route == CRISIS for a in self.alarms)

    @property
    def danger(self) -> bool:
        return any(a.route == DANGER for a in self.alarms)

    @property
    def urgent(self) -> bool:
        return self.crisis or self.danger

    @property
    def distressed(self) -> bool:
        return any(a.route == DISTRESS for a in self.alarms)

    @property
    def asks_steps(self) -> bool:
        return any(a.route == STEPS for a in self.alarms)

    def without(self, route: str, text: str) -> str:
        """`text` (the normalised question) with the spans that raised `route` blanked out."""
        spans = sorted(a.span for a in self.alarms if a.route == route)
        out, pos = [], 0
        for start, end in spans:
            out.append(text[pos:start])         # empty when this span starts inside the last one
            pos = max(pos, end)
        out.append(text[pos:])
        return " ".join("".join(out).split())

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.kind for a in self.alarms if a.route == DANGER and a.kind))

    @property
    def route(self) -> str:
        """'crisis', 'danger', 'crisis+danger' or '' — what may be logged instead of the text."""
        return "+".join(r for r in ROUTES if any(a.route == r for a in self.alarms))


NO_ALARM = Verdict()


@dataclass
class SafetyLexicon:
    """content/safety.yaml, compiled: phrases analysed into morpheme patterns."""

    window: int = 2
    leads: dict[str, str] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)
    routes: dict = field(default_factory=dict)
    work_words: frozenset[str] = frozenset()
    step_headings: tuple[str, ...] = ()
    not_near: dict[str, frozenset[str]] = field(default_factory=dict)
    not_near_regex: re.Pattern | None = None
    patterns: tuple[Pattern, ...] = ()
    regexes: tuple[RegexRule, ...] = ()
    problems: list[str] = field(default_factory=list)

    # ------------------------------------------------------------ referrals

    def first_ids(self, verdict: Verdict) -> list[str]:
        """The urgent places to call, in order: 109 for a crisis; 112 and 1366 for danger, then
        the workplace route (성희롱 center or 노동청) when it happened at work."""
        ids: list[str] = []
        if verdict.crisis:
            ids += list((self.routes.get(CRISIS) or {}).get("first") or ())
        if verdict.danger:
            danger = self.routes.get(DANGER) or {}
            ids += list(danger.get("first") or ())
            if verdict.at_work:
                for kind in verdict.kinds:
                    ids += list((danger.get("at_work") or {}).get(kind) or ())
        return list(dict.fromkeys(ids))

    def empathy(self, verdict: Verdict) -> str:
        """One human line for a distressed person who is not in danger (from content)."""
        return self.leads.get(DISTRESS, "") if verdict.distressed and not verdict.urgent else ""

    def lead(self, verdict: Verdict) -> str:
        """One calm sentence or two per route (crisis first), from content."""
        return "\n\n".join(self.leads[r] for r in ROUTES
                           if r in self.leads and any(a.route == r for a in verdict.alarms))


def parse_phrase(kiwi, phrase: str) -> tuple[tuple[str, str], ...]:
    """Analyse a phrase as Kiwi would a question; words written as form/TAG are taken as they are.

    Nouns keep no tag (NNG and NNP alike); verbs and adjectives keep theirs (VV, VA, VX)."""
    parts: list[tuple[str, str]] = []
    pending: list[str] = []

    def flush():
        for tok in analyse(kiwi, " ".join(pending)):       # nothing pending: Kiwi finds nothing
            if tok is not None:
                parts.append((tok.form, "" if tok.tag.startswith("N") else tok.tag))
        pending.clear()

    for word in phrase.split():
        if "/" in word:
            flush()
            form, tag = word.rsplit("/", 1)
            parts.append((form.lower(), tag))
        else:
            pending.append(word)
    flush()
    return tuple(parts)


def compile_lexicon(raw: dict, kiwi) -> SafetyLexicon:
    raw = raw or {}
    lex = SafetyLexicon(
        window=int(raw.get("window", 2)), leads=dict(raw.get("leads") or {}), why=dict(raw.get("why") or {}),
        routes=dict(raw.get("routes") or {}),
        work_words=frozenset(str(w).lower() for w in raw.get("work_words") or ()),
        step_headings=tuple(str(w) for w in raw.get("step_headings") or ()),
        not_near={r: frozenset(str(w).lower() for w in ws or ()) for r, ws in (raw.get("not_near") or {}).items()},
    )
    if raw.get("not_near_regex"):
        lex.not_near_regex = re.compile(raw["not_near_regex"])
    patterns, regexes = [], []
    for i, rule in enumerate(raw.get("rules") or ()):
        rid = str(rule.get("id") or f"rule-{i + 1}")
        route = rule.get("route")
        if route not in SIGNALS:
            lex.problems.append(f"rule {rid!r}: route must be one of {', '.join(SIGNALS)}")
            continue
        kind = str(rule.get("kind") or "")
        for phrase in rule.get("phrases") or ():
            parts = parse_phrase(kiwi, str(phrase))
            if not parts:
                lex.problems.append(f"rule {rid!r}: phrase {phrase!r} analyses to nothing")
                continue
            patterns.append(Pattern(rid, route, kind, parts, str(phrase)))
        for rx in rule.get("regex") or ():
            try:
                regexes.append(RegexRule(rid, route, kind, re.compile(str(rx))))
            except re.error as e:
                lex.problems.append(f"rule {rid!r}: bad regex {rx!r}: {e}")
    lex.patterns, lex.regexes = tuple(patterns), tuple(regexes)
    return lex


def load_raw(path: Path) -> dict:
    """content/safety.yaml as a dict ({} for an empty file). Bytes: YAML reads them as UTF-8
    (or UTF-16 with a byte-order mark) whatever the locale."""
    return yaml.safe_load(Path(path).read_bytes()) or {}


# ---------------------------------------------------------------- matching

def _match_at(pattern: Pattern, toks: list[Tok | None], i: int, window: int) -> int | None:
    """Index of the last token when the pattern starts at toks[i], else None."""
    parts = pattern.parts
    first = toks[i]
    if first is None or not _same(parts[0], first):
        return None
    pos = i
    for part in parts[1:]:
        for j in range(pos + 1, min(len(toks), pos + window + 2)):
            tok = toks[j]
            if tok is None:
                return None
            if _same(part, tok):
                pos = j
                break
        else:
            return None
    return pos


def _positions(toks: list[Tok | None]) -> dict[str, list[int]]:
    """Where each form occurs: a pattern can only start where its first form is, so each pattern
    tries those places instead of every token (detection ran on every request and this loop was
    most of its time)."""
    out: dict[str, list[int]] = {}
    for i, tok in enumerate(toks):
        if tok is not None:
            out.setdefault(tok.form, []).append(i)
    return out


def _negated_after(toks: list[Tok | None], end: int) -> bool:
    nxt = toks[end + 1] if end + 1 < len(toks) else None
    return nxt is not None and (nxt.form, nxt.tag) in _NEGATORS


def _near(toks: list[Tok | None], start: int, end: int, words: frozenset[str], reach: int = 2) -> bool:
    for j in (*range(max(0, start - reach), start), *range(end + 1, min(len(toks), end + 1 + reach))):
        tok = toks[j]
        if tok is not None and tok.form in words:
            return True
    return False


def _named_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text that is named as an expression ('"죽고 싶다"는 표현'), not said."""
    spans = []
    for m in _QUOTED.finditer(text):
        if _NAMING_AFTER_QUOTE.match(text, m.end()):
            spans.append((m.start(), m.end()))
    return spans


def _scan_text(text: str) -> str:
    if len(text) <= MAX_SCAN_CHARS:
        return text
    half = MAX_SCAN_CHARS // 2
    return text[:half] + " . " + text[-half:]


def detect(text, lexicon: SafetyLexicon, kiwi) -> Verdict:
    """Every alarm the text raises (empty when none). Accepts any value; non-text raises none.

    Spans refer to `normalise(text)`."""
    if not isinstance(text, str) or not text.strip():
        return NO_ALARM
    norm = normalise(_scan_text(text))
    if not norm:
        return NO_ALARM
    toks = analyse(kiwi, norm)
    quoted = _named_quotes(norm)
    alarms: list[Alarm] = []
    starts = _positions(toks)
    for pattern in lexicon.patterns:
        for i in starts.get(pattern.parts[0][0], ()):
            end = _match_at(pattern, toks, i, lexicon.window)
            if end is None:
                continue
            if not pattern.negative and _negated_after(toks, end):
                continue
            if _near(toks, i, end, lexicon.not_near.get(pattern.route, frozenset())):
                continue
            first, last = toks[i], toks[end]
            assert first is not None and last is not None  # _match_at starts and ends on real tokens
            if pattern.route == CRISIS and any(a <= first.start and last.end <= b for a, b in quoted):
                continue
            alarms.append(Alarm(pattern.rule, pattern.route, pattern.kind, (first.start, last.end)))
            break
    lowered = norm.lower()
    for rule in lexicon.regexes:
        for m in rule.regex.finditer(lowered):
            around = lowered[max(0, m.start() - 40): m.end() + 40]
            if lexicon.not_near_regex is not None and lexicon.not_near_regex.search(around):
                continue
            alarms.append(Alarm(rule.rule, rule.route, rule.kind, m.span()))
            break
    if not alarms:
        return NO_ALARM
    at_work = any(t is not None and t.form in lexicon.work_words for t in toks)
    return Verdict(tuple(alarms), at_work)


class SafetyCheck:
    """The compiled lexicon and its Kiwi, ready to check any text a person sends."""

    VERDICT_CACHE = 4_000

    def __init__(self, raw: dict, kiwi):
        self.kiwi = kiwi
        self.lexicon = compile_lexicon(raw, kiwi)
        self._verdicts = LRU(self.VERDICT_CACHE)

    def __call__(self, text) -> Verdict:
        """Verdicts are remembered by text (a Verdict is immutable and depends on nothing else): the
        same message is checked in the answer, the log and the store, and common questions repeat."""
        if not isinstance(text, str):
            return detect(text, self.lexicon, self.kiwi)
        got = self._verdicts.get(text)
        if got is None:
            got = detect(text, self.lexicon, self.kiwi)
            self._verdicts.put(text, got)
        return got


def for_content(content) -> SafetyCheck:
    """The process's SafetyCheck for this content, built once (Kiwi is shared with the search)."""
    check = getattr(content, "_safety_check", None)
    if check is None:
        from search.analysis import get_kiwi, kiwi_user_words

        check = SafetyCheck(content.safety, get_kiwi(kiwi_user_words(content.lexicon)))
        content._safety_check = check
    return check
