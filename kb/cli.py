"""The `kb` command: check, build, search, ask (and serve, which the web package adds).

`kb ask --batch` reads JSON lines {"q": ...} and writes one answer JSON per line, flushing each
as soon as it is ready, so another program can drive it through a pipe.
"""
from __future__ import annotations

import json
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click

from . import config
from .content import load
from .questions import QuestionError


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


class KbGroup(click.Group):
    """Adds commands that other packages register under the `kb.commands` entry point group
    (the web package adds `serve`), so `kb` does not depend on `web`."""

    def _plugins(self):
        if not hasattr(self, "_plugin_cache"):
            self._plugin_cache = {ep.name: ep for ep in entry_points(group="kb.commands")}
        return self._plugin_cache

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self._plugins()))

    def get_command(self, ctx, name):
        cmd = super().get_command(ctx, name)
        if cmd is None and name in self._plugins():
            try:
                cmd = self._plugins()[name].load()
            except ImportError as e:  # an optional part that is not installed
                click.echo(f"kb {name}: unavailable ({e})", err=True)
                return None
        return cmd


@click.group(cls=KbGroup)
@click.option("--content", "content_root", type=click.Path(file_okay=False, path_type=Path),
              default=None, help=f"content folder [default: $KB_CONTENT, else {config.PROJECT_ROOT / 'content'}]")
@click.option("--instance", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"where the index is built [default: $KB_INSTANCE, else {config.PROJECT_ROOT / 'instance'}]")
@click.pass_context
def cli(ctx, content_root, instance):
    """A Korean knowledge base on maternity, parental-leave and labor rights."""
    ctx.ensure_object(dict)
    ctx.obj["content"] = content_root or config.content_dir()
    ctx.obj["instance"] = instance or config.instance_dir()


def _open(ctx):
    from .service import ContentError, IndexUnavailable, open_kb

    try:
        return open_kb(ctx.obj["content"], ctx.obj["instance"])
    except ContentError as e:
        for p in e.problems:
            click.echo(str(p), err=True)
        click.echo("content has errors; run `kb check`", err=True)
        sys.exit(1)
    except IndexUnavailable as e:
        click.echo(f"{e}; fix the content and run `kb build`", err=True)
        sys.exit(1)


