"""Compose an Answer for a question: search, decide confidence, pick text, route referrals.

The answer text is what a counselor would say: the topic's 핵심 답변, then the section that
matches the question best when the question is specific, then the legal basis with its dates
and any "확인 필요" notes. When the search cannot explain most of the question, the answer
says so and offers the closest topics and the general hotlines instead of guessing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from search.analysis import weighted_terms
from search.searcher import SearchResult, TopicHit

from . import referrals as referral_router
from . import safety
from .clauses import split_question
from .content import Content
from .expand import expand
from .models import Answer, ReferralCard, SectionRef, Topic
from .questions import QuestionError, clean_question, has_words
from .sidewords import search_text as side_free

# Confidence, fitted on the development and the blind holdout sets (bench/eval/): a topic that
# explains at least 40% of the question's idf-weighted terms answers it; one that explains
# less is still trusted when the match is strong (long questions carry many side words).
# Out-of-scope questions (청약, 증여세, 이유식) explained at most 31% with scores under 50.
MIN_COVERAGE = 0.4
MIN_SCORE = 6.0
STRONG_COVERAGE = 0.22
STRONG_SCORE = 50.0
# Below this the question is out of scope: no topic is offered as an answer at all.
RELATED_COVERAGE = 0.15
# A specific section is added to the 핵심 답변 when it outscores the core by this factor.
SPECIFIC_SECTION_FACTOR = 1.05
MAX_SECTIONS = 5
MAX_SUGGESTIONS = 3

NOT_CONFIDENT = (
    "질문을 정확히 이해하지 못했어요. 아래에서 궁금한 내용을 골라 주시거나, "
    "고용노동부 고객상담센터(1350)나 서울노동권익센터(1661-2020)에 물어보세요."
)
URGENT_UNSURE = "일이나 회사에 관해 궁금한 점이 있으면 안전해진 뒤 이어서 물어보세요. 함께 찾아 드릴게요."
NEAREST = "가장 가까운 내용은 '{title}'입니다. 질문과 맞는지 확인해 주세요:"

# With an urgent route, labor places still follow the urgent ones, up to this many in all.
MAX_URGENT_REFERRALS = 5


def is_confident(top: TopicHit | None) -> bool:
    if top is None:
        return False
    return (top.coverage >= MIN_COVERAGE and top.score >= MIN_SCORE) or (
        top.coverage >= STRONG_COVERAGE and top.score >= STRONG_SCORE)


def is_related(top: TopicHit | None) -> bool:
    """Not confident, but close enough that the nearest topic is worth showing, labelled."""
    return top is not None and top.coverage >= RELATED_COVERAGE


def pick_sections(topic: Topic, hit: TopicHit) -> list:
    """The 핵심 답변, plus the best specific section when the question is about that part."""
    core = topic.core
    chosen = [core] if core else []
    by_anchor = {s.anchor: s.score for s in hit.sections}
    core_score = by_anchor.get(core.anchor, 0.0) if core else 0.0
    best = next((s for s in hit.sections if core is None or s.anchor != core.anchor), None)
    if best is not None and best.score >= core_score * SPECIFIC_SECTION_FACTOR:
        section = topic.section(best.anchor)
        if section is not None:
            chosen.append(section)
    return chosen


def steps_section(topic: Topic, hit: TopicHit, headings: tuple[str, ...]):
    """For "어떻게 해야 돼요": the topic's what-to-do section (its heading names steps), best
    scoring first, else the first in the topic's order; None when the topic has none."""
    candidates = [s for s in topic.sections[1:] if any(h in s.heading for h in headings)]
    if not candidates:
        return None
    score = {s.anchor: s.score for s in hit.sections}
    return max(candidates, key=lambda s: (score.get(s.anchor, 0.0), -topic.sections.index(s)))


