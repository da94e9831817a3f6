"""Request logs are JSON lines with a request id and the masked, single-line, truncated question."""
import json
import logging

import pytest

from web.logs import JsonFormatter


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="web.requests")

    def read():
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "web.requests"]
    return read


def test_a_question_is_one_masked_line_with_the_request_id(client, lines):
    q = '010-1234-5678 로 연락 주세요\n{"event": "forged"} 육아휴직 급여'
    r = client.post("/api/ask", json={"q": q}, headers={"X-Request-ID": "abc12345-client"})
    assert r.status_code == 200
    assert r.headers["X-Request-ID"] == "abc12345-client"
    [line] = [x for x in lines() if x["event"] == "question"]
    assert line["rid"] == "abc12345-client"
    assert "1234-5678" not in line["q"] and "010-****-5678" in line["q"]
    assert "\n" not in line["q"]
    assert line["topic"] and isinstance(line["confident"], bool)


def test_a_refused_question_is_masked_and_truncated_too(client, lines):
    q = "주민번호 900101-2345678 " + "가" * 5000
    r = client.post("/api/ask", json={"q": q})
    assert r.status_code == 400
    rid = r.headers["X-Request-ID"]
    [line] = [x for x in lines() if x["event"] == "question"]
    assert line["refused"] == "too_long" and line["rid"] == rid
    assert "2345678" not in line["q"] and len(line["q"]) <= 201


def test_form_and_search_are_logged_the_same_way(client, lines):
    client.post("/", data={"q": "제 이름은 홍길동입니다 010 9876 5432 출산휴가"})
    client.get("/search", query_string={"q": "+82-10-2222-3333 육아휴직"})
    got = lines()
    text = json.dumps(got, ensure_ascii=False)
    assert "홍길동" not in text and "9876" not in text and "2222" not in text
    assert {x["event"] for x in got} >= {"question", "search"}
    assert all(x["rid"] for x in got)


def test_questions_can_be_left_out_of_logs(knowledge, lines):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "KB_LOG_QUESTIONS": "none"})
    app.test_client().post("/api/ask", json={"q": "육아휴직 급여 얼마예요"})
    [line] = lines()
    assert line["q"] is None and line["confident"] is True


def test_crisis_text_is_never_logged(client, lines):
    client.post("/api/ask", json={"q": "회사 때문에 너무 힘들어서 죽고 싶어요"})
    [line] = lines()
    assert line["q"] is None and line["crisis"] is True


def test_json_formatter_writes_one_valid_line_per_record():
    f = JsonFormatter()
    rec = logging.LogRecord("kb.service", logging.ERROR, __file__, 1, "bad\nthing %s", ("x",), None)
    out = f.format(rec)
    assert "\n" not in out
    data = json.loads(out)
    assert data["msg"] == "bad thing x" and data["level"] == "error"
    rec = logging.LogRecord("web.requests", logging.INFO, __file__, 1, '{"event": "question", "q": null}', (), None)
    assert json.loads(f.format(rec))["event"] == "question"
