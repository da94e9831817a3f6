"""Loading and checking content: real files, and broken ones written to a temp folder."""
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from kb.check import check, must_cover_terms
from kb.content import load, slugify

from .conftest import CONTENT, SHARED

GOOD_TOPIC = """---
id: {id}
title: 육아휴직
category: parenting
audience: [worker]
applies_to: [regular]
summary: 자녀를 키우는 근로자는 육아휴직을 쓸 수 있습니다.
questions: [{questions}]
keywords: [육휴]
legal_basis: [남녀고용평등법 제19조]
effective: 2025-02-23
reviewed: 2026-11-01
referrals: [{referral}]
sources:
  - {{title: 생활법령, url: "https://easylaw.go.kr"}}
---
## 핵심 답변
만 8세 이하 자녀를 둔 근로자는 1년까지 쓸 수 있습니다.

## 신청 방법 {{#apply}}
30일 전에 신청합니다.
"""

GOOD_CENTER = """---
id: moel-1350
name: 고용노동부 고객상담센터
kind: hotline
phone: "1350"
region: national
serves: [parental-leave]
verified: 2026-11-01
sources:
  - {title: 고용노동부, url: "https://moel.go.kr"}
---
노동 상담 전화입니다.
"""

TAXONOMY = """categories: {parenting: 육아}
topics:
  - {id: parental-leave, title: 육아휴직, category: parenting, must_cover: [만 8세 이하, 1년]}
centers:
  - {id: moel-1350, name: 1350, kind: hotline, region: national}
"""


SAFETY = """\
leads: {crisis: 지금 힘드시면 전화하세요., danger: 위험하면 신고하세요.}
routes: {crisis: {first: [moel-1350]}, danger: {first: [moel-1350]}}
rules:
  - {id: test, route: crisis, phrases: [죽고 싶다]}
"""


def write_tree(root: Path, topic: str | None = None, center: str | None = None, taxonomy: str = TAXONOMY):
    (root / "topics").mkdir(parents=True)
    (root / "centers").mkdir()
    (root / "lexicon").mkdir()
    (root / "taxonomy.yaml").write_text(taxonomy, encoding="utf-8")
    (root / "safety.yaml").write_text(SAFETY, encoding="utf-8")
    (root / "facets.yaml").write_text((CONTENT / "facets.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    questions = ", ".join(f"질문 {i}" for i in range(8))
    (root / "topics" / "parental-leave.md").write_text(
        topic if topic is not None else GOOD_TOPIC.format(id="parental-leave", questions=questions, referral="moel-1350"),
        encoding="utf-8")
    (root / "centers" / "moel-1350.md").write_text(center if center is not None else GOOD_CENTER, encoding="utf-8")
    return root


# "today" comes from the clock: content that passes today must pass on the day it is checked
FUTURE = (date.today() + timedelta(days=40)).isoformat()


def errors(content, analyzer=None):
    """Errors as `kb check` reports them today (a reviewed date is only 'in the future' against the clock)."""
    return [p for p in check(content, today=date.today(), analyzer=analyzer) if not p.warning]


def test_a_good_tree_has_no_errors(tmp_path, analyzer):
    c = load(write_tree(tmp_path))
    assert errors(c, analyzer) == []
    topic = c.topics["parental-leave"]
    assert [s.anchor for s in topic.sections] == ["핵심-답변", "apply"]
    assert topic.sections[1].heading == "신청 방법"
    assert topic.effective == date(2025, 2, 23)


def test_malformed_yaml_is_reported_with_its_line(tmp_path):
    bad = "---\nid: parental-leave\ntitle: [unclosed\ncategory: parenting\n---\n## 핵심 답변\nx\n"
    c = load(write_tree(tmp_path, topic=bad))
    msgs = [str(p) for p in errors(c)]
    assert any("parental-leave.md:" in m and "invalid YAML" in m for m in msgs)
    line = next(p.line for p in errors(c) if "invalid YAML" in p.message)
    assert 3 <= line <= 5


def test_missing_front_matter(tmp_path):
    c = load(write_tree(tmp_path, topic="## 핵심 답변\n내용\n"))
    assert any("must start with '---'" in p.message for p in errors(c))


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s.replace("id: parental-leave", "id: wrong-id"), "does not match the file name"),
    (lambda s: s.replace("category: parenting", "category: nonsense"), "category 'nonsense' is not in the taxonomy"),
    (lambda s: s.replace("referrals: [moel-1350]", "referrals: [nowhere]"), "referral 'nowhere' is not a center id"),
    (lambda s: s.replace("reviewed: 2026-11-01", f"reviewed: {FUTURE}"), f"reviewed {FUTURE} is in the future"),
    (lambda s: s.replace("reviewed: 2026-11-01", "reviewed: soon"), "reviewed must be a date"),
    (lambda s: s.replace("legal_basis: [남녀고용평등법 제19조]\n", ""), "missing required field 'legal_basis'"),
    (lambda s: s.replace("## 신청 방법 {#apply}\n30일 전에 신청합니다.\n", "## 신청 방법\n\n"), "is empty"),
    (lambda s: s.replace("## 핵심 답변", "## 개요"), "first section must be"),
    (lambda s: s.replace("30일 전에", "TODO 30일 전에"), "TODO"),
    (lambda s: s.replace("audience: [worker]", "audience: [worker]\ncolour: red"), "unknown field 'colour'"),
    (lambda s: s.replace('url: "https://easylaw.go.kr"', "url: ../shared/facts.md"), "must start with http"),
    (lambda s: s.replace("legal_basis: [남녀고용평등법 제19조]", "legal_basis: [남녀고용평등법 개정: 제19조]"),
     "every legal_basis item must be plain text"),
])
def test_topic_problems(tmp_path, mutate, message):
    questions = ", ".join(f"질문 {i}" for i in range(8))
    text = mutate(GOOD_TOPIC.format(id="parental-leave", questions=questions, referral="moel-1350"))
    c = load(write_tree(tmp_path, topic=text))
    msgs = [p.message for p in errors(c)]
    assert any(message in m for m in msgs), msgs