def date_line(topic: Topic) -> str:
    parts = []
    if topic.legal_basis:
        parts.append("근거: " + ", ".join(topic.legal_basis))
    if topic.effective:
        parts.append(f"기준일 {topic.effective}")
    if topic.reviewed:
        parts.append(f"검토일 {topic.reviewed}")
    return " · ".join(parts)


def verify_line(topic: Topic) -> str:
    """The facts still to confirm, said as such, with the number to confirm them at."""
    return ("확인 필요: " + " / ".join(topic.verify) + " (고용노동부 1350에서 확인하세요)") if topic.verify else ""


def compose_text(topic: Topic, sections: list) -> str:
    blocks = []
    for i, s in enumerate(sections):
        blocks.append(s.text if i == 0 else f"[{s.heading}]\n{s.text}")
    blocks.append(verify_line(topic))
    blocks.append(date_line(topic))
    return "\n\n".join(b for b in blocks if b)


def urgent_first(urgent: list[str], ids: list[str], content: Content) -> list[str]:
    """109 / 112 / 1366 (and the workplace route) before the places the router chose."""
    first = [i for i in urgent if i in content.centers]
    if not first:
        return ids
    rest = [i for i in ids if i not in first]
    return first + rest[:max(2, MAX_URGENT_REFERRALS - len(first))]


def urgent_cards(cards: list[ReferralCard], verdict: safety.Verdict, lexicon: safety.SafetyLexicon) -> list[ReferralCard]:
    """The urgent cards are marked and say why in their own words (from content/safety.yaml)."""
    if not verdict.urgent:
        return cards
    first = set(lexicon.first_ids(verdict))
    return [replace(c, urgent=True, why=lexicon.why.get(c.id, c.why)) if c.id in first else c for c in cards]


@dataclass(frozen=True)
class UrgentHelp:
    """What every channel shows first for a crisis or danger: the lead and the urgent cards."""

    route: str
    crisis: bool
    danger: bool
    lead: str
    cards: tuple[ReferralCard, ...]
    referrals: tuple[str, ...]

    def to_json(self) -> dict:
        return {"route": self.route, "crisis": self.crisis, "danger": self.danger, "lead": self.lead,
                "referrals": list(self.referrals), "referral_cards": [c.to_json() for c in self.cards]}


def urgent_help(text, content: Content) -> UrgentHelp | None:
    """The urgent route for any text a person sends (a search box too), or None."""
    check = safety.for_content(content)
    verdict = check(text)
    if not verdict.urgent:
        return None
    ids = urgent_first(check.lexicon.first_ids(verdict), list(referral_router.GENERAL_HOTLINES), content)
    cards = urgent_cards(referral_router.cards(ids, content, None, crisis=verdict.crisis), verdict, check.lexicon)
    return UrgentHelp(verdict.route, verdict.crisis, verdict.danger, check.lexicon.lead(verdict),
                      tuple(cards), tuple(ids))


def refused_but_urgent(question, error: QuestionError, help: UrgentHelp) -> Answer:
    """A message too long or malformed to search still gets its 109 / 112 cards.

    The labor part is not answered; the refusal is said after the urgent lead."""
    shown = safety.normalise(question if isinstance(question, str) else "")
    return Answer(
        q=shown[:500], answer=help.lead + "\n\n" + error.message, topics=(), sections=(),
        referrals=help.referrals, referral_cards=help.cards, confident=False, crisis=help.crisis,
        danger=help.danger, as_of=None, reviewed=None, legal_basis=(), suggestions=(), core="", lead=help.lead,
    )


