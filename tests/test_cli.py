"""The `kb` command through click's runner and as a real subprocess (the batch pipe)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli

from .conftest import CONTENT


@pytest.fixture
def run(instance_dir):
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, ["--content", str(CONTENT), "--instance", str(instance_dir), *args],
                             input=input, obj={})
    return invoke


def test_check_passes_on_repo_content(run):
    r = run("check")
    assert r.exit_code == 0, r.output
    assert "0 error(s)" in r.output


def test_check_fails_with_file_and_line(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "topics" / "maternity-leave.md").write_text("---\nid: maternity-leave\ntitle: [x\n---\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["--content", str(content), "check", "--no-coverage"], obj={})
    assert r.exit_code == 1
    assert "maternity-leave.md:3: invalid YAML" in r.output
    assert "Traceback" not in r.output


def test_ask_json_contract(run):
    r = run("ask", "출산휴가는 며칠 쓸 수 있나요?", "--json")
    assert r.exit_code == 0
    a = json.loads(r.output)
    assert a["topics"][0] == "maternity-leave"
    assert "90일" in a["answer"]


def test_ask_plain_text_names_where_to_call(run):
    r = run("ask", "배우자 출산휴가 며칠이에요")
    assert r.exit_code == 0
    assert "20일" in r.output and "도움받을 곳" in r.output


@pytest.mark.parametrize("q", ["", "   ", "가" * 501, "육아\x07휴직"])
def test_ask_bad_question_exits_2_with_korean_message(run, q):
    r = run("ask", q)
    assert r.exit_code == 2
    assert "질문" in r.output
    assert "Traceback" not in r.output


def test_search_json_has_highlighted_snippets(run):
    r = run("search", "육휴 신청 방법", "--json")
    assert r.exit_code == 0
    out = json.loads(r.output)
    assert out["results"] and "[" in out["results"][0]["snippet"]


def test_build_reports_where_it_built(run, tmp_path):
    r = CliRunner().invoke(cli, ["--content", str(CONTENT), "--instance", str(tmp_path / "i"), "build"], obj={})
    assert r.exit_code == 0 and "built" in r.output
    assert (tmp_path / "i" / "index").is_symlink()


def test_batch_is_a_pipe_in_order_with_errors_inline(instance_dir):
    """Answers come back one line per question, in order, flushed as they are ready."""
    kb = Path(sys.executable).parent / "kb"
    env = {**os.environ, "KB_INSTANCE": str(instance_dir), "KB_CONTENT": str(CONTENT)}
    proc = subprocess.Popen([str(kb), "ask", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    proc.stdin.write(json.dumps({"q": "육아휴직 급여 얼마나 나와요?"}, ensure_ascii=False) + "\n")
    proc.stdin.flush()
    first = json.loads(proc.stdout.readline())  # arrives before stdin is closed
    assert first["topics"][0] == "parental-leave-pay"
    for line in ('{"q": ""}', "not json", json.dumps({"q": "남편 출산휴가 며칠이에요"}, ensure_ascii=False)):
        proc.stdin.write(line + "\n")
    proc.stdin.close()
    rest = [json.loads(line) for line in proc.stdout]
    assert proc.wait(timeout=30) == 0
    assert [bool(r.get("error")) for r in rest] == [True, True, False]
    assert rest[2]["topics"][0] == "paternity-leave"
