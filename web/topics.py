"""Topic pages (/topics, /topics/<id>) and the directory of centers, hotlines and shelters (/centers)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from kb import referrals as referral_router
from kb.client_text import client_answer
from kb.models import Center, ReferralCard, Topic

from .current import get_kb
from .labels import category_name, topics_by_category

bp = Blueprint("topics", __name__)


def topic_cards(content, topic: Topic) -> list[ReferralCard]:
    ids = [r for r in topic.referrals if r in content.centers]
    return referral_router.cards(ids, content, topic, crisis=False)


def related_topics(content, topic: Topic) -> list[Topic]:
    return [content.topics[r] for r in topic.related if r in content.topics and r != topic.id]


def fallback_of(content, center: Center) -> Center | None:
    if center.fallback and center.unverified and center.fallback in content.centers:
        return content.centers[center.fallback]
    return None


@bp.get("/topics")
def index():
    kb = get_kb()
    return render_template("topics.html", groups=topics_by_category(kb.content))


@bp.get("/topics/<topic_id>")
def topic(topic_id):
    kb = get_kb()
    t = kb.content.topics.get(topic_id)
    if t is None:
        return render_template("error.html", status=404, code="unknown_topic",
                               message="찾으시는 주제가 없어요. 전체 주제 목록에서 골라 주세요.",
                               topics_link=True), 404
    return render_template(
        "topic.html", topic=t, category=category_name(kb.content, t.category),
        cards=topic_cards(kb.content, t), related=related_topics(kb.content, t),
        copy_texts={s.anchor: client_answer(t, s, kb.content) for s in t.sections},
    )


def region_order(regions: dict[str, str]):
    """Sort key: facets.yaml's order of regions first, then any other id alphabetically."""
    known = list(regions)
    return lambda region: (known.index(region) if region in known else len(known), region)


@bp.get("/centers")
def centers():
    kb = get_kb()
    facets = kb.content.facets
    by_place = region_order(facets.regions)
    region = request.args.get("region", "")
    all_regions = sorted({c.region for c in kb.content.centers.values() if c.region}, key=by_place)
    if region and region not in all_regions:
        region = ""
    chosen = [c for c in kb.content.centers.values() if not region or c.region == region]
    kinds = list(facets.kinds) + sorted({c.kind for c in chosen} - set(facets.kinds))
    groups = []
    for kind in kinds:
        in_kind = [c for c in chosen if c.kind == kind]
        if not in_kind:
            continue
        by_region = []
        for r in sorted({c.region for c in in_kind}, key=by_place):
            members = sorted((c for c in in_kind if c.region == r), key=lambda c: c.name)
            by_region.append((r, facets.regions.get(r, r or "지역 미정"), [(c, fallback_of(kb.content, c)) for c in members]))
        groups.append((kind, facets.kinds.get(kind, kind), by_region))
    return render_template("centers.html", groups=groups, regions=all_regions, region=region)
