"""Issue 15, part 1: the index and the content it serves always agree, under faults.

Every test works on a copy of the real content and real index builds in a temporary instance."""
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kb.content import load
from kb.service import IndexUnavailable, LiveKB, SearchUnavailable, build_index, open_kb, status
from search.index import current_dir, index_dirs, verify_dir

from .conftest import CONTENT

KB = Path(sys.executable).with_name("kb")
LEAVE_Q = "출산휴가 며칠 쓸 수 있어요?"


@pytest.fixture
def content_copy(tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    return dst


@pytest.fixture
def built(tmp_path, content_copy):
    inst = tmp_path / "inst"
    build_index(load(content_copy), inst)
    return content_copy, inst


def break_topic(content_root: Path, topic: str = "maternity-leave") -> None:
    (content_root / "topics" / f"{topic}.md").write_text("---\nid: x\ntitle: [broken\n---\n", encoding="utf-8")


def corrupt_segment(index_dir: Path) -> Path:
    seg = next(index_dir.glob("*.seg"))
    data = bytearray(seg.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 64] = bytes(64)           # same size, other bytes: a disk or copy error
    seg.write_bytes(bytes(data))
    return seg


def test_restart_after_content_error_serves_the_old_pair_and_says_degraded(built):
    content_root, inst = built
    break_topic(content_root)
    kb = open_kb(content_root, inst)            # the restart
    assert "maternity-leave" in kb.content.topics          # the topic did not silently disappear
    a = kb.ask(LEAVE_Q)
    assert a.confident and a.topics[0] == "maternity-leave"
    st = status(kb)
    assert st["status"] == "degraded"
    assert any("error(s)" in r and "last good build" in r for r in st["reasons"]), st
    kb.close()


def test_health_is_ok_when_disk_and_index_agree_and_degraded_when_content_changed(built):
    content_root, inst = built
    kb = open_kb(content_root, inst, build_if_stale=False)
    assert status(kb) ["status"] == "ok" and status(kb)["reasons"] == []
    topic = content_root / "topics" / "parental-leave.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n추가 문장입니다.\n", encoding="utf-8")
    st = status(kb)
    assert st["status"] == "degraded" and "kb build" in st["reasons"][0]
    kb.close()


def test_any_content_file_counts_not_only_the_indexed_ones(built):
    """safety.yaml, places and forms are served from the snapshot too: changing one is a rebuild."""
    content_root, inst = built
    kb = open_kb(content_root, inst, build_if_stale=False)
    (content_root / "extra-data.yaml").write_text("answer: 42\n", encoding="utf-8")
    assert status(kb)["status"] == "degraded"
    kb2 = open_kb(content_root, inst)
    assert kb2.index_dir != kb.index_dir and (kb2.index_dir / "content" / "extra-data.yaml").exists()
    assert status(kb2)["status"] == "ok"
    kb.close()
    kb2.close()


def test_build_verifies_checksums_and_a_corrupted_segment_is_rebuilt_at_open(built):
    content_root, inst = built
    first = current_dir(inst)
    assert verify_dir(first) == []
    seg = corrupt_segment(first)
    assert any(seg.name in p for p in verify_dir(first))
    kb = open_kb(content_root, inst)            # restart: rebuilds instead of crashing
    assert kb.index_dir != first and verify_dir(kb.index_dir) == []
    assert kb.ask(LEAVE_Q).topics[0] == "maternity-leave"
    assert status(kb)["status"] == "ok"
    kb.close()


def test_corrupted_index_and_broken_content_fall_back_to_the_previous_build(built):
    content_root, inst = built
    build_index(load(content_root), inst)       # a second build; the first stays as the spare
    previous, current = index_dirs(inst)[1], current_dir(inst)
    corrupt_segment(current)
    break_topic(content_root, "parental-leave")
    kb = open_kb(content_root, inst)
    assert kb.index_dir == previous
    st = status(kb)
    assert st["status"] == "degraded" and any("earlier build" in r for r in st["reasons"])
    assert kb.ask(LEAVE_Q).topics[0] == "maternity-leave"
    kb.close()


