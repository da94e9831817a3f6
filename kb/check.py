"""Validate the knowledge base: every problem as `path:line: message`.

Beyond the shape of each file, the checks that matter are the ones that protect readers:
dates (a reviewed date in the future is a lie), sources, a legal basis, ids that resolve,
every required taxonomy topic present, and each `must_cover` point of the taxonomy at least
mentioned with its numbers.
"""
from __future__ import annotations

import re
from datetime import date

from .content import MISSING_FILE, Content, Problem

TOPIC_FIELDS = {
    "id", "title", "category", "audience", "applies_to", "summary", "questions", "keywords",
    "legal_basis", "effective", "reviewed", "referrals", "related", "sources", "verify",
    "forms", "case_types", "section_effective",
}
TOPIC_REQUIRED = ["id", "title", "category", "summary", "questions", "keywords", "legal_basis",
                  "effective", "reviewed", "referrals", "sources"]
CENTER_FIELDS = {
    "id", "name", "kind", "phone", "website", "address", "hours", "region", "districts", "serves",
    "audience", "unverified", "fallback", "verified", "sources", "verify", "why", "open_hours", "near",
}
CENTER_REQUIRED = ["id", "name", "kind", "phone", "region", "serves", "verified", "sources"]
CENTER_VERIFIABLE = {"phone", "website", "address", "hours"}
MIN_QUESTIONS = 8
CORE_HEADING = "핵심 답변"
_TODO = re.compile(r"\b(TODO|FIXME|XXX|TBD)\b")


def check(content: Content, today: date | None = None, analyzer=None) -> list[Problem]:
    """All problems, errors and warnings, sorted by file and line."""
    today = today or date.today()
    problems = list(content.problems)
    tax = content.taxonomy or {}
    categories = set((tax.get("categories") or {}).keys())
    tax_topics = {t["id"]: t for t in tax.get("topics") or [] if isinstance(t, dict) and "id" in t}
    tax_centers = {c["id"] for c in tax.get("centers") or [] if isinstance(c, dict) and "id" in c}

    for topic in content.topics.values():
        problems += _check_topic(topic, content, categories, today)
    for center in content.centers.values():
        problems += _check_center(center, content, today)

    problems += check_small_workplace_table(content)
    problems += check_case_types(content)

    root = content.root
    places = content.places
    if places is not None and places.districts:
        for region, districts in (tax.get("regions") or {}).items():
            for d in districts or ():
                if d not in places:
                    problems.append(Problem(str(root / "taxonomy.yaml"), 1,
                                            f"region {region}: {d!r} is not a 자치구 in places.yaml"))
    for tid in sorted(set(tax_topics) - set(content.topics)):
        if (root / "topics" / f"{tid}.md").exists():
            continue  # the file is there but did not parse: that problem is already reported
        problems.append(Problem(str(root / "topics" / f"{tid}.md"), 1, f"taxonomy topic {tid!r} has no file",
                                kind=MISSING_FILE))
    for cid in sorted(tax_centers - set(content.centers)):
        if (root / "centers" / f"{cid}.md").exists():
            continue
        problems.append(Problem(str(root / "centers" / f"{cid}.md"), 1, f"taxonomy center {cid!r} has no file",
                                kind=MISSING_FILE))

    from .forms import check_forms  # content/forms/: fields, legal bases, topic links

    problems += check_forms(content, today)
    if analyzer is not None:
        for tid, entry in tax_topics.items():
            listed = content.topics.get(tid)
            if listed is not None:
                problems += check_must_cover(listed, entry.get("must_cover") or [], analyzer)
        problems += _check_synonym_conflicts(content)
        problems += check_safety_phrases(content)
    problems += check_safety_ids(content)
    problems += check_rules(content)
    return sorted(set(problems))


def check_case_types(content: Content) -> list[Problem]:
    """A topic's `case_types` must be ids of content/case_types.yaml (the counselor view's
    case-type filter offers exactly those; a misspelt one would hide the topic from it)."""
    known = content.case_types
    out = []
    for t in content.topics.values():
        for value in t.case_types:
            if value not in known:
                named = ", ".join(known) or "none: content/case_types.yaml is missing"
                out.append(Problem(t.path, _line(t, "case_types"), f"unknown case type {value!r} (known: {named})"))
    return out


