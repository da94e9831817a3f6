"""The knowledge base a request uses (its own module, so blueprints need not import the package
that imports them)."""
from __future__ import annotations

from flask import current_app


def get_kb():
    """The knowledge base for this request: the newest build the app has swapped to."""
    live = current_app.extensions.get("kb_live")
    return live.get() if live is not None else current_app.extensions["kb"]


def kb_status() -> dict:
    """{"status": "ok" | "degraded", "reasons": [...], ...} for /api/health."""
    live = current_app.extensions.get("kb_live")
    if live is not None:
        return live.status()
    from kb.service import status

    return status(current_app.extensions["kb"], current_app.config.get("KB_CONTENT"))
