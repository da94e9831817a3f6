"""The knowledge base as one object: an index and the content snapshot it was built from.

`open_kb` is what the CLI and the web app call. Every index directory carries a copy of the
content it was built from (`<index>/content/`), and the knowledge base serves that copy, never
the live content/ folder: the topics shown and the index searched always agree, even when the
content on disk has since changed or broken. Opening rebuilds the index when the content (or
the analysis code's format) changed and the content is valid; when it cannot (content errors,
read-only instance/), the last good index keeps serving and `status()` says why it is
`degraded`. A corrupted index (its MANIFEST checksums fail) is rebuilt, or the previous one is
served; only when no consistent pair exists at all does opening fail, with a clear message.

`LiveKB` is the server's handle: between requests it notices a new build (the `index` link
moved), opens it in a background thread and swaps it in, so no request waits or fails; a search
that fails on a damaged index is answered with `SearchUnavailable` (a 503 in the web layer) and
starts a rebuild.
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from search import rerank
from search.index import (
    LINK_NAME,
    IndexCorrupt,
    IndexProblem,
    build,
    code_digest,
    current_dir,
    fingerprint,
    index_dirs,
    read_fingerprint,
    verify_dir,
)
from search.lru import LRU
from search.searcher import Searcher

from . import answer as answering
from . import config, markdown_text
from . import content as content_module
from . import documents as documents_module
from .check import check
from .content import MISSING_FILE, Content, Problem, load
from .documents import section_docs
from .models import Answer, Topic

log = logging.getLogger(__name__)

SNAPSHOT_DIR = "content"


class ContentError(Exception):
    """Content with errors cannot be indexed; `problems` says where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in content; first: {problems[0]}" if problems else "content errors")


class IndexUnavailable(Exception):
    """No index that is whole and consistent with its content snapshot can be served."""


class SearchUnavailable(Exception):
    """A search failed inside the index (damaged files); the request should be retried later."""


def blocking_problems(content: Content) -> list[Problem]:
    """Errors that make content unsafe to index (shape errors; not the editorial checks)."""
    return [p for p in check(content) if not p.warning and p.kind != MISSING_FILE]


def content_tree(root: Path) -> list[Path]:
    """Every file of the content folder (not only the ones indexed: safety.yaml, places, forms
    are served from the snapshot too, so a change to any of them makes the index stale)."""
    root = Path(root)
    out = []
    for p in root.rglob("*"):
        rel = p.relative_to(root).parts
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel) \
                and not p.name.endswith(".pyc"):
            out.append(p)
    return sorted(out)


# The kb code that decides what the index holds (how a file becomes sections, a section becomes a
# document); search.index adds its own analysis code and the Kiwi release.
INDEX_CODE = tuple(Path(m.__file__ or "") for m in (content_module, markdown_text, documents_module))


def content_fingerprint(root: Path) -> str:
    """The content's bytes and the code that indexes it: an index is stale when either changed."""
    return fingerprint(content_tree(root), extra=code_digest(INDEX_CODE))


def _attach_snapshot(content: Content, fp: str) -> Callable[[Path], None]:
    """Copy the content folder into the new index, and make sure the copy is what was indexed
    (an editor saving a file during the build would otherwise pair an index with other text)."""
    def attach(tmp: Path) -> None:
        dst = tmp / SNAPSHOT_DIR
        shutil.copytree(content.root, dst, ignore=shutil.ignore_patterns(".*", "__pycache__", "*.pyc"))
        if content_fingerprint(dst) != fp:
            raise ContentChanged("content changed while the index was being built; run `kb build` again")
    return attach


class ContentChanged(IndexProblem):
    pass