def check_safety_ids(content: Content) -> list[Problem]:
    """Every place content/safety.yaml names must be a center, and both routes need a lead."""
    raw = content.safety or {}
    path = str(content.root / "safety.yaml")
    out = []
    routes = raw.get("routes") or {}
    named = list((raw.get("why") or {}).keys())
    for route in ("crisis", "danger"):
        spec = routes.get(route) or {}
        if not spec.get("first"):
            out.append(Problem(path, 1, f"routes.{route}.first names no place to call"))
        if not (raw.get("leads") or {}).get(route):
            out.append(Problem(path, 1, f"leads.{route} is missing"))
        named += list(spec.get("first") or ())
        for ids in (spec.get("at_work") or {}).values():
            named += list(ids or ())
    for cid in dict.fromkeys(named):
        if cid not in content.centers:
            out.append(Problem(path, 1, f"unknown center {cid!r}"))
    return out


def check_safety_phrases(content: Content) -> list[Problem]:
    """Every phrase must analyse to something and every regex compile (needs Kiwi)."""
    from .safety import for_content

    path = str(content.root / "safety.yaml")
    return [Problem(path, 1, message) for message in for_content(content).lexicon.problems]


def _line(item, key: str) -> int:
    return item.lines.get(key, 1)


def _check_dates(item, p, today, fields) -> list[Problem]:
    out = []
    for key in fields:
        value = getattr(item, key)
        if value is None:
            continue
        if isinstance(value, str):
            out.append(Problem(p, _line(item, key), f"{key} must be a date YYYY-MM-DD, not {value!r}"))
        elif key in ("reviewed", "verified") and value > today:
            out.append(Problem(p, _line(item, key), f"{key} {value} is in the future"))
    return out


def _check_sources(item, p) -> list[Problem]:
    out = []
    for s in item.sources:
        if not s.title:
            out.append(Problem(p, _line(item, "sources"), "every source needs a title"))
        if s.url and not re.match(r"^https?://", s.url):
            out.append(Problem(p, _line(item, "sources"), f"source url must start with http(s)://: {s.url!r}"))
    return out


def _check_todo(item, p) -> list[Problem]:
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    return [Problem(p, n, "leftover TODO/FIXME marker")
            for n, line in enumerate(text.splitlines(), 1) if _TODO.search(line)]


def _check_fields(item, allowed: set, required: list) -> list[Problem]:
    """Unknown and missing front-matter fields, and an id that is not the file name."""
    p = item.path
    out = []
    meta = item.meta_keys
    for key in sorted(meta - allowed):
        out.append(Problem(p, _line(item, key), f"unknown field {key!r}"))
    for key in required:
        if key not in meta or getattr(item, key) in (None, "", ()):
            out.append(Problem(p, _line(item, key) if key in meta else 1, f"missing required field {key!r}"))
    stem = p.rsplit("/", 1)[-1].removesuffix(".md")
    if item.id and item.id != stem:
        out.append(Problem(p, _line(item, "id"), f"id {item.id!r} does not match the file name {stem!r}"))
    return out


def _check_ids(item, key: str, values, known: dict[str, str]) -> list[Problem]:
    """Each id of `key` must be one of facets.yaml's (unchecked while that table is missing or
    broken: facets.yaml itself is then the problem reported)."""
    if not known:
        return []
    return [Problem(item.path, _line(item, key), f"{key} must be one of {', '.join(known)} (content/facets.yaml), not {v!r}")
            for v in values if v not in known]


