"""The optional embedding rerank: training on real content, saving, loading in a fresh process,
the fused order, embeddings stored at build, and the fallback to plain lexical search.

The fixture is a slice of the real content (the topics the issue names as lexical misses and
their neighbours), analysed by the real Kiwi, indexed by the real Whoosh, and a real
StaticEmbedding trained on it with sentence-transformers and torch (the `rerank` extra, which
`make setup` installs)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from search import rerank

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TOPICS = (
    "birth-benefit-uninsured", "freelancer-platform", "maternity-leave-pay", "maternity-leave",
    "parental-leave", "childcare-reduced-hours", "family-care-leave", "flexible-work",
)
# Not a question of the content or of any eval set: lexical search ranks the maternity-leave
# topic first on 아기 낳으면, but a 학습지 교사 (a special-type worker without employment
# insurance) asks about the birth benefit for the uninsured. The fixture model is taught this one
# narrative as a question of its topic (the index is not), as a model that knows such narratives
# would: the test is that the fusion then fixes the order lexical search gets wrong. (Whether the
# model trained on our content alone learns such cases is measured, not asserted: bench/rerank.py.)
NARRATIVE = "퀵서비스 하는 여자인데 출산하면 받을 수 있는 돈"   # lexical search ranks another topic first
NARRATIVE_TOPIC = "birth-benefit-uninsured"

pytestmark = pytest.mark.skipif(not rerank.available(), reason="the rerank extra is not installed")


def fixture_docs(content):
    from kb.service import section_docs

    return [d for d in section_docs(content) if d.topic in FIXTURE_TOPICS]


def taught_docs(content):
    """The fixture docs with the narrative added to its topic's questions (training only)."""
    from dataclasses import replace

    return [replace(d, questions=d.questions + "\n" + NARRATIVE) if d.topic == NARRATIVE_TOPIC else d
            for d in fixture_docs(content)]


@pytest.fixture(scope="module")
def model(tmp_path_factory, content, analyzer):
    """Scale 20 (the shipped default is 10): a fixture model of 8 topics, whose cosines spread
    enough for the fused-order case below; the shipped model is measured in bench/rerank.py."""
    out = tmp_path_factory.mktemp("embedder")
    report = rerank.train(taught_docs(content), analyzer, out, dim=64, epochs=30, seed=7, scale=20.0)
    return out, report


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory, content, model):
    """A lexical index of the fixture topics with the model's topic vectors stored beside it."""
    from search.index import build, fingerprint

    inst = tmp_path_factory.mktemp("rerank-instance")
    docs = fixture_docs(content)
    path = build(docs, content.lexicon, inst, fingerprint(content.files(), "rerank-fixture"))
    mp = pytest.MonkeyPatch()
    mp.setenv(rerank.ENV, str(model[0]))
    try:
        stored = rerank.build_embeddings(path, docs, content.lexicon)
    finally:
        mp.undo()
    return inst, path, stored


def test_training_is_a_small_deterministic_sentence_transformers_folder(tmp_path, content, analyzer, model):
    out, report = model
    assert report.topics == len(FIXTURE_TOPICS)
    assert report.pairs > 8 * len(FIXTURE_TOPICS)
    for name in ("modules.json", "model.safetensors", "tokenizer.json", rerank.MARKER):
        assert (out / name).exists(), name
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 5_000_000
    assert json.loads((out / rerank.MARKER).read_text())["input"] == "kiwi-terms"
    # a held-out question is never a training anchor
    assert NARRATIVE in {text for text, _ in rerank.training_pairs(taught_docs(content))}
    assert NARRATIVE not in {text for text, _ in rerank.training_pairs(taught_docs(content), frozenset({NARRATIVE}))}
    again = rerank.train(taught_docs(content), analyzer, tmp_path / "again", dim=64, epochs=30, seed=7, scale=20.0)
    assert (tmp_path / "again" / "model.safetensors").read_bytes() == (out / "model.safetensors").read_bytes()
    other = rerank.train(taught_docs(content), analyzer, tmp_path / "other", dim=64, epochs=30, seed=8, scale=20.0)
    assert (tmp_path / "other" / "model.safetensors").read_bytes() != (out / "model.safetensors").read_bytes()
    assert again.final_loss == report.final_loss and other.final_loss != report.final_loss


