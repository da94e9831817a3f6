"""The content-gap report: which questions found nothing, and which answers people said did not help.

Why: editors of content/ should spend their week on the questions the knowledge base fails, not
guess. Gaps are the logged questions that were not confident, or whose answer was marked "아니요".
They are grouped by their Korean content words - the search analyzer's terms (Kiwi nouns and
verb stems, user dictionary, synonyms), so "육휴 거절" and "육아휴직을 거부당했어요" fall together -
with a soft match between words that share their syllables (거절 ~ 거부). Each group gets its
count, up to three masked examples, the topic it landed on and a suggestion:
- "new topic"      nothing answered it (landed nowhere);
- "extend topic X" it landed on X but people said it did not help;
- "add synonym"    a word the content never uses, close to an existing keyword.
Crisis and danger rows hold no text and are counted, never grouped.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from .store import REASONS, Record, now_minute

# light verbs and filler stems that say nothing about the topic
STOP_TERMS = frozenset({
    "하", "되", "있", "없", "당하", "주", "싶", "같", "보", "알", "어떻", "어떡하", "그렇", "이렇", "이", "그", "저",
    "것", "수", "좀", "거", "뭐", "나", "저희", "제", "내", "회사", "문의", "질문", "궁금", "받", "가", "오", "말",
})
GROUP_SIMILARITY = 0.6     # soft overlap needed to join a group (0..1)
SYLLABLE_MATCH = 0.5       # syllable Dice at which two different words count as half the same
EXAMPLES = 3


@dataclass
class Group:
    terms: tuple[str, ...]                 # the group's most frequent content words
    count: int = 0
    not_confident: int = 0
    unhelpful: int = 0
    examples: list[str] = field(default_factory=list)
    topics: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    suggestion: str = ""
    target: str = ""                       # the topic to extend, or "word -> keyword (topic)"
    _term_counts: Counter = field(default_factory=Counter, repr=False)

    @property
    def topic(self) -> str | None:
        return self.topics.most_common(1)[0][0] if self.topics else None

    def to_json(self) -> dict:
        return {"terms": list(self.terms), "count": self.count, "not_confident": self.not_confident,
                "unhelpful": self.unhelpful, "topic": self.topic, "topics": dict(self.topics),
                "reasons": dict(self.reasons), "channels": dict(self.channels), "examples": self.examples,
                "suggestion": self.suggestion, "target": self.target}


@dataclass
class TopicLine:
    topic: str
    asked: int = 0
    not_confident: int = 0
    helpful: int = 0
    unhelpful: int = 0


@dataclass
class Report:
    since: datetime | None
    until: datetime | None
    channel: str | None
    questions: int
    feedback: int
    helpful: int
    unhelpful: int
    not_confident: int
    sensitive: int                         # crisis and danger rows (no text stored)
    groups: list[Group]
    by_topic: list[TopicLine]
    unreadable: int = 0                    # gaps without stored text (question log off)

    def to_json(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None, "channel": self.channel,
            "questions": self.questions, "feedback": self.feedback, "helpful": self.helpful,
            "unhelpful": self.unhelpful, "not_confident": self.not_confident, "sensitive": self.sensitive,
            "unreadable": self.unreadable, "groups": [g.to_json() for g in self.groups],
            "by_topic": [vars(t) for t in self.by_topic],
        }

    def to_markdown(self, titles: dict[str, str] | None = None) -> str:
        titles = titles or {}

        def name(tid):
            return f"{titles.get(tid, tid)} (`{tid}`)" if tid else "-"

        period = f"{self.since:%Y-%m-%d %H:%M} ~ {(self.until or now_minute()):%Y-%m-%d %H:%M} UTC" \
            if self.since else "전체 기간"
        out = [f"# 콘텐츠 빈틈 보고서 ({period})", ""]
        if self.channel:
            out += [f"채널: {self.channel}", ""]
        out += [
            f"- 질문 {self.questions}건, 확신 없는 답 {self.not_confident}건, 위기·위험 {self.sensitive}건(내용 저장 안 함)",
            f"- 의견 {self.feedback}건: 도움됨 {self.helpful}, 도움 안 됨 {self.unhelpful}",
            "",
            "## 묶음별 빈틈",
            "",
        ]
        if not self.groups:
            out += ["빈틈이 없어요.", ""]
        for i, g in enumerate(self.groups, 1):
            label = {"new topic": "새 주제", "extend topic": "주제 보강", "add synonym": "동의어 추가"}[g.suggestion]
            out.append(f"### {i}. {' · '.join(g.terms) or '(내용 없음)'} — {g.count}건")
            out.append(f"- 제안: **{label}** ({g.suggestion}{': ' + g.target if g.target else ''})")
            where = "가장 가까운 주제" if g.not_confident == g.count else "닿은 주제"
            out.append(f"- {where}: {name(g.topic)}; 확신 없음 {g.not_confident}, 도움 안 됨 {g.unhelpful}")
            if g.reasons:
                out.append("- 이유: " + ", ".join(f"{REASONS.get(k, k)} {n}" for k, n in g.reasons.most_common()))
            for ex in g.examples:
                out.append(f"  - “{ex}”")
            out.append("")
        if self.unreadable:
            out += [f"질문 기록이 꺼져 있어 내용 없이 센 빈틈: {self.unreadable}건", ""]
        out += ["## 주제별", "", "| 주제 | 질문 | 확신 없음 | 도움됨 | 도움 안 됨 |", "| --- | ---: | ---: | ---: | ---: |"]
        for t in self.by_topic:
            out.append(f"| {name(t.topic)} | {t.asked} | {t.not_confident} | {t.helpful} | {t.unhelpful} |")
        return "\n".join(out) + "\n"


# ------------------------------------------------------------------ similarity

_MASKED = re.compile(r"[0-9*][0-9*.\-]{4,}[0-9*]|\S+@\S+")   # what is left of masked numbers and e-mails


def content_terms(analyzer, text: str) -> frozenset[str]:
    """The question's content words: analyzer terms without compound parts and light verbs
    (and without the remains of masked phone numbers, which say nothing about the topic)."""
    out = set()
    for t in analyzer(_MASKED.sub(" ", text or "")):
        if getattr(t, "part", False) or t.text in STOP_TERMS:
            continue
        out.add(t.text)
    return frozenset(out)


def syllable_dice(a: str, b: str) -> float:
    sa_, sb = set(a), set(b)
    if not sa_ or not sb:
        return 0.0
    return 2 * len(sa_ & sb) / (len(sa_) + len(sb))


def term_match(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return 0.5 if close_words(a, b) else 0.0


def close_words(a: str, b: str) -> bool:
    """Two different words that likely mean nearly the same: they begin alike (거절 ~ 거부,
    육아휴직 ~ 육아휴직급여) and share half their syllables. 세금 and 벌금 only end alike."""
    return a != b and len(a) >= 2 and len(b) >= 2 and a[0] == b[0] and syllable_dice(a, b) >= SYLLABLE_MATCH


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Soft overlap: each word's best match on the other side, over the mean size."""
    if not a or not b:
        return 0.0
    left = sum(max(term_match(x, y) for y in b) for x in a)
    right = sum(max(term_match(y, x) for x in a) for y in b)
    return (left + right) / (len(a) + len(b))