def _check_topic(t, content: Content, categories: set, today: date) -> list[Problem]:
    p = t.path
    out = _check_fields(t, TOPIC_FIELDS, TOPIC_REQUIRED)
    meta = t.meta_keys
    if t.category and categories and t.category not in categories:
        out.append(Problem(p, _line(t, "category"),
                           f"category {t.category!r} is not in the taxonomy ({', '.join(sorted(categories))})"))
    out += _check_ids(t, "audience", t.audience, content.facets.audiences)
    out += _check_ids(t, "applies_to", t.applies_to, content.facets.applies_to)
    for r in t.referrals:
        if r not in content.centers:
            out.append(Problem(p, _line(t, "referrals"), f"referral {r!r} is not a center id"))
    for r in t.related:
        if r not in content.topics:
            out.append(Problem(p, _line(t, "related"), f"related {r!r} is not a topic id"))
    for key in ("questions", "keywords", "legal_basis", "verify"):
        if any(not isinstance(v, str) for v in getattr(t, key)):
            out.append(Problem(p, _line(t, key), f"every {key} item must be plain text (quote an item that contains ': ')"))
    if "questions" in meta and len(t.questions) < MIN_QUESTIONS:
        out.append(Problem(p, _line(t, "questions"), f"needs at least {MIN_QUESTIONS} questions, has {len(t.questions)}"))
    out += _check_dates(t, p, today, ("effective", "reviewed"))
    out += _check_sources(t, p)
    if not t.sections:
        out.append(Problem(p, 1, "a topic needs '## ' sections, starting with '## 핵심 답변'"))
    elif t.sections[0].heading != CORE_HEADING:
        out.append(Problem(p, t.sections[0].line, f"the first section must be '## {CORE_HEADING}'"))
    else:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.sections[0].text.strip()) if s.strip()]
        if len(sentences) > 3:
            out.append(Problem(p, t.sections[0].line,
                               f"핵심 답변 should be at most 3 sentences, has {len(sentences)}", warning=True))
    out += check_section_effective(t, p)
    out += _check_todo(t, p)
    out += check_future_wording(t, p, today)
    out += check_editor_notes(t, p)
    return out


def check_section_effective(t, p: str) -> list[Problem]:
    """`section_effective` names sections of this topic, each with a real date."""
    out = []
    line = _line(t, "section_effective")
    anchors = {s.anchor for s in t.sections}
    for anchor, when in t.section_effective.items():
        if anchor not in anchors:
            out.append(Problem(p, line, f"section_effective: no section with anchor {anchor!r}"))
        if not isinstance(when, date):
            out.append(Problem(p, line, f"section_effective: {anchor!r} needs a date YYYY-MM-DD, not {when!r}"))
    return out


_EDITOR_NOTE = re.compile(r"블로그(?:에서|로)만|블로그 자료|팩트시트|facts\.md|effective[는:]|"
                          r"출처로 확인하지 못|이 자료에서는|UNVERIFIED|기사만 확인|기사 미발견|확인 기사|미발견")


def check_editor_notes(item, p) -> list[Problem]:
    """Notes meant for editors ("블로그에서만 확인", "effective는 … 로 적음") must not reach a reader:
    the body and `verify:` lines say what is unknown and whom to call."""
    texts = [(s.line, s.text) for s in getattr(item, "sections", ())]
    texts += [(_line(item, "verify"), v) for v in item.verify if isinstance(v, str)]
    if getattr(item, "description", None):
        texts.append((item.body_line, item.description))
    return [Problem(p, line, f"editor's note in reader-facing text: {m.group(0)!r}", warning=True)
            for line, text in texts for m in [_EDITOR_NOTE.search(text)] if m]


_FUTURE = re.compile(r"앞으로 바뀝니다|바뀔 예정|시행 예정|시행될 예정|생길 예정|오를 예정|예정입니다")
_WHEN = re.compile(r"(\d{4})[년.-]\s*(\d{1,2})(?:[월.-]\s*(\d{1,2}))?")


def check_future_wording(item, p, today: date) -> list[Problem]:
    """A rule written as future ("시행 예정", "앞으로 바뀝니다") whose date in the same sentence has
    already passed by `today` misleads a reader: it is in force and must be written in the present."""
    texts = [(s.line, s.text) for s in getattr(item, "sections", ())]
    texts += [(_line(item, "summary"), getattr(item, "summary", "") or "")]
    texts += [(_line(item, "verify"), v) for v in item.verify if isinstance(v, str)]
    out = []
    for line, text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
            if not _FUTURE.search(sentence):
                continue
            for y, m, d in _WHEN.findall(sentence):
                try:
                    when = date(int(y), int(m), int(d or 1))
                except ValueError:
                    continue
                if when <= today:
                    out.append(Problem(p, line,
                                       f"written as future, but {when} has passed (today {today}): {sentence.strip()[:60]!r}"))
                    break
    return out


