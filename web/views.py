"""What every page shares, wired into the app: the template filters (web/markup.py), the label
tables (web/labels.py, read from content/facets.yaml), the help lines (web/helplines.py) and the
words app.js shows without asking the server. The names below are re-exported so older imports
keep working; the label tables are `get_kb().content.facets` now, not constants."""
from __future__ import annotations

from flask import Flask

from kb.questions import EMPTY_QUESTION

from . import helplines, labels, markup
from .chat import EXAMPLES
from .current import get_kb
from .labels import FIELD_NAMES, categories, category_name, topics_by_category
from .markup import law_link, render_markdown, short_url, tel_href
from .topics import fallback_of, related_topics, topic_cards

__all__ = ["EXAMPLES", "FIELD_NAMES", "categories",
           "category_name", "fallback_of", "init_app", "law_link", "related_topics", "render_markdown", "short_url",
           "tel_href", "topic_cards", "topics_by_category"]


def init_app(app: Flask) -> None:
    markup.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(labels.context)
    # globals, not context: the macros templates import see them too
    app.jinja_env.globals["help_lines"] = lambda: helplines.help_lines(get_kb().content)
    app.jinja_env.globals["help_any"] = lambda: helplines.call_any(get_kb().content)
    app.jinja_env.globals["help_call_first"] = lambda: helplines.call_first(get_kb().content)
    app.jinja_env.globals["EMPTY_QUESTION"] = EMPTY_QUESTION   # app.js reads it from the form (data-empty-error)
