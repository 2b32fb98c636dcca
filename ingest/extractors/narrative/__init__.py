"""Numbers stated in prose: balances, results, share data, reserves, resources, study results.

An MD&A repeats its key numbers in sentences ("As at December 31, 2021, working capital
was $3,200,000 compared to $5,900,000 as at December 31, 2020"), and some numbers are
only in sentences (a reserve summary, the PEA's NPV, the shares outstanding at the MD&A
date). Each becomes a ``NarrativeFact`` carrying the trimmed sentence it was read from.

Sign convention (the parser's): a value is its effect on net income, equity or cash.
Income and inflows are positive; expenses, losses and outflows are negative. So a net
loss of $6.25 million is ``concept="net_income", value=-6250000``, stock-based
compensation expense is negative, and cash used in operations is negative.
``qualifiers["reported"]`` keeps the number as printed where the sign was changed.
Balances (cash, working capital, total assets) and counts keep their printed sign.

Amounts: "$" is the filing's currency (``Metadata.currency``; "USD" with
``qualifiers["currency_assumed"]`` when the filing does not say); "C$"/"Cdn$" are CAD,
"A$" AUD, "US$" USD. Scale words are applied ("$1.25 billion" is 1250000000);
"approximately" sets ``qualifiers["approximate"]``.

Each kind of statement is a prose rule (``ingest.prose.rules``), a module of its own:
``financial`` (money figures), ``shares`` (share data), ``estimates`` (reserves and
resources) ``studies`` (study results) and ``operating`` (a producer's operating figures). They share the context in ``context``.
"""

from __future__ import annotations

from ...model import Document, Issue, Metadata, NarrativeFact, Property
from ...prose.rules import read_prose
from . import estimates, financial, operating, shares, studies
from .context import NarrativeContext

# In order: within a sentence, the rules read in this order.
RULES = [financial, shares, estimates, studies, operating]


def extract_narrative_facts(
    doc: Document, metadata: Metadata, properties: list[Property] | None = None
) -> tuple[list[NarrativeFact], list[Issue]]:
    """Numbers stated in the filing's sentences, with concept, period and subject.

    ``properties`` (from ``extract_properties``), when given, names the subjects
    precisely; without it a subject is read from "the X deposit/project" phrases.
    """
    ctx = NarrativeContext(doc, metadata, properties)
    read_prose(ctx, RULES)
    return ctx.facts, ctx.issues