def ask(question: str, content: Content, searcher, *, now=None, context=None) -> Answer:
    """Answer one question (raises QuestionError for empty, too long or control characters).

    Crisis and danger are detected first, on the text as sent: a message that is then refused
    (too long, control characters) still carries the 109 / 112 cards. `now` is the clock the
    router reads opening hours with (Asia/Seoul); `context` carries a region, audience or worker type.
    A message asking two different things gets both answers: the first as this Answer, the
    second as its `also` (see `two_part`)."""
    check = safety.for_content(content)
    verdict = check(question)
    try:
        q = clean_question(question)
    except QuestionError as e:
        help = urgent_help(question, content) if verdict.urgent else None
        if help is not None:
            return refused_but_urgent(question, e, help)
        raise
    whole = find(q, verdict, content, searcher)
    if not verdict.urgent:       # a crisis or danger answer is never split: 109 / 112 and one calm answer
        both = two_part(q, whole, verdict, content, searcher, now=now, context=context)
        if both is not None:
            return both
    return compose(q, whole, verdict, verdict, content, now=now, context=context)


@dataclass(frozen=True)
class Found:
    """What the search found for one question (or one part of a message)."""

    result: SearchResult
    hits: tuple[TopicHit, ...]
    confident: bool
    related: bool

    @property
    def top(self) -> TopicHit | None:
        return self.hits[0] if self.hits else None


def find(text: str, verdict: safety.Verdict, content: Content, searcher) -> Found:
    """Search `text` without its feeling words ("너무 서러워요" says how the person is, not what
    they ask) and decide whether its best topic answers it."""
    result: SearchResult = searcher.search(expand(side_free(text, verdict)), limit=40)
    hits = tuple(h for h in result.topics if h.topic in content.topics)
    top = hits[0] if hits else None
    meaningful = has_words(text)          # "1", "NOT", "{{7*7}}" are never answered with confidence
    confident = meaningful and is_confident(top)
    related = meaningful and not confident and is_related(top)
    if verdict.urgent and not confident:
        related = False   # the nearest labor topic is noise next to 112 or 109
    return Found(result, hits, confident, related)


# Each part's topic must be among the whole message's first few: "신청은 어디서 해요?" after
# "육아휴직 급여 얼마나 나와요?" alone finds some topic about 신청, but the message is about 육아휴직
# 급여; it is the same question continued, not a second one.
WHOLE_TOP = 3


def main_terms(searcher, text: str) -> frozenset[str]:
    """A text's index terms without a compound's parts (휴가 inside 출산휴가 names nothing)."""
    return frozenset(t for t, w in weighted_terms(searcher.analyzer, text).items() if w >= 1.0)


def topic_names(topic: Topic, searcher, content: Content) -> frozenset[str]:
    """What names a topic: the terms of its title and keywords (analysed once per process)."""
    cache = getattr(content, "_topic_names", None)
    if cache is None:
        cache = content._topic_names = {}  # type: ignore[attr-defined]  # per Content, like its _safety_check
    names = cache.get(topic.id)
    if names is None:
        names = cache[topic.id] = main_terms(searcher, " ".join((topic.title, *topic.keywords)))
    return names


def distinct(whole: Found, first: Found, second: Found) -> bool:
    """Whether two parts ask about two different topics, each confidently, each one the whole
    message is about."""
    a, b = first.top, second.top
    if not (first.confident and second.confident) or a is None or b is None or a.topic == b.topic:
        return False
    about = {h.topic for h in whole.hits[:WHOLE_TOP]}
    return a.topic in about and b.topic in about


def names_its_topic(part: str, found: Found, searcher, content: Content) -> bool:
    """Whether a part says what it asks about: one of its words names its topic ("육휴 중에
    연차는요" names 연차). "유급인가요" or "말로 하면 안되나요" after a first question continue it."""
    top = found.top
    return top is not None and bool(main_terms(searcher, part) & topic_names(content.topics[top.topic], searcher, content))


