"""Build and open the Whoosh index, atomically.

The index lives in an instance folder as `index-<stamp>/` directories with a symlink `index`
pointing at the one in use. A build writes a new directory and then swaps the link with
os.replace, so a reader never sees a half-built index and a failed build leaves the old one
serving. The directory records the fingerprint of the content it was built from, so callers can
tell when it is stale.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import korean_analyzer
from .documents import SectionDoc
from .lexicon import Lexicon

# Bump when analysis or schema change in a way that needs a rebuild.
INDEX_FORMAT = "4"
FINGERPRINT_FILE = "FINGERPRINT"
LINK_NAME = "index"

# Field boosts: a match in what a topic is called or how people ask it says more than a word
# somewhere in the body.
FIELD_BOOSTS = {"title": 3.0, "questions": 2.5, "keywords": 2.5, "heading": 2.0, "body": 1.0}
SEARCH_FIELDS = tuple(FIELD_BOOSTS)


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
    )


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """A hash of the files' names and bytes (mtimes lie after a git clone)."""
    h = hashlib.sha256(f"format={INDEX_FORMAT};{extra}".encode())
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


def current_fingerprint(instance: Path) -> str | None:
    d = current_dir(instance)
    if d is None:
        return None
    f = d / FINGERPRINT_FILE
    return f.read_text().strip() if f.exists() else None


def build(docs: Iterable[SectionDoc], lexicon: Lexicon, instance: Path, fp: str) -> Path:
    """Write a new index for `docs` and make it the current one; return its directory."""
    instance = Path(instance)
    instance.mkdir(parents=True, exist_ok=True)
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
                applies_to=",".join(d.applies_to),
            )
        writer.commit()
        (tmp / FINGERPRINT_FILE).write_text(fp)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap_link(instance, final)
    _remove_old(instance, keep=final)
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


def _remove_old(instance: Path, keep: Path) -> None:
    """Drop superseded index directories (open readers keep their files on POSIX)."""
    for d in instance.glob("index-*"):
        if d.resolve() != keep.resolve() and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)


def open_index(instance: Path):
    d = current_dir(instance)
    if d is None:
        raise FileNotFoundError(f"no index in {instance}; run `kb build`")
    return whoosh_index.open_dir(str(d))