def _verify_by_query(content: Content) -> Callable[[Path], None]:
    """Open the finished index and ask it for a few topics by title before it goes live."""
    topics = list(content.topics.values())
    sample = topics[:: max(1, len(topics) // 5)][:5]

    def verify(tmp: Path) -> None:
        s = Searcher(index_dir=tmp)
        try:
            for t in sample:
                found = [h.topic for h in s.search(t.title, limit=30).topics[:10]]
                if t.id not in found:
                    raise IndexCorrupt(f"new index does not find '{t.title}' ({t.id}) by its title")
        finally:
            s.close()
    return verify


def build_index(content: Content, instance: Path, on_wait: Callable[[], None] | None = None,
                reuse_current: bool = False) -> Path:
    problems = blocking_problems(content)
    if problems:
        raise ContentError(problems)
    fp = content_fingerprint(content.root)
    docs = section_docs(content)
    path = build(docs, content.lexicon, instance, fp,
                 attach=_attach_snapshot(content, fp), verify=_verify_by_query(content),
                 on_wait=on_wait, reuse_current=reuse_current)
    rerank.build_embeddings(path, docs, content.lexicon)   # optional; nothing without a model
    return path


def needs_build(fp: str, instance: Path) -> bool:
    cur = current_dir(instance)
    return cur is None or read_fingerprint(cur) != fp or bool(verify_dir(cur))


def ensure_index(content: Content, instance: Path) -> bool:
    """Build when missing, stale or damaged; return True when a build happened."""
    fp = content_fingerprint(content.root)
    if not needs_build(fp, instance):
        return False
    had_index = current_dir(instance) is not None
    try:
        build_index(content, instance, reuse_current=True)
        return True
    except ContentError:
        if not had_index:
            raise
        log.error("content has errors; keeping the old index", exc_info=True)
        return False


RESULT_CACHE = 512     # remembered search results per index (up to ~20 KB each: 40 hits)


def result_key(text: str, limit: int, filters: dict | None, snippets: bool) -> tuple | None:
    """A hashable key for one search, or None when the arguments cannot make one."""
    try:
        frozen = tuple(sorted((k, v if isinstance(v, str) or v is None else tuple(v))
                              for k, v in (filters or {}).items()))
        key = (text, limit, frozen, bool(snippets))
        hash(key)
    except TypeError:
        return None
    return key


class GuardedSearcher:
    """The searcher as the answer layer sees it: an exception inside the index (a damaged
    segment read lazily) becomes SearchUnavailable and is reported, instead of a 500. Errors
    outside the search (a bug elsewhere) are not mistaken for a damaged index."""

    def __init__(self, searcher: Searcher, on_error: Callable[[BaseException], None], results: LRU | None = None):
        self._searcher = searcher
        self._on_error = on_error
        self._results = results

    def search(self, text: str, limit: int = 30, filters: dict | None = None, snippets: bool = False):
        """Results are remembered per index (`results` belongs to one KnowledgeBase, so a swap to a
        new build starts empty): a repeated question (the same words from many parents, the
        widget's search-as-you-type) skips analysis and scoring. Results are immutable."""
        cache = self._results
        key = result_key(text, limit, filters, snippets) if cache is not None else None
        if cache is not None and key is not None:
            got = cache.get(key)
            if got is not None:
                return got
        try:
            got = self._searcher.search(text, limit=limit, filters=filters, snippets=snippets)
        except Exception as e:
            self._on_error(e)
            raise SearchUnavailable(f"{type(e).__name__}: {e}") from e
        if cache is not None and key is not None:
            cache.put(key, got)
        return got

    def __getattr__(self, name):
        return getattr(self._searcher, name)


@dataclass
class KnowledgeBase:
    content: Content
    searcher: Searcher
    instance: Path
    index_dir: Path | None = None
    fingerprint: str | None = None
    notes: list[str] = field(default_factory=list)        # why this is not the ideal pair
    content_root: Path | None = None                       # the live content/ folder
    on_failure: Callable[[BaseException], None] | None = None
    results: LRU = field(default_factory=lambda: LRU(RESULT_CACHE), repr=False)

    def _failed(self, e: BaseException) -> None:
        log.error("search failed on index %s: %s: %s", self.index_dir, type(e).__name__, e)
        if self.on_failure:
            self.on_failure(e)

    def ask(self, question: str, *, now=None, context=None) -> Answer:
        """`now` pins the clock (default: Seoul time now); `context` is a kb.referrals.Context."""
        return answering.ask(question, self.content, GuardedSearcher(self.searcher, self._failed, self.results),
                             now=now, context=context)

    def search(self, question: str, filters: dict | None = None, limit: int = 20, snippets: bool = True):
        return GuardedSearcher(self.searcher, self._failed, self.results).search(question, limit=limit, filters=filters,
                                                                   snippets=snippets)

    def topic(self, topic_id: str) -> Topic | None:
        return self.content.topics.get(topic_id)

    def close(self):
        self.searcher.close()


def open_dir(index_dir: Path, instance: Path, content_root: Path | None = None) -> KnowledgeBase:
    """One index directory and its own content snapshot (checksums verified first)."""
    snapshot = Path(index_dir) / SNAPSHOT_DIR
    if not snapshot.is_dir():
        raise IndexCorrupt(f"{Path(index_dir).name}: no content snapshot (built by an older version)")
    searcher = rerank.wrap(Searcher(index_dir=index_dir), instance)   # Searcher raises IndexCorrupt on checksum mismatch
    content = load(snapshot)
    return KnowledgeBase(content, searcher, Path(instance), Path(index_dir), read_fingerprint(index_dir),
                         content_root=content_root)


def open_served(instance: Path, content_root: Path | None = None) -> KnowledgeBase:
    """The current index, or when it is damaged the newest whole one before it."""
    instance = Path(instance)
    candidates = []
    cur = current_dir(instance)
    if cur is not None:
        candidates.append(cur)
    candidates += [d for d in index_dirs(instance) if d != cur]
    problems = []
    for d in candidates:
        try:
            kb = open_dir(d, instance, content_root)
        except IndexProblem as e:
            problems.append(str(e))
            log.error("index %s unusable: %s", d.name, e)
            continue
        if d != cur:
            kb.notes.append(f"current index unusable ({problems[0]}); serving the earlier build {d.name}")
        return kb
    raise IndexUnavailable("no usable index in {}: {}".format(instance, "; ".join(problems) or "none built"))


def open_kb(content_root: str | Path | None = None, instance: str | Path | None = None,
            build_if_stale: bool = True) -> KnowledgeBase:
    content_root = Path(content_root or config.content_dir())
    instance = Path(instance or config.instance_dir())
    notes = []
    if build_if_stale:
        disk = load(content_root)
        fp = content_fingerprint(content_root)
        if needs_build(fp, instance):
            try:
                build_index(disk, instance, reuse_current=True)
            except ContentError as e:
                if not index_dirs(instance):
                    raise
                log.error("content has errors; serving the last good index: %s", e)
            except IndexProblem as e:
                log.error("could not rebuild the index: %s", e)
                notes.append(f"rebuild failed: {e}")
    kb = open_served(instance, content_root)
    kb.notes = notes + kb.notes
    return kb


# ---------------------------------------------------------------- status


def content_status(kb: KnowledgeBase, content_root: Path | None = None) -> list[str]:
    """Reasons the served pair differs from the content on disk (empty = all agree)."""
    root = Path(content_root or kb.content_root or config.content_dir())
    reasons = list(kb.notes)
    try:
        disk_fp = content_fingerprint(root)
    except OSError as e:
        return reasons + [f"content folder unreadable: {e.strerror or e}"]
    if disk_fp == kb.fingerprint:
        return reasons
    problems = _problems_for(root, disk_fp)
    built = kb.index_dir.name if kb.index_dir else "?"
    if problems:
        reasons.append(f"content on disk has {len(problems)} error(s) (first: {problems[0]}); "
                       f"serving the last good build {built}")
    else:
        reasons.append(f"content on disk changed since build {built}; run `kb build`")
    return reasons


_problem_cache: dict[str, list[str]] = {}


def _problems_for(root: Path, fp: str) -> list[str]:
    got = _problem_cache.get(fp)
    if got is None:
        got = [str(p) for p in blocking_problems(load(root))]
        _problem_cache.clear()      # one entry: the latest state of the disk
        _problem_cache[fp] = got
    return got


def status(kb: KnowledgeBase, content_root: Path | None = None) -> dict:
    reasons = content_status(kb, content_root)
    return {"status": "degraded" if reasons else "ok", "reasons": reasons,
            "index": kb.index_dir.name if kb.index_dir else None, "fingerprint": kb.fingerprint}


class LiveKB:
    """The serving process's knowledge base, swapped to new builds between requests.

    `get()` costs a readlink at most every `check_interval` seconds. Opening a new build (Kiwi is
    shared; the index and content snapshot load in ~0.2 s) happens in a background thread; until
    it is ready, requests keep using the old pair, so none waits or fails."""

    def __init__(self, kb: KnowledgeBase, content_root: Path | None = None, reload: bool = True,
                 check_interval: float = 1.0, verify_interval: float = 60.0):
        self._kb = kb
        self.content_root = Path(content_root or kb.content_root or config.content_dir())
        self.instance = kb.instance
        self.reload = reload
        self.check_interval = check_interval
        self.verify_interval = verify_interval
        self._last_check = time.monotonic()
        self._last_verify = time.monotonic()
        self._busy = threading.Lock()
        self._failures: list[str] = []
        kb.on_failure = self._failed

    @property
    def kb(self) -> KnowledgeBase:
        return self._kb

    def get(self) -> KnowledgeBase:
        now = time.monotonic()
        if self.reload and now - self._last_check >= self.check_interval:
            self._last_check = now
            target = self._link_target()
            current = self._kb.index_dir.name if self._kb.index_dir else None
            verify_due = now - self._last_verify >= self.verify_interval
            if (target and target != current) or verify_due:
                self._start(self._refresh, verify_due)
        return self._kb

    def _link_target(self) -> str | None:
        try:
            return os.readlink(self.instance / LINK_NAME)
        except OSError:
            return None

    def _start(self, fn, *args) -> None:
        if not self._busy.acquire(blocking=False):
            return      # a swap or recovery is already under way
        def run():
            try:
                fn(*args)
            except Exception:
                log.exception("index refresh failed")
            finally:
                self._busy.release()
        threading.Thread(target=run, name="kb-refresh", daemon=True).start()

    def refresh_now(self) -> None:
        """Synchronously do what the background check does (tests and signals)."""
        with self._busy:
            self._refresh(True)

    def _refresh(self, verify: bool = False) -> None:
        if verify:
            self._last_verify = time.monotonic()
            if self._kb.index_dir is not None and verify_dir(self._kb.index_dir):
                self._recover("served index failed its checksum check")
                return
        target = self._link_target()
        if target and (self._kb.index_dir is None or target != self._kb.index_dir.name):
            self._swap(open_served(self.instance, self.content_root))

    def _swap(self, kb: KnowledgeBase) -> None:
        kb.on_failure = self._failed
        old, self._kb = self._kb, kb
        self._failures = []
        log.info("now serving index %s (was %s)", kb.index_dir and kb.index_dir.name,
                 old.index_dir and old.index_dir.name)
        # the old searcher is left to the garbage collector: a request may still be using it

    def _failed(self, exc: BaseException) -> None:
        self._failures = (self._failures + [f"search failed: {type(exc).__name__}: {exc}"[:200]])[-3:]
        self._start(self._recover, "a search failed inside the index")

    def _recover(self, why: str) -> None:
        """Rebuild from the content on disk (or, when it has errors, from the served snapshot)."""
        log.error("recovering the index: %s", why)
        for source in (self.content_root, self._kb.index_dir / SNAPSHOT_DIR if self._kb.index_dir else None):
            if source is None or not Path(source).is_dir():
                continue
            try:
                content = load(source)
                build_index(content, self.instance)
                self._swap(open_served(self.instance, self.content_root))
                return
            except (ContentError, IndexProblem, IndexUnavailable, OSError) as e:
                log.error("rebuild from %s failed: %s", source, e)
                self._failures = (self._failures + [f"rebuild from {Path(source).name} failed: {e}"[:200]])[-3:]

    STATUS_TTL = 2.0     # /api/health may be polled often; hashing the content folder costs ~ms

    def status(self) -> dict:
        now = time.monotonic()
        cached = getattr(self, "_status_cache", None)
        if cached and cached[0] is self._kb and now - cached[1] < self.STATUS_TTL and not self._failures:
            return cached[2]
        out = status(self._kb, self.content_root)
        self._status_cache = (self._kb, now, dict(out))
        if self._failures:
            out["status"] = "degraded"
            out["reasons"] = out["reasons"] + self._failures
        return out
