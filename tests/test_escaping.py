"""Content is data, never markup: a topic title or summary and a center name written with HTML
in a copied content folder are shown escaped on every page that shows them.

The copy keeps every id, so the session's real index still serves searches; only what pages
render comes from the edited copy. Each page must show the escaped text (so the field really is
on that page) and never the raw tag (so no template renders it with |safe).
"""
from __future__ import annotations

import re
import shutil

import pytest

from .conftest import CONTENT

TAG = '<img src=x onerror="alert(1)">'
ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"


def inject(path, field, value):
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(rf"^{field}: .*$", f"{field}: '{value}'", text, count=1, flags=re.M)
    assert n == 1, (path, field)
    path.write_text(new, encoding="utf-8")


@pytest.fixture(scope="module")
def marked_client(tmp_path_factory, knowledge, instance_dir):
    from kb.content import load
    from kb.service import KnowledgeBase
    from web import create_app

    root = tmp_path_factory.mktemp("marked") / "content"
    shutil.copytree(CONTENT, root)
    inject(root / "topics" / "parental-leave.md", "title", f"육아휴직 {TAG}")
    inject(root / "topics" / "parental-leave.md", "summary", f"요약 {TAG}")
    inject(root / "centers" / "moel-1350.md", "name", f"고용노동부 {TAG}")
    content = load(root)
    assert content.topics["parental-leave"].title == f"육아휴직 {TAG}"
    assert content.centers["moel-1350"].name == f"고용노동부 {TAG}"
    kb = KnowledgeBase(content, knowledge.searcher, instance_dir)
    app = create_app({"TESTING": True, "KB": kb, "KB_CONTENT": str(root), "KB_INSTANCE": str(instance_dir)})
    return app.test_client()


@pytest.mark.parametrize("method, url, data", [
    ("get", "/topics", None),                                   # titles and summaries
    ("get", "/topics/parental-leave", None),                    # title, summary, the 1350 card
    ("get", "/centers", None),                                  # every center's name
    ("get", "/search?q=육아휴직+신청", None),                    # counselor search: titles
    ("post", "/", {"q": "육아휴직 신청은 어떻게 하나요"}),          # the chat answer and its cards
    ("post", "/", {"q": "아파트 청약 가점 계산"}),                  # abstaining: suggestions and hotlines
])
def test_markup_in_content_is_escaped_on_every_page(marked_client, method, url, data):
    r = getattr(marked_client, method)(url, data=data)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert TAG not in page
    assert "onerror=\"alert" not in page
    assert ESCAPED in page
