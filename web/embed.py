"""Our search on other sites: the /embed page for iframes, CORS for the public API, rate limits.

A center's web manager pastes web/static/widget.js (a script that calls /api/* from her page's
origin) or frames /embed (for CMSs that allow no third-party script). Both are opened to the
origins an admin lists, and nobody else:

- KB_WIDGET_ORIGINS  comma-separated origins ("https://www.example.or.kr, https://example.go.kr").
  A listed origin gets Access-Control-Allow-Origin on /api/* (preflight included) and may frame
  /embed (`frame-ancestors` on that route alone). An unknown origin gets no CORS header, so the
  browser refuses the response, and no frame. Every response under /api/ says `Vary: Origin`.
- KB_RATE_LIMIT      a `limits` string per client address over all of /api/* (default
  DEFAULT_RATE_LIMIT). Flask-Limiter counts in memory; with REDIS_URL (or RATELIMIT_STORAGE_URI)
  several instances share counts in Redis. A dead Redis falls back to memory, never to a 500.
- KB_TRUSTED_PROXIES  how many reverse proxies stand in front (0 by default). Behind one, every
  visitor would look like the proxy and share one limit; with 1 the client address is taken from
  the proxy's X-Forwarded-For (werkzeug's ProxyFix). Never set it without a proxy: anyone could
  then pick their own address.
- Over the limit a client gets 429 with a Korean message and Retry-After, EXCEPT for an urgent
  answer: POST /api/ask is still answered (it is cheap) and a crisis or danger answer is returned
  with 200, and a search whose text carries the urgent route gets its 109 / 112 cards, so a rate
  limit never hides 109 or 112.

Settings are read, weakest first, from the file named by KB_CONFIG (a Python file of UPPERCASE
names, Flask's from_envvar), then the environment, then the app factory's test_config.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify, make_response, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from .current import get_kb
from .helplines import call_any, help_lines
from .limits_storage import SweptMemoryStorage
from .security import CSP

log = logging.getLogger(__name__)

bp = Blueprint("embed", __name__)

# Visitors of a busy center's site are separate addresses; an office (or a public PC room) behind
# one NAT is not: 10 people asking at once, ~10 requests each a minute while they type, stay far
# under 300. A script hammering the API meets it in seconds.
DEFAULT_RATE_LIMIT = "300/minute"
SETTINGS = ("KB_WIDGET_ORIGINS", "KB_RATE_LIMIT", "REDIS_URL", "KB_TRUSTED_PROXIES")
EXEMPT_PATHS = {"/api/health"}   # load balancers poll it
ORIGIN_RE = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")
RATE_LIMITED = "요청이 너무 많아요. {seconds}초 뒤에 다시 해 주세요. 급한 일이면 바로 전화하세요: {lines}."


@dataclass(frozen=True)
class WidgetSettings:
    origins: tuple[str, ...]
    rate_limit: str
    storage_uri: str


def parse_origins(value) -> tuple[str, ...]:
    """'https://a.kr, https://b.kr/' -> ('https://a.kr', 'https://b.kr'); bad entries are logged and dropped.

    A browser's Origin header is scheme://host[:port] in lower case, with no path: that is what we compare."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    origins = []
    for item in items:
        origin = str(item).strip().rstrip("/").lower()
        if not origin:
            continue
        if not ORIGIN_RE.match(origin):
            log.warning("KB_WIDGET_ORIGINS: %r is not an origin like https://www.example.or.kr; ignored", item)
            continue
        origins.append(origin)
    return tuple(dict.fromkeys(origins))


def load_environment(app: Flask) -> None:
    """KB_CONFIG's file, then the environment, into app.config (create_app applies test_config after)."""
    app.config.from_envvar("KB_CONFIG", silent=True)
    for name in SETTINGS:
        if os.environ.get(name):
            app.config[name] = os.environ[name]


def parse_rate_limit(value) -> str:
    """A `limits` string ("60/minute", "300 per minute;5000/day"); a wrong one is logged and the default used."""
    from limits import parse_many

    text = str(value or "").strip() or DEFAULT_RATE_LIMIT
    try:
        parse_many(text)
    except ValueError:
        log.warning("KB_RATE_LIMIT %r is not a rate like 300/minute; using %s", text, DEFAULT_RATE_LIMIT)
        return DEFAULT_RATE_LIMIT
    return text


MEMORY_STORAGE = SweptMemoryStorage.STORAGE_SCHEME[0] + "://"


def read_settings(config) -> WidgetSettings:
    storage = config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or MEMORY_STORAGE
    return WidgetSettings(origins=parse_origins(config.get("KB_WIDGET_ORIGINS")),
                          rate_limit=parse_rate_limit(config.get("KB_RATE_LIMIT")),
                          storage_uri=storage)


def settings() -> WidgetSettings:
    return current_app.extensions["kb_widget"]


def allowed_origin() -> str | None:
    """The request's Origin when it is on the list, else None."""
    origin = (request.headers.get("Origin") or "").strip().lower()
    return origin if origin and origin in settings().origins else None


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


