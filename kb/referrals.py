"""Decide which centers and hotlines to name for a question.

The topic's own referrals (editors' judgement, best first) are the base. On top of that the
situation adjusts the list: a crisis puts 109 first; a district in Seoul's south-west sends a
working parent to the south-west working-mom center; a question that could not be answered
gets the general hotlines rather than a guess.
"""
from __future__ import annotations

import re

from .content import Content
from .models import Center, ReferralCard, Topic

CRISIS_FIRST = "suicide-prevention-109"
GENERAL_HOTLINES = ("moel-1350", "seoul-labor-rights-center", "dasan-120")
WORKING_MOM_CENTERS = ("seoul-working-mom-center", "seoul-southwest-working-mom-center")
WORKING_PARENT_CATEGORIES = {"pregnancy", "birth", "parenting", "rights", "support"}
MAX_REFERRALS = 4


def districts_in(question: str, content: Content) -> dict[str, str]:
    """Districts named in the question -> the region they belong to ('구' may be left off)."""
    regions = (content.taxonomy or {}).get("regions") or {}
    found = {}
    squeezed = re.sub(r"\s+", "", question)
    for region, districts in regions.items():
        for d in districts or ():
            short = d[:-1] if d.endswith("구") and len(d) > 2 else d
            if d in squeezed or re.search(rf"{re.escape(short)}(구|에|에서|사는|살|동|쪽|근처)", squeezed):
                found[d] = region
    return found


def route(question: str, topics: list[Topic], content: Content, *, crisis: bool, confident: bool,
          related: bool = False) -> list[str]:
    """Ordered center ids, best first, at most MAX_REFERRALS (plus 109 in a crisis).

    Confident: the answered topic's referrals, then one from the runner-up. Related (not sure,
    but close): the nearest topic's first referral, then the general hotlines. Otherwise only the
    general hotlines, which can route any labor question."""
    ids: list[str] = []
    if confident and topics:
        ids += list(topics[0].referrals)
        for t in topics[1:2]:
            ids += [r for r in t.referrals if r not in ids][:1]
    else:
        if related and topics:
            ids += list(topics[0].referrals[:1])
        ids += list(GENERAL_HOTLINES)

    regions = set(districts_in(question, content).values())
    if "seoul-southwest" in regions and "seoul-southwest-working-mom-center" in content.centers:
        parentish = any(c in ids for c in WORKING_MOM_CENTERS) or (
            topics and topics[0].category in WORKING_PARENT_CATEGORIES) or re.search(r"직장맘|워킹맘|엄마|아빠|임신|출산|육아", question)
        if parentish:
            ids = [i for i in ids if i != "seoul-southwest-working-mom-center"]
            ids.insert(0, "seoul-southwest-working-mom-center")

    ids = [i for i in dict.fromkeys(ids) if i in content.centers][:MAX_REFERRALS]
    if crisis:
        ids = [CRISIS_FIRST] + [i for i in ids if i != CRISIS_FIRST][:MAX_REFERRALS - 1]
    return ids


def first_sentence(text: str, limit: int = 90) -> str:
    plain = re.sub(r"[#*`>\[\]]", "", text).strip()
    sentence = re.split(r"(?<=[.!?다요])\s", plain, maxsplit=1)[0].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def why(center: Center, topic: Topic | None, *, crisis: bool) -> str:
    if crisis and center.id == CRISIS_FIRST:
        return "지금 많이 힘드시다면 24시간 언제든 전화로 이야기할 수 있는 곳입니다."
    if topic is not None and topic.id in center.serves:
        return f"{topic.title} 상담 · " + first_sentence(center.description)
    return first_sentence(center.description)


def cards(ids: list[str], content: Content, topic: Topic | None, *, crisis: bool) -> list[ReferralCard]:
    out = []
    for cid in ids:
        c = content.centers[cid]
        fb = content.centers.get(c.fallback) if c.fallback else None
        out.append(ReferralCard(
            id=c.id, name=c.name, phone=c.phone, why=why(c, topic, crisis=crisis), kind=c.kind,
            hours=c.hours, website=c.website, unverified=c.unverified,
            fallback_phone=fb.phone if fb and c.unverified else "",
            fallback_name=fb.name if fb and c.unverified else "",
        ))
    return out
