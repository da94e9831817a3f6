"""Build and open the Whoosh index, atomically, and know when it is whole.

The index lives in an instance folder as `index-<stamp>/` directories with a symlink `index`
pointing at the one in use. A build (one at a time: it holds `instance/.build.lock`) writes a new
directory, lets the caller attach files (the content snapshot the index was built from), writes a
MANIFEST of every file's sha256, lets the caller verify the finished index by opening and
querying it, and only then swaps the link with os.replace: a reader never sees a half-built or
unchecked index, and a failed build leaves the old one serving. The previous directory is kept
(a process that opened it before the swap may still read it); older ones are removed.

`verify_dir` checks the MANIFEST, so a corrupted segment is found when an index is opened
instead of as a 500 in the middle of a request.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from . import analysis as _analysis
from . import documents as _documents
from . import lexicon as _lexicon
from .analysis import korean_analyzer
from .documents import SectionDoc
from .lexicon import Lexicon

FINGERPRINT_FILE = "FINGERPRINT"
MANIFEST_FILE = "MANIFEST"
LINK_NAME = "index"
LOCK_FILE = ".build.lock"

# Field boosts: a match in what a topic is called or how people ask it says more than a word
# somewhere in the body.
FIELD_BOOSTS = {"title": 3.0, "questions": 2.5, "keywords": 2.5, "heading": 2.0, "body": 1.0}
SEARCH_FIELDS = tuple(FIELD_BOOSTS)


class IndexProblem(Exception):
    """Base for index problems the caller should report, not crash on."""


class IndexCorrupt(IndexProblem):
    """An index directory whose files do not match its MANIFEST (or that cannot be opened)."""


class BuildBusy(IndexProblem):
    """Another build held the lock for longer than we were willing to wait."""


class InstanceNotWritable(IndexProblem):
    """The instance folder cannot be written (read-only mount, permissions)."""

def make_schema(lexicon: Lexicon) -> Schema:
    analyzer = korean_analyzer(lexicon)
    return Schema(
        key=ID(stored=True, unique=True),
        topic=ID(stored=True),
        anchor=STORED(),
        order=NUMERIC(stored=True),
        title=TEXT(analyzer=analyzer, stored=True),
        heading=TEXT(analyzer=analyzer, stored=True),
        questions=TEXT(analyzer=analyzer),
        keywords=TEXT(analyzer=analyzer),
        body=TEXT(analyzer=analyzer, stored=True),
        category=KEYWORD(stored=True, commas=True),
        audience=KEYWORD(stored=True, commas=True),
        applies_to=KEYWORD(stored=True, commas=True),
        case_types=KEYWORD(stored=True, commas=True),
        effective=STORED(),
    )


# What an index's make-up depends on besides the content: the code that turns text into terms and
# writes the schema, and the Kiwi release and model that segment Korean. Their digest is part of
# every fingerprint, so a change to any of them makes every index stale (no format number to bump).
ANALYSIS_MODULES = (_analysis, _lexicon, _documents)
KIWI_DISTRIBUTIONS = ("kiwipiepy", "kiwipiepy_model")


@lru_cache(maxsize=8)
def code_digest(files: tuple[Path, ...]) -> str:
    """A hash of source files' bytes (read once per process: code does not change under it)."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def analysis_version() -> str:
    """The analysis code (search/analysis.py, lexicon.py, documents.py, this module) and the Kiwi release."""
    files = tuple(Path(m.__file__ or "") for m in ANALYSIS_MODULES) + (Path(__file__),)
    kiwi = ",".join(f"{d}={_version(d)}" for d in KIWI_DISTRIBUTIONS)
    return f"code={code_digest(files)};{kiwi}"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "none"


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """A hash of the files' names and bytes (mtimes lie after a git clone), of the analysis code and
    Kiwi release (analysis_version) and of `extra` (the caller's own code digest)."""
    h = hashlib.sha256(f"{analysis_version()};{extra}".encode())
    for p in sorted(Path(p) for p in paths):
        h.update(str(p.name).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:24]


def current_dir(instance: Path) -> Path | None:
    link = Path(instance) / LINK_NAME
    if not link.exists():
        return None
    return link.resolve()


def read_fingerprint(index_dir: Path) -> str | None:
    f = Path(index_dir) / FINGERPRINT_FILE
    try:
        return f.read_text().strip()
    except OSError:
        return None


def current_fingerprint(instance: Path) -> str | None:
    d = current_dir(instance)
    return read_fingerprint(d) if d is not None else None


# ---------------------------------------------------------------- integrity

def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _manifest_files(index_dir: Path) -> list[Path]:
    skip = {MANIFEST_FILE, "MAIN_WRITELOCK"}
    return sorted(p for p in index_dir.rglob("*") if p.is_file() and p.name not in skip)


