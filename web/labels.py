"""Korean labels for the content's ids and the topic list grouped by category.

Audiences, employment types (applies_to), center kinds and regions are data: content/facets.yaml,
read into `content.facets` (kb.models.Facets); categories come from content/taxonomy.yaml. Only the
names of a center's fields are the page's own words."""
from __future__ import annotations

from kb.models import Topic

from .current import get_kb

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
    """What every template may read: the label tables of the knowledge base in use."""
    facets = get_kb().content.facets
    return {"AUDIENCES": facets.audiences, "APPLIES_TO": facets.applies_to, "KINDS": facets.kinds,
            "REGIONS": facets.regions, "FIELD_NAMES": FIELD_NAMES}
