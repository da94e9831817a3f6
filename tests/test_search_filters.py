"""The counselor filters through the web layer: a topic for everyone ("applies_to: [all]") is
never filtered out by a worker type, while a topic for other types is."""
from __future__ import annotations

import pytest


def topics_for(client, **params):
    r = client.get("/api/search", query_string={"limit": 50, **params})
    assert r.status_code == 200
    return [res["topic"] for res in r.get_json()["results"]]


@pytest.mark.parametrize("applies_to", ["fixed-term", "regular", "youth", "all"])
def test_topics_for_all_survive_every_applies_to_filter(client, knowledge, applies_to):
    for_all = [t.id for t in knowledge.content.topics.values() if t.applies_to == ("all",)]
    assert "minimum-wage" in for_all
    assert "minimum-wage" in topics_for(client, q="최저임금 시급", applies_to=applies_to)


def test_an_applies_to_filter_still_filters(client, knowledge):
    unfiltered = set(topics_for(client, q="육아휴직 출산휴가"))
    only_youth = set(topics_for(client, q="육아휴직 출산휴가", applies_to="youth"))
    dropped = unfiltered - only_youth
    assert "parental-leave" in dropped  # parental leave is not marked for youth
    topics = knowledge.content.topics
    assert all("youth" in topics[t].applies_to or "all" in topics[t].applies_to for t in only_youth)
