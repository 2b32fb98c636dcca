"""Discovery: names the company presents as properties, and their hierarchy ("X is comprised
of two mining licences, A and B", "A and B host the C deposit and the D deposit,
respectively", a defined term "(the "X Project")")."""

from __future__ import annotations

import re

from ...lexicon.places import place_of
from ...prose.sentences import Sentence
from .context import PropertyContext
from .names import (
    DEFINED_TERM,
    GENERIC_HEADING,
    KIND_WORDS,
    LOCATED,
    PROPER_NAME,
    list_items,
    names_in_list,
)
from .registry import Entry, set_parent

NAME = "property discovery"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    return True  # every sentence may name a property


def read(s: Sentence, ctx: PropertyContext) -> None:
    discover(ctx, s.text, s.low, s.line)


_DEFINED_AFTER = re.compile(
    rf"(?:the|our|its)\s+(?P<name>{PROPER_NAME})\s+(?P<kw>property|project|mine|deposit|licen[cs]e)"
    r"\b(?:(?!\s(?:and|our|its)\s)[^()\"]){0,60}?\(the\s+\"(?P<alias>[^\"]{2,60})\"\)",
)


_DEFINED_JV = re.compile(
    r"an?\s+joint\s+venture\b[^()\"]{0,80}?\(the\s+\"(?P<alias>[^\"]{2,60}Joint\s+Venture)\"\)",
    re.I,
)


_PORTION = re.compile(
    r"portion\s+of\s+the\s+(?P<parent>[^()\"]{2,80}?)\s+(?:mining\s+|exploration\s+)?"
    r"(?:licen[cs]e|property|claims|tenement|concession)\b[^()\"]{0,80}?\(\"(?P<alias>[A-Z][^\"]{1,40})\"\)"
)


_OUR = re.compile(
    rf"(?:our|its|the\s+Company's)\s+(?:interest\s+in\s+the\s+)?(?:\d+(?:\.\d+)?%[- ]owned\s+)?"
    rf"(?P<name>{PROPER_NAME})\s+(?P<kw>property|project|Project|Property|Mine|mine)\b"
)


_COMPRISED = re.compile(
    r"(?:is\s+comprised\s+of|comprises|consists\s+of|is\s+made\s+up\s+of|includes?)\s+"
    r"(?:the\s+)?(?:[a-z\-]+\s+){0,3}?"
    r"(?P<kw>licen[cs]es|concessions|tenements|properties|deposits)\s*(?:,|:)\s*(?P<list>[^.;:()]{2,160})"
)


_HOSTS = re.compile(r"(?:includes?|hosts?|contains?)\s+(?=the\s+[A-Z])")


_ON_PARENT = re.compile(
    rf"the\s+(?P<child>{PROPER_NAME})\s+(?:[a-z\-]+\s+){{0,3}}deposit\b[^.;]{{0,60}}?\b(?:on|within)\s+"
    rf"the\s+(?P<parent>{PROPER_NAME})\s+(?:mining\s+|exploration\s+)?(?:licen[cs]e|property|claims"
    r"|tenement|concession)\b"
)


_RESPECTIVELY = re.compile(r"\brespectively\b")


_WHICH_END = re.compile(r",\s*which\s+(?:now\s+)?$")


_SOLD_BEFORE = re.compile(r"\b(?:sold|dispos\w+|transferr\w+|divest\w+|terminat\w+)\s+$")


_NAMED_KIND_END = re.compile(r"\b(?:Property|Project|Joint Venture|Mine)$")


