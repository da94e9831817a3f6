"""The numbers every page offers when it cannot answer (no JavaScript, the API down, an error, a
rate limit, a figure to confirm): one list here, the numbers and hours from content/centers.

Templates read `HELP` (web/views.py puts it in every template), the JavaScript reads what the
server renders into the page or into widget.js (web/embed.py), and Python messages use
`call_first` / `call_any`, so a number is never written twice in code."""
from __future__ import annotations

from dataclasses import dataclass

# (role, center id in content/centers, how a sentence names it, what it is for, how a sentence leads to it)
LINES = (
    ("labor", "moel-1350", "고용노동부", "노동 상담", ""),
    ("seoul", "seoul-labor-rights-center", "서울노동권익센터", "서울 노동 상담", ""),
    ("crisis", "suicide-prevention-109", "자살예방 상담전화", "마음이 힘들 때", "마음이 힘들면 "),
)


@dataclass(frozen=True)
class HelpLine:
    id: str
    name: str       # short, as said in a sentence: "고용노동부"
    phone: str      # from the center's file
    hours: str      # from the center's file
    note: str
    lead: str = ""

    @property
    def label(self) -> str:
        """'고용노동부 1350'."""
        return f"{self.name} {self.phone}"

    def to_json(self) -> dict:
        return {"name": self.name, "phone": self.phone, "note": self.note, "hours": self.hours}


@dataclass(frozen=True)
class HelpLines:
    labor: HelpLine
    seoul: HelpLine
    crisis: HelpLine

    def __iter__(self):
        return iter((self.labor, self.seoul, self.crisis))


def help_lines(content) -> HelpLines:
    """The three lines with the numbers of content/centers (kb check makes sure those centers exist:
    they are taxonomy centers)."""
    lines = {}
    for role, cid, name, note, lead in LINES:
        c = content.centers.get(cid)
        lines[role] = HelpLine(cid, name, c.phone if c else "", c.hours if c else "", note, lead)
    return HelpLines(**lines)


def call_first(content) -> str:
    """'급하면 고용노동부 1350에 전화하세요.'"""
    return f"급하면 {help_lines(content).labor.label}에 전화하세요."


def call_any(content) -> str:
    """'고용노동부 1350, 서울노동권익센터 1661-2020, 마음이 힘들면 자살예방 상담전화 109'."""
    return ", ".join(line.lead + line.label for line in help_lines(content))
