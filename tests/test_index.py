"""Index build and search on real Whoosh indexes."""
import shutil
import sys
from pathlib import Path

import pytest

from kb.content import load
from kb.service import ContentError, build_index, ensure_index, open_kb
from search.index import current_dir, current_fingerprint

from .conftest import CONTENT


@pytest.fixture
def content_copy(tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    return dst


def test_build_swaps_atomically_and_cleans_up(tmp_path, content):
    inst = tmp_path / "inst"
    first = build_index(content, inst)
    assert (inst / "index").is_symlink() and current_dir(inst) == first
    second = build_index(content, inst)
    assert current_dir(inst) == second != first
    assert first.exists()          # the one it replaced stays for readers that opened it
    third = build_index(content, inst)
    assert current_dir(inst) == third and second.exists() and not first.exists()
    assert not list(inst.glob("*.tmp"))


def test_stale_index_is_rebuilt_and_fresh_one_is_not(tmp_path, content_copy):
    inst = tmp_path / "inst"
    c = load(content_copy)
    assert ensure_index(c, inst) is True
    assert ensure_index(c, inst) is False
    before = current_fingerprint(inst)
    topic = next((content_copy / "topics").glob("*.md"))
    topic.write_text(topic.read_text(encoding="utf-8") + "\n추가 문장입니다.\n", encoding="utf-8")
    c2 = load(content_copy)
    assert ensure_index(c2, inst) is True
    assert current_fingerprint(inst) != before


def test_content_error_keeps_the_old_index(tmp_path, content_copy):
    inst = tmp_path / "inst"
    kb = open_kb(content_copy, inst)
    good_dir = current_dir(inst)
    topic = content_copy / "topics" / "parental-leave.md"
    topic.write_text("---\nid: parental-leave\ntitle: [broken\n---\n", encoding="utf-8")
    with pytest.raises(ContentError) as e:
        build_index(load(content_copy), inst)
    assert any("parental-leave.md" in p.path for p in e.value.problems)
    assert current_dir(inst) == good_dir
    # opening again keeps serving the old index rather than failing
    kb2 = open_kb(content_copy, inst)
    assert kb2.ask("육아휴직 급여").topics
    kb.close()
    kb2.close()


def test_no_index_and_broken_content_is_an_error(tmp_path, content_copy):
    (content_copy / "topics" / "parental-leave.md").write_text("no front matter", encoding="utf-8")
    with pytest.raises(ContentError):
        open_kb(content_copy, tmp_path / "empty")


def test_sections_are_documents_and_aggregate_to_topics(knowledge):
    r = knowledge.search("육아휴직 신청 방법")
    assert r.sections and r.topics
    assert r.topics[0].topic in ("parental-leave", "parental-leave-pay")
    assert len({(s.topic, s.anchor) for s in r.sections}) == len(r.sections)


def test_snippets_mark_matched_words(knowledge):
    r = knowledge.search("육휴 신청", snippets=True)
    hit = r.sections[0]
    marked = [s.text for s in hit.snippet if s.match]
    assert marked, hit.snippet
    assert any("육아" in m or "신청" in m or "휴직" in m for m in marked)


def test_filters_by_category(knowledge):
    r = knowledge.search("휴가", filters={"category": "pregnancy"})
    assert r.sections
    assert {knowledge.content.topics[s.topic].category for s in r.sections} == {"pregnancy"}


def test_nonsense_gets_no_results(knowledge):
    r = knowledge.search("ㅋㅋㅋ !!!")
    assert r.topics == ()


def test_the_fingerprint_follows_the_analysis_code_and_the_kiwi_release(tmp_path, monkeypatch):
    """An index is stale when the code that analyses or documents the text changes, or Kiwi does;
    no format number has to be remembered."""
    import kb.service
    import search.index
    from kb.service import content_fingerprint

    before = content_fingerprint(CONTENT)
    assert content_fingerprint(CONTENT) == before               # stable: bytes, not mtimes or time

    edited = tmp_path / "analysis.py"                           # search/analysis.py, one comment longer
    edited.write_text(Path(search.index._analysis.__file__).read_text(encoding="utf-8") + "\n# changed\n")
    fake = type(sys)("analysis_copy")
    fake.__file__ = str(edited)
    monkeypatch.setattr(search.index, "ANALYSIS_MODULES", (fake, search.index._lexicon, search.index._documents))
    assert content_fingerprint(CONTENT) != before
    monkeypatch.undo()
    assert content_fingerprint(CONTENT) == before

    docs = tmp_path / "documents.py"                            # kb/documents.py: what a section indexes
    docs.write_text(Path(kb.service.INDEX_CODE[-1]).read_text(encoding="utf-8") + "\n# changed\n")
    monkeypatch.setattr(kb.service, "INDEX_CODE", (*kb.service.INDEX_CODE[:-1], docs))
    assert content_fingerprint(CONTENT) != before
    monkeypatch.undo()

    real = search.index._version
    monkeypatch.setattr(search.index, "_version", lambda d: "0.0.1" if d == "kiwipiepy" else real(d))
    assert content_fingerprint(CONTENT) != before