def two_part(q: str, whole: Found, verdict: safety.Verdict, content: Content, searcher, *, now=None,
             context=None) -> Answer | None:
    """Both answers of a message asking two things (kb/clauses.py splits it), or None to answer it
    whole: when it holds one question, or its parts do not each have a confident topic of their
    own, named in the part, that differs from the other's (`distinct`, `names_its_topic`; `whole`
    is what the whole message found). The first part is the Answer (its `q` is the whole message,
    so every channel and scorer reads it as before); the second is its `also`. Places to call are
    routed with the whole message (a 자치구 or 계약직 named in one part holds for both)."""
    check = safety.for_content(content)
    parts = split_question(q, check.kiwi)
    if len(parts) != 2:
        return None
    verdicts = [check(p) for p in parts]
    found = [find(p, v, content, searcher) for p, v in zip(parts, verdicts, strict=True)]
    if not distinct(whole, found[0], found[1]) or not all(
            names_its_topic(p, f, searcher, content) for p, f in zip(parts, found, strict=True)):
        return None
    first = compose(q, found[0], verdict, verdicts[0], content, now=now, context=context)
    second = compose(parts[1], found[1], safety.NO_ALARM, verdicts[1], content, now=now, context=context, route_q=q)
    return replace(first, part=parts[0], also=replace(second, part=parts[1]))


def compose(q: str, found: Found, verdict: safety.Verdict, own: safety.Verdict, content: Content, *,
            now=None, context=None, route_q: str | None = None) -> Answer:
    """The Answer for what `find` found. `verdict` is the whole message's (crisis, danger and the
    human line), `own` the answered text's (does it ask for the steps)."""
    check = safety.for_content(content)
    crisis = verdict.crisis
    confident, related, top, result = found.confident, found.related, found.top, found.result
    topics = [content.topics[h.topic] for h in found.hits]
    sections = [SectionRef(s.topic, s.anchor, s.heading, s.score)
                for s in result.sections if s.topic in content.topics][:MAX_SECTIONS]
    routing = referral_router.plan(route_q or q, topics, content, crisis=crisis, confident=confident, related=related,
                                   now=now, context=context)   # now: the clock (Asia/Seoul); context: region etc.
    ref_ids = urgent_first(check.lexicon.first_ids(verdict), routing.ids, content)
    lead_topic = topics[0] if topics and confident else None
    cards = urgent_cards(referral_router.cards(ref_ids, content, lead_topic, crisis=crisis, routing=routing),
                         verdict, check.lexicon)

    if confident:
        assert top is not None  # is_confident(None) is False
        topic = topics[0]
        chosen = pick_sections(topic, top)
        steps = steps_section(topic, top, check.lexicon.step_headings) if own.asks_steps else None
        if steps is not None:   # "어떻게 해야 돼요": what to do now, before any other detail
            chosen = chosen[:1] + [steps]
        detail = chosen[1].anchor if len(chosen) > 1 else ""
        text = compose_text(topic, chosen)
        suggestions = []
        as_of = str(topic.effective) if topic.effective else None
        reviewed = str(topic.reviewed) if topic.reviewed else None
        legal_basis = topic.legal_basis
        core = topic.core.text if topic.core else topic.summary
        verify = topic.verify
    else:
        text, suggestions = NOT_CONFIDENT, [t.title for t in topics[:MAX_SUGGESTIONS]]
        if verdict.urgent:
            text, suggestions = URGENT_UNSURE, []
        elif related:
            nearest = topics[0]
            text += "\n\n" + NEAREST.format(title=nearest.title) + "\n" + (nearest.core.text if nearest.core else nearest.summary)
        as_of = reviewed = None
        legal_basis = verify = ()
        core = detail = ""
    lead = check.lexicon.lead(verdict)
    empathy = check.lexicon.empathy(verdict)
    if lead or empathy:
        text = (lead or empathy) + "\n\n" + text

    return Answer(
        q=q, answer=text, topics=tuple(t.id for t in topics[:10]), sections=tuple(sections),
        referrals=tuple(ref_ids), referral_cards=tuple(cards), confident=confident, crisis=crisis,
        danger=verdict.danger, as_of=as_of, reviewed=reviewed, legal_basis=tuple(legal_basis),
        suggestions=tuple(suggestions), core=core, verify=tuple(verify), lead=lead,
        detail=detail, empathy=empathy,
    )
