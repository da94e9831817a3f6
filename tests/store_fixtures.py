"""Throw-away PostgreSQL and Redis servers for the tests (Debian's `postgresql` and `redis-server`).

`make test` installs the server (`apt-get install postgresql`); this fixture runs `initdb` into a
temp folder, starts `postgres` on a free localhost port with its socket in that folder, creates a
role and a database, and stops and deletes everything at the end of the session. Running as root
(as CI does), the cluster belongs to the `postgres` system user the package creates, because the
server refuses to run as root.

KB_TEST_DATABASE_URL=postgresql+psycopg://... uses an existing server instead. When neither works
the PostgreSQL tests FAIL with the reason (they never skip: CI installs the package).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

MISSING_POSTGRES = (
    "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/initdb). The store tests run "
    "against a real PostgreSQL: `apt-get install -y postgresql` (make test does this), or set "
    "KB_TEST_DATABASE_URL=postgresql+psycopg://user@host/db."
)


def pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str], owner: str | None, **kw):
    if owner:
        cmd = ["runuser", "-u", owner, "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


@pytest.fixture(scope="session")
def postgres_url():
    """A SQLAlchemy URL of an empty PostgreSQL database that lives for the test session."""
    external = os.environ.get("KB_TEST_DATABASE_URL")
    if external:
        yield external
        return
    bindir = pg_bin()
    if bindir is None:
        pytest.fail(MISSING_POSTGRES, pytrace=False)
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
            owner = "postgres"
        except KeyError:
            pytest.fail("running as root and there is no `postgres` user to own the test cluster", pytrace=False)
    root = tempfile.mkdtemp(prefix="kb-pg-")
    if owner:
        shutil.chown(root, owner)
    data, port = os.path.join(root, "data"), free_port()
    log_file = os.path.join(root, "server.log")
    _as_owner([f"{bindir}/initdb", "-D", data, "-U", "kb", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
              owner)
    _as_owner([f"{bindir}/pg_ctl", "-D", data, "-l", log_file, "-w", "-t", "30",
               "-o", f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
                     "-c fsync=off -c full_page_writes=off", "start"], owner)
    try:
        _as_owner([f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "kb", "kb_test"], owner)
        yield f"postgresql+psycopg://kb@127.0.0.1:{port}/kb_test"
    finally:
        subprocess.run((["runuser", "-u", owner, "--"] if owner else []) +
                       [f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- Redis (shared rate limits)

MISSING_REDIS = ("redis-server is not installed. The shared rate-limit tests need Debian's redis-server: "
                 "run `make redis` (apt-get install -y redis-server).")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(exe, os.X_OK):
        pytest.fail(MISSING_REDIS, pytrace=False)
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"redis-server did not start on port {port}", pytrace=False)
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
