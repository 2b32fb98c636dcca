"""Locations: "in the Atacama region of Chile" places the property the sentence names."""

from __future__ import annotations

import re

from ...lexicon.places import place_of
from ...prose.sentences import Sentence, has_any
from .context import PropertyContext
from .names import GENERIC_OPENER, LOCATED
from .registry import Entry

NAME = "property locations"


def wants(s: Sentence, ctx: PropertyContext) -> bool:
    low = s.low
    return " in " in s.text and (
        has_any(low, _LOCATION_WORDS) or ("ern " in low and has_any(low, _LOCATION_COMPASS_WORDS))
    )


def read(s: Sentence, ctx: PropertyContext) -> None:
    mentions, _ = ctx.mentions_and_subject(s)
    read_locations(ctx, s.text, mentions)


_AFTER_NAME_IN = re.compile(
    r"(?:\s+(?:property|project|joint\s+venture|licen[cs]e|deposit|mine))?"
    r"(?:\s+[a-z]+(?:-[a-z]+)+)?(?:\s+(?:joint\s+venture|property|project))?,?"
    r"\s+(?:(?:is|are)\s+)?(?:located\s+|situated\s+|lies\s+|lying\s+)?(?=in\s)"
)


_LOCATION_WORDS = (
    "located",
    " lies ",
    "situated",
    "region of",
    "province of",
    "district of",
    "county",
    "craton of",
    "belt of",
    "basin of",
    "state of",
    " in central ",
)


_LOCATION_COMPASS_WORDS = (" in northern ", " in southern ", " in eastern ", " in western ")


def read_locations(ctx: PropertyContext, s: str, mentions: list[tuple[int, int, Entry]]) -> None:
    """ "The X Property lies in the Atacama Region of northern Chile", "the X
    property in the Cusco Region of southern Peru", "The property is located in ..."."""
    spots = [(b, e) for _, b, e in mentions]
    opener = GENERIC_OPENER.match(s)
    if opener and len(ctx.context) == 1:
        spots.insert(0, (opener.end(), ctx.context[0]))
    for b, entry in spots:
        if entry.prop.country is not None and entry.prop.region is not None:
            continue
        tail = s[b : b + 160]
        am = _AFTER_NAME_IN.match(tail)
        if not am:
            continue
        lm = LOCATED.match(tail, am.end())
        if lm:
            country, region = place_of(lm.group("place"))
            sub = lm.group("sub") or lm.group("sub2")
            if region is None and sub and country:
                region = sub
            ctx.locate(entry, country, region)