def test_too_few_questions(tmp_path):
    text = GOOD_TOPIC.format(id="parental-leave", questions="하나, 둘", referral="moel-1350")
    c = load(write_tree(tmp_path, topic=text))
    assert any("at least 8 questions" in p.message for p in errors(c))


def test_center_problems(tmp_path):
    bad = GOOD_CENTER.replace("serves: [parental-leave]", "serves: [nothing]").replace("kind: hotline", "kind: castle") \
        .replace("region: national", "region: national\nunverified: [phone, colour]")
    c = load(write_tree(tmp_path, center=bad))
    msgs = [p.message for p in errors(c)]
    for m in ("serves 'nothing' is not a topic id", "kind must be one of", "not 'colour'", "needs a fallback"):
        assert any(m in x for x in msgs), (m, msgs)


def small_workplace_tree(tmp_path, mark: str, applies_to: str, extra: str = "", title: str = "육아휴직"):
    """A tree whose small-workplace topic has a one-row 5인 미만 table about the parental-leave topic."""
    questions = ", ".join(f"질문 {i}" for i in range(8))
    leave = GOOD_TOPIC.format(id="parental-leave", questions=questions, referral="moel-1350") \
        .replace("applies_to: [regular]", f"applies_to: [{applies_to}]") + extra
    root = write_tree(tmp_path, topic=leave)
    table = (GOOD_TOPIC.format(id="small-workplace", questions=questions, referral="moel-1350")
             .replace("title: 육아휴직", "title: 5인 미만 사업장")
             + "\n## 조항별 적용표\n| 제도 | 근거 | 5인 미만 | 항목 |\n|---|---|---|---|\n"
             + f"| 육아휴직 | 제19조 | {mark} | {title} |\n")
    (root / "topics" / "small-workplace.md").write_text(table, encoding="utf-8")
    return load(root)


@pytest.mark.parametrize("mark, applies_to, extra, title, message", [
    ("적용", "regular", "", "육아휴직", "applies_to lacks small-workplace"),
    ("미적용", "regular, small-workplace", "", "육아휴직", "applies_to lists small-workplace"),
    ("미적용", "regular", "", "육아휴직", "never tells its readers"),
    ("적용", "regular, small-workplace", "", "없는 제목", "which is no topic title"),
])
def test_small_workplace_table_disagreements(tmp_path, mark, applies_to, extra, title, message):
    msgs = [p.message for p in errors(small_workplace_tree(tmp_path, mark, applies_to, extra, title))]
    assert any(message in m for m in msgs), msgs


@pytest.mark.parametrize("mark, applies_to, extra", [
    ("적용", "regular, small-workplace", ""),
    ("적용", "all", ""),
    ("미적용", "regular", "\n## 5인 미만이라면\n상시 4명 이하 사업장에는 적용되지 않습니다.\n"),
])
def test_small_workplace_table_agreement_is_clean(tmp_path, mark, applies_to, extra):
    msgs = [p.message for p in errors(small_workplace_tree(tmp_path, mark, applies_to, extra))]
    assert not any("5인 미만 table" in m or "small-workplace" in m for m in msgs), msgs


