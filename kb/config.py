"""Where content and the built index live (overridable by environment for tests and deploys)."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    return Path(os.environ.get("KB_CONTENT", PROJECT_ROOT / "content"))


def instance_dir() -> Path:
    return Path(os.environ.get("KB_INSTANCE", PROJECT_ROOT / "instance"))