def discover(ctx: PropertyContext, s: str, low: str, line: int) -> None:
    parent_ctx = ctx.context[0] if len(ctx.context) == 1 else None
    # '"' and "%" are found far faster than a word: tested first.
    defines = '"' in s and ('("' in s or '(the "' in s)
    # ``_DEFINED_AFTER`` holds "(the" and a kind word, ``_OUR`` a kind word.
    kind_word = "property" in low or "project" in low or "mine" in low
    defined_after = defines and "(the" in s and (kind_word or "deposit" in s or "licen" in s)
    if defined_after:
        for m in _DEFINED_AFTER.finditer(s):
            alias = m.group("alias").strip()
            name = m.group("name").strip()
            kind = KIND_WORDS.get(m.group("kw").lower(), "property")
            canonical = alias if ctx.reg.key(alias).startswith(ctx.reg.key(name)) else name
            entry = ctx.reg.get(canonical) or ctx.register(canonical, kind, line, parent_ctx)
            ctx.reg.alias(entry, name)
            ctx.reg.alias(entry, alias)
            ctx.place_after(entry, s[m.start() :])
    if kind_word and ("our " in low or "its " in low or "company's" in low):
        for m in _OUR.finditer(s):
            name = m.group("name").strip()
            if GENERIC_HEADING.search(name) or name in ("Company", "The"):
                continue
            if _SOLD_BEFORE.search(s, max(0, m.start() - 30), m.start()):
                continue
            kw = m.group("kw")
            full = f"{name} {kw}" if kw[0].isupper() else name
            entry = ctx.reg.get(full) or ctx.reg.get(name)
            if entry is None:
                kind = KIND_WORDS.get(kw.lower(), "property")
                entry = ctx.register(full, kind, line, parent_ctx)
            ctx.place_after(entry, s[m.end() :])
    if defines and "joint venture" in low:
        for m in _DEFINED_JV.finditer(s):
            alias = m.group("alias").strip()
            if ctx.reg.get(alias) is None:
                ctx.register(alias, "joint_venture", line, parent_ctx)
    if defines and "portion of" in low:
        for m in _PORTION.finditer(s):
            parent = ctx.reg.get(m.group("parent").strip())
            alias = m.group("alias").strip()
            if parent and ctx.reg.get(alias) is None:
                ctx.register(alias, "property", line, parent)
    if defines:
        # (the "Joint Venture Property") naming the sentence's subject.
        for m in DEFINED_TERM.finditer(s):
            alias = m.group("alias").strip()
            if ctx.reg.get(alias) or not _NAMED_KIND_END.search(alias):
                continue
            before = ctx.reg.mentions(s[: m.start()])
            if before:
                ctx.reg.alias(before[0][2], alias)
    includ = "includ" in low
    comprised = (includ or "compris" in low or "consist" in low or "made up" in low) and (
        "licences" in low
        or "licenses" in low
        or "concessions" in low
        or "tenements" in low
        or "properties" in low
        or "deposits" in low
    )
    hosts = (
        (includ and ("includes the " in low or "include the " in low))
        or ("host" in low and ("hosts the " in low or "host the " in low))
        or "contains the " in low
    )
    on_parent = "deposit" in low and (" on the " in low or " within the " in low)
    if comprised or hosts or on_parent:
        _hierarchy(ctx, s, line, parent_ctx, comprised, hosts, on_parent)


def _hierarchy(
    ctx: PropertyContext,
    s: str,
    line: int,
    parent_ctx: Entry | None,
    comprised: bool,
    hosts: bool,
    on_parent: bool,
) -> None:
    cm = _COMPRISED.search(s) if comprised else None
    if cm:
        parent = ctx.parent_before(s, cm.start(), line)
        if parent:
            kind = KIND_WORDS.get(cm.group("kw").lower(), "property")
            for name in names_in_list(cm.group("list")):
                child = ctx.reg.get(name) or ctx.register(name, kind, line, parent)
                set_parent(ctx.reg, child, parent)
            lm = LOCATED.search(s[: cm.start()])
            if lm:
                country, region = place_of(lm.group("place"))
                ctx.locate(parent, country, region or lm.group("sub"))
    for hm in _HOSTS.finditer(s) if hosts else ():
        items = list_items(s[hm.end() :])
        if not items:
            continue
        respectively = _RESPECTIVELY.search(s[hm.end() :])
        leading = ctx.reg.mentions(s[: hm.start()])
        if respectively and len(leading) == len(items) and len(items) > 1:
            parents = [e for _, _, e in leading]
        else:
            which = _WHICH_END.search(s[max(0, hm.start() - 16) : hm.start()])
            parent = ctx.parent_before(s, hm.start(), line, which=which is not None)
            if parent is None:
                continue
            parents = [parent] * len(items)
        for (name, kind), parent in zip(items, parents, strict=False):
            if kind != "deposit":
                continue
            child = ctx.reg.get(name, ("deposit",))
            if (
                child is None
                or child.prop.kind != "deposit"
                and ctx.reg.key(child.prop.name) != ctx.reg.key(name)
            ):
                child = ctx.register(name, "deposit", line, parent)
            set_parent(ctx.reg, child, parent)
    for om in _ON_PARENT.finditer(s) if on_parent else ():
        child = ctx.reg.get(om.group("child"), ("deposit",))
        parent = ctx.reg.get(om.group("parent"), ("licence", "property"))
        if child and parent:
            set_parent(ctx.reg, child, parent)
