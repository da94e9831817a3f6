"""Issue 15, parts 3 and 6: the real `kb serve` (gunicorn, 2 pre-forked workers) against hostile
clients, and the app's Host handling through Flask's test client."""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from web.security import HEADERS

from .conftest import CONTENT

KB = Path(sys.executable).with_name("kb")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(x) for x in (task / "children").read_text().split()]
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory, instance_dir):
    root = tmp_path_factory.mktemp("served")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    inst = root / "instance"
    shutil.copytree(instance_dir, inst, symlinks=True)
    port = free_port()
    log = open(root / "serve.log", "w")  # noqa: SIM115 - the server process writes it until the test stops it
    proc = subprocess.Popen([str(KB), "--content", str(content), "--instance", str(inst), "serve",
                             "--port", str(port), "--workers", "2"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail((root / "serve.log").read_text()[-3000:])
    yield {"port": port, "pid": proc.pid, "content": content, "instance": inst, "log": root / "serve.log"}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                got = s.recv(65536)
                if not got:
                    break
                chunks.append(got)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except TimeoutError:
            pass
    return b"".join(chunks)


def _complete(resp: bytes) -> bool:
    head, _, body = resp.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def headers_of(resp: bytes) -> dict:
    head = resp.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}


def test_two_workers_are_forked_and_both_answer(server):
    deadline = time.monotonic() + 30
    while len(children(server["pid"])) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)       # the first worker may answer before the second is forked
    assert len(children(server["pid"])) == 2
    c = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=10)
    c.request("POST", "/api/ask", json.dumps({"q": "출산휴가 며칠이에요"}), {"Content-Type": "application/json"})
    r = c.getresponse()
    assert r.status == 200 and json.loads(r.read())["topics"][0] == "maternity-leave"


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /" + b"a" * 6000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", b"431"),
    (b"BROKEN\r\n\r\n", b"400"),
])
def test_the_servers_own_errors_carry_security_headers(server, request_bytes, status):
    resp = raw(server["port"], request_bytes)
    assert resp.split(b" ")[1] == status, resp[:200]
    h = headers_of(resp)
    for name, value in HEADERS.items():
        assert h.get(name.lower()) == value, name


def test_a_huge_body_is_refused_from_its_length_before_it_is_sent(server):
    start = time.monotonic()
    resp = raw(server["port"], b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                               b"Content-Length: 1000000000\r\n\r\n{\"q\": \"")
    assert time.monotonic() - start < 5
    assert resp.split(b" ")[1] == b"413", resp[:300]
    assert headers_of(resp)["content-security-policy"] == HEADERS["Content-Security-Policy"]
    body = json.loads(resp.partition(b"\r\n\r\n")[2])
    assert body["code"] == "payload_too_large"


def test_forged_host_is_not_reflected_in_redirects(server):
    resp = raw(server["port"], b"GET //api//health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert resp.split(b" ")[1] in (b"301", b"308"), resp[:300]
    location = headers_of(resp)["location"]
    assert "evil" not in location and location.startswith("/")


def test_running_server_swaps_to_a_new_build_in_every_worker(server):
    def health_index():
        c = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=10)
        c.request("GET", "/api/health", headers={"Connection": "close"})
        return json.loads(c.getresponse().read())["index"]

    before = health_index()
    topic = server["content"] / "topics" / "parental-leave.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n새 빌드 문장.\n", encoding="utf-8")
    r = subprocess.run([str(KB), "--content", str(server["content"]), "--instance", str(server["instance"]),
                        "build"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    new = os.readlink(server["instance"] / "index")
    assert new != before
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        seen = [health_index() for _ in range(8)]      # fresh connections land on either worker
        if set(seen) == {new}:
            break
        time.sleep(0.3)
    assert set(seen) == {new}


# ---------------------------------------------------------------- through the test client

def test_redirect_location_is_relative_whatever_the_host(client):
    r = client.get("/", environ_overrides={"PATH_INFO": "/api//health"}, headers={"Host": "evil.example"})
    assert r.status_code in (301, 308)
    assert r.headers["Location"] == "/api/health"


def test_trusted_hosts_refuse_other_hosts_with_headers(knowledge):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "TRUSTED_HOSTS": ["kb.example.org"]})
    c = app.test_client()
    for path in ("/", "/api/health", "/topics"):
        r = c.get(path, headers={"Host": "evil.example"})
        assert r.status_code == 400, path
        assert r.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]
    assert c.get("/api/health", headers={"Host": "kb.example.org"}).status_code == 200


def test_trusted_hosts_from_the_environment(knowledge, monkeypatch):
    from web import create_app

    monkeypatch.setenv("KB_TRUSTED_HOSTS", "kb.example.org, localhost")
    app = create_app({"TESTING": True, "KB": knowledge})
    assert app.config["TRUSTED_HOSTS"] == ["kb.example.org", "localhost"]
    assert app.test_client().get("/api/health", headers={"Host": "evil.example"}).status_code == 400


def test_kb_help_names_the_defaults_it_uses():
    from click.testing import CliRunner

    from kb import config
    from kb.cli import cli

    out = " ".join(CliRunner().invoke(cli, ["--help"], obj={}).output.split())
    assert "$KB_CONTENT" in out and "$KB_INSTANCE" in out
    assert str(config.PROJECT_ROOT / "content") in out.replace(" ", "")     # click may wrap the line
    assert "./content" not in out and "./instance" not in out
