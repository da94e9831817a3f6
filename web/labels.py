"""Korean labels for the content's ids (audiences, employment types, center kinds, regions,
categories) and the topic list grouped by category."""
from __future__ import annotations

from kb.models import Topic

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


def category_name(content, category: str) -> str:
    return ((content.taxonomy or {}).get("categories") or {}).get(category, category)


def categories(content) -> dict[str, str]:
    return dict((content.taxonomy or {}).get("categories") or {})


def topics_by_category(content) -> list[tuple[str, str, list[Topic]]]:
    cats = categories(content)
    groups: dict[str, list[Topic]] = {}
    for t in content.topics.values():
        groups.setdefault(t.category, []).append(t)
    order = list(cats) + sorted(c for c in groups if c not in cats)
    return [(c, cats.get(c, c), sorted(groups[c], key=lambda t: t.title)) for c in order if c in groups]


def context() -> dict:
    """What every template may read: the label tables."""
    return {"AUDIENCES": AUDIENCES, "APPLIES_TO": APPLIES_TO, "KINDS": KINDS, "REGIONS": REGIONS,
            "FIELD_NAMES": FIELD_NAMES}
