"""Optional embedding rerank: fuse the lexical topic ranking with a learned whole-question similarity.

Lexical search misses narrative questions whose words belong to a neighbouring topic ("3.3%
프리랜서인데 출산하면 돈 나와요?" names the freelancer topic's words but asks about the benefit for
the uninsured). A sentence embedding of the whole question against each topic's text is the
classic remedy, so the lexical top topics are re-ordered by

    fused = lexical score / best lexical score + WEIGHT * cosine(question, topic)

Only the order changes: every topic keeps its own lexical score and coverage, so confidence
(and abstention) is still decided on the lexical evidence of whichever topic comes first.

No model can be downloaded here, so `train` fits a sentence-transformers `StaticEmbedding`
(a bag of token vectors) on pairs taken from the content: each topic's questions, keywords,
summary, title and headings against the topic's text. Its input is the index's own analysis
(Kiwi morphemes, compounds, synonyms) joined by spaces, so 육휴 and 육아휴직 are one token before
the model sees them. The folder is a normal sentence-transformers folder plus `kb_embedder.json`,
which says the input must be analysed first; any other sentence-transformers folder (a
deployer's multilingual model) is given raw text instead.

For a model we trained, queries never import torch: the tokenizer and the weights are read with
`tokenizers` and `safetensors` and a question costs a lookup and a mean. Topic vectors are
computed at `kb build` and stored beside the index (`embeddings.npz`); an index without them
(built before a model was configured) gets them computed when it is opened.

Without the `rerank` extra, or with no model configured, search is exactly lexical and the log
says so once.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Rerank is used when KB_RERANK_MODEL names a model folder. When the variable is unset, the
# default folder (instance/embedder) is used only if DEFAULT_ON: bench/rerank.py decides it.
ENV = "KB_RERANK_MODEL"
DEFAULT_ON = False
DEFAULT_DIRNAME = "embedder"
MARKER = "kb_embedder.json"
EMBEDDINGS_FILE = "embeddings.npz"

# Fusion, fitted on the content questions held out of training (bench/rerank.py).
WEIGHT = 0.6
CANDIDATES = 10

_said: set[str] = set()


def _once(key: str, msg: str, *args) -> None:
    """Say why rerank is off once per process, not once per question."""
    if key not in _said:
        _said.add(key)
        log.info(msg, *args)


def available() -> bool:
    """True when the `rerank` extra (sentence-transformers and its torch) is installed.

    Looked up, not imported: importing torch costs seconds of a `kb ask` cold start, and a model
    we trained is read without it."""
    import importlib.util

    try:
        return all(importlib.util.find_spec(m) is not None
                   for m in ("sentence_transformers", "torch", "tokenizers", "safetensors"))
    except (ImportError, ValueError):
        return False


def model_dir(instance: str | Path | None = None) -> Path | None:
    """The configured model folder, or None for lexical search only."""
    env = os.environ.get(ENV)
    if env is not None:
        env = env.strip()
        if env.lower() in ("", "0", "off", "none", "false"):
            return None
        return Path(env)
    if DEFAULT_ON and instance is not None:
        d = Path(instance) / DEFAULT_DIRNAME
        if (d / "modules.json").exists():
            return d
    return None


# ---------------------------------------------------------------- text the model sees

def analysed(analyzer, text: str) -> str:
    """The index's terms of `text`, repeats kept (a bag of tokens weighs what is said often)."""
    return " ".join(t.text for t in analyzer(text))


@dataclass(frozen=True)
class TopicText:
    topic: str
    text: str


def topic_texts(sections: Iterable[tuple[str, str, str, str]]) -> list[TopicText]:
    """One text per topic from its sections (topic, title, heading, body), in first-seen order.

    Only what the index stores goes in (title, headings, bodies; not the questions), so the
    same text can be rebuilt from an open index and no question is ever embedded as a document.
    """
    parts: dict[str, list[str]] = {}
    for topic, title, heading, body in sections:
        if topic not in parts:
            parts[topic] = [title]
        parts[topic] += [heading, body]
    return [TopicText(t, "\n".join(p)) for t, p in parts.items()]