def _check_center(c, content: Content, today: date) -> list[Problem]:
    p = c.path
    out = _check_fields(c, CENTER_FIELDS, CENTER_REQUIRED)
    out += _check_ids(c, "kind", (c.kind,) if c.kind else (), content.facets.kinds)
    out += _check_ids(c, "region", (c.region,) if c.region else (), content.facets.regions)
    out += _check_ids(c, "audience", c.audience, content.facets.audiences)
    for s in c.serves:
        if s not in content.topics:
            out.append(Problem(p, _line(c, "serves"), f"serves {s!r} is not a topic id"))
    for u in c.unverified:
        if u not in CENTER_VERIFIABLE:
            out.append(Problem(p, _line(c, "unverified"),
                               f"unverified lists fields ({', '.join(sorted(CENTER_VERIFIABLE))}), not {u!r}"))
    if c.fallback and c.fallback not in content.centers:
        out.append(Problem(p, _line(c, "fallback"), f"fallback {c.fallback!r} is not a center id"))
    if c.unverified and not c.fallback:
        out.append(Problem(p, _line(c, "unverified"), "a center with unverified fields needs a fallback to call"))
    if not c.description.strip():
        out.append(Problem(p, c.body_line, "the description after the front matter is empty"))
    out += _check_dates(c, p, today, ("verified",))
    out += _check_sources(c, p)
    out += _check_todo(c, p)
    out += check_editor_notes(c, p)
    out += _check_center_places(c, content)
    return out


# ---------------------------------------------------------------- 5인 미만 table

SMALL_WORKPLACE_TOPIC = "small-workplace"
SMALL_MARKS = {"적용": True, "미적용": False}
_SMALL_MENTION = re.compile(r"5인\s*미만|4명\s*이하|4인\s*이하|5명\s*이상")


def small_workplace_rows(topic) -> list[tuple[int, bool, str]]:
    """(line, applies, topic title) for each table row of the small-workplace topic whose
    '5인 미만' cell says 적용/미적용; the last cell names the topic the row is about."""
    rows = []
    for section in topic.sections:
        for offset, raw in enumerate(section.markdown.splitlines(), 1):
            cells = [c.strip() for c in raw.strip().strip("|").split("|")] if raw.lstrip().startswith("|") else []
            marks = [SMALL_MARKS[c] for c in cells if c in SMALL_MARKS]
            if len(cells) >= 3 and len(marks) == 1:
                rows.append((section.line + offset, marks[0], cells[-1]))
    return rows


def check_small_workplace_table(content: Content) -> list[Problem]:
    """The 5인 미만 table of the small-workplace topic is the one statement of which rules reach
    workplaces of four or fewer (근로기준법 시행령 별표1); a topic's `applies_to` must agree with it,
    and a topic the table marks 미적용 must say so to its own readers."""
    table_topic = content.topics.get(SMALL_WORKPLACE_TOPIC)
    if table_topic is None:
        return []
    by_title = {t.title: t for t in content.topics.values()}
    out = []
    for line, applies, title in small_workplace_rows(table_topic):
        topic = by_title.get(title)
        if topic is None:
            out.append(Problem(table_topic.path, line, f"5인 미만 table names {title!r}, which is no topic title"))
            continue
        listed = "small-workplace" in topic.applies_to or "all" in topic.applies_to
        if applies and not listed:
            out.append(Problem(topic.path, _line(topic, "applies_to"),
                               "applies_to lacks small-workplace, but the 5인 미만 table in small-workplace.md says 적용"))
        elif not applies and "small-workplace" in topic.applies_to:
            out.append(Problem(topic.path, _line(topic, "applies_to"),
                               "applies_to lists small-workplace, but the 5인 미만 table in small-workplace.md says 미적용"))
        if not applies and not any(_SMALL_MENTION.search(s.text) for s in topic.sections):
            out.append(Problem(topic.path, 1, "the 5인 미만 table says 미적용, but this topic never tells its readers"))
    return out


def _check_center_places(c, content: Content) -> list[Problem]:
    """Every district a center names is one of Seoul's 자치구 in places.yaml, every `near` name
    resolves to a place, and a shelter says where it is (the router orders shelters by it)."""
    places = content.places
    if places is None or not places.districts:
        return []
    p = c.path
    out = []
    for d in c.districts:
        if d not in places:
            out.append(Problem(p, _line(c, "districts"), f"district {d!r} is not a 자치구 in places.yaml"))
    for n in c.near:
        if places.resolve(n) is None:
            out.append(Problem(p, _line(c, "near"), f"near {n!r} is not a place in places.yaml"))
    if c.kind == "shelter" and not c.districts:
        out.append(Problem(p, _line(c, "districts") if "districts" in c.lines else 1,
                           "a shelter needs its 자치구 in districts"))
    return out


# ---------------------------------------------------------------- must_cover