@cli.command("check")
@click.option("--no-coverage", is_flag=True, help="skip the must_cover and synonym checks (no Kiwi needed)")
@click.pass_context
def check_cmd(ctx, no_coverage):
    """Validate content; print problems as path:line: message; exit 1 on errors."""
    from .check import check

    content = load(ctx.obj["content"])
    analyzer = None
    if not no_coverage:
        from search.analysis import korean_analyzer

        analyzer = korean_analyzer(content.lexicon)
    problems = check(content, analyzer=analyzer)
    for p in problems:
        click.echo(str(p))
    errors = [p for p in problems if not p.warning]
    click.echo(f"{len(content.topics)} topics, {len(content.centers)} centers: "
               f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@cli.command("build")
@click.pass_context
def build_cmd(ctx):
    """Build the search index (atomically; a content error keeps the old index).

    One build at a time: a second `kb build` waits for the first (and says so), then reuses its
    index when the content is the same. A running `kb serve` switches to the new index by itself."""
    import time

    from search.index import IndexProblem

    from .service import ContentError, build_index

    content = load(ctx.obj["content"])
    start = time.perf_counter()
    waited = []

    def on_wait():
        waited.append(True)
        click.echo("another `kb build` is running on this instance; waiting for it to finish...", err=True)

    try:
        path = build_index(content, Path(ctx.obj["instance"]), on_wait=on_wait)
    except ContentError as e:
        for p in e.problems:
            click.echo(str(p), err=True)
        click.echo("build stopped: content has errors; the previous index is still in place", err=True)
        sys.exit(1)
    except (IndexProblem, OSError) as e:
        click.echo(f"build stopped: {e}; the previous index is still in place", err=True)
        sys.exit(1)
    how = "after waiting for the other build, the index is" if waited else "built"
    click.echo(f"{how} {path} from {len(content.topics)} topics in {time.perf_counter() - start:.2f}s")


@cli.command("search")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.option("--category", default=None, help="only this taxonomy category")
@click.option("--limit", default=10, show_default=True)
@click.pass_context
def search_cmd(ctx, question, as_json, category, limit):
    """Show the best-matching sections for QUESTION."""
    from .questions import clean_question

    try:
        q = clean_question(question)
    except QuestionError as e:
        click.echo(e.message, err=True)
        sys.exit(2)
    kb = _open(ctx)
    result = kb.search(q, filters={"category": category} if category else None, limit=limit)
    rows = []
    for s in result.sections[:limit]:
        topic = kb.content.topics.get(s.topic)
        rows.append({
            "topic": s.topic, "anchor": s.anchor, "title": topic.title if topic else s.topic,
            "heading": s.heading, "score": round(s.score, 3),
            "snippet": "".join(f"[{x.text}]" if x.match else x.text for x in s.snippet),
        })
    if as_json:
        click.echo(_dump({"q": q, "terms": list(result.terms), "results": rows}))
        return
    if not rows:
        click.echo("결과가 없습니다.")
    for r in rows:
        click.echo(f"{r['score']:7.2f}  {r['title']} › {r['heading']}  ({r['topic']}#{r['anchor']})")
        click.echo(f"         {r['snippet']}")


def _print_answer(a) -> None:
    if a.urgent and a.referral_cards:
        first = a.referral_cards[0]
        click.echo(f"!! 지금 전화: {first.phone} · {first.name}")
    click.echo(a.answer)
    if a.referral_cards:
        click.echo("\n도움받을 곳:")
        for c in a.referral_cards:
            note = " (확인 필요)" if "phone" in c.unverified else ""
            click.echo(f"  - {c.name} {c.phone}{note}: {c.why}")
    if a.suggestions:
        click.echo("\n이 중 어떤 내용이 궁금하세요? " + " / ".join(a.suggestions))


def _stdin_lines():
    """stdin as text lines, bytes that are not UTF-8 replaced (one bad line must not end the batch)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:                        # click's test runner gives text
        yield from sys.stdin
        return
    for line in stream:
        yield line.decode("utf-8", errors="replace")


def _error_line(q, message: str, code: str) -> dict:
    if isinstance(q, str):
        q = q.encode("utf-8", errors="replace").decode("utf-8")   # lone surrogates cannot be printed
    else:
        q = None
    return {"q": q, "error": message, "code": code, "topics": [], "referrals": [], "confident": False,
            "crisis": False, "answer": ""}


def _batch_answer(kb, raw: str) -> dict:
    """One batch line -> one answer or one error object; never raises."""
    q = None
    try:
        item = json.loads(raw)
    except (ValueError, RecursionError):
        return _error_line(None, "JSON 형식이 올바르지 않아요.", "invalid_json")
    if not isinstance(item, dict):
        return _error_line(None, 'JSON 객체로 보내 주세요. 예: {"q": "..."}', "invalid_json")
    q = item.get("q")
    try:
        return kb.ask(q).to_json()
    except QuestionError as e:
        return _error_line(q, e.message, e.code)
    except Exception as e:   # noqa: BLE001 - one bad line must not stop the later ones
        click.echo(f"kb ask --batch: {type(e).__name__} on one line: {e}", err=True)
        return _error_line(q, "이 질문은 처리하지 못했어요.", "error")


@cli.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="print the answer JSON")
@click.option("--batch", is_flag=True, help='read JSON lines {"q": ...} on stdin, answer each on stdout')
@click.pass_context
def ask_cmd(ctx, question, as_json, batch):
    """Answer QUESTION (or, with --batch, every question on stdin)."""
    if batch:
        kb = _open(ctx)
        for raw in _stdin_lines():
            if not raw.strip():
                continue
            out = _batch_answer(kb, raw)
            sys.stdout.write(_dump(out) + "\n")
            sys.stdout.flush()
        return
    if question is None:
        click.echo("질문을 입력해 주세요. 예: kb ask \"육아휴직 급여 얼마나 나와요?\"", err=True)
        sys.exit(2)
    kb = _open(ctx)   # before any refusal: a refused message may still need 109 or 112
    try:
        a = kb.ask(question)
    except QuestionError as e:
        click.echo(e.message, err=True)
        sys.exit(2)
    if as_json:
        click.echo(_dump(a.to_json()))
    else:
        _print_answer(a)


def main():
    cli(obj={})


if __name__ == "__main__":
    main()
