"""Safe Markdown and the small link filters templates use (tel:, short URLs, law.go.kr links).

Markdown is rendered with python-markdown and then sanitised with nh3 (an allow-list of tags and
attributes, http/https/mailto/tel links only, rel="noopener noreferrer"), so content can never
inject script or style. Everything else goes through Jinja's autoescape.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import markdown as md
import nh3
from flask import Flask
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "h3", "h4", "h5", "h6", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"},
                      "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> Markup:
    """Markdown -> sanitised HTML (tables wrapped so they scroll instead of the page)."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer", strip_comments=True)
    clean = clean.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return Markup(clean)


def tel_href(phone: str) -> str:
    """'02-852-0102' -> 'tel:028520102'; '' when there is no dialable number."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def short_url(url: str) -> str:
    """'https://www.work24.go.kr/path' -> 'work24.go.kr/path' (for display only)."""
    s = re.sub(r"^https?://", "", url or "")
    s = re.sub(r"^www\.", "", s)
    return s.rstrip("/")


LAW_SITE = "https://www.law.go.kr/법령/"
_ARTICLE = re.compile(r"^(?P<law>[^\s].*?)\s*(?P<article>제\d+조(?:의\d+)?)(?:\s*제\d+항)?\s*$")


def law_link(basis: str) -> tuple[str, str]:
    """'근로기준법 제74조' -> (text, its page on law.go.kr); ('같은 법 …', '') when it names no law.

    law.go.kr resolves /법령/<law name without spaces>/<article>, so no id table is needed."""
    m = _ARTICLE.match(basis.strip())
    law = (m.group("law") if m else basis).strip()
    if not law or law.startswith(("같은 법", "동법", "같은법")):
        return basis, ""
    url = LAW_SITE + law.replace(" ", "")
    return basis, url + "/" + m.group("article") if m else url


def init_app(app: Flask) -> None:
    """Register the filters and the test every template may use."""
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["tel_href"] = tel_href
    app.jinja_env.filters["short_url"] = short_url
    app.jinja_env.filters["law_link"] = law_link
    app.jinja_env.tests["web_url"] = is_web_url
