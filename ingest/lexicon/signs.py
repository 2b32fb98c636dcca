"""One sign convention for every financial fact, whatever the table printed.

**The convention: a fact's ``value`` is its effect on net income.** Revenue, income, gains
and recoveries are positive; expenses and losses are negative; the bottom line is
``net_income``, negative for a loss. Balance-sheet and other neutral items (assets,
liabilities, working capital, cash, shares, expenditures by region) keep the sign printed.

Filings print the same number three ways. A selected-information table shows the net
loss as ``(15,196,129)`` (signed, "S"); a results-of-operations table prints expenses and
the net loss positive and gains in parentheses (every line as a cost, "E"); a quarterly
table prints expenses positive above "Loss from operations" and signs the lines below it
(each line in its natural direction, "N", then "S"). So the convention is decided per
*block*: the rows between two result lines ("Loss from operations", "Net loss"). Rows
whose direction is clear from their label vote; a result line decides from its own sign.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

SIGNED = "S"  # printed value = effect on income
COST = "E"  # printed value = reduction of income (expenses and losses positive)
NATURAL = "N"  # positive = the thing the label names (expense positive, income positive)

_RESULT = re.compile(
    r"^(?:net\s+)?(?:income|loss|earnings|profit)(?:\s*\((?:loss|income|gain)\))?"
    r"(?:\s+and\s+comprehensive\s+(?:income|loss)(?:\s*\((?:loss|income)\))?)?"
    r"(?:\s+(?:for\s+the|from\s+(?:continuing\s+)?operations|before|after|attributable)\b.*)?$"
    r"|^(?:net\s+)?(?:comprehensive|operating)\s+(?:income|loss|profit)\b"
    r"|^gross\s+(?:margin|profit|loss)\b|^(?:ebitda|ebit)\b"
    r"|^(?:basic\s+and\s+diluted\s+)?(?:net\s+)?(?:loss|income|earnings)\s+per\s+(?:common\s+)?share\b"
    r"|\bper\s+share\b",
    re.I,
)
_EXPENSE = re.compile(
    r"\b(?:expenses?|exploration|administrative|administration|compensation|depreciation|"
    r"amortization|amortisation|impairment|write-?(?:down|off)s?|costs?|fees|salaries|wages|"
    r"consulting|professional|rent|travel|accretion|insurance|office|investor\s+relations|"
    r"management|royalt(?:y|ies)\s+expense|provision|payments?|charges?|interest\s+expense|"
    r"finance\s+costs?|accretion|write-?downs?)\b|^loss\b|\bloss\s+(?:on|from)\b",
    re.I,
)
_INCOME = re.compile(
    r"\b(?:revenues?|sales|gains?|recover(?:y|ies)|interest\s+income|other\s+income|"
    r"investment\s+income|finance\s+income|income\s+from)\b|^income\b",
    re.I,
)
_NEUTRAL = re.compile(
    r"\b(?:assets?|liabilit(?:y|ies)|working\s+capital|(?:shareholders|stockholders|total)'?\s+equity|"
    r"^equity$|deficit|cash(?!\s+costs?)|"
    r"shares?\s+outstanding|weighted\s+average|number\s+of|debt|capital\s+stock)\b",
    re.I,
)
_MIXED = re.compile(
    r"\b(loss|gain|income|expense|recovery|benefit)\s*\((loss|gain|income|expense|recovery|benefit)\)",
    re.I,
)


_COST_OF = re.compile(r"(?:costs?\b|cost\s+of\b)", re.I)
_INCOME_TAX_EXPENSE = re.compile(r"\bincome\s+tax(?:es)?\s+expense\b", re.I)
_INCOME_TAX = re.compile(r"\bincome\s+tax", re.I)
_RECOVERY = re.compile(r"recover|benefit", re.I)
_LOSS = re.compile(r"\bloss", re.I)
_INCOME_OR_LOSS = re.compile(r"\b(?:income|earnings|profit)\s*\(loss\)", re.I)


# Pure, and asked about the same labels by several steps: computed once per label.
@lru_cache(maxsize=8192)
def nature(label: str) -> str:
    """ "result", "expense", "income", "mixed_expense", "mixed_income", "neutral" or "unknown".

    "unknown" lines ("Share-based payments", "Office and general") follow their block's
    convention like an expense; "neutral" lines (balances) keep the sign printed.
    """
    text = label.strip()
    if not text:
        return "neutral"
    if _RESULT.search(text) and not _NEUTRAL.search(text):
        return "result"
    mixed = _MIXED.search(text)
    if mixed:
        first = mixed.group(1).lower()
        return "mixed_expense" if first in ("loss", "expense") else "mixed_income"
    if _NEUTRAL.search(text):
        return "neutral"
    if _COST_OF.match(text):
        return "expense"  # "Cost of sales" names sales but is the cost
    if _INCOME.search(text) and not _INCOME_TAX_EXPENSE.search(text):
        if _INCOME_TAX.search(text) and not _RECOVERY.search(text):
            return "expense"
        return "income"
    if _EXPENSE.search(text):
        return "expense"
    return "unknown"


# Which conventions a printed sign is evidence for, by the row's nature.
_VOTES = {
    ("expense", 1): (NATURAL, COST),
    ("expense", -1): (SIGNED,),
    ("income", 1): (SIGNED, NATURAL),
    ("income", -1): (COST,),
}


def row_sign(values: list[float]) -> int:
    """The majority sign of a row's non-zero printed values (0 when there are none)."""
    pos = neg = 0
    for v in values:  # a plain loop: a generator per count costs more for rows this short
        if v > 0:
            pos += 1
        elif v < 0:
            neg += 1
    if pos == neg:
        return 0
    return 1 if pos > neg else -1


def block_convention(rows: list[tuple[str, list[float]]], fallback: str = SIGNED) -> str:
    """The convention of a block of (nature, printed values) rows."""
    votes: Counter[str] = Counter()
    for kind, values in rows:
        sign = row_sign(values)
        for convention in _VOTES.get((kind, sign), ()):
            votes[convention] += 1
    if not votes:
        return fallback
    best = max(votes.values())
    leaders = {c for c, n in votes.items() if n == best}
    # Expense-positive blocks fit both N and E; E also covers a lone "recovery (expense)".
    for convention in (COST, SIGNED, NATURAL):
        if convention in leaders:
            return convention
    return fallback


def apply(convention: str, kind: str, printed: float) -> float:
    """Effect on income of a value printed under ``convention`` by a row of ``kind``."""
    if kind == "neutral":
        return printed
    if convention == SIGNED:
        return printed
    if convention == COST:
        return -printed
    # Natural: positive means what the label names.
    if kind in ("income", "mixed_income"):
        return printed
    return -printed


def result_convention(label: str, values: list[float]) -> str:
    """A result line's own convention: a "loss" printed positive is a cost-style line."""
    sign = row_sign(values)
    names_loss = bool(_LOSS.search(label)) and not _INCOME_OR_LOSS.search(label)
    if names_loss and sign > 0:
        return COST
    return SIGNED
