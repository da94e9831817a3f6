"""The statutory figures of content/rules.yaml: days, rates, caps and floors by effective period.

Why a separate file and not numbers in kb/plan.py: every figure has a legal basis, a source and a
date from which it applies, and the law changes (caps rose on 2025-01-01 and 2026-01-01, the
spouse's leave moves before birth in 2026-09). Keeping them as data lets an editor update a cap
without touching code, and lets `kb check` compare the figure with what the topic text says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

RULES_FILE = "rules.yaml"


class RulesError(ValueError):
    """rules.yaml is missing, malformed, or has no period for a date."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Period:
    """One rule's values from `start` until the next period starts."""

    rule: Rule
    start: date
    values: dict
    approx: bool = False          # only the month of the effective date is known
    verify: str = ""              # what could not be confirmed for this period

    def __getitem__(self, key):
        return self.values[key]

    def get(self, key, default=None):
        return self.values.get(key, default)

    @property
    def unverified(self) -> str:
        """Text to show as 확인 필요 (the period's own note, else the rule's)."""
        return self.verify or ("" if self.rule.verify_from else self.rule.verify)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    legal_basis: tuple[str, ...]
    sources: tuple[Source, ...]
    topic: str = ""
    verify: str = ""
    verify_from: date | None = None      # the rule's figures are unknown from this date on
    stated_in: tuple[tuple[str, str, str], ...] = ()   # (topic id, key, how it is written: "만 {}세")
    periods: tuple[Period, ...] = field(default_factory=tuple)

    def at(self, day: date) -> Period:
        """The period in force on `day`."""
        found = None
        for p in self.periods:
            if p.start <= day:
                found = p
        if found is None:
            raise RulesError(f"{self.id}: no rule in force on {day.isoformat()} (earliest {self.periods[0].start})")
        return found

    def unverified_on(self, day: date) -> str:
        p = self.at(day)
        if self.verify_from and day >= self.verify_from:
            return self.verify
        return p.unverified


@dataclass(frozen=True)
class Rules:
    rules: dict
    conventions: dict
    limits: dict
    hotline: dict
    reviewed: date | None
    path: str

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RulesError(f"{self.path}: no rule {rule_id!r}") from None

    def at(self, rule_id: str, day: date) -> Period:
        return self[rule_id].at(day)


def _date(value, where: str) -> date:
    if isinstance(value, date):
        return value
    raise RulesError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")


def parse(data: dict, path: str = RULES_FILE) -> Rules:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise RulesError(f"{path}: needs a 'rules' mapping")
    rules = {}
    for rid, spec in data["rules"].items():
        where = f"{path}: rules.{rid}"
        if not isinstance(spec, dict) or not spec.get("periods"):
            raise RulesError(f"{where}: needs periods")
        for key in ("title", "legal_basis", "sources"):
            if not spec.get(key):
                raise RulesError(f"{where}: missing {key}")
        stated = tuple((s["topic"], s["key"], s.get("as", "")) for s in spec.get("stated_in") or [])
        rule = Rule(
            id=rid, title=spec["title"], legal_basis=tuple(spec["legal_basis"]),
            sources=tuple(Source(s.get("title", ""), s.get("url", "")) for s in spec["sources"]),
            topic=spec.get("topic", ""), verify=spec.get("verify", "") or "",
            verify_from=_date(spec["verify_from"], where) if spec.get("verify_from") else None,
            stated_in=stated,
        )
        periods = []
        for raw in spec["periods"]:
            raw = dict(raw)
            start = _date(raw.pop("from", None), where)
            approx = bool(raw.pop("approx", False))
            verify = raw.pop("verify", "") or ""
            periods.append(Period(rule, start, raw, approx, verify))
        if [p.start for p in periods] != sorted(p.start for p in periods):
            raise RulesError(f"{where}: periods must be in order of their 'from' date")
        object.__setattr__(rule, "periods", tuple(periods))
        rules[rid] = rule
    reviewed = data.get("reviewed")
    return Rules(rules=rules, conventions=data.get("conventions") or {}, limits=data.get("input_limits") or {},
                 hotline=data.get("hotline") or {}, reviewed=reviewed if isinstance(reviewed, date) else None,
                 path=path)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Rules:
    with open(path, encoding="utf-8") as f:
        try:
            data = yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise RulesError(f"{path}: {e}") from None
    return parse(data, path)


def load_rules(content_root: str | Path | None = None) -> Rules:
    """content/rules.yaml, parsed once per file version."""
    if content_root is None:
        from . import config

        content_root = config.content_dir()
    path = Path(content_root) / RULES_FILE
    if not path.exists():
        raise RulesError(f"{path}: not found")
    return _load_cached(str(path), path.stat().st_mtime)
