"""Korean analysis for Whoosh: a Kiwi tokenizer piped into small filters.

    korean_analyzer(lexicon) == KiwiTokenizer(...) | LowercaseFilter() | CompoundFilter(...) | SynonymFilter(...)

Why each piece exists (measured with kiwipiepy 0.24.1, see DESIGN.md):
- Kiwi strips particles and endings and gives verb stems (나와요 -> 나오), but it splits the
  negating prefixes 비/미/불 (XPN) off their noun, which would flip meanings (비정규직 -> 정규직);
  the tokenizer glues them back. Numbers come as SN + unit (90 + 일); they are glued to "90일".
- Kiwi splits domain compounds (육아휴직 -> 육아 휴직) and does not apply a user word inside a
  longer compound (육아휴직급여 -> 육아 휴직 급여). CompoundFilter therefore re-joins adjacent
  parts that spell a known compound, whatever the spacing, and indexes the compound AND its
  parts, so "육아 휴직", "육아휴직" and "육아휴직급여" all meet.
- SynonymFilter rewrites colloquial, abbreviated and old forms (육휴, 산휴, 짤림) to one
  canonical term on both the index and the query side.

The Kiwi instance is never stored in the analyzer (Whoosh pickles analyzers into the index):
the tokenizer keeps only the plain user-word tuples and asks `get_kiwi` for the process-wide
instance, created lazily on first use.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import NamedTuple

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from .lexicon import Lexicon

# ---------------------------------------------------------------- Kiwi, one per process

_KIWI_LOCK = threading.Lock()
_KIWIS: dict[tuple, object] = {}


def get_kiwi(user_words: tuple[tuple[str, str, float], ...] = ()):
    """Return the process-wide Kiwi for this set of user words, creating it on first use.

    Creating Kiwi costs ~1 s and ~300 MB, so it happens once; `load_multi_dict=False` halves the
    memory and the multi-word dictionary adds nothing for this domain.
    """
    kiwi = _KIWIS.get(user_words)
    if kiwi is not None:
        return kiwi
    with _KIWI_LOCK:
        kiwi = _KIWIS.get(user_words)
        if kiwi is None:
            from kiwipiepy import Kiwi

            kiwi = Kiwi(load_multi_dict=False)
            for word, tag, score in user_words:
                kiwi.add_user_word(word, tag, score)
            _KIWIS[user_words] = kiwi
        return kiwi


# ---------------------------------------------------------------- morpheme selection

class Morph(NamedTuple):
    """A selected piece of text: what is indexed, where it came from, and whether it is a part."""

    text: str
    start: int
    end: int
    tag: str
    part: bool = False


# A compound's parts are indexed and searched with this weight (the compound itself: 1.0).
PART_WEIGHT = 0.35

NOUN_TAGS = {"NNG", "NNP", "NR"}
KEEP_TAGS = NOUN_TAGS | {"SL", "SH", "XR", "W_SERIAL", "W_URL", "W_EMAIL", "W_HASHTAG"}
UNIT_TAGS = {"NNB", "NNG", "NR", "SL"}
UNITS = {
    "일", "주", "주일", "년", "월", "개월", "시간", "분", "세", "살", "원", "만", "만원", "천", "억",
    "명", "인", "회", "번", "차", "학년", "시", "배", "호", "층", "박", "%", "kg", "g", "km",
}
# Stems and nouns that carry no meaning of their own in questions ("... 할 수 있나요?").
STOP_STEMS = {
    "하", "있", "되", "없", "않", "같", "알", "주", "받", "보", "싶", "말", "가", "오", "나", "대", "쓰",
    "이러", "그러", "어떻", "이렇", "그렇", "저렇", "어떠", "드리", "계시", "이", "아니", "모르",
}
STOP_NOUNS = {"것", "수", "등", "때", "거", "뭐", "점", "분", "데", "게", "건", "거기", "여기", "이거", "그거", "저거"}
STOP_LATIN = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "is", "are", "am", "be", "do",
    "does", "did", "i", "my", "me", "we", "you", "your", "it", "how", "what", "when", "where", "can",
    "could", "get", "many", "much", "there", "this", "that", "with", "about", "korea", "korean",
}


MAX_UNITS = 2   # 5만원, 90일: more unit morphemes after a number are not glued on


def select_morphs(kiwi_tokens) -> list[Morph]:
    """Pick the meaningful morphemes of one Kiwi analysis, gluing prefixes and units on.

    One small function per rule, tried in order at each token: a rule returns the morphs it
    makes and how many tokens it used, or None when it does not apply (`_word` always applies)."""
    toks = list(kiwi_tokens)
    out: list[Morph] = []
    i = 0
    while i < len(toks):
        morphs, used = _prefixed_noun(toks, i) or _number(toks, i) or _word(toks, i)
        out.extend(morphs)
        i += used
    return out


def _end(tok) -> int:
    return tok.start + tok.len


def _prefixed_noun(toks, i: int) -> tuple[list[Morph], int] | None:
    """A negating prefix (비/미/불, XPN) right before a noun stays on it: 비정규직, never 정규직."""
    t = toks[i]
    if str(t.tag) != "XPN" or i + 1 >= len(toks):
        return None
    nxt = toks[i + 1]
    if str(nxt.tag) not in NOUN_TAGS or nxt.start != _end(t):
        return None
    return [Morph(t.form + nxt.form, t.start, _end(nxt), "NNG")], 2


def _number(toks, i: int) -> tuple[list[Morph], int] | None:
    """A number without thousands commas, with 6+6 (the parents' leave scheme) kept whole and
    up to MAX_UNITS units glued on: 10320원, 90일, 5만원, 80%."""
    t = toks[i]
    if str(t.tag) != "SN":
        return None
    text, end, j = t.form.replace(",", ""), _end(t), i + 1
    second = _plus_number(toks, j, end)
    if second is not None:
        text += "+" + second.form
        end = _end(second)
        j += 2
    units = 0
    while units < MAX_UNITS and j < len(toks) and _is_unit(toks[j], end):
        text += toks[j].form
        end = _end(toks[j])
        j += 1
        units += 1
    return [Morph(text, t.start, end, "SN")], j - i


def _plus_number(toks, j: int, end: int):
    """The number after a "+" that follows `end` with no space on either side, or None."""
    if j + 1 < len(toks) and toks[j].form == "+" and toks[j].start == end and str(toks[j + 1].tag) == "SN" \
            and toks[j + 1].start == _end(toks[j]):
        return toks[j + 1]
    return None


def _is_unit(tok, end: int) -> bool:
    """A unit morpheme (일, 주, 만, 원, %) starting right where the number ends."""
    return tok.start == end and tok.form in UNITS and (str(tok.tag) in UNIT_TAGS or tok.form == "%")


def _word(toks, i: int) -> tuple[list[Morph], int]:
    """A noun, foreign word or root that is not a stop word; a verb or adjective stem (as VV)
    that is not a stop stem, and its negated form (안주) when 안/못 or 지 않다 negate it."""
    t = toks[i]
    tag = str(t.tag)
    if tag in KEEP_TAGS:
        stop = (tag in NOUN_TAGS and t.form in STOP_NOUNS) or (tag == "SL" and t.form.lower() in STOP_LATIN)
        return ([] if stop else [Morph(t.form, t.start, _end(t), tag)]), 1
    if tag.startswith(("VV", "VA")):
        out = [] if t.form in STOP_STEMS else [Morph(t.form, t.start, _end(t), "VV")]
        neg_start = _negated(toks, i)
        if neg_start is not None:
            out.append(Morph(NEGATION + t.form, neg_start, _end(t), "VV"))
        return out, 1
    return [], 1


NEGATION = "안"
_NEG_ADVERBS = {"안", "못"}
_NEG_AUX = {"않", "말", "못하"}


def _negated(toks, i: int) -> int | None:
    """Where the negated verb at i starts, or None when it is not negated: 안/못 before it
    (안 줘요, 못 받았어요), or 지 않다/못하다/말다 after it (주지 않으면, 받지 못했어요, 쓰지
    말래요). "월급을 안 줘요" must not analyse like "월급을 줘요", so the negated stem becomes a
    token of its own (안주, 안받, 안쓰) spanning the adverb too."""
    t = toks[i]
    if i > 0 and toks[i - 1].form in _NEG_ADVERBS and str(toks[i - 1].tag) == "MAG":
        # ...but not the 하 of "받지 못했어요", which is the negation itself
        if t.form == "하" and i > 1 and toks[i - 2].form == "지":
            return None
        return toks[i - 1].start
    if t.form != "하" and i + 2 < len(toks) and toks[i + 1].form == "지" and str(toks[i + 1].tag).startswith("E"):
        nxt = toks[i + 2]
        if nxt.form in _NEG_AUX or (nxt.form == "못" and str(nxt.tag) == "MAG"):
            return t.start
    return None


# ---------------------------------------------------------------- Whoosh plumbing

def _emit(morphs: Iterable[Morph], positions: bool, chars: bool, start_pos: int, start_char: int,
          removestops: bool, mode: str):
    """Yield one reused Whoosh Token per morph, with every attribute set each time."""
    token = Token(positions, chars, removestops=removestops, mode=mode)
    for pos, m in enumerate(morphs, start_pos):
        token.text = m.text
        # Whoosh adds token boosts up into a term's weight: a part weighs less than a word
        token.boost = PART_WEIGHT if m.part else 1.0
        token.stopped = False
        token.tag = m.tag
        token.part = m.part
        if positions:
            token.pos = pos
        if chars:
            token.startchar = start_char + m.start
            token.endchar = start_char + m.end
        yield token


def _snapshot(tokens) -> tuple[list[Morph], dict]:
    """Copy a token stream into Morphs (tokens are reused objects and must not be held)."""
    morphs, first = [], None
    for t in tokens:
        if first is None:
            first = {
                "positions": t.positions, "chars": t.chars, "removestops": t.removestops,
                "mode": t.mode, "start_pos": getattr(t, "pos", 0),
            }
        morphs.append(Morph(t.text, getattr(t, "startchar", 0), getattr(t, "endchar", 0),
                            getattr(t, "tag", ""), getattr(t, "part", False)))
    return morphs, first or {}


def _reemit(morphs: list[Morph], opts: dict):
    if not morphs:
        return iter(())
    return _emit(morphs, opts["positions"], opts["chars"], opts["start_pos"], 0,
                 opts["removestops"], opts["mode"])


class KiwiTokenizer(Tokenizer):
    """Tokenize Korean (and Latin, digits) with Kiwi; see `select_morphs` for what is kept."""

    CACHE_SIZE = 4096

    def __init__(self, user_words: tuple[tuple[str, str, float], ...] = ()):
        self.user_words = tuple(user_words)
        self._cache: dict[str, tuple[Morph, ...]] = {}

    def __eq__(self, other):
        return isinstance(other, KiwiTokenizer) and other.user_words == self.user_words

    def __getstate__(self):
        # the cache is per process, not part of the index
        return {"user_words": self.user_words}

    def __setstate__(self, state):
        self.user_words = state["user_words"]
        self._cache = {}

    def morphs(self, text: str) -> tuple[Morph, ...]:
        """Kiwi's analysis of `text`, memoised: the same question, title or topic questions are
        analysed many times (once per section document, once per highlight)."""
        got = self._cache.get(text)
        if got is None:
            got = tuple(select_morphs(get_kiwi(self.user_words).tokenize(text)))
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = got
        return got

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        if not tokenize:
            morphs: tuple[Morph, ...] = (Morph(value, 0, len(value), "RAW"),)
        else:
            morphs = self.morphs(value)
        return _emit(morphs, positions, chars, start_pos, start_char, removestops, mode)


class CompoundFilter(Filter):
    """Index a known compound AND its parts, however it was spaced or split.

    `compounds` maps a compound to its parts (육아휴직 -> (육아, 휴직)). Adjacent tokens whose
    texts spell a compound are joined (longest match first); a token that already is a compound
    (a Kiwi user word) gets its parts added after it.
    """

    def __init__(self, compounds: dict[str, tuple[str, ...]], max_parts: int = 6):
        self.compounds = dict(compounds)
        self.max_parts = max_parts

    def __eq__(self, other):
        return isinstance(other, CompoundFilter) and other.compounds == self.compounds

    def transform(self, morphs: list[Morph]) -> list[Morph]:
        out: list[Morph] = []
        i, n = 0, len(morphs)
        while i < n:
            m = morphs[i]
            if m.part or m.tag == "VV":
                out.append(m)
                i += 1
                continue
            matched = False
            for j in range(min(n, i + self.max_parts), i + 1, -1):
                span = morphs[i:j]
                if any(x.part or x.tag == "VV" for x in span):
                    continue
                word = "".join(x.text for x in span)
                if word in self.compounds:
                    start, end = span[0].start, span[-1].end
                    out.append(Morph(word, start, end, "NNP"))
                    raw = [Morph(x.text, x.start, x.end, x.tag, True) for x in span]
                    known = {x.text for x in span}
                    extra = [p for p in self.compounds[word] + self._inner(span) if p not in known]
                    out.extend(raw + [Morph(p, start, end, "NNG", True) for p in dict.fromkeys(extra)])
                    i = j
                    matched = True
                    break
            if matched:
                continue
            out.append(m)
            parts = self.compounds.get(m.text)
            if parts:
                pieces = [Morph(p, 0, 0, "NNG") for p in parts]
                parts = tuple(dict.fromkeys(parts + self._inner(pieces)))
                exact = m.end - m.start == len(m.text)
                for p in parts:
                    at = m.text.find(p)
                    start, end = (m.start + at, m.start + at + len(p)) if exact else (m.start, m.end)
                    out.append(Morph(p, start, end, "NNG", True))
            i += 1
        return out

    def _inner(self, span: list[Morph]) -> tuple[str, ...]:
        """Known compounds spelled by consecutive pieces inside a longer one
        (육아+휴직 inside 육아휴직급여), so the longer word also counts as the shorter."""
        found = []
        for a in range(len(span)):
            for b in range(a + 2, len(span) + 1):
                if b - a == len(span):
                    continue
                word = "".join(x.text for x in span[a:b])
                if word in self.compounds:
                    found.append(word)
        return tuple(found)

    def __call__(self, tokens):
        morphs, opts = _snapshot(tokens)
        return _reemit(self.transform(morphs), opts)


class SynonymFilter(Filter):
    """Rewrite variant token sequences to their canonical tokens (longest match first).

    `table` maps a tuple of main-token texts (e.g. ("육휴",) or ("아빠", "출산휴가")) to the
    canonical replacement, a tuple of (text, is_part) pairs. Parts that belonged to a replaced
    token are dropped with it. The replacement keeps the variant's character span, so a
    highlight marks what the person actually wrote.
    """

    def __init__(self, table: dict[tuple[str, ...], tuple[tuple[str, bool], ...]]):
        self.table = dict(table)
        self.max_len = max((len(k) for k in self.table), default=0)

    def __eq__(self, other):
        return isinstance(other, SynonymFilter) and other.table == self.table

    def transform(self, morphs: list[Morph]) -> list[Morph]:
        if not self.table:
            return morphs
        mains = [i for i, m in enumerate(morphs) if not m.part]
        out: list[Morph] = []
        k = 0  # index into mains
        cursor = 0  # index into morphs already copied
        while k < len(mains):
            hit = None
            for length in range(min(self.max_len, len(mains) - k), 0, -1):
                key = tuple(morphs[mains[k + x]].text for x in range(length))
                if key in self.table:
                    hit = (length, self.table[key])
                    break
            if hit is None:
                k += 1
                continue
            length, replacement = hit
            first = mains[k]
            last_main = mains[k + length - 1]
            stop = mains[k + length] if k + length < len(mains) else len(morphs)
            out.extend(morphs[cursor:first])
            start, end = morphs[first].start, morphs[last_main].end
            out.extend(Morph(text, start, end, "SYN", part) for text, part in replacement)
            cursor = stop
            k += length
        out.extend(morphs[cursor:])
        return [self._normalise_part(m) for m in out]

    def _normalise_part(self, m: Morph) -> Morph:
        """A compound's part is a word too: 출산휴가 inside 출산휴가급여 becomes 출산전후휴가."""
        if m.part and m.tag != "SYN":
            replacement = self.table.get((m.text,))
            if replacement:
                main = [text for text, is_part in replacement if not is_part]
                if len(main) == 1:
                    return Morph(main[0], m.start, m.end, m.tag, True)
        return m

    def __call__(self, tokens):
        morphs, opts = _snapshot(tokens)
        return _reemit(self.transform(morphs), opts)


# ---------------------------------------------------------------- building the analyzer

def kiwi_user_words(lexicon: Lexicon) -> tuple[tuple[str, str, float], ...]:
    return tuple((w.word, w.tag, w.score) for w in lexicon.user_words)


def compound_table(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    return {w.word: w.parts for w in lexicon.user_words if len(w.parts) >= 2}


def synonym_table(lexicon: Lexicon, tokenizer: KiwiTokenizer, compounds: CompoundFilter):
    """Analyse every synonym line with the same tokenizer and compound rules as the text.

    Returns (table, conflicts): conflicts lists (line, variant, first canonical) where a variant
    was already claimed by an earlier line, for `kb check` to report.
    """
    lower = LowercaseFilter()

    def analyse(text: str) -> list[Morph]:
        morphs, _ = _snapshot(lower(tokenizer(text, positions=True, chars=True)))
        return compounds.transform(morphs)

    table: dict[tuple[str, ...], tuple[tuple[str, bool], ...]] = {}
    owner: dict[tuple[str, ...], str] = {}
    conflicts = []
    for line in lexicon.synonyms:
        canon = analyse(line.canonical)
        if not canon:
            continue
        canon_key = tuple(m.text for m in canon if not m.part)
        replacement = tuple((m.text, m.part) for m in canon)
        for variant in line.variants:
            morphs = analyse(variant)
            key = tuple(m.text for m in morphs if not m.part)
            if not key or key == canon_key:
                continue
            if _lossy(variant, morphs, get_kiwi(tokenizer.user_words).tokenize(variant)):
                conflicts.append((line.line, variant, f"analyses to just {' '.join(key)!r}, which would rewrite "
                                                      f"every {' '.join(key)!r} to {line.canonical!r}; left out"))
                continue
            if key in table and owner[key] != line.canonical:
                conflicts.append((line.line, variant, f"is already a variant of {owner[key]!r}"))
                continue
            table[key] = replacement
            owner[key] = line.canonical
    # A canonical spelled with another line's variant (출산휴가거부 holds 출산휴가, a variant of
    # 출산전후휴가) must end on that line's canonical too, or "산휴 거부" and "출산휴가 거부" part ways.
    singles = {k[0]: v for k, v in table.items() if len(k) == 1}
    for key, replacement in table.items():
        if len(key) > 1:
            table[key] = tuple(dict.fromkeys(
                x for text, part in replacement
                for x in (singles.get(text, ((text, part),)) if not part else ((text, part),))))
    return table, conflicts


CONTENT_TAG_PREFIXES = ("NN", "NR", "NP", "VV", "VA", "MM", "MAG", "XR", "SL", "SN", "SH")


def _lossy(variant: str, morphs: list[Morph], kiwi_tokens) -> bool:
    """True when the analysis kept too little of a variant's content words
    (건가다가센터 -> 센터, 한달치 월급 -> 월급): such a key would rewrite a common word
    everywhere. Particles, endings and suffixes are not content (잘렸어요 -> 잘리 is fine)."""
    content: set[int] = set()
    for t in kiwi_tokens:
        if str(t.tag).startswith(CONTENT_TAG_PREFIXES):
            content.update(range(t.start, t.start + t.len))
    if not content:
        return False
    kept: set[int] = set()
    for m in morphs:
        if not m.part:
            kept.update(range(m.start, m.end))
    return len(content & kept) / len(content) < 0.7


def korean_analyzer(lexicon: Lexicon | None = None):
    """The analyzer used for every text field and for questions."""
    lexicon = lexicon or Lexicon()
    tokenizer = KiwiTokenizer(kiwi_user_words(lexicon))
    compounds = CompoundFilter(compound_table(lexicon))
    table, _ = synonym_table(lexicon, tokenizer, compounds)
    return tokenizer | LowercaseFilter() | compounds | SynonymFilter(table)


def terms(analyzer, text: str) -> list[str]:
    """The distinct index terms of a text, in order of appearance."""
    return list(weighted_terms(analyzer, text))


def weighted_terms(analyzer, text: str) -> dict[str, float]:
    """Index terms of a question with their query weight: a compound's parts count for less
    than the compound, so "육아휴직" does not outweigh "국민연금" three to one."""
    out: dict[str, float] = {}
    for t in analyzer(text):
        w = PART_WEIGHT if getattr(t, "part", False) else 1.0
        out[t.text] = max(out.get(t.text, 0.0), w)
    return out
