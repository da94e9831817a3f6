"""Issue 15, part 4: input that is not a question never gives a 500, never stops a batch, and
junk is never answered with confidence."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kb.questions import QuestionError, clean_question

from .conftest import CONTENT

ROOT = Path(__file__).resolve().parent.parent
JUNK = [json.loads(line) for line in (ROOT / "bench" / "eval" / "junk.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]
VALID = "육아휴직 급여는 얼마나 나와요?"


@pytest.mark.parametrize("raw, code", [
    ("\ud800", "invalid_unicode"),
    ("육아\udfff휴직", "invalid_unicode"),
    ("\u200b\u200c\u200d\u2060\ufeff", "empty"),
    ("\u3164\u3164 \u3164", "empty"),           # Hangul filler: looks like text, is nothing
    ("\u115f\u1160\uffa0\u2800", "empty"),
    ("\u00ad \u200b \n\t", "empty"),
])
def test_clean_question_refuses_invisible_and_broken_text(raw, code):
    with pytest.raises(QuestionError) as e:
        clean_question(raw)
    assert e.value.code == code and e.value.message


def test_zero_width_inside_words_is_dropped():
    assert clean_question("육아\u200b휴직 \ufeff급여") == "육아휴직 급여"


def post_raw(client, body: bytes):
    return client.post("/api/ask", data=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("body, code", [
    (b'{"q": "\\ud800"}', "invalid_unicode"),
    (b'{"q": "\\udc00\\ud800 abc"}', "invalid_unicode"),
    (b'{"q": "\\u200b\\u200b"}', "empty"),
    (b'{"q": "\\u3164"}', "empty"),
    (b"[" * 8000 + b"]" * 8000, "invalid_json"),
    (b'{"q": ' + b"[" * 8000 + b"]" * 8000 + b"}", "invalid_json"),
    (b'{"q": "\xff\xfe\xed\xa0\x80"}', "invalid_json"),      # not UTF-8 at all
])
def test_api_refuses_with_a_korean_400(client, body, code):
    r = post_raw(client, body)
    assert r.status_code == 400, r.data[:200]
    data = r.get_json()
    assert data["code"] == code
    assert any("\uac00" <= ch <= "\ud7a3" for ch in data["error"])


@pytest.mark.parametrize("path", ["/api/search?q=%ED%A0%80", "/search?q=%ED%A0%80", "/api/search?q=%E2%80%8B"])
def test_broken_query_strings_are_never_a_500(client, path):
    r = client.get(path)
    assert r.status_code in (200, 400), r.status_code


def test_form_post_of_fillers_is_refused(client):
    r = client.post("/", data={"q": "\u3164\u200b"})
    assert r.status_code == 400
    assert "질문을 입력해 주세요" in r.get_data(as_text=True)


@pytest.mark.parametrize("item", JUNK, ids=[j["id"] for j in JUNK])
def test_junk_is_never_confident(knowledge, item):
    try:
        a = knowledge.ask(item["q"])
    except QuestionError:
        return            # refusing is also not answering
    assert a.confident is False, (item["q"], a.topics[:2])


def test_junk_set_covers_the_reported_fragments():
    qs = {j["q"] for j in JUNK}
    assert {"1", "NOT", "' OR 1=1 --", "{{7*7}}"} <= qs
    assert all(j["expect"] == "abstain" for j in JUNK)


def test_batch_answers_every_line_after_bad_ones(instance_dir):
    kb = Path(sys.executable).with_name("kb")
    lines = [
        json.dumps({"q": VALID}, ensure_ascii=False).encode(),
        b'{"q": "\\ud800"}',                                     # lone surrogate
        b"[" * 8000 + b"]" * 8000,                               # deep nesting
        b'{"q": "\xff\xfe"}',                                    # invalid UTF-8 bytes
        b'{"q": "\\u200b\\u3164"}',                              # invisible only
        b'"just a string"',
        b"{not json",
        json.dumps({"q": "' OR 1=1 --"}).encode(),
        json.dumps({"q": VALID}, ensure_ascii=False).encode(),
    ]
    r = subprocess.run([str(kb), "--content", str(CONTENT), "--instance", str(instance_dir), "ask", "--batch"],
                       input=b"\n".join(lines) + b"\n", capture_output=True, timeout=180)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert b"Traceback" not in r.stderr
    out = [json.loads(line) for line in r.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)
    assert out[0]["confident"] and out[-1]["confident"] and out[-1]["topics"] == out[0]["topics"]
    assert out[1]["code"] == "invalid_unicode"
    assert out[2]["code"] == "invalid_json"
    assert out[3]["confident"] is False            # decoded with U+FFFD, answered as "not understood"
    assert out[4]["code"] == "empty"
    assert out[5]["code"] == "invalid_json" and out[6]["code"] == "invalid_json"
    assert out[7]["confident"] is False
    for o in out[1:3] + out[4:7]:
        assert o["confident"] is False and o["topics"] == [] and o["error"]