def test_nothing_consistent_to_serve_is_a_clear_error_not_a_crash(built):
    content_root, inst = built
    corrupt_segment(current_dir(inst))
    break_topic(content_root)
    with pytest.raises(IndexUnavailable) as e:
        open_kb(content_root, inst)
    assert "checksum" in str(e.value)
    r = subprocess.run([str(KB), "--content", str(content_root), "--instance", str(inst), "ask", "육아휴직"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "kb build" in r.stderr


def test_running_server_detects_corruption_answers_503_and_rebuilds(built):
    from web import create_app

    content_root, inst = built
    app = create_app({"TESTING": True, "KB_CONTENT": str(content_root), "KB_INSTANCE": str(inst)})
    live: LiveKB = app.extensions["kb_live"]
    client = app.test_client()
    served = live.kb.index_dir
    corrupt_segment(served)
    live.refresh_now()                         # the periodic checksum check, done now
    assert live.kb.index_dir != served and verify_dir(live.kb.index_dir) == []
    r = client.post("/api/ask", json={"q": LEAVE_Q})
    assert r.status_code == 200 and r.get_json()["topics"][0] == "maternity-leave"
    assert client.get("/api/health").get_json()["status"] == "ok"


def test_search_failure_inside_the_index_is_a_503_not_a_500(built, monkeypatch):
    from web import create_app

    content_root, inst = built
    app = create_app({"TESTING": True, "KB_CONTENT": str(content_root), "KB_INSTANCE": str(inst)})
    kb = app.extensions["kb_live"].kb
    starts = []
    monkeypatch.setattr(LiveKB, "_start", lambda self, fn, *a: starts.append(fn.__name__))

    def damaged(*a, **k):
        raise EOFError("unexpected end of postings")   # what whoosh raises on a truncated file
    monkeypatch.setattr(kb.searcher, "_posting", damaged)
    r = app.test_client().post("/api/ask", json={"q": LEAVE_Q})
    assert r.status_code == 503 and r.get_json()["code"] == "search_unavailable"
    assert r.headers["Retry-After"] and r.headers["Content-Security-Policy"]
    assert "_recover" in starts
    health = app.test_client().get("/api/health").get_json()
    assert health["status"] == "degraded" and "EOFError" in " ".join(health["reasons"])
    with pytest.raises(SearchUnavailable):
        kb.ask(LEAVE_Q)


def test_two_builds_at_once_both_succeed_without_traceback(built):
    content_root, inst = built
    cmd = [str(KB), "--content", str(content_root), "--instance", str(inst), "build"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert any("waiting" in err for _, err in outs)
    assert not list(inst.glob("*.tmp"))
    assert verify_dir(current_dir(inst)) == []
    assert len(index_dirs(inst)) <= 2


def test_a_build_never_deletes_another_builds_temp_folder(built):
    """Only a build holding the lock touches *.tmp folders, so a running build's folder survives
    a second `kb build`, which waits and says so."""
    from search.index import build_lock

    content_root, inst = built
    live_tmp = inst / "index-20990101000000-1-1.tmp"
    with build_lock(inst):                   # a build is running and writing into live_tmp
        live_tmp.mkdir()
        proc = subprocess.Popen([str(KB), "--content", str(content_root), "--instance", str(inst), "build"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first_line = proc.stderr.readline()
        assert "waiting" in first_line
        assert live_tmp.exists()
        live_tmp.rmdir()                     # that build finishes
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "Traceback" not in err


def test_hot_swap_under_load_fails_no_request(built):
    from web import create_app

    content_root, inst = built
    # four threads from one address: lift the per-client rate limit (web/embed.py) above the load
    app = create_app({"TESTING": True, "KB_CONTENT": str(content_root), "KB_INSTANCE": str(inst),
                      "KB_RATE_LIMIT": "1000000/minute"})
    live: LiveKB = app.extensions["kb_live"]
    live.check_interval = 0.0
    first = live.kb.index_dir
    stop = threading.Event()
    statuses, topics = [], []

    def hammer():
        c = app.test_client()
        while not stop.is_set():
            r = c.post("/api/ask", json={"q": LEAVE_Q})
            statuses.append(r.status_code)
            topics.append((r.get_json() or {}).get("topics", [None])[0])

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        topic = content_root / "topics" / "parental-leave.md"
        topic.write_text(topic.read_text(encoding="utf-8") + "\n새 빌드에만 있는 문장입니다.\n", encoding="utf-8")
        new = build_index(load(content_root), inst)          # what `kb build` does
        deadline = time.monotonic() + 30
        while live.kb.index_dir != new and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert live.kb.index_dir == new != first
    assert statuses and set(statuses) == {200}, set(statuses)
    assert set(topics) == {"maternity-leave"}
    assert app.test_client().get("/api/health").get_json()["index"] == new.name


def test_read_only_instance_with_changed_content_serves_the_old_pair(built, tmp_path):
    content_root, inst = built
    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(inst), str(ro)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.decode()[:100]}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        topic = content_root / "topics" / "parental-leave.md"
        topic.write_text(topic.read_text(encoding="utf-8") + "\n추가 문장입니다.\n", encoding="utf-8")
        kb = open_kb(content_root, ro)                     # must not crash
        st = status(kb)
        assert st["status"] == "degraded"
        assert any("not writable" in r for r in st["reasons"]), st
        assert any("kb build" in r for r in st["reasons"]), st
        assert kb.ask(LEAVE_Q).topics[0] == "maternity-leave"
        r = subprocess.run([str(KB), "--content", str(content_root), "--instance", str(ro), "build"],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1 and "not writable" in r.stderr and "Traceback" not in r.stderr
        kb.close()
    finally:
        subprocess.run(["umount", "-l", str(ro)], check=False)   # lazy: mmapped segments may still be open
