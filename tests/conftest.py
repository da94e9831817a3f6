"""Shared fixtures: a real index built once per session from the repo's real content.

Following Flask's tutorial, `app`, `client` and `runner` come from `create_app(test_config)`;
the app gets the already-open knowledge base so tests don't reload Kiwi or the index.
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def content():
    from kb.content import load

    return load(CONTENT)


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory, content):
    from kb.service import build_index

    instance = tmp_path_factory.mktemp("instance")
    build_index(content, instance)
    return instance


@pytest.fixture(scope="session")
def knowledge(instance_dir):
    from kb.service import open_kb

    kb = open_kb(CONTENT, instance_dir, build_if_stale=False)
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def analyzer(content):
    from search.analysis import korean_analyzer

    return korean_analyzer(content.lexicon)


@pytest.fixture
def app(knowledge, instance_dir):
    from web import create_app

    return create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(CONTENT), "KB_INSTANCE": str(instance_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def safety_check(content):
    """The crisis/danger matcher compiled from content/safety.yaml with the real Kiwi."""
    from kb.safety import for_content

    return for_content(content)
