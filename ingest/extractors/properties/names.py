"""Shared patterns and helpers of the property rules: names, lists of names, holders."""

from __future__ import annotations

import re

from ...lexicon.places import PLACE, title_case
from ...model import Property, Royalty

CAPITALISED = r"[A-Z][\w'’\-]*"


PROPER_NAME = rf"{CAPITALISED}(?:[ ]{CAPITALISED}){{0,4}}"


KIND_WORDS = {
    "property": "property",
    "properties": "property",
    "project": "project",
    "projects": "project",
    "mine": "property",
    "licence": "licence",
    "license": "licence",
    "licences": "licence",
    "licenses": "licence",
    "concession": "licence",
    "concessions": "licence",
    "tenement": "licence",
    "tenements": "licence",
    "deposit": "deposit",
    "deposits": "deposit",
    "joint venture": "joint_venture",
    "zone": "zone",
    "zones": "zone",
}


GENERIC_HEADING = re.compile(
    r"\b(?:Agreement|Assessment|Estimates?|Study|Results?|Risks?|Activities|Statements?|Policies"
    r"|Investment|Investments|Information|Financing|Operations|Controls?|Standards|Outlook"
    r"|Summary|Highlights|Expenditures?|Overview|Reserves?|Resources?|Development|Commitments"
    r"|Data|Transactions|Government|Taxes|Capital|Liquidity)\b"
)


DEFINED_TERM = re.compile(r"\((?:the\s+)?\"(?P<alias>[A-Z][^\"]{1,60})\"\)")


LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


LOCATED = re.compile(
    r"\b(?:located\s+)?in\s+(?:the\s+)?(?:(?P<sub>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}?)(?:\s+"
    r"(?:region|Region|District|district|Province|province|County|county|State|state))?\s+of\s+"
    r"|(?P<sub2>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2})\s+(?:County|Province|Region|District),\s+)?"
    r"(?:(?:the\s+)?(?:south|north|east|west|central|southern|northern|eastern|western"
    r"|southeastern|southwestern|northeastern|northwestern|south-eastern|south-western"
    rf"|north-eastern|north-western)\s+)?(?P<place>{PLACE})\b",
)


JV_TARGET = re.compile(r"^an?\s+joint\s+venture\s+with\s+(?P<partner>[^,;.]{1,60})", re.I)


GENERIC_OPENER = re.compile(
    r"^\W{0,3}(?:The|This|Such|These)\s+(?:property|project|claims|tenements?|licen[cs]es?"
    r"|concessions?|joint\s+venture)\b"
)


LOWER_THE = re.compile(r"^the\s+")


SOLD = re.compile(r"\bsold\b")


SPACES = re.compile(r"\s+")


def kind_of_name(name: str) -> str:
    low = name.lower()
    for word, kind in (
        ("joint venture", "joint_venture"),
        (" project", "project"),
        (" deposit", "deposit"),
        (" licence", "licence"),
        (" license", "licence"),
    ):
        if word in low:
            return kind
    return "property"


KIND_WORD_END = re.compile(
    r"\s+(?:(?:mining|exploration|exploitation)\s+)?(?:licen[cs]es?|concessions?|tenements?"
    r"|deposits?|property|properties|claims)$"
)


WHOLE_NAME = re.compile(rf"^{PROPER_NAME}$")


def names_in_list(text: str) -> list[str]:
    """ "A and B", "the A licence and the B licence" -> names."""
    out = []
    for part in LIST_SPLIT.split(text):
        part = LOWER_THE.sub("", part.strip())
        part = KIND_WORD_END.sub("", part)
        m = WHOLE_NAME.match(part)
        if m and not GENERIC_HEADING.search(part):
            out.append(part)
    return out


LIST_ITEM = re.compile(
    rf"^(?:the\s+)?(?P<name>{PROPER_NAME})(?:\s+(?:[a-z]+(?:-[a-z]+)*))*?"
    r"(?:\s+(?P<kw>deposits?|targets?|zones?|prospects?|licen[cs]es?|properties|property|projects?))?$"
)