# ------------------------------------------------------------------ building

def is_gap(r: Record) -> bool:
    return r.route in ("answer", "unsure") and (not r.confident or r.helpful is False)


def known_vocabulary(content, analyzer) -> tuple[set[str], dict[str, str]]:
    """Every term the content's titles, keywords and questions use; and keyword term -> topic id."""
    vocab: set[str] = set()
    keywords: dict[str, str] = {}
    for t in content.topics.values():
        for kw in (t.title, *t.keywords):
            for term in content_terms(analyzer, kw):
                keywords.setdefault(term, t.id)
                vocab.add(term)
        for text in (t.summary, *t.questions):
            vocab.update(content_terms(analyzer, text))
    return vocab, keywords


def _synonym_hint(terms, vocab, keywords) -> str:
    for term in sorted(terms):
        if term in vocab or len(term) < 2:
            continue
        close = [(syllable_dice(term, kw), kw) for kw in keywords if close_words(term, kw)]
        if close:
            best = max(close)[1]
            return f"{term} -> {best} ({keywords[best]})"
    return ""


def build_report(records: list[Record], analyzer, content=None, since=None, until=None,
                 channel=None) -> Report:
    gaps: list[Record] = []
    by_topic: dict[str, TopicLine] = {}
    for r in records:
        if r.topic and r.route in ("answer", "unsure"):
            line = by_topic.setdefault(r.topic, TopicLine(r.topic))
            line.asked += 1
            line.not_confident += not r.confident
            line.helpful += r.helpful is True
            line.unhelpful += r.helpful is False
        if is_gap(r):
            gaps.append(r)

    groups: list[tuple[frozenset, Group]] = []
    unreadable = 0
    for r in gaps:
        if not r.question:
            unreadable += 1
            continue
        terms = content_terms(analyzer, r.question)
        best, best_sim = None, 0.0
        for i, (rep, _g) in enumerate(groups):
            s = similarity(terms, rep)
            if s > best_sim:
                best, best_sim = i, s
        if best is None or best_sim < GROUP_SIMILARITY:
            groups.append((terms, Group(terms=())))
            best = len(groups) - 1
        g = groups[best][1]
        g.count += 1
        g.not_confident += not r.confident
        g.unhelpful += r.helpful is False
        g._term_counts.update(terms)
        if r.topic:
            g.topics[r.topic] += 1
        if r.reason:
            g.reasons[r.reason] += 1
        g.channels[r.channel.split(":", 1)[0]] += 1
        if len(g.examples) < EXAMPLES and r.question not in g.examples:
            g.examples.append(r.question)

    vocab, keywords = known_vocabulary(content, analyzer) if content is not None else (set(), {})
    out = []
    for _rep, g in groups:
        g.terms = tuple(t for t, _n in sorted(g._term_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
        landed_unhelpful = g.unhelpful > 0 and g.unhelpful >= g.not_confident and g.topic
        hint = _synonym_hint(g._term_counts, vocab, keywords) if keywords else ""
        if landed_unhelpful:
            g.suggestion, g.target = "extend topic", g.topic or ""   # landed_unhelpful: g.topic is set
        elif hint:
            g.suggestion, g.target = "add synonym", hint
        else:
            g.suggestion, g.target = "new topic", ""
        out.append(g)
    out.sort(key=lambda g: (-g.count, g.terms))
    return Report(
        since=since, until=until, channel=channel, questions=len(records),
        feedback=sum(r.helpful is not None for r in records),
        helpful=sum(r.helpful is True for r in records), unhelpful=sum(r.helpful is False for r in records),
        not_confident=sum(r.route == "unsure" or (r.route == "answer" and not r.confident) for r in records),
        sensitive=sum(r.route in ("crisis", "danger") for r in records),
        groups=out, by_topic=sorted(by_topic.values(), key=lambda t: (-(t.unhelpful + t.not_confident), t.topic)),
        unreadable=unreadable,
    )


def report_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
