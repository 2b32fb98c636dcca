"""Mineral properties, their hierarchy, and what the prose says about each.

A property is found where the filing presents it: a section heading ("A and B, New
Mexico", "MONGOLIA - X HILL", "Y Joint Venture"), a defined term ("our X project in
Nevada (the "X Project")"), a hierarchy phrase
("X is comprised of two mining licences, A and B", "X includes the A and the B
deposits", "A and B host the C deposit and the D deposit, respectively", "the C deposit
... on the A licence") or a statement of the company's interest in it. Property-like
names the company holds no stated interest in (a neighbour's mine, a target, a property
it sold) are not properties and are not issues.

Hierarchy: when two phrases give a child different parents, the more specific parent
wins (a licence inside the property beats the property itself); a new name first met
inside a property's section is placed under that property.

Country and region come from the heading's place, the enclosing ALL-CAPS country
section ("UNITED STATES", "AUSTRALIA") or phrases such as "in the Atacama region of
Chile"; children inherit them from their parent.

Facts, each attached to the property the sentence is about (a name in the sentence, a
defined term, or "the property" meaning the section's property):

- ``interest_pct``: the company's own interest only (the holder must be the company or
  a name it defines; a partner's "retaining a 40% interest" is ignored). A stated
  holding ("has a 100% interest", "is 100% owned by") beats an acquisition ("entered
  into an agreement to purchase a 100% interest"), which beats an earn-in target ("may
  earn a 65% interest"); the target is recorded only when nothing firmer is stated.
  Incremental ("a further 15%") and sold interests are not recorded; an interest in a
  subset of claims ("a 100% interest in 40 unpatented lode claims") is not the
  property's interest either.
- ``royalties``: "a 3% net smelter returns ("NSR") royalty (which may be bought down to
  a 1% NSR royalty ...)" gives NSR 3% with ``buyback_to_pct`` 1; "half of which may be
  purchased" halves it. The same royalty stated twice is kept once.
- ``hectares`` ("covers 2,500 hectares", "the 1,200 hectare X property", "a 500
  square kilometre tenement" = 50,000 ha) and ``claims`` (the claims a defining
  sentence lists, patented and unpatented added together).
- ``expenditures``: amounts in a sentence about a property's expenditures or expenses
  that carry a period ("... were $3,400,000 compared to $2,100,000 during the year
  ended December 31, 2011"). A cumulative "to date" amount has no period and is not
  recorded. An amount stated for several properties together ("expenses incurred on the
  A and B targets were ...") is attached to each of them with a label starting
  "combined:", so a sum over properties can leave the duplicates out.

A company interest or royalty sentence that names no property the parser can resolve
becomes an ``Issue(kind="unattached_property_fact")``.

Each kind of statement is a prose rule (``ingest.prose.rules``), a module of its own, run
in ``RULES`` order on each sentence; they share the registry and the section's context
(``context``).
"""

from __future__ import annotations

from ...model import Document, Issue, Metadata, Property
from ...prose.rules import read_prose
from . import (
    claims,
    discovery,
    expenditures,
    headings,
    hectares,
    interests,
    locations,
    royalties,
)
from .context import PropertyContext

# In order: discovery registers the names the later rules attach facts to.
RULES = [headings, discovery, locations, interests, royalties, hectares, claims, expenditures]


def extract_properties(doc: Document, metadata: Metadata) -> tuple[list[Property], list[Issue]]:
    """The company's properties with hierarchy, location, interest, royalties and spend."""
    ctx = PropertyContext(doc, metadata)
    read_prose(ctx, RULES)
    return ctx.result()