LIST_END = re.compile(r"[.;:()]|\s+(?:which|that|respectively|located|with|on|in|at|for)\b")


RESPECTIVELY_END = re.compile(r",?\s*respectively\s*$")


def list_items(text: str) -> list[tuple[str, str]]:
    """("A", "deposit") items from "the A and the B deposits", "the A copper deposit, ..." """
    text = LIST_END.split(text)[0]
    text = RESPECTIVELY_END.sub("", text)
    parts = [p for p in LIST_SPLIT.split(text) if p.strip()]
    items: list[tuple[str, str | None]] = []
    for part in parts:
        m = LIST_ITEM.match(part.strip())
        if not m:
            return [(n, k or "") for n, k in items if k] if items else []
        kw = (m.group("kw") or "").lower()
        kind = None
        if kw.startswith("deposit"):
            kind = "deposit"
        elif kw:
            kind = "other"
        items.append((m.group("name"), kind))
    # A plural kind word at the end applies to the items before it that have none.
    resolved: list[tuple[str, str]] = []
    pending: list[str] = []
    for name, kind in items:
        if kind is None:
            pending.append(name)
            continue
        resolved.extend((p, kind) for p in pending)
        pending = []
        resolved.append((name, kind))
    return resolved


ANY_CASE_THE = re.compile(r"^the\s+", re.I)


NEXT_SENTENCE = re.compile(r"\.\s+(?=[A-Z][a-z])")


JOINER_END = re.compile(r"\s+(?:and|of|&)$")


def clean_holder(text: str) -> str | None:
    text = NEXT_SENTENCE.split(text)[0]  # "... Pty Ltd. In the fourth quarter"
    text = SPACES.sub(" ", text).strip(" .,")
    text = ANY_CASE_THE.sub("", text)
    text = JOINER_END.sub("", text)
    return text or None


def merge_royalty(prop: Property, new: Royalty) -> Royalty:
    """Add ``new`` to the property unless it states a royalty already there; return the kept one."""
    for old in prop.royalties:
        same_holder = (
            old.holder is None
            or new.holder is None
            or old.holder.split()[0].lower() == new.holder.split()[0].lower()
        )
        if old.kind == new.kind and old.pct == new.pct and same_holder:
            old.holder = old.holder or new.holder
            if old.buyback_to_pct is None:
                old.buyback_to_pct = new.buyback_to_pct
            return old
    kept = Royalty(
        kind=new.kind,
        pct=new.pct,
        holder=new.holder,
        line=new.line,
        buyback_to_pct=new.buyback_to_pct,
    )
    prop.royalties.append(kept)
    return kept


BUYBACK = re.compile(
    r"(?:bought|purchased|repurchased|reduced|bought\s+back)\s+(?:down\s+|back\s+)?to\s+(?:an?\s+)?"
    r"(?P<to>\d{1,2}(?:\.\d+)?)\s?%|(?P<half>half|one-half|50%)\s+of\s+which\s+(?:may|can|could)\s+be"
    r"\s+(?:purchased|bought|repurchased)",
    re.I,
)


def recase(name: str, body: str) -> str:
    """A mixed-case spelling of an ALL-CAPS heading name, as the prose writes it."""
    name = " ".join(name.split())
    if not name.isupper():
        return name
    # The name as a whole word, in any case: found as a bare literal (searched for faster
    # than a pattern that starts with a look-behind), the word boundaries checked after.
    rx = re.compile(re.escape(name), re.I)
    pos = 0
    while (m := rx.search(body, pos)) is not None:
        i, j = m.span()
        if (i and is_word_char(body[i - 1])) or (j < len(body) and is_word_char(body[j])):
            pos = i + 1
            continue
        if not m.group(0).isupper():
            return m.group(0)
        pos = j
    return title_case(name)


def is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"
