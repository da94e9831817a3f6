"""Turn what a person says about where she is into one of Seoul's 25 자치구.

The names live in content/places.yaml (data, not code). A question is matched with its spaces
squeezed out ("신도림 역 근처" = "신도림역근처"); the earliest name wins and, at one position, the
longest ("구로디지털단지" over "구로"). A district's short name ("금천", "마포") counts only when a
particle or 구/역/동 follows it, so 동작 or 강북 inside other words do not move anyone.
Distances between districts come from approximate district-office positions and serve only to
order "the nearest, then the next nearest".
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # stubs: CSafeLoader and SafeLoader are unrelated classes with one API

from .content import Problem

PLACES_FILE = "places.yaml"
# What may follow a district's short name for it to count as the district.
SHORT_FOLLOWERS = ("구", "에", "에서", "사는", "살", "쪽", "근처", "지역", "인데", "이고",
                   "거주", "역", "동네", "권", "로", "으로", "의")


@dataclass(frozen=True)
class Place:
    name: str          # as written in places.yaml (or the district / its short name)
    district: str      # the 자치구 it lies in


@dataclass
class Places:
    districts: dict[str, tuple[float, float] | None] = field(default_factory=dict)   # 자치구 -> position
    names: dict[str, Place] = field(default_factory=dict)        # squeezed name -> Place
    shorts: dict[str, str] = field(default_factory=dict)         # short name -> 자치구
    problems: list[Problem] = field(default_factory=list)
    _pattern: re.Pattern | None = None

    def __contains__(self, district: str) -> bool:
        return district in self.districts

    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            alts = sorted([*self.names, *self.districts], key=len, reverse=True)
            shorts = sorted(self.shorts, key=len, reverse=True)
            followers = "|".join(sorted(SHORT_FOLLOWERS, key=len, reverse=True))
            parts = [re.escape(n) for n in alts]
            if shorts:
                parts.append(rf"(?:{'|'.join(map(re.escape, shorts))})(?=(?:{followers}))")
            self._pattern = re.compile("|".join(parts) if parts else r"(?!x)x", re.IGNORECASE)
        return self._pattern

    def find_all(self, text: str) -> list[Place]:
        """Every place named in `text`, in the order they appear."""
        squeezed = re.sub(r"\s+", "", text or "")
        out = []
        for m in self.pattern().finditer(squeezed):
            out.append(self.resolve(m.group(0)))
        return [p for p in out if p is not None]

    def find(self, text: str) -> Place | None:
        """The first place named in `text`, or None."""
        found = self.find_all(text)
        return found[0] if found else None

    def resolve(self, name: str) -> Place | None:
        """A district, a short district name or a listed place -> Place; None when unknown."""
        key = re.sub(r"\s+", "", name or "")
        if not key:
            return None
        if key in self.districts:
            return Place(key, key)
        if key in self.shorts:
            return Place(key, self.shorts[key])
        hit = self.names.get(key) or self.names.get(key.upper())
        if hit is None and key.endswith("역"):
            hit = self.names.get(key[:-1])
        if hit is None:
            for k, p in self.names.items():
                if k.upper() == key.upper():
                    return p
        return hit

    def distance_km(self, a: str, b: str) -> float:
        """Straight-line km between two districts' offices (inf when either is unknown)."""
        pa, pb = self.districts.get(a), self.districts.get(b)
        if not pa or not pb:
            return math.inf
        lat = math.radians((pa[0] + pb[0]) / 2)
        dy = (pa[0] - pb[0]) * 111.0
        dx = (pa[1] - pb[1]) * 111.0 * math.cos(lat)
        return math.hypot(dx, dy)


def load_places(root: str | Path) -> Places:
    """Read content/places.yaml; problems (bad shape, a name under two districts) are collected."""
    path = Path(root) / PLACES_FILE
    places = Places()
    p = str(path)
    if not path.exists():
        places.problems.append(Problem(p, 1, "places.yaml is missing: no place names will be recognised", warning=True))
        return places
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        places.problems.append(Problem(p, (mark.line + 1) if mark else 1, "invalid YAML"))
        return places
    lines = text.splitlines()

    def line_of(word: str) -> int:
        return next((i for i, ln in enumerate(lines, 1) if word in ln and not ln.lstrip().startswith("#")), 1)

    districts = data.get("districts") if isinstance(data, dict) else None
    if not isinstance(districts, dict):
        places.problems.append(Problem(p, 1, "places.yaml needs a 'districts' mapping"))
        return places
    for district, entry in districts.items():
        district = str(district)
        entry = entry if isinstance(entry, dict) else {}
        if not district.endswith("구"):
            places.problems.append(Problem(p, line_of(district + ":"),
                                           f"district {district!r} must be a 자치구 name ending in 구"))
        pos = entry.get("center")
        if not (isinstance(pos, list) and len(pos) == 2 and all(isinstance(x, (int, float)) for x in pos)
                and 37.0 < pos[0] < 38.0 and 126.5 < pos[1] < 127.5):
            places.problems.append(Problem(p, line_of(district + ":"),
                                           f"{district}: center must be [latitude, longitude] inside Seoul"))
            pos = None
        places.districts[district] = tuple(pos) if pos else None
        short = entry.get("short")
        if short:
            places.shorts[str(short)] = district
        for name in entry.get("places") or ():
            key = re.sub(r"\s+", "", str(name))
            if key in places.names and places.names[key].district != district:
                places.problems.append(Problem(p, line_of(key),
                                               f"place {key!r} is listed under {places.names[key].district} and {district}"))
                continue
            if key in places.districts or key in places.shorts:
                places.problems.append(Problem(p, line_of(key), f"place {key!r} is already a district name"))
                continue
            places.names[key] = Place(key, district)
    if len(places.districts) != 25:
        places.problems.append(Problem(p, 1, f"Seoul has 25 자치구; places.yaml lists {len(places.districts)}"))
    return places
