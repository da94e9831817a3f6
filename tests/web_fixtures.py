"""Fixtures for the web tests: a live server in a background thread and Debian's headless Chromium.

Import them into a test module by name (`from web_fixtures import browser, live_server, page`),
after putting tests/ on sys.path (pytest 9 does not, and tests/ is not a package).

Chromium comes from Debian (`apt-get install -y chromium`): Playwright's own browser download
cannot work here. When it is missing the browser tests FAIL with that message; they never skip,
because CI installs it.
"""
from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MISSING_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}. The browser tests need Debian's headless Chromium: "
    "run `apt-get update && apt-get install -y chromium` (Playwright's own browser download cannot "
    "work here), or point KB_CHROMIUM at a Chromium binary."
)


def chromium_missing() -> bool:
    return not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK))


@pytest.fixture(scope="session")
def live_app(knowledge, instance_dir):
    from web import create_app

    return create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
                       "KB_INSTANCE": str(instance_dir)})


@contextmanager
def serve(app, name: str = "live-server"):
    """Serve a WSGI app on 127.0.0.1 on a free port with werkzeug in a background thread; gives its
    base URL (`with serve(app) as url: ...`)."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # no request lines (queries stay out of logs)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app on 127.0.0.1 on a free port; yields its base URL."""
    with serve(live_app) as url:
        yield url


# One Playwright and one Chromium for the whole run. Each test module imports `browser`, so pytest
# sees one session fixture per module; a second sync_playwright() inside the first one's event
# loop fails ("Sync API inside the asyncio loop"). The modules share this one, closed by the last.
_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    if chromium_missing():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    if not _SHARED["users"]:
        from playwright.sync_api import sync_playwright

        _SHARED["pw"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["pw"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED.pop("browser").close()
            _SHARED.pop("pw").stop()


def new_context(browser, base_url, **options):
    """A Korean-locale browser context (1280x900 unless told) with a 15 s default timeout."""
    options.setdefault("locale", "ko-KR")
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, live_server):
    """A desktop page with clipboard permissions (for the copy buttons)."""
    context = new_context(browser, live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    p = watched(context.new_page())
    yield p
    context.close()


def watched(p):
    """The page, with `js_errors` collecting uncaught errors and console errors."""
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.js_errors = errors
    return p


@pytest.fixture
def mobile_page(browser, live_server):
    """A 375 px wide phone page (touch, device scale 2)."""
    context = new_context(browser, live_server, viewport={"width": 375, "height": 740}, device_scale_factor=2,
                       is_mobile=True, has_touch=True)
    p = watched(context.new_page())
    yield p
    context.close()


@pytest.fixture
def nojs_page(browser, live_server):
    """A page with JavaScript turned off: everything must still work as plain forms and links."""
    context = new_context(browser, live_server, java_script_enabled=False)
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory):
    """docs/screenshots/ when KB_SCREENSHOTS=1 (to refresh the README's pictures), else a temp
    folder: a test run must not change the checkout."""
    if os.environ.get("KB_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")
