"""The public API opened to other sites: CORS allow-list, /embed framing, rate limits (memory and a
real Redis), and the widget's size budget. The widget's behaviour in a browser is in
tests/test_widget_browser.py.

Redis tests start Debian's redis-server (installed by `make test`); when it is missing they FAIL
with that message, they never skip.
"""
from __future__ import annotations

import gzip
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from web import create_app
from web.embed import DEFAULT_RATE_LIMIT, parse_origins, parse_rate_limit, urgent

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/ is not a package
from store_fixtures import free_port, redis_url  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
WIDGET = ROOT / "web" / "static" / "widget.js"
LISTED = "https://www.center.example.kr"
OTHER = "https://evil.example.com"
PAY_Q = "육아휴직 급여 얼마나 나와요?"
CRISIS_Q = "회사 때문에 너무 힘들어서 죽고 싶어요"
MAX_WIDGET_GZIP = 15 * 1024


def make_app(knowledge, instance_dir, **config):
    base = {"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
            "KB_INSTANCE": str(instance_dir), "KB_WIDGET_ORIGINS": LISTED}
    base.update(config)
    return create_app(base)


@pytest.fixture
def widget_client(knowledge, instance_dir):
    return make_app(knowledge, instance_dir).test_client()


# ---------------------------------------------------------------- configuration

def test_parse_origins_normalises_and_drops_what_is_not_an_origin():
    assert parse_origins(" https://WWW.Center.example.kr/ , http://127.0.0.1:8001,https://www.center.example.kr") == (
        "https://www.center.example.kr", "http://127.0.0.1:8001")
    assert parse_origins("center.example.kr, https://a.kr/path, *, ") == ()
    assert parse_origins(None) == ()


def test_a_wrong_rate_limit_falls_back_to_the_default():
    assert parse_rate_limit("60/minute") == "60/minute"
    assert parse_rate_limit("100 per minute;2000/day") == "100 per minute;2000/day"
    assert parse_rate_limit("lots") == DEFAULT_RATE_LIMIT
    assert parse_rate_limit("") == DEFAULT_RATE_LIMIT


