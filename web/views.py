"""What every page shares: Korean labels, safe Markdown, phone links, referral cards, copy text.

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

from kb import referrals as referral_router
from kb.models import Center, ReferralCard, Topic

AUDIENCES = {"worker": "근로자", "employer": "사업주", "counselor": "상담사"}
APPLIES_TO = {
    "regular": "정규직", "fixed-term": "계약직·기간제", "dispatched": "파견",
    "part-time": "단시간", "small-workplace": "5인 미만 사업장", "freelancer": "프리랜서·특고",
    "self-employed": "자영업자", "public": "공공부문", "youth": "청소년", "all": "누구나",
}
KINDS = {"hotline": "전화 상담", "center": "상담 센터", "agency": "공공기관", "shelter": "쉼터"}
KIND_ORDER = ("hotline", "center", "agency", "shelter")
REGIONS = {"national": "전국", "seoul": "서울", "seoul-southwest": "서울 서남권"}
FIELD_NAMES = {"phone": "전화번호", "hours": "운영시간", "address": "주소", "website": "누리집"}

EXAMPLES = (
    "육아휴직 급여 얼마나 나와요?",
    "출산휴가는 며칠이에요?",
    "임신했는데 회사가 그만두래요",
    "남편 출산휴가 며칠 쓸 수 있어요?",
    "육아기 근로시간 단축 신청하고 싶어요",
    "월급을 못 받았어요",
)

# ------------------------------------------------------------------ Markdown

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


# ------------------------------------------------------------------ small filters

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


# ------------------------------------------------------------------ domain helpers

def category_name(content, category: str) -> str:
    return ((content.taxonomy or {}).get("categories") or {}).get(category, category)


def categories(content) -> dict[str, str]:
    return dict((content.taxonomy or {}).get("categories") or {})


def topic_cards(content, topic: Topic) -> list[ReferralCard]:
    ids = [r for r in topic.referrals if r in content.centers]
    return referral_router.cards(ids, content, topic, crisis=False)


def related_topics(content, topic: Topic) -> list[Topic]:
    return [content.topics[r] for r in topic.related if r in content.topics and r != topic.id]


def fallback_of(content, center: Center) -> Center | None:
    if center.fallback and center.unverified and center.fallback in content.centers:
        return content.centers[center.fallback]
    return None


def topics_by_category(content) -> list[tuple[str, str, list[Topic]]]:
    cats = categories(content)
    groups: dict[str, list[Topic]] = {}
    for t in content.topics.values():
        groups.setdefault(t.category, []).append(t)
    order = list(cats) + sorted(c for c in groups if c not in cats)
    return [(c, cats.get(c, c), sorted(groups[c], key=lambda t: t.title)) for c in order if c in groups]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["tel_href"] = tel_href
    app.jinja_env.filters["short_url"] = short_url
    app.jinja_env.filters["law_link"] = law_link
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def labels():
        return {"AUDIENCES": AUDIENCES, "APPLIES_TO": APPLIES_TO, "KINDS": KINDS, "REGIONS": REGIONS,
                "FIELD_NAMES": FIELD_NAMES}