def doc_sections(docs) -> list[tuple[str, str, str, str]]:
    return [(d.topic, d.title, d.heading, d.body) for d in docs]


def training_pairs(docs, exclude: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(anchor text, topic) pairs from the content: questions, keywords, summary, title, headings.

    Synonym pairs add nothing here: the analysis already rewrites 육휴 to 육아휴직 on both sides.
    Questions in `exclude` are held out (bench/rerank.py scores them)."""
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(text: str, topic: str):
        text = text.strip()
        if text and (text, topic) not in seen and text not in exclude:
            seen.add((text, topic))
            pairs.append((text, topic))

    for d in docs:
        add(d.title, d.topic)
        add(d.heading, d.topic)
        for line in d.questions.splitlines():
            add(line, d.topic)
        for line in d.keywords.splitlines():
            add(line, d.topic)
    return pairs


# ---------------------------------------------------------------- training

@dataclass(frozen=True)
class TrainReport:
    out: Path
    pairs: int
    topics: int
    vocab: int
    dim: int
    epochs: int
    seconds: float
    cpu_seconds: float
    final_loss: float


def train(docs, analyzer, out: str | Path, *, dim: int = 256, epochs: int = 40, batch: int = 64,
          lr: float = 0.05, scale: float = 10.0, seed: int = 13, exclude: frozenset[str] = frozenset(),
          threads: int = 1) -> TrainReport:
    """Train a StaticEmbedding on the content and save it as a sentence-transformers folder.

    The loss is multiple-negatives ranking with every topic as a candidate (a softmax over all
    topics' texts at scale 10), not only the ones in the batch: with ~40 topics the whole set
    fits in every step, and no batch can hold a false negative from the anchor's own topic.
    Deterministic for a seed: fixed init and shuffling, one thread.
    """
    import torch
    import torch.nn.functional as F
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    start, cpu = time.perf_counter(), time.process_time()
    torch.manual_seed(seed)
    rng = random.Random(seed)
    old_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        topics = topic_texts(doc_sections(docs))
        index = {t.topic: i for i, t in enumerate(topics)}
        doc_tokens = [analysed(analyzer, t.text).split() for t in topics]
        pairs = [(analysed(analyzer, text).split(), index[topic])
                 for text, topic in training_pairs(docs, exclude) if topic in index]
        pairs = [(toks, y) for toks, y in pairs if toks]
        vocab_words = sorted({w for toks in doc_tokens for w in toks} | {w for toks, _ in pairs for w in toks})
        vocab = {"[UNK]": 0, **{w: i + 1 for i, w in enumerate(vocab_words)}}
        tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
        # NFKC + lowercase, as the index does; no accent stripping (it breaks Hangul into jamo)
        tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
        tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()

        static = StaticEmbedding(tok, embedding_dim=dim)
        with torch.no_grad():
            static.embedding.weight.normal_(0.0, 0.1)
        opt = torch.optim.Adam(static.parameters(), lr=lr)

        def bag(token_lists):
            ids = [[vocab.get(w.lower(), 0) for w in toks] for toks in token_lists]
            offsets = torch.tensor(np.cumsum([0] + [len(x) for x in ids[:-1]]), dtype=torch.long)
            flat = torch.tensor([i for x in ids for i in x], dtype=torch.long)
            return flat, offsets

        doc_flat, doc_off = bag(doc_tokens)
        loss_value = float("nan")
        order = list(range(len(pairs)))
        for _ in range(epochs):
            rng.shuffle(order)
            for b in range(0, len(order), batch):
                chunk = [pairs[i] for i in order[b:b + batch]]
                flat, off = bag([toks for toks, _ in chunk])
                labels = torch.tensor([y for _, y in chunk], dtype=torch.long)
                q = F.normalize(static.embedding(flat, off), dim=-1)
                d = F.normalize(static.embedding(doc_flat, doc_off), dim=-1)
                loss = F.cross_entropy(scale * q @ d.T, labels)
                opt.zero_grad()
                loss.backward()
                opt.step()
                loss_value = loss.item()

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        SentenceTransformer(modules=[static], device="cpu").save(str(out))
        (out / MARKER).write_text(json.dumps({
            "input": "kiwi-terms", "note": "text must be analysed with the index analyzer and joined by spaces",
            "dim": dim, "epochs": epochs, "seed": seed, "pairs": len(pairs), "topics": len(topics),
            "vocab": len(vocab), "loss": "MNRL over all topics", "scale": scale, "lr": lr, "batch": batch,
        }, ensure_ascii=False, indent=1))
    finally:
        torch.set_num_threads(old_threads)
    return TrainReport(out, len(pairs), len(topics), len(vocab), dim, epochs,
                       time.perf_counter() - start, time.process_time() - cpu, loss_value)


# ---------------------------------------------------------------- embedding

class Embedder:
    """Text -> unit vectors for one model folder.

    A folder we trained (it has kb_embedder.json) is read with numpy: no torch import, and a
    question costs a tokenizer call and a mean. Any other folder goes through
    sentence-transformers with raw text."""

    def __init__(self, path: str | Path, analyzer):
        self.path = Path(path)
        self.analyzer = analyzer
        self.analysed_input = (self.path / MARKER).exists()
        self.model_id = folder_id(self.path)
        self._st = None
        if self.analysed_input:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            sub = self._static_subfolder()
            self._tok = Tokenizer.from_file(str(sub / "tokenizer.json"))
            weights = load_file(str(sub / "model.safetensors"))
            self._w = weights.get("embedding.weight", weights.get("embeddings")).astype(np.float32)
            self._unk = self._tok.token_to_id("[UNK]")
        else:
            from sentence_transformers import SentenceTransformer

            self._st = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
            self._lock = threading.Lock()

    def _static_subfolder(self) -> Path:
        modules = json.loads((self.path / "modules.json").read_text())
        for m in modules:
            if "StaticEmbedding" in m.get("type", ""):
                return self.path / m.get("path", "")
        raise ValueError(f"{self.path}: kb_embedder.json but no StaticEmbedding module")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text (a zero row for a text with no known token)."""
        if self._st is not None:
            with self._lock:
                v = self._st.encode(list(texts), convert_to_numpy=True, normalize_embeddings=True,
                                    show_progress_bar=False)
            return np.asarray(v, dtype=np.float32)
        out = np.zeros((len(texts), self._w.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = [j for j in self._tok.encode(analysed(self.analyzer, text), add_special_tokens=False).ids
                   if j != self._unk]
            if ids:
                v = self._w[ids].mean(axis=0)
                n = float(np.linalg.norm(v))
                if n > 0:
                    out[i] = v / n
        return out


def folder_id(path: Path) -> str:
    """Identifies a model folder's files (names, sizes, mtimes) without hashing GBs of weights."""
    h = hashlib.sha256()
    for p in sorted(Path(path).rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(path)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------- stored topic vectors

def _save_vectors(index_dir: Path, embedder: Embedder, texts: list[TopicText]) -> dict[str, np.ndarray]:
    vectors = embedder.encode([t.text for t in texts])
    tmp = Path(index_dir) / f".{EMBEDDINGS_FILE}.{os.getpid()}.tmp.npz"
    np.savez(tmp, topics=np.array([t.topic for t in texts]), vectors=vectors,
             model_id=np.array(embedder.model_id), model=np.array(str(embedder.path)))
    os.replace(tmp, Path(index_dir) / EMBEDDINGS_FILE)
    return {t.topic: v for t, v in zip(texts, vectors, strict=False)}


def build_embeddings(index_dir: str | Path, docs, lexicon=None) -> Path | None:
    """After a successful `kb build`: store the topic vectors beside the index (or do nothing
    when no model is configured or the extra is missing). Never fails the build."""
    instance = Path(index_dir).parent
    path = model_dir(instance)
    if path is None:
        return None
    try:
        from .analysis import korean_analyzer

        embedder = Embedder(path, korean_analyzer(lexicon))
        _save_vectors(Path(index_dir), embedder, topic_texts(doc_sections(docs)))
        return Path(index_dir) / EMBEDDINGS_FILE
    except Exception:   # an optional part: the lexical index stands on its own
        log.warning("rerank: could not embed the topics with %s; search stays lexical", path, exc_info=True)
        return None


def _stored_sections(searcher) -> list[tuple[str, str, str, str]]:
    rows = sorted(searcher._stored.values(), key=lambda r: (r["topic"], r.get("order", 0)))
    return [(r["topic"], r.get("title", ""), r.get("heading", ""), r.get("body", "")) for r in rows]


# ---------------------------------------------------------------- fusion

@dataclass(frozen=True)
class Reranker:
    embedder: Embedder
    topics: dict
    weight: float = WEIGHT
    candidates: int = CANDIDATES

    def similarities(self, question: str, topics: Iterable[str]) -> dict[str, float]:
        q = self.embedder.encode([question])[0]
        return {t: float(self.topics[t] @ q) for t in topics if t in self.topics}

    def fuse(self, result, question: str):
        """The same SearchResult with its top lexical topics re-ordered by the fused score."""
        top = list(result.topics[:self.candidates])
        if len(top) < 2 or top[0].score <= 0:
            return result
        sims = self.similarities(question, (t.topic for t in top))
        if not any(sims.values()):
            return result
        best = top[0].score
        fused = sorted(top, key=lambda t: -(t.score / best + self.weight * sims.get(t.topic, 0.0)))
        return replace(result, topics=tuple(fused) + tuple(result.topics[self.candidates:]))


def load(instance: str | Path, searcher) -> Reranker | None:
    """The reranker for the index `searcher` has open, or None (lexical only; logged once)."""
    path = model_dir(instance)
    if path is None:
        _once("nomodel", "rerank: off (no model: set %s to a sentence-transformers folder)", ENV)
        return None
    if not available():
        _once("noextra", "rerank: off (the rerank extra is not installed: pip install -e '.[rerank]')")
        return None
    if not (Path(path) / "modules.json").exists():
        _once(f"missing:{path}", "rerank: off (%s is not a sentence-transformers folder)", path)
        return None
    try:
        embedder = Embedder(path, searcher.analyzer)
        from .index import current_dir

        index_dir = current_dir(Path(instance))
        stored = index_dir / EMBEDDINGS_FILE if index_dir else None
        topics = None
        if stored is not None and stored.exists():
            with np.load(stored) as z:
                if str(z["model_id"]) == embedder.model_id:
                    topics = {str(t): v for t, v in zip(z["topics"], z["vectors"], strict=False)}
        if topics is None:   # built before this model was configured: embed now, once
            texts = topic_texts(_stored_sections(searcher))
            topics = _save_vectors(index_dir, embedder, texts) if index_dir else \
                dict(zip((t.topic for t in texts), embedder.encode([t.text for t in texts]), strict=False))
        _once(f"on:{path}", "rerank: on with %s (%d topics)", path, len(topics))
        return Reranker(embedder, topics)
    except Exception:
        log.warning("rerank: off (could not load %s)", path, exc_info=True)
        return None


class RerankingSearcher:
    """A Searcher whose `search` re-orders topics with the reranker; everything else passes through."""

    def __init__(self, searcher, reranker: Reranker):
        self._inner = searcher
        self.reranker = reranker

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def search(self, text: str, *args, **kwargs):
        return self.reranker.fuse(self._inner.search(text, *args, **kwargs), text)


def wrap(searcher, instance: str | Path):
    """`searcher` itself when rerank is off, else a RerankingSearcher around it."""
    reranker = load(instance, searcher)
    return searcher if reranker is None else RerankingSearcher(searcher, reranker)
