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


@cli.command("train-embedder")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="model folder (default: <instance>/embedder)")
@click.option("--seed", default=13, show_default=True)
@click.option("--epochs", default=40, show_default=True)
@click.option("--dim", default=256, show_default=True)
@click.pass_context
def train_embedder_cmd(ctx, out, seed, epochs, dim):
    """Train the rerank model (a StaticEmbedding) from the content; needs the `rerank` extra."""
    from search import rerank

    if not rerank.available():
        click.echo("kb train-embedder: the rerank extra is not installed (pip install -e '.[rerank]')", err=True)
        sys.exit(1)
    from search.analysis import korean_analyzer

    from .documents import section_docs

    content = load(ctx.obj["content"])
    out = out or Path(ctx.obj["instance"]) / rerank.DEFAULT_DIRNAME
    r = rerank.train(section_docs(content), korean_analyzer(content.lexicon), out,
                     seed=seed, epochs=epochs, dim=dim)
    click.echo(f"trained {r.out}: {r.pairs} pairs, {r.topics} topics, vocabulary {r.vocab}, dim {r.dim}, "
               f"{r.epochs} epochs, loss {r.final_loss:.3f}, {r.seconds:.1f}s ({r.cpu_seconds:.1f}s CPU)")
    click.echo(f"use it: {rerank.ENV}={r.out} kb build")


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
    if a.also is not None:      # a message asking two things: both answers, each under its question
        click.echo(f"[질문 1] {a.part}\n")
    click.echo(a.answer)
    if a.also is not None:
        click.echo(f"\n[질문 2] {a.also.part}\n")
        click.echo(a.also.answer)
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
        from .referrals import read_context

        return kb.ask(q, context=read_context(item)).to_json()   # optional region/audience/worker_type
    except QuestionError as e:
        return _error_line(q, e.message, e.code)
    except Exception as e:  # one bad line must not stop the later ones
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


@cli.command("plan")
@click.option("--due", "due_date", default=None, help="출산예정일 YYYY-MM-DD")
@click.option("--born", "birth_date", default=None, help="출산일 YYYY-MM-DD (이미 출산했을 때)")
@click.option("--wage", "monthly_wage", required=True, help="월 통상임금: 300(만원) 또는 3000000(원)")
@click.option("--hours", "weekly_hours", default=None, help="주 소정근로시간 (기본 40)")
@click.option("--large", is_flag=True, help="대규모기업 (기본: 우선지원대상기업)")
@click.option("--father", is_flag=True, help="배우자(아빠)의 계획")
@click.option("--twins", "multiple", is_flag=True, help="다태아")
@click.option("--premature", is_flag=True, help="미숙아 출산")
@click.option("--months", "leave_months", default=None, help="내 육아휴직 개월 수 (기본 12)")
@click.option("--other-months", "other_leave_months", default=None, help="다른 부모의 육아휴직 개월 수")
@click.option("--other-wage", default=None, help="다른 부모의 월 통상임금")
@click.option("--reduce-to", "reduced_hours", default=None, help="육아기 근로시간 단축 뒤 주 근로시간")
@click.option("--today", default=None, help="기준일 YYYY-MM-DD (기본 오늘)")
@click.option("--json", "as_json", is_flag=True, help="print the plan JSON (the body of POST /api/plan's answer)")
@click.pass_context
def plan_cmd(ctx, as_json, today, large, father, **fields):
    """A personal plan: leave dates and month-by-month pay (모의계산) from the due date and the salary."""
    from datetime import date

    from .plan import PlanError, input_from_mapping, make_plan, parse_date
    from .rules import RulesError, load_rules

    fields.update(company="large" if large else "priority", role="father" if father else "mother")
    try:
        day = parse_date(today, "today") or date.today()
        plan = make_plan(input_from_mapping(fields), load_rules(ctx.obj["content"]), day)
    except (PlanError, RulesError) as e:
        click.echo(getattr(e, "message", str(e)), err=True)
        sys.exit(2)
    if as_json:
        click.echo(_dump(plan.to_json()))
        return
    won = lambda v: "확인 필요" if v is None else f"{v:,}원"   # noqa: E731
    click.echo(f"기준일 {plan.as_of} · {plan.disclaimer}\n\n[날짜]")
    for d in plan.dates:
        end = f" ~ {d.end}" if d.end and d.end != d.start else ""
        click.echo(f"  {d.start}{end}  {d.label}" + (" (확인 필요)" if d.verify else ""))
    click.echo("\n[달마다 받는 돈]  고용보험 / 회사")
    for m in plan.months:
        who = "" if m.who == "나" else f"{m.who}: "
        click.echo(f"  {m.start} ~ {m.end}  {who}{m.label}: {won(m.insurance)} / {won(m.employer)}"
                   + (" (확인 필요)" if m.verify else ""))
    for who, t in plan.totals.items():
        click.echo(f"  {who} 합계: 고용보험 {won(t['insurance'])}, 회사 {won(t['employer'])}")
    for n in plan.notes:
        click.echo(f"\n* {n}")
def _store(ctx):
    from .store import StoreError, open_store

    try:
        return open_store(instance=ctx.obj["instance"])
    except StoreError as e:
        click.echo(f"question store: {e}", err=True)
        sys.exit(1)


def _age(value: str, option: str):
    from .store import parse_age

    try:
        return parse_age(value)
    except ValueError as e:
        click.echo(f"{option}: {e}", err=True)
        sys.exit(2)


@cli.command("report")
@click.option("--since", default="7d", show_default=True, help="period to cover, e.g. 7d, 24h, 4w")
@click.option("--channel", default=None, help="chat, counselor, api, embed, widget (every widget) or widget:<origin>")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of Markdown")
@click.pass_context
def report_cmd(ctx, since, channel, as_json):
    """Content gaps from the question log: unanswered and unhelpful questions, grouped, with suggestions."""
    from .report import build_report, report_json
    from .store import now_minute

    start = now_minute() - _age(since, "--since")
    store = _store(ctx)
    try:
        records = store.records(since=start, channel=channel)
    finally:
        store.close()
    kb = _open(ctx)
    report = build_report(records, kb.searcher.analyzer, kb.content, since=start, channel=channel)
    if as_json:
        click.echo(report_json(report))
    else:
        click.echo(report.to_markdown({t.id: t.title for t in kb.content.topics.values()}), nl=False)


@cli.command("prune")
@click.option("--older-than", "older_than", default="180d", show_default=True, help="delete rows older than this")
@click.pass_context
def prune_cmd(ctx, older_than):
    """Delete logged questions and their feedback older than --older-than."""
    age = _age(older_than, "--older-than")
    store = _store(ctx)
    try:
        n = store.prune(age)
    finally:
        store.close()
    click.echo(f"deleted {n} question(s) older than {older_than}")


def main():
    cli(obj={})


if __name__ == "__main__":
    main()