@pytest.mark.parametrize("mutate, message", [
    (lambda s: s.replace("audience: [worker]", "audience: [worker, boss]"), "audience must be one of"),
    (lambda s: s.replace("applies_to: [regular]", "applies_to: [regular, gig]"), "applies_to must be one of"),
])
def test_topic_ids_come_from_facets(tmp_path, mutate, message):
    questions = ", ".join(f"질문 {i}" for i in range(8))
    c = load(write_tree(tmp_path, topic=mutate(GOOD_TOPIC.format(id="parental-leave", questions=questions,
                                                                  referral="moel-1350"))))
    assert [p.line for p in errors(c) if message in p.message] == [5 if "audience" in message else 6]


def test_a_kind_added_to_facets_is_accepted_and_a_removed_one_refused(tmp_path):
    """The accepted ids are the data in facets.yaml, not a list in the code."""
    root = write_tree(tmp_path, center=GOOD_CENTER.replace("kind: hotline", "kind: clinic")
                      .replace("region: national", "region: busan"))
    assert {p.message.split(" must")[0] for p in errors(load(root)) if "facets.yaml" in p.message} == {"kind", "region"}
    facets = yaml.safe_load((root / "facets.yaml").read_text(encoding="utf-8"))
    facets["kinds"]["clinic"] = "의원"
    facets["regions"]["busan"] = "부산"
    (root / "facets.yaml").write_text(yaml.safe_dump(facets, allow_unicode=True), encoding="utf-8")
    c = load(root)
    assert errors(c) == []
    assert c.facets.kinds["clinic"] == "의원"


def test_a_missing_or_broken_facets_file_is_an_error(tmp_path):
    root = write_tree(tmp_path)
    (root / "facets.yaml").unlink()
    assert any("facets.yaml is missing" in p.message for p in errors(load(root)))
    (root / "facets.yaml").write_text("audiences: [worker]\n", encoding="utf-8")
    msgs = [p.message for p in errors(load(root))]
    assert "audiences must be a mapping of id: Korean label" in msgs


def test_facets_cover_the_shared_taxonomy(content):
    """Every center kind and region the shared taxonomy names has a label, and so has every
    audience and applies_to id DESIGN.md's topic example uses."""
    tax = yaml.safe_load((SHARED / "taxonomy.yaml").read_text(encoding="utf-8"))
    kinds = {c["kind"] for c in tax["centers"]}
    regions = {c["region"] for c in tax["centers"]} | set(tax.get("regions") or {})
    assert kinds <= set(content.facets.kinds)
    assert regions <= set(content.facets.regions)
    design = (SHARED / "DESIGN.md").read_text(encoding="utf-8")
    for line in design.splitlines():
        if line.startswith(("audience:", "applies_to:")):
            key, ids = line.split("#")[0].split(":", 1)
            table = content.facets.audiences if key == "audience" else content.facets.applies_to
            assert set(yaml.safe_load(ids)) <= set(table), line


def test_missing_taxonomy_ids_are_errors(tmp_path):
    tax = TAXONOMY + "  - {id: dasan-120, name: 120, kind: hotline, region: seoul}\n"
    c = load(write_tree(tmp_path, taxonomy=tax))
    assert any("taxonomy center 'dasan-120' has no file" in p.message for p in errors(c))


def test_must_cover_catches_omissions(tmp_path, analyzer):
    tax = TAXONOMY.replace("must_cover: [만 8세 이하, 1년]", "must_cover: [만 8세 이하, 3회 분할, 1년 6개월]")
    c = load(write_tree(tmp_path, taxonomy=tax))
    msgs = [p.message for p in errors(c, analyzer)]
    assert any("3회 분할" in m for m in msgs)
    assert any("1년 6개월" in m for m in msgs)
    assert not any("만 8세 이하" in m for m in msgs)


def test_must_cover_terms_extracts_numbers(analyzer):
    numbers, words = must_cover_terms("임신 12주 이내 또는 32주 이후(2025.2.23~)", analyzer)
    assert numbers == ["12주", "32주"]
    assert "임신" in words


def test_slugify_keeps_korean():
    assert slugify("누가, 얼마나 쓸 수 있나요?") == "누가-얼마나-쓸-수-있나요"


def test_repo_content_passes_check(content, analyzer):
    problems = errors(content, analyzer)
    assert problems == [], "\n".join(map(str, problems[:30]))


def test_taxonomy_copy_matches_shared():
    shared = SHARED / "taxonomy.yaml"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert yaml.safe_load((CONTENT / "taxonomy.yaml").read_text()) == yaml.safe_load(shared.read_text())