# ------------------------------------------------------------------ CORS

def add_cors_headers(response):
    """Open /api/* to the listed origins; also drops a Retry-After that the limiter puts on an urgent 200."""
    if not is_api(request.path):
        return response
    response.vary.add("Origin")
    if response.status_code == 200:
        response.headers.pop("Retry-After", None)
    origin = allowed_origin()
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
    return response


# ------------------------------------------------------------------ rate limits

def not_limited() -> bool:
    """Flask-Limiter request filter: only /api/* is limited; preflights and the health check are free."""
    return request.method == "OPTIONS" or not is_api(request.path) or request.path in EXEMPT_PATHS


def urgent(answer) -> bool:
    return bool(getattr(answer, "crisis", False) or getattr(answer, "danger", False))


def urgent_answer_response():
    """Over the limit, an urgent question is still answered: POST /api/ask whose answer has crisis or
    danger, and GET /api/search whose text carries the urgent route (109 / 112 cards).

    The check costs about a millisecond; an urgent request then goes through its normal view, so it
    is logged (as its route only) and shaped exactly like any other answer."""
    kb = current_app.extensions["kb"]
    try:
        if request.method == "POST" and request.path == "/api/ask" and request.is_json:
            data = request.get_json(silent=True)
            q = data.get("q") if isinstance(data, dict) else None
            if not isinstance(q, str) or not urgent(kb.ask(q)):
                return None
        elif request.method == "GET" and request.path == "/api/search":
            from kb.answer import urgent_help

            if urgent_help(request.args.get("q", ""), kb.content) is None:
                return None
        else:
            return None
    except Exception:   # a question refused without an urgent route is simply rate limited
        return None
    return make_response(current_app.view_functions[request.endpoint]())


def handle_rate_limited(e: RateLimitExceeded):
    response = urgent_answer_response()
    if response is not None:
        return response
    seconds = retry_after_seconds()
    lines = call_any(current_app.extensions["kb"].content)
    response = jsonify({"error": RATE_LIMITED.format(seconds=seconds, lines=lines), "code": "rate_limited",
                        "retry_after": seconds})
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def retry_after_seconds() -> int:
    """Seconds until this client may ask again (the breached window's reset, as the header says)."""
    try:
        current = current_app.extensions["kb_limiter"].current_limit
        return max(1, int(current.reset_at - time.time()))
    except Exception:   # never let the message fail: a minute is the default window
        return 60


def init_limiter(app: Flask, s: WidgetSettings) -> Limiter:
    limiter = Limiter(
        key_func=get_remote_address,
        app=None,
        application_limits=[s.rate_limit],
        storage_uri=s.storage_uri,
        strategy="moving-window",
        headers_enabled=True,
        retry_after="delta-seconds",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        key_prefix="kb",
    )
    limiter.request_filter(not_limited)
    limiter.init_app(app)
    app.extensions["kb_limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)
    return limiter


# ------------------------------------------------------------------ /embed

def embed_csp(origins: tuple[str, ...]) -> str:
    ancestors = " ".join(("'self'",) + origins)
    return CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")


def _param(name: str, limit: int = 40) -> str:
    return (request.args.get(name) or "").strip()[:limit]


@bp.get("/embed")
def embed():
    """The widget as a whole page, to be framed by a listed origin (and by nobody else)."""
    response = make_response(render_template(
        "embed.html", region=_param("region"), audience=_param("audience"),
        placeholder=_param("placeholder", 60), max_results=_param("max", 2)))
    response.headers["Content-Security-Policy"] = embed_csp(settings().origins)
    return response


WIDGET_LINES = "var HOTLINES = [];"


@bp.get("/static/widget.js")
def widget_script():
    """widget.js with the help lines written in (what it shows when our API is down or slow): the
    numbers come from content/centers through web/helplines.py, not from a copy in the script.
    This rule outranks Flask's /static/<path> (a rule without variables matches first)."""
    lines = json.dumps([line.to_json() for line in help_lines(get_kb().content)], ensure_ascii=False)
    script = (Path(current_app.static_folder or "") / "widget.js").read_text(encoding="utf-8")
    response = make_response(script.replace(WIDGET_LINES, f"var HOTLINES = {lines};", 1))
    response.mimetype = "text/javascript"
    response.cache_control.public = True
    response.cache_control.max_age = current_app.get_send_file_max_age("widget.js")
    response.add_etag()
    return response.make_conditional(request)


def trust_proxies(app: Flask) -> None:
    try:
        hops = int(app.config.get("KB_TRUSTED_PROXIES") or 0)
    except ValueError:
        log.warning("KB_TRUSTED_PROXIES must be a number of proxies; ignored")
        hops = 0
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_app(app: Flask) -> None:
    trust_proxies(app)
    s = read_settings(app.config)
    app.extensions["kb_widget"] = s
    # registered before the limiter so that it runs after the limiter's header injection
    app.after_request(add_cors_headers)
    init_limiter(app, s)
    app.register_blueprint(bp)
