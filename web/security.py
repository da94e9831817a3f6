"""Security headers on every response.

All JS and CSS live in web/static/, so the policy allows no inline script and no inline style;
nothing is loaded from another origin (no CDN, no web font): the pages work offline.
"""
from __future__ import annotations

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