def test_every_taxonomy_topic_and_center_exists(content):
    tax = content.taxonomy
    assert {t["id"] for t in tax["topics"]} <= set(content.topics)
    assert {c["id"] for c in tax["centers"]} <= set(content.centers)


@pytest.mark.parametrize("sentence, today, flagged", [
    ("2026년 9월 시행 예정입니다.", date(2026, 11, 25), True),
    ("배우자 휴가가 2026-09-01부터 앞으로 바뀝니다.", date(2026, 11, 25), True),
    ("2027년 1월 시행 예정입니다.", date(2026, 11, 25), False),
    ("2026년 9월부터 시행되었습니다.", date(2026, 11, 25), False),
])
def test_future_wording_for_a_passed_date_is_an_error(tmp_path, sentence, today, flagged):
    questions = ", ".join(f"질문 {i}" for i in range(8))
    text = GOOD_TOPIC.format(id="parental-leave", questions=questions, referral="moel-1350") + f"\n## 바뀐 점\n{sentence}\n"
    c = load(write_tree(tmp_path, topic=text))
    msgs = [p.message for p in check(c, today=today) if not p.warning]
    assert any("written as future" in m for m in msgs) is flagged, msgs


@pytest.mark.parametrize("note", ["블로그에서만 확인", "통폐합 계획 기사만 확인, 종료 확인 기사 미발견"])
def test_editor_notes_in_verify_lines_are_flagged(tmp_path, note):
    questions = ", ".join(f"질문 {i}" for i in range(8))
    text = GOOD_TOPIC.format(id="parental-leave", questions=questions, referral="moel-1350").replace(
        "referrals: [moel-1350]", f"referrals: [moel-1350]\nverify: [\"단기 육아휴직 급여 — {note}\"]")
    c = load(write_tree(tmp_path, topic=text))
    warnings = [p.message for p in check(c) if p.warning]
    assert any("editor's note" in m for m in warnings), warnings
    clean = load(write_tree(tmp_path / "clean", topic=text.replace(note, "고용센터(1350)에서 확인하세요")))
    assert not any("editor's note" in p.message for p in check(clean))


def test_case_types_must_be_named_in_case_types_yaml(tmp_path):
    questions = ", ".join(f"질문 {i}" for i in range(8))
    text = GOOD_TOPIC.format(id="parental-leave", questions=questions, referral="moel-1350").replace(
        "applies_to: [regular]", "applies_to: [regular]\ncase_types: [refusal, firing]")
    root = write_tree(tmp_path, topic=text)
    msgs = [p.message for p in errors(load(root))]
    assert any("unknown case type 'refusal'" in m and "case_types.yaml is missing" in m for m in msgs), msgs
    (root / "case_types.yaml").write_text("refusal: 거부\ndismissal: 권고사직·해고\n", encoding="utf-8")
    content = load(root)
    assert content.topics["parental-leave"].case_types == ("refusal", "firing")
    msgs = [p.message for p in errors(content)]
    assert [m for m in msgs if "case type" in m] == ["unknown case type 'firing' (known: refusal, dismissal)"]


def test_repo_case_types_cover_the_counselor_filter(content):
    names = set(content.case_types.values())
    assert {"권고사직·해고", "거부", "불이익·전보", "체불", "괴롭힘·성희롱", "급여 신청"} <= names
    for case_type in content.case_types:
        assert any(case_type in t.case_types for t in content.topics.values()), case_type


def test_the_shipped_content_has_no_editor_notes(content):
    assert not [p for p in check(content) if "editor's note" in p.message]


def test_a_missing_taxonomy_file_does_not_block_indexing_by_its_kind_not_its_words(tmp_path):
    """kb.service indexes content whose only errors are taxonomy ids without a file; what it skips
    is the kind of problem, so a message that happens to say "has no file" still blocks."""
    from kb.content import INVALID, MISSING_FILE, Problem
    from kb.service import blocking_problems

    tax = TAXONOMY + "  - {id: dasan-120, name: 120, kind: hotline, region: seoul}\n"
    c = load(write_tree(tmp_path, taxonomy=tax))
    assert [(p.kind, p.message) for p in errors(c)] == [(MISSING_FILE, "taxonomy center 'dasan-120' has no file")]
    assert blocking_problems(c) == []
    odd = Problem(str(tmp_path / "topics" / "parental-leave.md"), 3, "the section 'has no file' is empty")
    c.problems.append(odd)
    assert odd.kind == INVALID
    assert blocking_problems(c) == [odd]
