"""Security headers on every response, and redirects that never name another host.

(The WSGI server's own error pages get the same headers: see web/serve.py.)

All JS and CSS live in web/static/, so the policy allows no inline script and no inline style;
nothing is loaded from another origin (no CDN, no web font): the pages work offline.
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def relative_location(response):
    """Routing redirects (/topics/ -> /topics) come with an absolute Location built from the
    request's Host header; a forged Host would send the person elsewhere. Keep path and query
    only (TRUSTED_HOSTS, when configured, already refuses unknown hosts with a 400)."""
    location = response.headers.get("Location")
    if location and 300 <= response.status_code < 400:
        parts = urlsplit(location)
        if parts.scheme or parts.netloc:
            response.headers["Location"] = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return response


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if "frame-ancestors 'none'" not in response.headers["Content-Security-Policy"]:
        # a page that sets its own frame-ancestors (/embed, web/embed.py) must not be undone by DENY
        del response.headers["X-Frame-Options"]
    # answers can be personal: keep them out of shared caches
    if response.mimetype in ("text/html", "application/json"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.after_request(relative_location)
