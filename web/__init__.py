"""The web app: chat, counselor search, topic pages, the centers directory and a JSON API.

Flask's application-factory pattern (as in Flask's tutorial): `create_app(test_config)` builds an
app, opens the knowledge base once (kb.service.open_kb, which builds the index first when it is
missing or stale) and keeps it in `app.extensions["kb"]`. Blueprints per area: chat.py (/),
counselor.py (/search), topics.py (/topics, /centers), api.py (/api/...), embed.py (/embed,
CORS and rate limits for the widget).

test_config keys: TESTING, KB (an open KnowledgeBase to reuse), KB_CONTENT, KB_INSTANCE,
STORE (an open kb.store.Store, or False for none), DATABASE_URL (else $DATABASE_URL or the instance's SQLite),
KB_WIDGET_ORIGINS, KB_RATE_LIMIT, REDIS_URL (see web/embed.py).
KB_RELOAD (swap to a new `kb build` between requests; default on), TRUSTED_HOSTS (Flask's; also
from $KB_TRUSTED_HOSTS, comma-separated), KB_LOG_QUESTIONS ("masked" or "none"; also
$KB_LOG_QUESTIONS) and KB_LOG_QUESTION_CHARS (200).
"""
from __future__ import annotations

import logging
import os

from flask import Flask

from kb.service import LiveKB, open_kb

from . import api, chat, counselor, embed, errors, feedback, forms, logs, plan, report, security, topics, views
from .current import get_kb, kb_status  # noqa: F401  (re-exported for callers of web.get_kb)

log = logging.getLogger(__name__)

# A question is at most 500 characters; a form or JSON body far beyond that is not a question.
MAX_BODY_BYTES = 16 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_BODY_BYTES,
        KB_CONTENT=None,
        KB_INSTANCE=None,
        KB=None,
        KB_RELOAD=True,
        KB_LOG_QUESTIONS=os.environ.get("KB_LOG_QUESTIONS", "masked"),
        KB_LOG_QUESTION_CHARS=200,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        TRUSTED_HOSTS=[h.strip() for h in os.environ.get("KB_TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
    )
    embed.load_environment(app)   # KB_CONFIG file, then KB_WIDGET_ORIGINS / KB_RATE_LIMIT / REDIS_URL
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False   # Korean stays readable in the JSON
    app.json.sort_keys = False      # keep the answer contract's field order

    kb = app.config.get("KB")
    live = None
    if kb is None:
        kb = open_kb(app.config.get("KB_CONTENT"), app.config.get("KB_INSTANCE"))
        live = LiveKB(kb, app.config.get("KB_CONTENT"), reload=app.config["KB_RELOAD"])
    app.extensions["kb"] = kb           # the knowledge base opened at start
    app.extensions["kb_live"] = live    # what requests use (follows new builds), when the app opened it

    views.init_app(app)
    security.init_app(app)
    logs.init_app(app)
    errors.init_app(app)
    embed.init_app(app)   # CORS and rate limits for /api/*, the /embed page
    feedback.init_app(app)   # the question log and feedback store (kb.store)

    app.register_blueprint(chat.bp)
    app.register_blueprint(counselor.bp)
    app.register_blueprint(topics.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(plan.bp)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(report.bp)     # /report: off unless KB_ADMIN_TOKEN is set
    app.register_blueprint(forms.bp)      # /forms: request forms and letters (content/forms)
    return app
