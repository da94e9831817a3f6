"""Request forms and letters as content (content/forms/<id>.md): load, check, fill, check deadlines.

A form is data, like a topic: YAML front matter declares the fields (Korean label, type, whether
the law requires it and which rule says so), the deadline rules and how to send it; the body is the
document text with `{{field}}` placeholders (`{{field.attr}}` reads an attribute of the chosen
option of a choice field, e.g. the article and the penalty of the refused leave).

Everything here is a pure function of (form, the person's inputs, today): nothing is stored or
logged, and the clock is a parameter so deadline rules are tested on fixed dates.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .content import Problem, as_date, as_sources, as_tuple, split_front_matter
from .models import Source

TYPES = {"text", "textarea", "date", "number", "choice"}
KINDS = {"request": "신청서", "letter": "요청서", "petition": "진정서"}
RULES = {"notice", "window", "not_before", "min_span", "max_span", "order"}
FORM_FIELDS = {"id", "title", "kind", "topic", "summary", "legal_basis", "effective", "reviewed",
               "fields", "deadlines", "guide", "attachments", "sources", "verify"}
FIELD_KEYS = {"id", "label", "type", "required", "basis", "help", "default", "min", "max", "choices", "aliases"}
FORM_REQUIRED = ["id", "title", "kind", "summary", "legal_basis", "reviewed", "fields", "sources"]
MAX_CHARS = {"text": 100, "textarea": 3000, "date": 10, "number": 4, "choice": 60}
BLANK = "＿＿＿＿＿＿"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w]*)(?:\.([A-Za-z_]\w*))?\s*\}\}")


@dataclass(frozen=True)
class Choice:
    value: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: str = "text"
    required: bool = False
    basis: str = ""                 # the rule that makes a required item required
    help: str = ""
    default: str = ""               # "today" for a date filled with the day the page is made
    min: int | None = None
    max: int | None = None
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()   # other names a link may use (/plan's due_date, birth_date, leave_start)
    line: int = 1

    @property
    def carries_in_url(self) -> bool:
        """Only dates, numbers and choices may come in a link (from /plan): a name or a story
        in a URL would end up in browser history and server logs."""
        return self.type in ("date", "number", "choice")

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Rule:
    """A deadline or period rule between two date fields (`from` empty = today)."""

    kind: str
    field: str
    source: str = ""
    days: int = 0
    months: int = 0
    basis: str = ""
    message: str = ""


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    kind: str
    summary: str
    fields: tuple[Field, ...]
    body: str
    rules: tuple[Rule, ...] = ()
    topic: str = ""
    legal_basis: tuple[str, ...] = ()
    effective: date | str | None = None  # the raw text when it is not a date (check reports it)
    reviewed: date | str | None = None
    guide: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    verify: tuple[str, ...] = ()
    path: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)   # front-matter key -> its line
    meta_keys: frozenset[str] = field(default=frozenset(), compare=False)           # every key the front matter has

    def field(self, fid: str) -> Field | None:
        return next((f for f in self.fields if f.id == fid), None)

    @property
    def kind_name(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Issue:
    """A message about one field: an error blocks the document, a warning does not."""

    field: str
    message: str
    basis: str = ""


@dataclass(frozen=True)
class Filled:
    form: Form
    values: dict            # cleaned strings, to put back into the inputs
    dates: dict             # field id -> date
    errors: tuple[Issue, ...]
    missing: tuple[Field, ...]
    warnings: tuple[Issue, ...]
    lines: tuple[str, ...]  # the document, line by line ("# " starts the title)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing

    @property
    def text(self) -> str:
        return "\n".join(line.removeprefix("# ") for line in self.lines)


# ---------------------------------------------------------------- loading

def _int(value):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _field_line(text_lines: list[str], fid: str, start: int) -> int:
    pattern = re.compile(r"(^|[\s{,-])id:\s*" + re.escape(fid) + r"\b")
    for n in range(start, len(text_lines)):
        if pattern.search(text_lines[n]):
            return n + 1
    return start + 1


def parse_form(path: Path, text: str) -> tuple[Form | None, list[Problem]]:
    p = str(path)
    doc, problems = split_front_matter(text, p)
    if doc is None:
        return None, problems
    m = doc.meta
    text_lines = text.splitlines()
    fields_at = doc.key_lines.get("fields", 1)
    fields = []
    for raw in m.get("fields") or ():
        if not isinstance(raw, dict):
            problems.append(Problem(p, fields_at, "every field must be a mapping with id and label"))
            continue
        fid = str(raw.get("id", "") or "").strip()
        for key in sorted(set(map(str, raw)) - FIELD_KEYS):
            problems.append(Problem(p, _field_line(text_lines, fid, fields_at - 1) if fid else fields_at,
                                    f"field {fid!r}: unknown key {key!r} ({', '.join(sorted(FIELD_KEYS))})"))
        choices = []
        for c in raw.get("choices") or ():
            if isinstance(c, dict):
                choices.append(Choice(str(c.get("value", "")).strip(),
                                      {k: str(v) for k, v in c.items() if k != "value"}))
            else:
                choices.append(Choice(str(c).strip()))
        fields.append(Field(
            id=fid, label=str(raw.get("label", "") or "").strip(), type=str(raw.get("type", "text") or "text").strip(),
            required=bool(raw.get("required", False)), basis=str(raw.get("basis", "") or "").strip(),
            help=str(raw.get("help", "") or "").strip(), default=str(raw.get("default", "") or "").strip(),
            min=_int(raw.get("min")), max=_int(raw.get("max")), choices=tuple(choices),
            aliases=as_tuple(raw.get("aliases")),
            line=_field_line(text_lines, fid, fields_at - 1) if fid else fields_at,
        ))
    rules = []
    for raw in m.get("deadlines") or ():
        if not isinstance(raw, dict):
            problems.append(Problem(p, doc.key_lines.get("deadlines", 1), "every deadline must be a mapping"))
            continue
        rules.append(Rule(
            kind=str(raw.get("kind", "")).strip(), field=str(raw.get("field", "")).strip(),
            source=str(raw.get("from", "") or "").strip(), days=_int(raw.get("days")) or 0,
            months=_int(raw.get("months")) or 0, basis=str(raw.get("basis", "") or "").strip(),
            message=str(raw.get("message", "") or "").strip(),
        ))
    form = Form(
        id=str(m.get("id", "") or "").strip(), title=str(m.get("title", "") or "").strip(),
        kind=str(m.get("kind", "") or "").strip(), summary=str(m.get("summary", "") or "").strip(),
        fields=tuple(fields), body=doc.body.strip("\n"), rules=tuple(rules),
        topic=str(m.get("topic", "") or "").strip(), legal_basis=as_tuple(m.get("legal_basis")),
        effective=as_date(m.get("effective")), reviewed=as_date(m.get("reviewed")),
        guide=as_tuple(m.get("guide")), attachments=as_tuple(m.get("attachments")),
        sources=as_sources(m.get("sources")), verify=as_tuple(m.get("verify")), path=p,
        body_line=doc.body_line, lines=dict(doc.key_lines), meta_keys=frozenset(m),
    )
    return form, problems


def load_forms(root: str | Path) -> tuple[dict[str, Form], list[Problem]]:
    """Every form under `root`/forms (content/forms); an absent folder is no forms."""
    forms: dict[str, Form] = {}
    problems: list[Problem] = []
    for path in sorted((Path(root) / "forms").glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            problems.append(Problem(str(path), 1, f"not UTF-8 text: {e.reason}"))
            continue
        form, found = parse_form(path, text)
        problems += found
        if form is None:
            continue
        key = form.id or path.stem
        if key in forms:
            problems.append(Problem(str(path), 1, f"duplicate form id {key!r} (also in {forms[key].path})"))
            continue
        forms[key] = form
    return forms, problems


# ---------------------------------------------------------------- check

def check_form(form: Form, topics: Mapping, today: date) -> list[Problem]:
    p = form.path
    out = []
    line = lambda key: form.lines.get(key, 1)   # noqa: E731
    meta = form.meta_keys
    for key in sorted(meta - FORM_FIELDS):
        out.append(Problem(p, line(key), f"unknown field {key!r}"))
    for key in FORM_REQUIRED:
        if key not in meta or getattr(form, key) in (None, "", ()):
            out.append(Problem(p, line(key) if key in meta else 1, f"missing required field {key!r}"))
    stem = Path(p).stem
    if form.id and form.id != stem:
        out.append(Problem(p, line("id"), f"id {form.id!r} does not match the file name {stem!r}"))
    if form.kind and form.kind not in KINDS:
        out.append(Problem(p, line("kind"), f"kind must be one of {sorted(KINDS)}, not {form.kind!r}"))
    if form.topic and form.topic not in topics:
        out.append(Problem(p, line("topic"), f"topic {form.topic!r} is not a topic id"))
    for key in ("effective", "reviewed"):
        value = getattr(form, key)
        if isinstance(value, str):
            out.append(Problem(p, line(key), f"{key} must be a date YYYY-MM-DD, not {value!r}"))
        elif key == "reviewed" and value is not None and value > today:
            out.append(Problem(p, line(key), f"reviewed {value} is in the future"))
    for s in form.sources:
        if not s.title or (s.url and not re.match(r"^https?://", s.url)):
            out.append(Problem(p, line("sources"), f"every source needs a title and an http(s) url: {s.title!r}"))

    declared = {}
    for f in form.fields:
        if not re.fullmatch(r"[A-Za-z_]\w*", f.id or ""):
            out.append(Problem(p, f.line, f"field id {f.id!r} must be a plain identifier"))
        elif f.id in declared:
            out.append(Problem(p, f.line, f"field {f.id!r} is declared twice"))
        declared[f.id] = f
        if not f.label:
            out.append(Problem(p, f.line, f"field {f.id!r} needs a Korean label"))
        if f.type not in TYPES:
            out.append(Problem(p, f.line, f"field {f.id!r}: type must be one of {sorted(TYPES)}, not {f.type!r}"))
        if f.required and not f.basis:
            out.append(Problem(p, f.line, f"required field {f.id!r} needs a legal basis (basis:)"))
        if f.type == "choice" and not f.choices:
            out.append(Problem(p, f.line, f"choice field {f.id!r} needs choices"))
        if f.default and f.default != "today" and f.type == "date":
            out.append(Problem(p, f.line, f"date field {f.id!r}: default may only be 'today'"))

    used = set()
    for n, text_line in enumerate(form.body.splitlines()):
        for m in PLACEHOLDER.finditer(text_line):
            fid, attr = m.group(1), m.group(2)
            used.add(fid)
            at = form.body_line + n
            decl = declared.get(fid)
            if decl is None:
                out.append(Problem(p, at, f"placeholder {{{{{m.group(0)[2:-2].strip()}}}}} uses undeclared field {fid!r}"))
            elif attr and (decl.type != "choice" or any(attr not in c.attrs for c in decl.choices)):
                out.append(Problem(p, at, f"placeholder {m.group(0)}: every choice of {fid!r} needs {attr!r}"))
    if not form.body.strip():
        out.append(Problem(p, form.body_line, "the document text after the front matter is empty"))
    for f in form.fields:
        if f.id and f.id not in used:
            out.append(Problem(p, f.line, f"field {f.id!r} is not used in the document text", warning=True))

    for r in form.rules:
        at = line("deadlines")
        if r.kind not in RULES:
            out.append(Problem(p, at, f"deadline kind must be one of {sorted(RULES)}, not {r.kind!r}"))
        for ref in (r.field, r.source):
            if ref and (ref not in declared or declared[ref].type != "date"):
                out.append(Problem(p, at, f"deadline refers to {ref!r}, which is not a date field"))
        if not r.field:
            out.append(Problem(p, at, "a deadline needs the date field it checks (field:)"))
        if r.kind != "order" and not (r.days or r.months) and r.kind != "not_before":
            out.append(Problem(p, at, f"deadline {r.kind} on {r.field!r} needs days: or months:"))
        if not r.basis or not r.message:
            out.append(Problem(p, at, f"deadline on {r.field!r} needs a basis and a message"))
        try:
            r.message.format(days=0, months=0, left=0, date="", last="", base="")
        except (KeyError, IndexError, ValueError) as e:
            out.append(Problem(p, at, f"deadline message on {r.field!r}: unknown {{...}} name {e}; "
                                      "use {days} {months} {left} {date} {last} {base}"))
    return out


def check_forms(content, today: date | None = None) -> list[Problem]:
    """Problems of content/forms/*.md, and form ids named by topics that do not exist."""
    today = today or date.today()
    forms, problems = load_forms(content.root)
    for form in forms.values():
        problems += check_form(form, content.topics, today)
    for topic in content.topics.values():
        for fid in getattr(topic, "forms", ()):
            if fid not in forms:
                problems.append(Problem(topic.path, topic.lines.get("forms", 1),
                                        f"form {fid!r} is not a form id (content/forms/)"))
    return problems


# ---------------------------------------------------------------- filling

def korean_date(d: date) -> str:
    return f"{d.year}년 {d.month}월 {d.day}일"


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def clean(form: Form, raw: Mapping, today: date, *, only_url_fields: bool = False) -> tuple[dict, dict, list[Issue]]:
    """The inputs as trimmed strings, the parsed dates, and the input errors (in Korean)."""
    values, dates, errors = {}, {}, []
    for f in form.fields:
        if only_url_fields and not f.carries_in_url:
            continue
        value = raw.get(f.id)
        for alias in f.aliases:
            if value in (None, ""):
                value = raw.get(alias)
        value = "" if value is None else str(value)
        value = value.replace("\r\n", "\n").strip()
        if not value and f.default:
            value = today.isoformat() if f.default == "today" else f.default
        if len(value) > MAX_CHARS.get(f.type, 100):
            errors.append(Issue(f.id, f"{f.label}: {MAX_CHARS.get(f.type, 100)}자까지 적을 수 있어요."))
            value = value[:MAX_CHARS.get(f.type, 100)]
        if f.type != "textarea":
            value = " ".join(value.split())
        values[f.id] = value
        if not value:
            continue
        if f.type == "date":
            try:
                dates[f.id] = date.fromisoformat(value)
            except ValueError:
                errors.append(Issue(f.id, f"{f.label}: 날짜를 2027-03-01처럼 적어 주세요."))
        elif f.type == "number":
            if not re.fullmatch(r"\d{1,4}", value):
                errors.append(Issue(f.id, f"{f.label}: 숫자만 적어 주세요."))
            else:
                n = int(value)
                if (f.min is not None and n < f.min) or (f.max is not None and n > f.max):
                    errors.append(Issue(f.id, f"{f.label}: {f.min}~{f.max} 사이여야 해요.", f.basis))
        elif f.type == "choice" and f.choice(value) is None:
            errors.append(Issue(f.id, f"{f.label}: 목록에서 골라 주세요."))
    return values, dates, errors


def check_rules(form: Form, dates: Mapping[str, date], today: date) -> tuple[list[Issue], list[Issue]]:
    """(errors, warnings) of the deadline and period rules, counted from `today` when a rule's
    `from` date is not given. Calendar days; the first day counts as day 1 in windows and spans."""
    errors: list[Issue] = []
    warnings: list[Issue] = []
    for r in form.rules:
        d = dates.get(r.field)
        base = dates.get(r.source) if r.source else today
        if d is None or base is None:
            continue
        gap = (d - base).days
        span_end = add_months(base, r.months) - timedelta(days=1) if r.months else base + timedelta(days=r.days - 1)
        hit = {
            "notice": gap < r.days,
            "window": d > span_end,
            "not_before": d < base,
            "min_span": d < span_end,
            "max_span": d > span_end,
            "order": d < base,
        }.get(r.kind, False)
        if not hit:
            continue
        f = form.field(r.field)
        message = r.message.format(days=r.days, months=r.months, left=max(gap, 0), date=korean_date(d),
                                   last=korean_date(span_end), base=korean_date(base))
        (errors if r.kind == "order" else warnings).append(Issue(r.field, message, r.basis or (f.basis if f else "")))
    return errors, warnings


def _display(f: Field, value: str, dates: Mapping, attr: str | None) -> str:
    if not value:
        return ""
    if attr:
        c = f.choice(value)
        return c.attrs.get(attr, "") if c else ""
    if f.type == "date" and f.id in dates:
        return korean_date(dates[f.id])
    return value


def render_lines(form: Form, values: Mapping, dates: Mapping) -> list[str]:
    """The document text with the inputs in place. A line that is only an empty placeholder is
    dropped (an optional note left blank); an empty blank inside a line becomes a line to write on."""
    out = []
    for line in form.body.splitlines():
        matches = list(PLACEHOLDER.finditer(line))

        def sub(m):
            f = form.field(m.group(1))
            shown = _display(f, values.get(f.id, ""), dates, m.group(2)) if f else ""
            return shown if shown else BLANK

        if len(matches) == 1 and matches[0].group(0) == line.strip():
            f = form.field(matches[0].group(1))
            shown = _display(f, values.get(f.id, ""), dates, matches[0].group(2)) if f else ""
            if not shown:
                continue
            out.extend(shown.splitlines() or [""])
            continue
        filled = PLACEHOLDER.sub(sub, line)
        out.extend(filled.split("\n"))
    # a dropped optional line must not leave two blank lines in a row
    return [x for i, x in enumerate(out) if x.strip() or (i > 0 and out[i - 1].strip())]


def fill(form: Form, raw: Mapping, today: date) -> Filled:
    """Fill `form` from `raw` inputs: the document lines, input errors, missing required items
    and deadline warnings. Pure: `today` is the clock."""
    values, dates, errors = clean(form, raw, today)
    order_errors, warnings = check_rules(form, dates, today)
    missing = tuple(f for f in form.fields if f.required and not values.get(f.id))
    return Filled(form, values, dates, tuple(errors + order_errors), missing, tuple(warnings),
                  tuple(render_lines(form, values, dates)))


def prefill(form: Form, args: Mapping, today: date) -> tuple[dict, list[Issue], list[Issue]]:
    """Values carried in a link (/plan → /forms/<id>?start=...&end=...): dates, numbers and
    choices only. Returns the values for the inputs, the input errors and the deadline warnings."""
    values, dates, errors = clean(form, args, today, only_url_fields=True)
    order_errors, warnings = check_rules(form, dates, today)
    return values, errors + order_errors, warnings