def write_manifest(index_dir: Path) -> None:
    lines = [f"{_file_digest(p)}  {p.relative_to(index_dir).as_posix()}" for p in _manifest_files(index_dir)]
    (index_dir / MANIFEST_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def verify_dir(index_dir: Path) -> list[str]:
    """What is wrong with an index directory (empty list = every file matches its MANIFEST)."""
    index_dir = Path(index_dir)
    manifest = index_dir / MANIFEST_FILE
    try:
        text = manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return [f"{index_dir.name}: no readable {MANIFEST_FILE}"]
    problems = []
    listed = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition("  ")
        listed.add(rel)
        path = index_dir / rel
        try:
            if _file_digest(path) != digest:
                problems.append(f"{index_dir.name}/{rel}: checksum mismatch")
        except OSError as e:
            problems.append(f"{index_dir.name}/{rel}: {e.strerror or e}")
    if not listed:
        problems.append(f"{index_dir.name}: empty {MANIFEST_FILE}")
    return problems


# ---------------------------------------------------------------- building

@contextmanager
def build_lock(instance: Path, wait: float = 600.0, on_wait: Callable[[], None] | None = None):
    """Hold the instance's build lock; yields True when another build had it first (we waited).

    flock is released by the kernel when a process dies, so a crashed build never leaves a stale
    lock behind."""
    instance = Path(instance)
    try:
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(instance / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise InstanceNotWritable(f"{instance} is not writable ({e.strerror})") from e
        raise
    waited = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waited = True
            if on_wait:
                on_wait()
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise BuildBusy(f"another build has held {instance / LOCK_FILE} for over {wait:.0f}s") from None
                    time.sleep(0.1)
        yield waited
    finally:
        os.close(fd)   # closing releases the lock


def build(docs: Iterable[SectionDoc], lexicon: Lexicon, instance: Path, fp: str,
          attach: Callable[[Path], None] | None = None, verify: Callable[[Path], None] | None = None,
          on_wait: Callable[[], None] | None = None, reuse_current: bool = False) -> Path:
    """Write a new index for `docs` and make it the current one; return its directory.

    `attach(tmp_dir)` adds files before the MANIFEST is written (the content snapshot);
    `verify(tmp_dir)` opens and queries the finished index and raises when it is unusable, in
    which case the link is not touched. With `reuse_current`, a build that finds a whole index of
    the same fingerprint already current (usually made by the build it waited for) returns it."""
    instance = Path(instance)
    docs = list(docs)
    with build_lock(instance, on_wait=on_wait) as waited:
        current = current_dir(instance)
        if (reuse_current or waited) and current is not None and read_fingerprint(current) == fp \
                and not verify_dir(current):
            return current
        _remove_abandoned_tmp(instance)
        stamp = f"{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        tmp = instance / f"index-{stamp}.tmp"
        final = instance / f"index-{stamp}"
        try:
            tmp.mkdir()
            ix = whoosh_index.create_in(str(tmp), make_schema(lexicon))
            writer = ix.writer()
            for d in docs:
                writer.add_document(
                    key=f"{d.topic}#{d.anchor}", topic=d.topic, anchor=d.anchor, order=d.order,
                    title=d.title, heading=d.heading, questions=d.questions, keywords=d.keywords,
                    body=d.body, category=d.category, audience=",".join(d.audience),
                    applies_to=",".join(d.applies_to), case_types=",".join(d.case_types), effective=d.effective,
                )
            writer.commit()
            with whoosh_index.open_dir(str(tmp)).reader() as r:
                if r.doc_count() != len(docs):
                    raise IndexCorrupt(f"new index holds {r.doc_count()} documents, expected {len(docs)}")
            if attach:
                attach(tmp)
            (tmp / FINGERPRINT_FILE).write_text(fp)
            write_manifest(tmp)
            if verify:
                verify(tmp)
            tmp.rename(final)
        except OSError as e:
            shutil.rmtree(tmp, ignore_errors=True)
            if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise InstanceNotWritable(f"{instance} is not writable ({e.strerror})") from e
            raise
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _swap_link(instance, final)
        _remove_old(instance, keep=final, previous=current)
    return final


def _swap_link(instance: Path, target: Path) -> None:
    link = instance / LINK_NAME
    tmp_link = instance / f".{LINK_NAME}.{os.getpid()}.tmp"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(target.name, tmp_link)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # an old plain directory from elsewhere: replace it
    os.replace(tmp_link, link)


def _remove_abandoned_tmp(instance: Path) -> None:
    """Temp folders of builds that died (only called while holding the lock, so no live build
    owns one: concurrent builds never delete each other's work)."""
    for d in instance.glob("index-*.tmp"):
        shutil.rmtree(d, ignore_errors=True)


def _remove_old(instance: Path, keep: Path, previous: Path | None) -> None:
    """Drop superseded index directories, keeping the new one and the one it replaced (a server
    that opened it before the swap may still be reading it until it notices the new build)."""
    spare = {keep.resolve()}
    if previous is not None:
        spare.add(previous.resolve())
    for d in instance.glob("index-*"):
        if d.name.endswith(".tmp") or not d.is_dir() or d.resolve() in spare:
            continue
        shutil.rmtree(d, ignore_errors=True)


def index_dirs(instance: Path) -> list[Path]:
    """Finished index directories, newest first."""
    dirs = [d for d in Path(instance).glob("index-*") if d.is_dir() and not d.name.endswith(".tmp")]
    return sorted(dirs, key=lambda d: d.name, reverse=True)


def open_index_dir(index_dir: Path, check: bool = True):
    """Open one index directory; with `check`, refuse it when its files do not match the MANIFEST."""
    index_dir = Path(index_dir)
    if check:
        problems = verify_dir(index_dir)
        if problems:
            raise IndexCorrupt("; ".join(problems[:3]))
    try:
        return whoosh_index.open_dir(str(index_dir))
    except Exception as e:  # whoosh raises many kinds on damaged files
        raise IndexCorrupt(f"{index_dir.name}: cannot open ({type(e).__name__}: {e})") from e


def open_index(instance: Path, check: bool = True):
    d = current_dir(instance)
    if d is None:
        raise FileNotFoundError(f"no index in {instance}; run `kb build`")
    return open_index_dir(d, check=check)