def test_settings_come_from_the_environment_and_the_config_file(knowledge, instance_dir, tmp_path, monkeypatch):
    config_file = tmp_path / "kb.cfg"
    config_file.write_text('KB_WIDGET_ORIGINS = "https://from-file.kr"\nKB_RATE_LIMIT = "7/minute"\n', encoding="utf-8")
    monkeypatch.setenv("KB_CONFIG", str(config_file))
    monkeypatch.delenv("KB_WIDGET_ORIGINS", raising=False)
    monkeypatch.delenv("KB_RATE_LIMIT", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app({"TESTING": True, "KB": knowledge})
    assert app.extensions["kb_widget"].origins == ("https://from-file.kr",)
    assert app.extensions["kb_widget"].rate_limit == "7/minute"
    monkeypatch.setenv("KB_WIDGET_ORIGINS", "https://a.kr,https://b.kr")   # the environment beats the file
    app = create_app({"TESTING": True, "KB": knowledge})
    assert app.extensions["kb_widget"].origins == ("https://a.kr", "https://b.kr")
    r = app.test_client().get("/api/topics", headers={"Origin": "https://b.kr"})
    assert r.headers["Access-Control-Allow-Origin"] == "https://b.kr"


def test_default_rate_limit_leaves_room_for_an_office_behind_one_nat(knowledge, instance_dir, monkeypatch):
    monkeypatch.delenv("KB_RATE_LIMIT", raising=False)
    monkeypatch.delenv("KB_CONFIG", raising=False)
    app = create_app({"TESTING": True, "KB": knowledge})
    assert app.extensions["kb_widget"].rate_limit == DEFAULT_RATE_LIMIT
    amount, per = DEFAULT_RATE_LIMIT.split("/")
    assert per == "minute" and int(amount) >= 200


# ---------------------------------------------------------------- CORS

def test_listed_origin_gets_cors_headers(widget_client):
    r = widget_client.post("/api/ask", json={"q": PAY_Q}, headers={"Origin": LISTED})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == LISTED
    assert "Origin" in r.headers["Vary"]
    assert "Retry-After" in r.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in r.headers


def test_unknown_origin_gets_no_allow_origin(widget_client):
    for method, path in (("get", "/api/search?q=육아휴직"), ("post", "/api/ask")):
        r = getattr(widget_client, method)(path, json={"q": PAY_Q} if method == "post" else None,
                                           headers={"Origin": OTHER})
        assert "Access-Control-Allow-Origin" not in r.headers
        assert "Origin" in r.headers["Vary"]


def test_preflight_is_answered_for_a_listed_origin_only(widget_client):
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = widget_client.options("/api/ask", headers={"Origin": LISTED, **pre})
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == LISTED
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in ok.headers["Access-Control-Allow-Headers"]
    no = widget_client.options("/api/ask", headers={"Origin": OTHER, **pre})
    assert "Access-Control-Allow-Origin" not in no.headers
    assert "Access-Control-Allow-Methods" not in no.headers


def test_cors_stays_on_the_api(widget_client):
    r = widget_client.get("/topics", headers={"Origin": LISTED})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_search_results_carry_their_top_referral(widget_client, knowledge):
    r = widget_client.get("/api/search?q=육휴 돈 얼마&limit=3", headers={"Origin": LISTED})
    results = r.get_json()["results"]
    assert results
    for item in results:
        topic = knowledge.content.topics[item["topic"]]
        first = next(c for c in topic.referrals if c in knowledge.content.centers)
        assert item["referral"]["id"] == first
        assert item["referral"]["phone"] == knowledge.content.centers[first].phone


# ---------------------------------------------------------------- /embed framing

def test_embed_is_framable_by_listed_origins_only(widget_client):
    r = widget_client.get("/embed")
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    ancestors = next(p.strip() for p in csp.split(";") if p.strip().startswith("frame-ancestors"))
    assert ancestors.split()[1:] == ["'self'", LISTED]
    assert OTHER not in csp
    assert "X-Frame-Options" not in r.headers   # DENY would override frame-ancestors in old browsers
    assert "script-src 'self'" in csp and "style-src 'self'" in csp   # still no inline script or style
    assert "widget.js" in r.get_data(as_text=True)


def test_every_other_page_still_refuses_frames(widget_client):
    for path in ("/", "/topics", "/search", "/api/topics"):
        r = widget_client.get(path)
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"], path
        assert r.headers["X-Frame-Options"] == "DENY", path


def test_embed_with_no_origins_listed_is_same_origin_only(knowledge, instance_dir):
    r = make_app(knowledge, instance_dir, KB_WIDGET_ORIGINS="").test_client().get("/embed")
    assert "frame-ancestors 'self';" in r.headers["Content-Security-Policy"] + ";"


def test_embed_escapes_its_parameters(widget_client):
    html = widget_client.get('/embed?region="><script>alert(1)</script>&max=5').get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert 'data-region="&#34;&gt;&lt;script&gt;' in html
    assert 'data-max-results="5"' in html


# ---------------------------------------------------------------- rate limits (in memory)

def limited_client(knowledge, instance_dir, limit="3/minute", **config):
    return make_app(knowledge, instance_dir, KB_RATE_LIMIT=limit, **config).test_client()


def test_client_past_the_limit_gets_429_in_korean_with_retry_after(knowledge, instance_dir):
    client = limited_client(knowledge, instance_dir)
    for _ in range(3):
        assert client.get("/api/search?q=육아휴직").status_code == 200
    r = client.post("/api/ask", json={"q": PAY_Q}, headers={"Origin": LISTED})
    assert r.status_code == 429
    body = r.get_json()
    assert body["code"] == "rate_limited"
    assert "요청이 너무 많아요" in body["error"] and "1350" in body["error"]
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= 60
    assert f"{body['retry_after']}초" in body["error"]
    # the widget on a listed site can read the refusal
    assert r.headers["Access-Control-Allow-Origin"] == LISTED


def test_limit_is_per_client(knowledge, instance_dir):
    client = limited_client(knowledge, instance_dir, "2/minute")
    for _ in range(2):
        client.get("/api/topics", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert client.get("/api/topics", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    assert client.get("/api/topics", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(knowledge, instance_dir):
    proxied = limited_client(knowledge, instance_dir, "1/minute", KB_TRUSTED_PROXIES="1")
    assert proxied.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert proxied.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 200
    assert proxied.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    direct = limited_client(knowledge, instance_dir, "1/minute")   # no proxy trusted: the header is ignored
    assert direct.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert direct.get("/api/topics", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 429


def test_pages_health_and_preflights_are_not_limited(knowledge, instance_dir):
    client = limited_client(knowledge, instance_dir, "1/minute")
    assert client.get("/api/topics").status_code == 200
    assert client.get("/api/topics").status_code == 429
    assert client.get("/api/health").status_code == 200
    assert client.options("/api/ask", headers={"Origin": LISTED, "Access-Control-Request-Method": "POST"}).status_code == 200
    assert client.get("/topics").status_code == 200


def test_a_crisis_answer_is_never_hidden_by_the_limit(knowledge, instance_dir):
    client = limited_client(knowledge, instance_dir, "1/minute")
    assert client.post("/api/ask", json={"q": PAY_Q}).status_code == 200
    assert client.post("/api/ask", json={"q": PAY_Q}).status_code == 429
    r = client.post("/api/ask", json={"q": CRISIS_Q}, headers={"Origin": LISTED})
    assert r.status_code == 200
    body = r.get_json()
    assert body["crisis"] is True
    assert body["referral_cards"][0]["phone"] == "109"
    assert "Retry-After" not in r.headers
    assert r.headers["Access-Control-Allow-Origin"] == LISTED
    # still over the limit for anything else, including a bad question
    assert client.post("/api/ask", json={"q": PAY_Q}).status_code == 429
    assert client.post("/api/ask", json={"q": ""}).status_code == 429


def test_urgent_search_cards_are_never_hidden_by_the_limit(knowledge, instance_dir):
    client = limited_client(knowledge, instance_dir, "1/minute")
    assert client.get("/api/search?q=육아휴직").status_code == 200
    assert client.get("/api/search?q=육아휴직").status_code == 429
    r = client.get("/api/search?q=" + CRISIS_Q)
    assert r.status_code == 200
    assert r.get_json()["urgent"]["referral_cards"][0]["phone"] == "109"
    danger = client.post("/api/ask", json={"q": "남편이 때려요 무서워요"})
    assert danger.status_code == 200
    assert danger.get_json()["danger"] is True and danger.get_json()["referral_cards"][0]["phone"] == "112"


def test_urgent_reads_crisis_and_danger():
    assert urgent(SimpleNamespace(crisis=True))
    assert urgent(SimpleNamespace(crisis=False, danger=True))
    assert not urgent(SimpleNamespace(crisis=False))
    assert not urgent(SimpleNamespace(crisis=False, danger=False))


# ---------------------------------------------------------------- rate limits shared through Redis

def test_two_instances_share_one_limit_through_redis(knowledge, instance_dir, redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    a = limited_client(knowledge, instance_dir, "3/minute", REDIS_URL=redis_url)
    b = limited_client(knowledge, instance_dir, "3/minute", REDIS_URL=redis_url)
    assert a.get("/api/topics").status_code == 200
    assert b.get("/api/topics").status_code == 200
    assert a.get("/api/topics").status_code == 200
    r = b.get("/api/topics")   # the 4th request overall, the 2nd on this instance
    assert r.status_code == 429
    assert "요청이 너무 많아요" in r.get_json()["error"]
    assert int(r.headers["Retry-After"]) >= 1
    assert any(b"/kb/" in k for k in redis.Redis.from_url(redis_url).keys("*")), "counts live in Redis"
    # a crisis answer still goes through on the shared limit
    crisis = b.post("/api/ask", json={"q": CRISIS_Q})
    assert crisis.status_code == 200 and crisis.get_json()["crisis"] is True


def test_a_dead_redis_falls_back_to_memory_not_to_errors(knowledge, instance_dir):
    client = limited_client(knowledge, instance_dir, "2/minute", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    statuses = [client.get("/api/topics").status_code for _ in range(3)]
    assert 500 not in statuses
    assert statuses[0] == 200


# ---------------------------------------------------------------- the widget file

def test_widget_fits_15_kb_gzipped_with_its_css():
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    print(f"widget.js: {WIDGET.stat().st_size} bytes, {size} bytes gzipped (budget {MAX_WIDGET_GZIP})")
    assert size <= MAX_WIDGET_GZIP


def test_widget_never_parses_server_text_as_html():
    source = WIDGET.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


def test_widget_is_served_as_javascript(widget_client):
    r = widget_client.get("/static/widget.js")
    assert r.status_code == 200
    assert r.mimetype in ("text/javascript", "application/javascript")


HELP_CENTERS = ("moel-1350", "seoul-labor-rights-center", "suicide-prevention-109")


def test_widget_script_carries_the_help_lines_of_the_content(widget_client, knowledge):
    """The numbers the widget offers when our API is down are the centers' own, written in by the
    server; the file on disk has none of them."""
    import json
    import re

    r = widget_client.get("/static/widget.js")
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    script = r.get_data(as_text=True)
    lines = json.loads(re.search(r"var HOTLINES = (\[.*?\]);", script).group(1))
    assert [x["phone"] for x in lines] == [knowledge.content.centers[c].phone for c in HELP_CENTERS]
    assert [x["hours"] for x in lines] == [knowledge.content.centers[c].hours for c in HELP_CENTERS]
    assert "var HOTLINES = [];" in (Path(__file__).parent.parent / "web" / "static" / "widget.js").read_text()
    again = widget_client.get("/static/widget.js", headers={"If-None-Match": r.headers["ETag"].strip('"')})
    assert again.status_code == 304


def test_no_help_line_number_is_written_in_the_web_code(knowledge):
    """Python, templates and scripts take the numbers from web/helplines.py (from content/centers);
    comments may name them, code may not."""
    import re

    web = Path(__file__).parent.parent / "web"
    phones = {knowledge.content.centers[c].phone for c in HELP_CENTERS}
    comment = {".py": r"#[^\n]*|\"\"\"[\s\S]*?\"\"\"", ".html": r"\{#[\s\S]*?#\}", ".js": r"/\*[\s\S]*?\*/|//[^\n]*"}
    found = []
    for path in sorted(web.rglob("*")):
        if path.suffix not in comment or path.name == "helplines.py":
            continue
        code = re.sub(comment[path.suffix], "", path.read_text(encoding="utf-8"))
        for phone in phones:
            if re.search(rf"(?<![\d-]){re.escape(phone)}(?![\d-])", code):
                found.append(f"{path.relative_to(web)}: {phone}")
    assert found == []