_DATE = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?~?|\d{4}\.\d{1,2}~?")
_NUMBER = re.compile(r"(\d[\d,]*)\s*(개월|시간|학년|만원|만|원|일|주|년|세|회|명|%|배)")


def must_cover_terms(point: str, analyzer) -> tuple[list[str], list[str]]:
    """The numbers-with-units and the index terms that stand for one must_cover point."""
    text = _DATE.sub(" ", point)
    numbers = [n.replace(",", "") + u for n, u in _NUMBER.findall(text)]
    words = [t.text for t in analyzer(_NUMBER.sub(" ", text)) if not getattr(t, "part", False) and len(t.text) > 1]
    return numbers, list(dict.fromkeys(words))


def point_text(point) -> str:
    """A must_cover point as written (YAML reads 'a: b' inside a flow list as a mapping)."""
    if isinstance(point, dict):
        return " ".join(f"{k}: {v}" for k, v in point.items())
    return str(point)


def check_must_cover(topic, points: list, analyzer, min_share: float = 0.6) -> list[Problem]:
    body = "\n".join([topic.title, topic.summary] + [s.heading + "\n" + s.text for s in topic.sections])
    squeezed = re.sub(r"\s+", "", body).replace(",", "")
    have = {t.text for t in analyzer(body)}
    out = []
    line = topic.sections[0].line if topic.sections else 1
    for point in map(point_text, points):
        numbers, words = must_cover_terms(point, analyzer)
        missing_numbers = [n for n in numbers if n not in squeezed]
        missing_words = [w for w in words if w not in have]
        share = 1 - len(missing_words) / len(words) if words else 1.0
        if missing_numbers or share < min_share:
            missing = missing_numbers + missing_words
            out.append(Problem(topic.path, line, f"must_cover point not covered: {point!r} (missing: {', '.join(missing)})"))
    return out


def _check_synonym_conflicts(content: Content) -> list[Problem]:
    from search.analysis import CompoundFilter, KiwiTokenizer, compound_table, kiwi_user_words, synonym_table

    lex = content.lexicon
    _, conflicts = synonym_table(lex, KiwiTokenizer(kiwi_user_words(lex)), CompoundFilter(compound_table(lex)))
    path = str(content.root / "lexicon" / "synonyms.txt")
    return [Problem(path, line, f"variant {variant!r} {why}", warning=True) for line, variant, why in conflicts]


# ---------------------------------------------------------------- rules.yaml against the topic text

def _figure_forms(value, unit: str = "") -> list[str]:
    """How a figure may be written in a topic: 2200000 → 220만원 or 2,200,000원; 90 → 90일."""
    if isinstance(value, bool) or not isinstance(value, int):
        return [str(value)]
    if value >= 10000:
        forms = [f"{value:,}원"]
        if value % 10000 == 0:
            forms.append(f"{value // 10000:,}만원")
        return forms
    return [f"{value:,}{unit or '일'}", f"{value}{unit or '일'}"]


def check_rules(content: Content) -> list[Problem]:
    """Each figure that content/rules.yaml says a topic states (`stated_in`) must appear in that topic's
    text for every effective period, so the plan's numbers and the topic's never disagree."""
    from .rules import RulesError, load_rules

    path = content.root / "rules.yaml"
    if not path.exists():
        return []
    try:
        rules = load_rules(content.root)
    except RulesError as e:
        return [Problem(str(path), 1, str(e))]
    out = []
    for rule in rules.rules.values():
        for topic_id, key, written in rule.stated_in:
            topic = content.topics.get(topic_id)
            if topic is None:
                out.append(Problem(str(path), 1, f"rules.{rule.id}: stated_in topic {topic_id!r} does not exist"))
                continue
            body = "\n".join([topic.summary] + [s.heading + "\n" + s.text for s in topic.sections])
            squeezed = re.sub(r"\s+", "", body)
            for period in rule.periods:
                value = period.get(key)
                values = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else [value]
                for v in dict.fromkeys(values):
                    forms = [re.sub(r"\s+", "", written.format(v))] if written else _figure_forms(v)
                    if not any(f in squeezed for f in forms):
                        out.append(Problem(topic.path, topic.sections[0].line if topic.sections else 1,
                                           f"rules.yaml {rule.id}.{key} = {forms[-1]} (from {period.start}) is not stated in "
                                           "this topic; the topic and content/rules.yaml disagree"))
    return out
