"""Financial concepts: one registry for table line items and prose.

Each concept has its name, whether it is a balance (a value at a date) or a flow (over a
period), the printed table labels that mean it (``labels``, matched against the whole
label) and the prose phrases that name it (``phrases``, each with the sign its amount takes
in the parser's sign convention: an expense or a loss is negative).

A table label no concept claims becomes a concept of its own, the label as snake_case
(``concept_for``); so "Total assets" is ``total_assets`` whether or not it is listed here.
A prose phrase always maps to a listed concept: one that tables print too, or one of
``PROSE_ONLY`` (a test holds the registry to that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Concept:
    name: str
    balance: bool = False  # a value at a date (cash, working capital), else a flow
    labels: str | None = None  # regex for a whole table label, case-insensitive
    phrases: tuple[tuple[str, int], ...] = field(default=())  # (regex, sign) in prose
    # A label pattern whose first group prefixes the name ("Deferred income tax" ->
    # "deferred_income_tax"): "{1}" in ``name`` is replaced by it.
    prefixed: bool = False


_OR = r"(?:\s*\((?:loss|income|profit)\))?"  # "Net income (loss)"
_PER_SHARE_TAIL = r"(?:,?\s+basic\s+and\s+diluted,?)?"

# In order: a table label takes the first concept whose ``labels`` match it; a prose
# phrase, the first whose phrase matches at that position.
CONCEPTS: list[Concept] = [
    Concept(
        "net_income_per_share",
        labels=r"^(?:basic\s+and\s+diluted\s+)?(?:net\s+)?(?:income|loss|earnings)"
        r"(?:\s*\((?:loss|income)\))?\s+per\s+(?:common\s+)?share\b.*",
        phrases=(
            (r"net\s+loss\s+per\s+(?:common\s+)?share" + _PER_SHARE_TAIL, -1),
            (r"net\s+(?:income|earnings|profit)\s+per\s+(?:common\s+)?share" + _PER_SHARE_TAIL, 1),
        ),
    ),
    Concept(
        "operating_income",
        labels=r"^(?:net\s+)?(?:income|loss|earnings)(?:\s*\((?:loss|income)\))?\s+from\s+operations$"
        r"|^operating\s+(?:income|loss)(?:\s*\((?:loss|income)\))?$",
    ),
    Concept(
        "income_before_tax",
        labels=r"^(?:net\s+)?(?:income|loss)(?:\s*\((?:loss|income)\))?\s+before\s+(?:income\s+)?tax(?:es)?$",
    ),
    Concept(
        "comprehensive_income",
        labels=r"^(?:net\s+)?comprehensive\s+(?:income|loss)(?:\s*\((?:loss|income)\))?"
        r"(?:\s+for\s+the\s+(?:year|period|quarter))?$",
    ),
    Concept(
        "net_income",
        labels=rf"""^(?:net\s+(?:income|loss|earnings|profit){_OR}
          (?:\s+and\s+comprehensive\s+(?:income|loss){_OR})?
         |(?:income|loss|profit){_OR}(?=\s+(?:after|for)\b))
       (?:\s+(?:after|net\s+of)\s+(?:income\s+)?tax(?:es)?)?
       (?:\s+for\s+the\s+(?:year|period|quarter))?
       (?:\s+attributable\s+to\s+(?:common\s+)?(?:shareholders|owners|equity\s+holders)
          (?:\s+of\s+the\s+(?:company|parent))?)?$""",
        phrases=(
            (r"net\s+(?:loss|losses)(?:\s+and\s+comprehensive\s+loss)?", -1),
            (r"net\s+(?:income|earnings|profit)(?:\s+attributable\s+to\s+[a-z ]{0,40})?", 1),
        ),
    ),
    Concept(
        "working_capital",
        balance=True,
        labels=r"^working\s+capital$",
        phrases=((r"working\s+capital(?:\s+(?:deficit|deficiency))?", 1),),
    ),
    Concept(
        "cash_used_in_operations",
        phrases=((r"cash\s+used\s+in\s+(?:operations|operating\s+activities)", -1),),
    ),
    Concept(
        "cash_used_in_investing",
        phrases=((r"cash\s+used\s+in\s+investing\s+activities", -1),),
    ),
    Concept(
        "cash_from_financing",
        phrases=((r"cash\s+(?:provided\s+by|from)\s+financing\s+activities", 1),),
    ),
    Concept(
        "cash_from_operations",
        phrases=(
            (
                r"cash\s+(?:provided\s+by|generated\s+(?:from|by)|from)\s+(?:operations|operating"
                r"\s+activities)|operating\s+cash\s+flows?",
                1,
            ),
        ),
    ),
    Concept(
        # The cash-flow statement's operating line, however the direction is printed: "Net
        # cash from (used in) operating activities", "Cash flows used in operations". Its
        # sign is as printed (positive in, negative out); the prose concepts keep the
        # direction in their name (PROSE_ONLY). "Operating cash flow" alone is left out:
        # reconciliations of non-GAAP measures print it for a figure before some items.
        "operating_cash_flow",
        labels=r"^(?:net\s+)?cash(?:\s+flows?)?\s+(?:(?:from|provided\s+by|provided|generated\s+(?:from|by)"
        r"|used\s+in|\(used\s+in\)|\(used\s+in\s*\)|\(?used\s+in\)?|\(used\)|used|by|in|/|and|\(|\))\s*)+"
        r"(?:operating\s+activities|operations)(?:\s*\((?:used\s+in|provided)\))?$",
    ),
    Concept(
        "cash",
        balance=True,
        labels=r"^cash(?:\s+and\s+cash\s+equivalents)?$",
        phrases=(
            (
                r"cash(?:\s+and\s+cash\s+equivalents)?(?:\s+(?:on\s+hand|balance|position))?"
                r"(?!\s*(?:used|provided|flows?|costs?|payments?|proceeds|participation|operating"
                r"|generated|from|expenditures?|calls?|portion|component|consideration|equivalents?\s+(?:used|of\s+cash)))",
                1,
            ),
        ),
    ),
    Concept(
        "total_assets",
        balance=True,
        labels=r"^total\s+assets$",
        phrases=((r"total\s+assets", 1),),
    ),
    Concept(
        "long_term_liabilities",
        balance=True,
        phrases=((r"total\s+(?:long[- ]term|non-current)\s+liabilities", 1),),
    ),
    Concept(
        "total_liabilities",
        balance=True,
        labels=r"^total\s+liabilities$",
        phrases=((r"total\s+liabilities", 1),),
    ),
    Concept(
        "stock_based_compensation_expense",
        labels=r"^(?:stock|share)[\s-]based\s+(?:compensation|payments?)(?:\s+expense)?$",
        phrases=(
            (
                r"(?:stock|share)[- ]based\s+(?:compensation|payments?)"
                r"(?:\s+(?:expense|costs?|charges?))?",
                -1,
            ),
        ),
    ),
    Concept(
        "general_and_administrative_expense",
        labels=r"^general\s+and\s+administrative(?:\s+(?:expenses?|costs?))?$|^g\s*&\s*a$",
        phrases=(
            (
                r"general\s+and\s+administrative(?:\s+(?:expenses?|costs?|expenditures?))?"
                r"|administrative\s+expenses",
                -1,
            ),
        ),
    ),
    Concept(
        "exploration_expense",
        labels=r"^exploration(?:\s+(?:and\s+evaluation\s+)?(?:expenses?|expenditures?|costs?))?$"
        r"|^mineral\s+exploration$",
        phrases=(
            (r"exploration(?:\s+and\s+evaluation)?\s+(?:expenses?|expenditures?|costs?)", -1),
        ),
    ),
    Concept(
        "interest_expense",
        labels=r"^interest\s+expense$",
        phrases=((r"interest\s+expense", -1),),
    ),
    Concept(
        "equity_investee_loss",
        phrases=(
            (
                r"share\s+of\s+(?:the\s+)?loss(?:es)?\s+of\s+(?:the\s+)?[^$,]{1,60}?(?=\s+(?:was|were|of)\b)"
                r"|loss\s+from\s+equity\s+investees?",
                -1,
            ),
        ),
    ),
    Concept(
        "interest_income",
        labels=r"^interest\s+income$",
        phrases=((r"interest\s+income", 1),),
    ),
    Concept(
        "revenue",
        labels=r"^(?:total\s+)?revenues?$|^sales$",
        phrases=((r"(?:total\s+|annual\s+|gold\s+|net\s+)?revenues?", 1),),
    ),
    Concept(
        "depreciation_expense",
        labels=r"^depreciation(?:\s+and\s+amortization)?(?:\s+expense)?$|^amortization$",
    ),
    Concept(
        "{1}income_tax",
        labels=r"^(current|deferred)?\s*income\s+tax(?:es)?\s*(?:expense|recovery|benefit|provision)?"
        r"(?:\s*\((?:expense|recovery|benefit)\))?$",
        prefixed=True,
    ),
]
# Prose concepts no table label is mapped to, and why.
PROSE_ONLY: dict[str, str] = {
    # Cash-flow lines are printed signed either way in tables (a neutral item keeps its
    # printed sign), while the prose names the direction: comparing them would flag
    # agreeing figures. The direction stays in the prose concept's name.
    "cash_used_in_operations": "direction named in prose, printed either sign in tables",
    "cash_used_in_investing": "direction named in prose, printed either sign in tables",
    "cash_from_financing": "direction named in prose, printed either sign in tables",
    "cash_from_operations": "direction named in prose, printed either sign in tables",
    "long_term_liabilities": "tables print the lines, rarely a long-term total",
    "equity_investee_loss": "prose names the investee; table labels vary with it",
}

_TABLE_PATTERNS: list[tuple[re.Pattern[str], Concept]] = [
    (re.compile(c.labels, re.I | re.X if "\n" in c.labels else re.I), c)
    for c in CONCEPTS
    if c.labels
]
# The prose phrases as one alternation, a group per phrase; ``PHRASE_OF[group]`` says
# whose phrase it is and with which sign.
PHRASES: list[tuple[str, Concept, int]] = [
    (pattern, c, sign) for c in CONCEPTS for pattern, sign in c.phrases
]
BY_NAME: dict[str, Concept] = {c.name: c for c in CONCEPTS}

_GAIN_LOSS = re.compile(
    r"^(?:(?:loss|gain)\s*\((?:gain|loss)\)|loss|gain)\s+(on|from)\s+(.+)$", re.I
)
_NATURE_WORDS = re.compile(
    r"\s*\((?:expense|recovery|income|loss|gain|benefit|deficit|deficiency)\)", re.I
)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("'", "")
    return _NOT_SLUG.sub("_", text).strip("_")


def concept_for(label: str) -> str:
    """The concept of a printed table label, with synonyms folded ("Net loss for the year",
    "Net income (loss)" -> ``net_income``); an unlisted label, as snake_case."""
    text = " ".join(label.split()).strip(" :")
    for pattern, concept in _TABLE_PATTERNS:
        m = pattern.match(text)
        if m:
            if concept.prefixed:
                prefix = (m.group(1) or "").lower()
                return concept.name.replace("{1}", prefix + "_" if prefix else "")
            return concept.name
    m = _GAIN_LOSS.match(text)
    if m:
        # "Loss (gain) on sale of X", "Gain on sale of X" and "Loss on sale of X" are one
        # line item whose sign says which it was.
        return f"gain_loss_{m.group(1).lower()}_{slug(m.group(2))}"
    return slug(_NATURE_WORDS.sub("", text)) or "unlabelled"