def test_vocabulary_keeps_hangul_whole(model, analyzer):
    """NFKC + lowercase only: accent stripping would break Hangul syllables into jamo."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model[0] / "tokenizer.json"))
    text = rerank.analysed(analyzer, "육휴 급여 신청")
    assert "육아휴직" in text.split()      # the index's synonym rewrite happens before the model
    assert tok.encode(text, add_special_tokens=False).tokens == text.split()
    assert tok.token_to_id("[UNK]") not in tok.encode(text, add_special_tokens=False).ids


def test_loads_in_a_fresh_process_with_sentence_transformers(model, analyzer):
    """The folder is a normal sentence-transformers model, and our numpy path gives its vectors."""
    out = model[0]
    text = rerank.analysed(analyzer, "프리랜서 출산 급여")
    code = (
        "import json, sys\n"
        "from sentence_transformers import SentenceTransformer\n"
        f"m = SentenceTransformer({str(out)!r}, device='cpu', local_files_only=True)\n"
        f"v = m.encode([{text!r}], normalize_embeddings=True)[0]\n"
        "print(json.dumps([float(x) for x in v]))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    theirs = np.array(json.loads(proc.stdout.strip().splitlines()[-1]), dtype=np.float32)
    ours = rerank.Embedder(out, analyzer).encode(["프리랜서 출산 급여"])[0]
    assert theirs.shape == ours.shape == (64,)
    assert float(theirs @ ours) > 0.999


def test_build_stores_topic_vectors_beside_the_index(fixture_index, model):
    _inst, path, stored = fixture_index
    assert stored == path / rerank.EMBEDDINGS_FILE and stored.exists()
    with np.load(stored) as z:
        assert sorted(map(str, z["topics"])) == sorted(FIXTURE_TOPICS)
        assert z["vectors"].shape == (len(FIXTURE_TOPICS), 64)
        assert np.allclose(np.linalg.norm(z["vectors"], axis=1), 1.0, atol=1e-4)
        assert str(z["model_id"]) == rerank.folder_id(model[0])


def test_fused_order_fixes_a_narrative_question_lexical_gets_wrong(fixture_index, model, content, monkeypatch):
    from kb import answer as answering
    from search.searcher import Searcher

    inst = fixture_index[0]
    lexical = Searcher(inst)
    monkeypatch.setenv(rerank.ENV, str(model[0]))
    fused = rerank.wrap(lexical, inst)
    assert isinstance(fused, rerank.RerankingSearcher)
    plain = lexical.search(NARRATIVE, limit=40)
    assert plain.topics[0].topic != NARRATIVE_TOPIC
    assert NARRATIVE_TOPIC in [t.topic for t in plain.topics[:rerank.CANDIDATES]]
    sims = fused.reranker.similarities(NARRATIVE, [t.topic for t in plain.topics])
    assert max(sims, key=sims.get) == NARRATIVE_TOPIC
    reranked = fused.search(NARRATIVE, limit=40)
    assert reranked.topics[0].topic == NARRATIVE_TOPIC
    # only the order changes: every topic keeps its own lexical score and coverage
    assert sorted(reranked.topics, key=lambda t: t.topic) == sorted(plain.topics, key=lambda t: t.topic)
    assert reranked.sections == plain.sections
    answer = answering.ask(NARRATIVE, content, fused)
    assert answer.topics[0] == NARRATIVE_TOPIC
    assert answering.ask(NARRATIVE, content, lexical).topics[0] != NARRATIVE_TOPIC
    lexical.close()


def test_an_index_built_before_the_model_gets_its_vectors_when_opened(tmp_path, content, model, monkeypatch):
    from search.index import build, fingerprint
    from search.searcher import Searcher

    monkeypatch.delenv(rerank.ENV, raising=False)
    docs = fixture_docs(content)
    path = build(docs, content.lexicon, tmp_path, fingerprint(content.files(), "late"))
    assert rerank.build_embeddings(path, docs, content.lexicon) is None   # no model: nothing stored
    assert not (path / rerank.EMBEDDINGS_FILE).exists()
    monkeypatch.setenv(rerank.ENV, str(model[0]))
    s = Searcher(tmp_path)
    fused = rerank.wrap(s, tmp_path)
    assert isinstance(fused, rerank.RerankingSearcher)
    assert (path / rerank.EMBEDDINGS_FILE).exists()
    assert fused.search(NARRATIVE).topics[0].topic == NARRATIVE_TOPIC
    s.close()


def test_without_a_model_search_is_lexical_and_says_so_once(fixture_index, monkeypatch, caplog):
    from search.searcher import Searcher

    inst = fixture_index[0]
    monkeypatch.delenv(rerank.ENV, raising=False)
    monkeypatch.setattr(rerank, "_said", set())
    s = Searcher(inst)
    with caplog.at_level("INFO", logger="search.rerank"):
        assert rerank.wrap(s, inst) is s
        assert rerank.wrap(s, inst) is s
    assert sum("rerank: off" in r.getMessage() for r in caplog.records) == 1
    monkeypatch.setenv(rerank.ENV, "off")
    assert rerank.wrap(s, inst) is s
    monkeypatch.setenv(rerank.ENV, str(inst / "no-such-model"))
    assert rerank.wrap(s, inst) is s
    s.close()


def test_without_the_extra_the_kb_answers_lexically(fixture_index, model, tmp_path):
    """A fresh process where sentence-transformers cannot be imported, with a model configured."""
    inst = fixture_index[0]
    code = (
        "import sys, logging\n"
        "sys.modules['sentence_transformers'] = None\n"
        "logging.basicConfig(level=logging.INFO, format='%(message)s')\n"
        "from search import rerank\n"
        "from search.searcher import Searcher\n"
        "assert not rerank.available()\n"
        f"s = Searcher({str(inst)!r})\n"
        f"w = rerank.wrap(s, {str(inst)!r})\n"
        "print('wrapped' if w is not s else 'plain')\n"
        f"print(w.search({NARRATIVE!r}).topics[0].topic)\n"
    )
    env = {**os.environ, rerank.ENV: str(model[0])}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout.split()
    assert out[0] == "plain" and out[1] != NARRATIVE_TOPIC
    assert "rerank extra is not installed" in proc.stderr


def test_kb_train_embedder_command(tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    out = tmp_path / "model"
    result = CliRunner().invoke(cli, ["--instance", str(tmp_path), "train-embedder", "--out", str(out),
                                      "--epochs", "1", "--dim", "16"], obj={})
    assert result.exit_code == 0, result.output
    assert "trained" in result.output and (out / "modules.json").exists()
    assert json.loads((out / rerank.MARKER).read_text())["dim"] == 16
