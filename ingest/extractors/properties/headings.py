"""Headings and lead-ins set the section's property and place: "AUSTRALIA", "MONGOLIA - X HILL",
"A and B, New Mexico", "Y Joint Venture", a paragraph opening "Red Hill Project:"."""

from __future__ import annotations

import re

from ...lexicon.places import PLACE, place_of
from ...model import ProseBlock
from .context import PropertyContext
from .names import GENERIC_HEADING, LIST_SPLIT, PROPER_NAME, kind_of_name, recase
from .registry import set_parent

NAME = "property headings"


def block(b: ProseBlock, ctx: PropertyContext) -> None:
    if b.heading:
        read_heading(ctx, b.text, b.line, ctx.levels.get(b.line, 2))
        return
    lead = _LEAD_IN.match(b.text) if ":" in b.text else None
    if lead and not GENERIC_HEADING.search(lead.group("name")):
        name = f"{lead.group('name')} {lead.group('kw')}"
        entry = ctx.reg.get(name) or ctx.reg.get(lead.group("name"))
        entry = entry or ctx.register(name, kind_of_name(name), b.line)
        ctx.context = [entry]


_HEADING_KIND = re.compile(
    r"^(?P<name>.+?)\s+(?P<kw>Joint\s+Venture|JV|Farm-?\s?Out|Farm-?\s?In|Option|Project|Property"
    r"|Mine|Deposit)$",
    re.I,
)


_HEADING_PLACE = re.compile(rf"^(?P<names>.+?),\s*(?P<place>{PLACE})$", re.I)


_HEADING_DASH = re.compile(r"^(?P<left>.+?)\s+-\s+(?P<right>.+)$")


_CAPITAL = re.compile(r"^[A-Z]")
_GENERIC_ANY_CASE = re.compile(GENERIC_HEADING.pattern, re.I)


_LEAD_IN = re.compile(
    rf"^(?P<name>{PROPER_NAME})\s+(?P<kw>Project|Property|Joint\s+Venture|JV|Mine|Deposit)\s*:\s"
)


def read_heading(ctx: PropertyContext, title: str, line: int, level: int) -> None:
    title = " ".join(title.split())
    country, region = place_of(title)
    if country and region is None:  # a country section: "AUSTRALIA"
        ctx.country, ctx.region, ctx.context = country, None, []
        return
    dash = _HEADING_DASH.match(title) if "-" in title else None
    if (
        dash
        and _GENERIC_ANY_CASE.search(dash.group("left"))
        and _CAPITAL.match(dash.group("right"))
    ):
        # "Operating results - X Mine": the heading names X; what it says of X is not a name.
        title, dash = dash.group("right"), None
    if dash:
        c2, r2 = place_of(dash.group("left"))
        if c2 and r2 is None:  # "MONGOLIA - X HILL"
            ctx.country, ctx.region = c2, None
            name = recase(dash.group("right"), ctx.body)
            entry = ctx.reg.get(name, ("project", "property", "joint_venture"))
            entry = entry or ctx.reg.get(name + " Project") or ctx.reg.get(name + " Property")
            if entry is None:
                entry = ctx.register(name, "property", line)
            ctx.locate(entry, c2, None)
            ctx.context = [entry]
            return
        parent = ctx.reg.get(recase(dash.group("left"), ctx.body))
        if parent:  # "X Hill - Y West"
            child_name = recase(dash.group("right"), ctx.body)
            child = ctx.reg.get(child_name) or ctx.register(child_name, "property", line, parent)
            set_parent(ctx.reg, child, parent)
            ctx.context = [child]
            return
    placed = _HEADING_PLACE.match(title) if "," in title else None
    if placed:
        c3, r3 = place_of(placed.group("place"))
        names = [n for n in LIST_SPLIT.split(placed.group("names")) if n]
        entries = []
        for n in names:
            if not _CAPITAL.match(n) or GENERIC_HEADING.search(n):
                entries = []
                break
            kind = kind_of_name(n)
            entry = ctx.reg.get(n) or ctx.register(n, kind, line)
            entries.append(entry)
        if entries:
            for entry in entries:
                ctx.locate(entry, c3, r3)
            ctx.context = entries
            return
    kinded = _HEADING_KIND.match(title)
    if kinded and not GENERIC_HEADING.search(kinded.group("name")) and title[:1].isupper():
        kw = kinded.group("kw").lower()
        base = kinded.group("name").strip()
        if len(base.split()) <= 5:
            if kw in ("joint venture", "jv"):
                entry = ctx.reg.get(title) or ctx.reg.get(base)
                entry = entry or ctx.register(recase(title, ctx.body), "joint_venture", line)
                ctx.reg.alias(entry, base)
            elif kw in ("project",):
                entry = ctx.reg.get(title) or ctx.register(recase(title, ctx.body), "project", line)
            else:
                name = recase(base, ctx.body)
                entry = ctx.reg.get(name) or ctx.register(name, "property", line)
            ctx.context = [entry]
            return
    if level == 1:
        ctx.country, ctx.region, ctx.context = None, None, []
