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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lexicon.dates import annual_year_end
from ..model import Document, Expenditure, Issue, Metadata, Property, ProseBlock, Royalty
from ..prose.amounts import find_amounts, to_number
from ..prose.periods import period_refs
from ..prose.sentences import has_any, is_boilerplate, keyword_text, sentences
from .metadata import company_aliases
from .narrative import _base_name

# --- places ---------------------------------------------------------------------------

_COUNTRIES = [
    "Argentina",
    "Armenia",
    "Australia",
    "Bolivia",
    "Botswana",
    "Brazil",
    "Bulgaria",
    "Burkina Faso",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Cote d'Ivoire",
    "Côte d'Ivoire",
    "Democratic Republic of the Congo",
    "DRC",
    "Dominican Republic",
    "Ecuador",
    "Egypt",
    "Eritrea",
    "Ethiopia",
    "Fiji",
    "Finland",
    "France",
    "French Guiana",
    "Gabon",
    "Ghana",
    "Greenland",
    "Guatemala",
    "Guinea",
    "Guyana",
    "Honduras",
    "India",
    "Indonesia",
    "Ireland",
    "Ivory Coast",
    "Kazakhstan",
    "Kenya",
    "Kyrgyzstan",
    "Kyrgyz Republic",
    "Laos",
    "Liberia",
    "Madagascar",
    "Mali",
    "Mauritania",
    "Mexico",
    "Mongolia",
    "Morocco",
    "Mozambique",
    "Namibia",
    "New Zealand",
    "Nicaragua",
    "Niger",
    "Nigeria",
    "Norway",
    "Panama",
    "Papua New Guinea",
    "Peru",
    "Philippines",
    "Poland",
    "Portugal",
    "Russia",
    "Saudi Arabia",
    "Senegal",
    "Serbia",
    "Sierra Leone",
    "Slovakia",
    "South Africa",
    "Spain",
    "Suriname",
    "Sweden",
    "Tanzania",
    "Turkey",
    "Uganda",
    "United Kingdom",
    "United States",
    "United States of America",
    "U.S.A.",
    "USA",
    "Uruguay",
    "Uzbekistan",
    "Venezuela",
    "Vietnam",
    "Zambia",
    "Zimbabwe",
    "Wales",
    "Scotland",
    "Northern Ireland",
]
_COUNTRY_ALIASES = {
    "united states of america": "United States",
    "u.s.a.": "United States",
    "usa": "United States",
    "drc": "Democratic Republic of the Congo",
    "ivory coast": "Côte d'Ivoire",
    "cote d'ivoire": "Côte d'Ivoire",
    "kyrgyz republic": "Kyrgyzstan",
}
_US_STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
]
_CA_PROVINCES = [
    "British Columbia",
    "Alberta",
    "Saskatchewan",
    "Manitoba",
    "Ontario",
    "Quebec",
    "Québec",
    "New Brunswick",
    "Nova Scotia",
    "Prince Edward Island",
    "Newfoundland and Labrador",
    "Newfoundland",
    "Labrador",
    "Yukon",
    "Northwest Territories",
    "Nunavut",
]
_AU_STATES = [
    "New South Wales",
    "NSW",
    "Victoria",
    "Queensland",
    "South Australia",
    "Western Australia",
    "West Australia",
    "Tasmania",
    "Northern Territory",
]
_MX_STATES = [
    "Sonora",
    "Chihuahua",
    "Durango",
    "Zacatecas",
    "Sinaloa",
    "Guerrero",
    "Oaxaca",
    "Jalisco",
    "Coahuila",
    "Nayarit",
    "Guanajuato",
    "San Luis Potosi",
    "Baja California",
]
_REGION_ALIASES = {
    "west australia": "Western Australia",
    "nsw": "New South Wales",
    "québec": "Quebec",
}
_REGIONS: dict[str, str] = {}
for _names, _country in (
    (_US_STATES, "United States"),
    (_CA_PROVINCES, "Canada"),
    (_AU_STATES, "Australia"),
    (_MX_STATES, "Mexico"),
):
    for _n in _names:
        _REGIONS[_n.lower()] = _country
_COUNTRY_SET = {c.lower() for c in _COUNTRIES}
# Georgia is both a state and a country; as a region it is the state.
_PLACE = "|".join(
    re.escape(p)
    for p in sorted(
        [*_COUNTRIES, *_US_STATES, *_CA_PROVINCES, *_AU_STATES, *_MX_STATES], key=len, reverse=True
    )
)


def _place(text: str) -> tuple[str | None, str | None]:
    """(country, region) for a place name such as "New Mexico" or "MONGOLIA"."""
    key = " ".join(text.split()).lower()
    if key in _REGIONS:
        region = _REGION_ALIASES.get(key) or _title(text)
        return _REGIONS[key], region
    if key in _COUNTRY_SET:
        return _COUNTRY_ALIASES.get(key) or _title(text), None
    return None, None


def _title(text: str) -> str:
    text = " ".join(text.split())
    if not text.isupper():
        return text
    return " ".join(
        w if w in ("of", "and", "the") else w.capitalize() for w in text.lower().split()
    )


# --- patterns -------------------------------------------------------------------------

_CAP = r"[A-Z][\w'’\-]*"
_NAME = rf"{_CAP}(?:[ ]{_CAP}){{0,4}}"
_KIND_WORDS = {
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
_HEADING_KIND = re.compile(
    r"^(?P<name>.+?)\s+(?P<kw>Joint\s+Venture|JV|Farm-?\s?Out|Farm-?\s?In|Option|Project|Property"
    r"|Mine|Deposit)$",
    re.I,
)
_HEADING_PLACE = re.compile(rf"^(?P<names>.+?),\s*(?P<place>{_PLACE})$", re.I)
_HEADING_DASH = re.compile(r"^(?P<left>.+?)\s+-\s+(?P<right>.+)$")
_GENERIC_HEADING = re.compile(
    r"\b(?:Agreement|Assessment|Estimates?|Study|Results?|Risks?|Activities|Statements?|Policies"
    r"|Investment|Investments|Information|Financing|Operations|Controls?|Standards|Outlook"
    r"|Summary|Highlights|Expenditures?|Overview|Reserves?|Resources?|Development|Commitments"
    r"|Data|Transactions|Government|Taxes|Capital|Liquidity)\b"
)

_DEFINED_AFTER = re.compile(
    rf"(?:the|our|its)\s+(?P<name>{_NAME})\s+(?P<kw>property|project|mine|deposit|licen[cs]e)"
    r"\b(?:(?!\s(?:and|our|its)\s)[^()\"]){0,60}?\(the\s+\"(?P<alias>[^\"]{2,60})\"\)",
)
_DEFINED_JV = re.compile(
    r"an?\s+joint\s+venture\b[^()\"]{0,80}?\(the\s+\"(?P<alias>[^\"]{2,60}Joint\s+Venture)\"\)",
    re.I,
)
_DEFINED_TERM = re.compile(r"\((?:the\s+)?\"(?P<alias>[A-Z][^\"]{1,60})\"\)")
_PORTION = re.compile(
    r"portion\s+of\s+the\s+(?P<parent>[^()\"]{2,80}?)\s+(?:mining\s+|exploration\s+)?"
    r"(?:licen[cs]e|property|claims|tenement|concession)\b[^()\"]{0,80}?\(\"(?P<alias>[A-Z][^\"]{1,40})\"\)"
)
_OUR = re.compile(
    rf"(?:our|its|the\s+Company's)\s+(?:interest\s+in\s+the\s+)?(?:\d+(?:\.\d+)?%[- ]owned\s+)?"
    rf"(?P<name>{_NAME})\s+(?P<kw>property|project|Project|Property|Mine|mine)\b"
)
_COMPRISED = re.compile(
    r"(?:is\s+comprised\s+of|comprises|consists\s+of|is\s+made\s+up\s+of|includes?)\s+"
    r"(?:the\s+)?(?:[a-z\-]+\s+){0,3}?"
    r"(?P<kw>licen[cs]es|concessions|tenements|properties|deposits)\s*(?:,|:)\s*(?P<list>[^.;:()]{2,160})"
)
_HOSTS = re.compile(r"(?:includes?|hosts?|contains?)\s+(?=the\s+[A-Z])")
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_LIST_ITEM = re.compile(
    rf"^(?:the\s+)?(?P<name>{_NAME})(?:\s+(?:[a-z]+(?:-[a-z]+)*))*?"
    r"(?:\s+(?P<kw>deposits?|targets?|zones?|prospects?|licen[cs]es?|properties|property|projects?))?$"
)
_ON_PARENT = re.compile(
    rf"the\s+(?P<child>{_NAME})\s+(?:[a-z\-]+\s+){{0,3}}deposit\b[^.;]{{0,60}}?\b(?:on|within)\s+"
    rf"the\s+(?P<parent>{_NAME})\s+(?:mining\s+|exploration\s+)?(?:licen[cs]e|property|claims"
    r"|tenement|concession)\b"
)
_LOCATED = re.compile(
    r"\b(?:located\s+)?in\s+(?:the\s+)?(?:(?P<sub>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}?)(?:\s+"
    r"(?:region|Region|District|district|Province|province|County|county|State|state))?\s+of\s+"
    r"|(?P<sub2>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2})\s+(?:County|Province|Region|District),\s+)?"
    r"(?:(?:the\s+)?(?:south|north|east|west|central|southern|northern|eastern|western"
    r"|southeastern|southwestern|northeastern|northwestern|south-eastern|south-western"
    rf"|north-eastern|north-western)\s+)?(?P<place>{_PLACE})\b",
)

# An interest statement is found from its "N% interest in" (cheap to scan for), then the
# verb just before it says whose interest it is and how firm it is.
_INTEREST = re.compile(
    r"(?P<pct>\d{1,3}(?:\.\d+)?)\s?%\s+(?:undivided\s+|beneficial\s+|ownership\s+|working\s+"
    r"|participating\s+|carried\s+)?interest\s+in\s+(?=(?P<target>[^;]{1,200}))",
    re.I,
)
_INTEREST_VERB = re.compile(
    r"\b(?P<verb>has\s+earned|had\s+earned|has|have|holds?|held|owns?|retains?|retained|holding"
    r"|owning|acquired|earned|purchased|to\s+purchase|to\s+acquire|may\s+(?:acquire|earn)"
    r"|can\s+(?:acquire|earn)|could\s+(?:acquire|earn)|will\s+(?:acquire|earn|hold|own)"
    r"|right\s+to\s+(?:acquire|earn)|option\s+to\s+(?:acquire|earn)|sold|transferred|retaining"
    r"|acquiring|earning)\s+(?:an?\s+|its\s+|the\s+|all\s+of\s+its\s+)?"
    r"(?P<mods>(?:(?:undivided|initial|additional|further|effective|indirect|direct|beneficial"
    r"|remaining|aggregate|total)\s+)*)$",
    re.I,
)
_OWNED_BY = re.compile(
    rf"(?P<target>{_NAME})\s+(?:which\s+)?is\s+(?P<pct>\d{{1,3}}(?:\.\d+)?)\s?%\s+owned\s+by\s+"
    r"(?P<holder>[^,.;]{1,60})"
)
_POSSESSIVE = re.compile(
    r"(?P<holder>\b(?:its|our|the\s+Company's|[A-Z][\w\-]*'s))\s+(?P<pct>\d{1,3}(?:\.\d+)?)\s?%"
    r"(?:[- ]owned\s+(?P<target1>(?:the\s+)?"
    + _NAME
    + r")|\s+interest\s+in\s+(?P<target2>[^,;.]{1,80}))"
)
_TARGET_CUT = re.compile(
    r"\s+(?:by|for|pursuant|subject\s+to|with|from|whereby|which|if|in\s+exchange|to\s+"
    r"(?:the\s+)?[A-Z]|at\s+such|upon|until|provided)\b|[;]|\.\s"
)
_SUBSET = re.compile(
    r"^(?:the\s+)?\d[\d,]*\s+(?:of\s+the\s+)?(?:unpatented\s+|patented\s+)?(?:lode\s+)?"
    r"(?:mining\s+)?(?:claims|concessions|hectares|tenements)"
)
_FORMERLY = re.compile(r"\bformerly\s+(?:known\s+as|part\s+of|called)\b", re.I)
_GENERIC_TARGET = re.compile(
    r"^(?:the|this|such|two|three|four|five|six|all)\s+(?:(?:exploration|mining|granted)\s+)?"
    r"(?:property|project|claims|joint\s+venture(?:\s+property)?|tenements?|licen[cs]es?"
    r"|concessions?|leases?)\b",
    re.I,
)
_PORTION_TARGET = re.compile(r"^(?:the\s+)?(?:\w+\s+)?(?:portion|part|section)\s+of\b", re.I)
_JV_TARGET = re.compile(r"^an?\s+joint\s+venture\s+with\s+(?P<partner>[^,;.]{1,60})", re.I)
_NEW_TARGET = re.compile(
    rf"^(?:the\s+)?(?P<name>{_NAME})\s+(?:[a-z]+(?:-[a-z]+)*\s+){{0,3}}?"
    r"(?P<kw>property|project|Project|Property|mine|Mine|licen[cs]e|claims|concession|tenement)\b"
)
_CONDITIONAL = re.compile(r"\b(?:once|if|when|upon|after|until)\b[^,;]{0,60}$", re.I)
_BOUNDARY = re.compile(
    r",|;|\bwhereby\b|\bwhich\b|\bthat\b|\bwith\b|\bonce\b|\bif\b|\bwhen\b|\band\b|\bwhile\b"
)
_COMPANY_WORDS = re.compile(r"\b(?:the\s+Company|we|our|us|its|it)\b", re.I)
_RANKS = {
    "has": 3,
    "have": 3,
    "holds": 3,
    "hold": 3,
    "held": 3,
    "owns": 3,
    "own": 3,
    "retains": 3,
    "retain": 3,
    "retained": 3,
    "holding": 3,
    "owning": 3,
    "retaining": 3,
    "acquired": 2,
    "earned": 2,
    "has earned": 2,
    "had earned": 2,
    "purchased": 2,
    "to purchase": 2,
    "to acquire": 2,
    "acquiring": 1,
    "earning": 1,
    "sold": 0,
    "transferred": 0,
}

_ROYALTY = re.compile(
    r"(?P<pct>\d{1,2}(?:\.\d+)?)\s?%\s+(?P<kind>net\s+smelter\s+returns?(?:\s+royalty)?|NSR"
    r"|net\s+profits?\s+interest|NPI|net\s+profits?\s+royalty|gross\s+overriding\s+royalty|GOR"
    r"|gross\s+revenue\s+royalty|GRR|gross\s+royalty|production\s+royalty|royalty)"
    r"(?:\s*\(\s*\"?[A-Z]{2,4}\"?\s*\))?(?:\s+royalty)?",
    re.I,
)
_BUYBACK_BEFORE = re.compile(
    r"(?:bought|purchased|repurchased|reduced|bought\s+back)\s+(?:down\s+|back\s+)?to\s+(?:an?\s+)?$",
    re.I,
)
_BUYBACK = re.compile(
    r"(?:bought|purchased|repurchased|reduced|bought\s+back)\s+(?:down\s+|back\s+)?to\s+(?:an?\s+)?"
    r"(?P<to>\d{1,2}(?:\.\d+)?)\s?%|(?P<half>half|one-half|50%)\s+of\s+which\s+(?:may|can|could)\s+be"
    r"\s+(?:purchased|bought|repurchased)",
    re.I,
)
_HOLDER_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:granted\s+to|in\s+favou?r\s+of|held\s+by|payable\s+to|owned\s+by"
    r"|retained\s+by|reserved\s+to|in\s+favou?r\s+to)\s+(?P<holder>(?:the\s+)?[A-Z][\w&.'\-]*"
    r"(?:\s+(?:\([A-Z][\w]*\)|[A-Z][\w&.'\-]*|of|and|&))*)"
)
_HOLDER_BEFORE = re.compile(
    r"(?P<holder>\b(?:the\s+)?(?:vendors?|optionors?|owners?|[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3}))"
    r"\s+(?:would|will|shall|may)?\s*(?:retains?|retained|holds?|keeps?)\s+an?\s+$"
)
_HOLDER_FROM = re.compile(
    r"\bfrom\s+(?P<holder>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})\s+in\s+return\s+for\s+an?\s+$"
)
_ROYALTY_KINDS = [
    (re.compile(r"net\s+smelter|NSR", re.I), "NSR"),
    (re.compile(r"net\s+profit|NPI", re.I), "NPI"),
    (re.compile(r"gross\s+overriding|GOR", re.I), "GOR"),
    (re.compile(r"gross\s+revenue|GRR", re.I), "GRR"),
    (re.compile(r"gross\s+royalty", re.I), "GR"),
]

_HECTARES = re.compile(
    r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)[\s-]*(?P<u>hectares?|ha\b|square\s+kilomet(?:re|er)s?"
    r"|sq\.?\s*km|km2|km²)",
    re.I,
)
_HECTARE_BEFORE_NAME = re.compile(
    rf"^[\s-]*(?:hectares?|ha)\s+(?P<name>{_NAME})\s+(?:property|project|claims|licen[cs]e|tenement)"
)
_CLAIMS = re.compile(
    r"(?<![\d,.])(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?:(?:unpatented|patented|lode|mining|mineral|placer"
    r"|staked)\s+)*claims\b",
    re.I,
)
_CLAIMS_VERB = re.compile(
    r"(?:consists?\s+of|consisting\s+of|comprised\s+of|comprises|comprising|defined\s+by|covers?"
    r"|with\s+respect\s+to|made\s+up\s+of|totall?ing|includes|of\s+the\s+mineral\s+rights\s+to"
    r"|rights\s+to|title\s+to)\b",
    re.I,
)
_LEAD_IN = re.compile(
    rf"^(?P<name>{_NAME})\s+(?P<kw>Project|Property|Joint\s+Venture|JV|Mine|Deposit)\s*:\s"
)
_GENERIC_OPENER = re.compile(
    r"^\W{0,3}(?:The|This|Such|These)\s+(?:property|project|claims|tenements?|licen[cs]es?"
    r"|concessions?|joint\s+venture)\b"
)
_AFTER_NAME_IN = re.compile(
    r"(?:\s+(?:property|project|joint\s+venture|licen[cs]e|deposit|mine))?"
    r"(?:\s+[a-z]+(?:-[a-z]+)+)?(?:\s+(?:joint\s+venture|property|project))?,?"
    r"\s+(?:(?:is|are)\s+)?(?:located\s+|situated\s+|lies\s+|lying\s+)?(?=in\s)"
)
_IF = re.compile(r"^\W{0,3}(?:If|Should|In\s+the\s+event|Unless)\b")
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
# "\d\s?ha\b", written to start with the literal "ha", which is searched for far faster.
_HA_AFTER_NUMBER = re.compile(r"ha(?:(?<=\dha)|(?<=\d\sha))\b")
_CAPITAL = re.compile(r"^[A-Z]")
_LOWER_THE = re.compile(r"^the\s+")
_ANY_CASE_THE = re.compile(r"^the\s+", re.I)
_IT_ITS = re.compile(r"\b(?:it|its)\b", re.I)
_COMPANY_NOT_IT = re.compile(r"\b(?:the\s+Company|we|our|us)\b", re.I)
_FIRST_ACTOR = re.compile(
    r"^\W{0,3}(?:(?:On|In|During|As\s+at|At|Since|By|Effective)\s+[^,]{1,40}(?:,\s*\d{4})?,\s*)?"
    r"(?P<actor>[^,]{1,40}?)\s+"
    r"(?:has|have|had|entered|signed|agreed|is|was|may|will|can|acquired|completed|holds|owns)\b"
)
_COMPANY_ACTOR = re.compile(r"\b(?:the company|we)\b")
_WITH_PARTY_END = re.compile(r"\b(?:agreement|option)\s+with\s+[^,]{1,60}$")
_ADDITIONAL_END = re.compile(r"\badditional\s+$")
_SOLD = re.compile(r"\bsold\b")
_EACH_PROPERTY = re.compile(
    r"\b(?:each|both)\s+(?:property|properties|of\s+the\s+properties)\b", re.I
)
_NOT_NOW_BEFORE = re.compile(
    r"(?:formerly|part\s+of\s+the|sold\s+(?:its\s+)?(?:\d+%\s+)?(?:interest\s+in\s+)?the)\s+$"
)
# Every match of ``_BUYBACK`` holds one of these.
_BUYBACK_WORDS = ("bought", "purchased", "reduced", "half", "50%")
_OF_THE = re.compile(r"\s*of\s+the\b")
_CLAIMS_NOT_OWN_BEFORE = re.compile(r"\b(?:interest\s+in|acquired|additional)\s+$")
_COMPARED_TO = re.compile(r"\bcompared\s+(?:to|with)\b")
_RESPECTIVELY = re.compile(r"\brespectively\b")
_WHICH_END = re.compile(r",\s*which\s+(?:now\s+)?$")
_NAMED_OPENER = re.compile(
    rf"^\W{{0,3}}(?:The\s+)?(?P<name>{_NAME})\s+(?P<kw>property|project|Project|Property)\b"
)
_KIND_WORD_END = re.compile(
    r"\s+(?:(?:mining|exploration|exploitation)\s+)?(?:licen[cs]es?|concessions?|tenements?"
    r"|deposits?|property|properties|claims)$"
)
_WHOLE_NAME = re.compile(rf"^{_NAME}$")
_LIST_END = re.compile(r"[.;:()]|\s+(?:which|that|respectively|located|with|on|in|at|for)\b")
_RESPECTIVELY_END = re.compile(r",?\s*respectively\s*$")
_NEXT_SENTENCE = re.compile(r"\.\s+(?=[A-Z][a-z])")
_JOINER_END = re.compile(r"\s+(?:and|of|&)$")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^[Tt]he\s+")


_SOLD_BEFORE = re.compile(r"\b(?:sold|dispos\w+|transferr\w+|divest\w+|terminat\w+)\s+$")
_NAMED_KIND_END = re.compile(r"\b(?:Property|Project|Joint Venture|Mine)$")


_WORD = re.compile(r"[^\W_]+")
_KIND_AFTER = re.compile(
    r"\s+(?:property|project|mine|licen[cs]e|deposit|claims|joint\s+venture)\b"
)
_DEPOSIT_AFTER = re.compile(r"\s+(?:[a-z\-]+\s+){0,3}deposits?\b")
_LICENCE_AFTER = re.compile(r"\s+(?:mining\s+|exploration\s+)?licen[cs]es?\b")


@dataclass
class _Entry:
    prop: Property
    keys: set[str] = field(default_factory=set)
    spellings: set[str] = field(default_factory=set)
    interest_rank: int = -1


class _Registry:
    """Known properties by lower-case name and alias, with a matcher over sentences."""

    def __init__(self, company: set[str] | None = None) -> None:
        self.company = company or set()  # lower-case names of the company itself
        self.entries: list[_Entry] = []
        self.by_key: dict[str, list[_Entry]] = {}
        self._spellings: list[str] | None = None
        self._first_word: dict[str, str] = {}
        self._first_words: tuple[str, ...] = ()
        self._keys: dict[str, str] = {}  # _key() of the names looked up, made once each

    def key(self, name: str) -> str:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = _key(name)
        return k

    def get(self, name: str | None, prefer: tuple[str, ...] = ()) -> _Entry | None:
        if not name:
            return None
        k = self.key(name)
        found = self.by_key.get(k)
        if not found:
            return None
        for kind in prefer:
            for e in found:
                if e.prop.kind == kind:
                    return e
        for e in found:
            if self.key(e.prop.name) == k:
                return e
        return found[0]

    def add(self, name: str, kind: str, line: int, parent: _Entry | None = None) -> _Entry:
        existing = self.get(name)
        if existing and (
            existing.prop.kind == kind or self.key(existing.prop.name) == self.key(name)
        ):
            return existing
        entry = _Entry(Property(name=name, kind=kind, line=line))
        self.entries.append(entry)
        self.alias(entry, name)
        base = _base_name(name)
        if base and base.lower() not in self.company:
            self.alias(entry, base)
        if parent is not None and parent is not entry:
            set_parent(self, entry, parent)
        return entry

    def alias(self, entry: _Entry, alias: str) -> None:
        k = self.key(alias)
        spelling = _LEADING_THE.sub("", _SPACES.sub(" ", alias.strip(" .,")))
        if spelling and spelling not in entry.spellings:
            entry.spellings.add(spelling)
            self._spellings = None
        if not k or k in entry.keys:
            return
        entry.keys.add(k)
        self.by_key.setdefault(k, []).append(entry)

    def parent_of(self, entry: _Entry) -> _Entry | None:
        return self.get(entry.prop.parent) if entry.prop.parent else None

    def mentions(self, text: str) -> list[tuple[int, int, _Entry]]:
        """Known names in ``text`` as (start, end, entry), the longest name at each place.

        Case-sensitive: "Joint Venture Property" is a name, "joint venture property" is not.
        Plain ``str.find`` over the few known spellings: cheaper than a regex rebuilt each
        time a name is added.
        """
        if self._spellings is None:
            self._spellings = sorted(
                {sp for e in self.entries for sp in e.spellings}, key=len, reverse=True
            )
            self._first_word = {sp: (_WORD.findall(sp) or [""])[0] for sp in self._spellings}
            self._first_words = tuple(dict.fromkeys(self._first_word.values()))
        # Spellings share first words ("Blue Rose", "Blue Rose Joint Venture"): each word
        # is looked for once, and most sentences hold none.
        present = {w for w in self._first_words if w in text}
        if not present:
            return []
        n = len(text)
        hits: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        first_word = self._first_word
        for sp in self._spellings:
            if first_word[sp] not in present:
                continue
            i = text.find(sp)
            while i >= 0:
                j = i + len(sp)
                if not (
                    (i and (text[i - 1].isalnum() or text[i - 1] == "_"))
                    or (j < n and (text[j].isalnum() or text[j] == "_"))
                ):
                    for a, b in taken:
                        if a < j and i < b:
                            break
                    else:
                        taken.append((i, j))
                        hits.append((i, j, sp))
                i = text.find(sp, j)
        out = []
        for i, j, sp in sorted(hits):
            after = text[j : j + 30].lower()
            if sp.lower() in self.company and not _KIND_AFTER.match(after):
                continue  # "X Ridge has a 100% interest ...": the company, not its property
            prefer: tuple[str, ...] = ()
            if _DEPOSIT_AFTER.match(after):
                prefer = ("deposit",)
            elif _LICENCE_AFTER.match(after):
                prefer = ("licence",)
            entry = self.get(sp, prefer)
            if entry:
                out.append((i, j, entry))
        return out


def _key(name: str) -> str:
    key = " ".join(name.replace("\u2019", "'").split()).strip(" .,").lower()
    return key[4:] if key.startswith("the ") else key


def _is_ancestor(reg: _Registry, maybe: _Entry, entry: _Entry) -> bool:
    seen = 0
    cur = reg.parent_of(entry)
    while cur is not None and seen < 20:
        if cur is maybe:
            return True
        cur = reg.parent_of(cur)
        seen += 1
    return False


def set_parent(reg: _Registry, child: _Entry, parent: _Entry) -> None:
    """Give ``child`` a parent; a more specific parent (a descendant of the current) wins."""
    if child is parent or _is_ancestor(reg, child, parent):
        return
    current = reg.parent_of(child)
    if current is None or _is_ancestor(reg, current, parent):
        child.prop.parent = parent.prop.name


def _recase(name: str, body: str) -> str:
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
        if (i and _is_word_char(body[i - 1])) or (j < len(body) and _is_word_char(body[j])):
            pos = i + 1
            continue
        if not m.group(0).isupper():
            return m.group(0)
        pos = j
    return _title(name)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


# --- the extractor --------------------------------------------------------------------


def extract_properties(doc: Document, metadata: Metadata) -> tuple[list[Property], list[Issue]]:
    """The company's properties with hierarchy, location, interest, royalties and spend."""
    try:
        reader = _Reader(doc, metadata)
        reader.run()
        return reader.result()
    except Exception as exc:  # noqa: BLE001 - one extractor must not lose the filing
        return [], [Issue(line=None, kind="properties", reason=f"properties not read: {exc!r}")]


class _Reader:
    def __init__(self, doc: Document, meta: Metadata) -> None:
        self.doc = doc
        self.meta = meta
        self.issues: list[Issue] = []
        self.aliases = company_aliases(doc, meta.company_name)
        self.alias_patterns = [
            (a, re.compile(r"(?<![\w])" + re.escape(a) + r"(?![\w])")) for a in self.aliases
        ]
        self.reg = _Registry(self.aliases)
        self.sold: set[int] = set()  # ids of entries the text says were sold
        self.blocks: tuple[ProseBlock, ...] = doc.prose
        self.body = "\n".join(b.text for b in self.blocks if not b.heading)
        self.country: str | None = None
        self.region: str | None = None
        self.context: list[_Entry] = []
        self.last_royalties: list[Royalty] = []
        self.levels = {s.line: s.level for s in doc.sections}

    def result(self) -> tuple[list[Property], list[Issue]]:
        for e in self.reg.entries:
            cur = self.reg.parent_of(e)
            depth = 0
            while (e.prop.country is None or e.prop.region is None) and cur and depth < 20:
                if e.prop.country is None:
                    e.prop.country = cur.prop.country
                if e.prop.region is None and e.prop.country == cur.prop.country:
                    e.prop.region = cur.prop.region
                cur = self.reg.parent_of(cur)
                depth += 1
        kept = [e for e in self.reg.entries if id(e) not in self.sold]
        return [e.prop for e in kept], self.issues

    def run(self) -> None:
        sents = sentences(self.doc)
        k = 0
        boilerplate: dict[str, bool] = {}
        for i, block in enumerate(self.blocks):
            if block.heading:
                self._heading(block.text, block.line, self.levels.get(block.line, 2))
                continue
            lead = _LEAD_IN.match(block.text) if ":" in block.text else None
            if lead and not _GENERIC_HEADING.search(lead.group("name")):
                name = f"{lead.group('name')} {lead.group('kw')}"
                entry = self.reg.get(name) or self.reg.get(lead.group("name"))
                entry = entry or self._register(name, _kind_of_name(name), block.line)
                self.context = [entry]
            while k < len(sents) and sents[k].block < i:
                k += 1
            skip = None
            while k < len(sents) and sents[k].block == i:
                sent = sents[k]
                k += 1
                if skip is None:
                    # A block's sentences share its headings.
                    skip = is_boilerplate(sent.subsection, boilerplate) or is_boilerplate(
                        sent.section, boilerplate
                    )
                if not skip:
                    self._sentence(sent.text, sent.low, sent.line, sent.digit)

    # -- headings --

    def _register(self, name: str, kind: str, line: int, parent: _Entry | None = None) -> _Entry:
        entry = self.reg.add(name, kind, line, parent)
        if entry.prop.country is None and self.country and parent is None:
            entry.prop.country = self.country
            if entry.prop.region is None:
                entry.prop.region = self.region
        return entry

    def _heading(self, title: str, line: int, level: int) -> None:
        title = " ".join(title.split())
        country, region = _place(title)
        if country and region is None:  # a country section: "AUSTRALIA"
            self.country, self.region, self.context = country, None, []
            return
        dash = _HEADING_DASH.match(title) if "-" in title else None
        if dash:
            c2, r2 = _place(dash.group("left"))
            if c2 and r2 is None:  # "MONGOLIA - X HILL"
                self.country, self.region = c2, None
                name = _recase(dash.group("right"), self.body)
                entry = self.reg.get(name, ("project", "property", "joint_venture"))
                entry = entry or self.reg.get(name + " Project") or self.reg.get(name + " Property")
                if entry is None:
                    entry = self._register(name, "property", line)
                self._locate(entry, c2, None)
                self.context = [entry]
                return
            parent = self.reg.get(_recase(dash.group("left"), self.body))
            if parent:  # "X Hill - Y West"
                child_name = _recase(dash.group("right"), self.body)
                child = self.reg.get(child_name) or self._register(
                    child_name, "property", line, parent
                )
                set_parent(self.reg, child, parent)
                self.context = [child]
                return
        placed = _HEADING_PLACE.match(title) if "," in title else None
        if placed:
            c3, r3 = _place(placed.group("place"))
            names = [n for n in _LIST_SPLIT.split(placed.group("names")) if n]
            entries = []
            for n in names:
                if not _CAPITAL.match(n) or _GENERIC_HEADING.search(n):
                    entries = []
                    break
                kind = _kind_of_name(n)
                entry = self.reg.get(n) or self._register(n, kind, line)
                entries.append(entry)
            if entries:
                for entry in entries:
                    self._locate(entry, c3, r3)
                self.context = entries
                return
        kinded = _HEADING_KIND.match(title)
        if kinded and not _GENERIC_HEADING.search(kinded.group("name")) and title[:1].isupper():
            kw = kinded.group("kw").lower()
            base = kinded.group("name").strip()
            if len(base.split()) <= 5:
                if kw in ("joint venture", "jv"):
                    entry = self.reg.get(title) or self.reg.get(base)
                    entry = entry or self._register(
                        _recase(title, self.body), "joint_venture", line
                    )
                    self.reg.alias(entry, base)
                elif kw in ("project",):
                    entry = self.reg.get(title) or self._register(
                        _recase(title, self.body), "project", line
                    )
                else:
                    name = _recase(base, self.body)
                    entry = self.reg.get(name) or self._register(name, "property", line)
                self.context = [entry]
                return
        if level == 1:
            self.country, self.region, self.context = None, None, []

    def _locate(self, entry: _Entry, country: str | None, region: str | None) -> None:
        if country and entry.prop.country is None:
            entry.prop.country = country
        if region and entry.prop.region is None and entry.prop.country in (None, country):
            entry.prop.region = region

    # -- sentences --

    def _sentence(self, s: str, low: str, line: int, digit: bool) -> None:
        # Cheap substring tests decide which patterns a sentence needs: most need none.
        self._discover(s, low, line)
        pct = "%" in s
        interest = pct and ("interest" in low or "owned" in low)
        royalty = "royalt" in low or "nsr" in low or "npi" in low
        # Sizes and claim counts are numbers: a sentence without a digit states neither.
        size = digit and (
            "hectare" in low
            or "square kilomet" in low
            or "km2" in low
            or "km²" in low
            or "sq km" in low
            or (" ha" in low and _HA_AFTER_NUMBER.search(s) is not None)
        )
        claims = digit and "claims" in low
        spend = "$" in s and (
            "expend" in low or "expense" in low or "spent" in low or "cost" in low
        )
        located = " in " in s and (
            has_any(low, _LOCATION_WORDS)
            or ("ern " in low and has_any(low, _LOCATION_COMPASS_WORDS))
        )
        if not (interest or royalty or size or claims or spend or located):
            return
        mentions = self.reg.mentions(s)
        subject = self._subject(s, mentions)
        if located:
            self._locations(s, mentions)
        if interest:
            self._interest(s, low, line, mentions)
        if royalty:
            if pct:
                self._royalty(s, line, mentions)
            else:
                self._buyback_only(s)
        if size:
            self._hectares(s, subject, mentions)
        if claims:
            self._claims(s, subject)
        if spend:
            self._expenditures(s, low, line, mentions)

    def _subject(
        self, s: str, mentions: list[tuple[int, int, _Entry]], pos: int | None = None
    ) -> _Entry | None:
        """The property a fact at ``pos`` (default: the whole sentence) is about."""
        end = len(s) if pos is None else pos
        for dm in _DEFINED_TERM.finditer(s, 0, end):
            e = self.reg.get(dm.group("alias"))
            if e:
                return e
        if _GENERIC_OPENER.match(s) and len(self.context) == 1:
            return self.context[0]
        before = [e for a, _, e in mentions if a < end]
        if before:
            return before[0]
        return self.context[0] if len(self.context) == 1 else None

    def _discover(self, s: str, low: str, line: int) -> None:
        parent_ctx = self.context[0] if len(self.context) == 1 else None
        # '"' and "%" are found far faster than a word: tested first.
        defines = '"' in s and ('("' in s or '(the "' in s)
        # ``_DEFINED_AFTER`` holds "(the" and a kind word, ``_OUR`` a kind word.
        kind_word = "property" in low or "project" in low or "mine" in low
        defined_after = defines and "(the" in s and (kind_word or "deposit" in s or "licen" in s)
        if defined_after:
            for m in _DEFINED_AFTER.finditer(s):
                alias = m.group("alias").strip()
                name = m.group("name").strip()
                kind = _KIND_WORDS.get(m.group("kw").lower(), "property")
                canonical = alias if self.reg.key(alias).startswith(self.reg.key(name)) else name
                entry = self.reg.get(canonical) or self._register(canonical, kind, line, parent_ctx)
                self.reg.alias(entry, name)
                self.reg.alias(entry, alias)
                self._place_after(entry, s[m.start() :])
        if kind_word and ("our " in low or "its " in low or "company's" in low):
            for m in _OUR.finditer(s):
                name = m.group("name").strip()
                if _GENERIC_HEADING.search(name) or name in ("Company", "The"):
                    continue
                if _SOLD_BEFORE.search(s, max(0, m.start() - 30), m.start()):
                    continue
                kw = m.group("kw")
                full = f"{name} {kw}" if kw[0].isupper() else name
                entry = self.reg.get(full) or self.reg.get(name)
                if entry is None:
                    kind = _KIND_WORDS.get(kw.lower(), "property")
                    entry = self._register(full, kind, line, parent_ctx)
                self._place_after(entry, s[m.end() :])
        if defines and "joint venture" in low:
            for m in _DEFINED_JV.finditer(s):
                alias = m.group("alias").strip()
                if self.reg.get(alias) is None:
                    self._register(alias, "joint_venture", line, parent_ctx)
        if defines and "portion of" in low:
            for m in _PORTION.finditer(s):
                parent = self.reg.get(m.group("parent").strip())
                alias = m.group("alias").strip()
                if parent and self.reg.get(alias) is None:
                    self._register(alias, "property", line, parent)
        if defines:
            # (the "Joint Venture Property") naming the sentence's subject.
            for m in _DEFINED_TERM.finditer(s):
                alias = m.group("alias").strip()
                if self.reg.get(alias) or not _NAMED_KIND_END.search(alias):
                    continue
                before = self.reg.mentions(s[: m.start()])
                if before:
                    self.reg.alias(before[0][2], alias)
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
            self._hierarchy(s, line, parent_ctx, comprised, hosts, on_parent)

    def _locations(self, s: str, mentions: list[tuple[int, int, _Entry]]) -> None:
        """ "The X Property lies in the Atacama Region of northern Chile", "the X
        property in the Cusco Region of southern Peru", "The property is located in ..."."""
        spots = [(b, e) for _, b, e in mentions]
        opener = _GENERIC_OPENER.match(s)
        if opener and len(self.context) == 1:
            spots.insert(0, (opener.end(), self.context[0]))
        for b, entry in spots:
            if entry.prop.country is not None and entry.prop.region is not None:
                continue
            tail = s[b : b + 160]
            am = _AFTER_NAME_IN.match(tail)
            if not am:
                continue
            lm = _LOCATED.match(tail, am.end())
            if lm:
                country, region = _place(lm.group("place"))
                sub = lm.group("sub") or lm.group("sub2")
                if region is None and sub and country:
                    region = sub
                self._locate(entry, country, region)

    def _place_after(self, entry: _Entry, text: str) -> None:
        lm = _LOCATED.match(text.lstrip(" ,"))
        if lm is None:
            lm = _LOCATED.search(text[:80])
        if lm:
            country, region = _place(lm.group("place"))
            sub = lm.group("sub")
            if region is None and sub and country:
                region = sub
            self._locate(entry, country, region)

    def _hierarchy(
        self,
        s: str,
        line: int,
        parent_ctx: _Entry | None,
        comprised: bool,
        hosts: bool,
        on_parent: bool,
    ) -> None:
        cm = _COMPRISED.search(s) if comprised else None
        if cm:
            parent = self._parent_before(s, cm.start(), line)
            if parent:
                kind = _KIND_WORDS.get(cm.group("kw").lower(), "property")
                for name in _names_in_list(cm.group("list")):
                    child = self.reg.get(name) or self._register(name, kind, line, parent)
                    set_parent(self.reg, child, parent)
                lm = _LOCATED.search(s[: cm.start()])
                if lm:
                    country, region = _place(lm.group("place"))
                    self._locate(parent, country, region or lm.group("sub"))
        for hm in _HOSTS.finditer(s) if hosts else ():
            items = _list_items(s[hm.end() :])
            if not items:
                continue
            respectively = _RESPECTIVELY.search(s[hm.end() :])
            leading = self.reg.mentions(s[: hm.start()])
            if respectively and len(leading) == len(items) and len(items) > 1:
                parents = [e for _, _, e in leading]
            else:
                which = _WHICH_END.search(s[max(0, hm.start() - 16) : hm.start()])
                parent = self._parent_before(s, hm.start(), line, which=which is not None)
                if parent is None:
                    continue
                parents = [parent] * len(items)
            for (name, kind), parent in zip(items, parents, strict=False):
                if kind != "deposit":
                    continue
                child = self.reg.get(name, ("deposit",))
                if (
                    child is None
                    or child.prop.kind != "deposit"
                    and self.reg.key(child.prop.name) != self.reg.key(name)
                ):
                    child = self._register(name, "deposit", line, parent)
                set_parent(self.reg, child, parent)
        for om in _ON_PARENT.finditer(s) if on_parent else ():
            child = self.reg.get(om.group("child"), ("deposit",))
            parent = self.reg.get(om.group("parent"), ("licence", "property"))
            if child and parent:
                set_parent(self.reg, child, parent)

    def _parent_before(self, s: str, pos: int, line: int, which: bool = False) -> _Entry | None:
        """The property a hierarchy verb at ``pos`` is about: the name just before it."""
        head = s[:pos]
        mentions = self.reg.mentions(head)
        if which and mentions:
            return mentions[-1][2]
        m = _NAMED_OPENER.match(head)
        if m and not _GENERIC_HEADING.search(m.group("name")):
            kw = m.group("kw")
            name = m.group("name") + (" " + kw if kw[0].isupper() else "")
            entry = self.reg.get(name) or self.reg.get(m.group("name"))
            return entry or self._register(name, _KIND_WORDS[kw.lower()], line)
        if mentions and mentions[0][0] < 12:
            return mentions[0][2]
        return None

    # -- interest --

    def _is_company(self, text: str, sentence: str) -> bool:
        low = text.lower()
        if any(a in low and rx.search(low) for a, rx in self.alias_patterns):
            return True
        if _COMPANY_WORDS.search(text):
            if _IT_ITS.search(text) and not _COMPANY_NOT_IT.search(text):
                return self._first_actor_is_company(sentence)
            return True
        return False

    def _first_actor_is_company(self, sentence: str) -> bool:
        m = _FIRST_ACTOR.search(sentence)
        if not m:
            return False
        actor = m.group("actor").lower()
        return any(a in actor for a in self.aliases) or bool(_COMPANY_ACTOR.search(actor))

    def _holder_text(self, s: str, verb_start: int, verb: str) -> str:
        head = s[:verb_start]
        if verb.startswith("to "):
            return (
                head
                if self._first_actor_is_company(s) and not _WITH_PARTY_END.search(head)
                else head[:60]
            )
        pieces = [p for p in _BOUNDARY.split(head) if p.strip()]
        return pieces[-1] if pieces else ""

    def _interest(
        self, s: str, low: str, line: int, mentions: list[tuple[int, int, _Entry]]
    ) -> None:
        # Each pattern holds a word (``_INTEREST`` "interest", ``_OWNED_BY`` "owned",
        # ``_POSSESSIVE`` "its", "our" or "'s"): without it, the pattern cannot match.
        stated = _INTEREST.finditer(s) if "interest" in keyword_text(s, low) else ()
        for pm in stated:
            window = max(0, pm.start() - 70)
            m = _INTEREST_VERB.search(s, window, pm.start())
            if m is None:
                continue
            verb = _SPACES.sub(" ", m.group("verb").lower())
            mods = m.group("mods").lower()
            if "additional" in mods or "further" in mods:
                continue
            holder = self._holder_text(s, m.start(), verb)
            if verb.startswith("to "):
                company = self._first_actor_is_company(s)
            else:
                company = self._is_company(holder, s)
            if not company:
                continue
            rank = _RANKS.get(verb, 1)
            if rank == 0:
                for _, _, e in mentions:
                    if e.interest_rank < 2:
                        self.sold.add(id(e))
                continue
            if _CONDITIONAL.search(s, max(0, m.start() - 70), m.start()):
                rank = min(rank, 1)
            pct = to_number(pm.group("pct"))
            if pct is None or pct > 100:
                continue
            target = pm.group("target")
            cut = _TARGET_CUT.search(target)
            if cut and not _JV_TARGET.match(target):
                target = target[: cut.start()]
            entries = self._resolve_target(target.strip(), line, rank, pm.start("target"), mentions)
            if entries is None:
                continue
            if not entries:
                self._unattached(line, s, f"a {pct:g}% interest the company holds or may earn")
                continue
            for entry in entries:
                self._set_interest(entry, pct, rank)
        for m in _OWNED_BY.finditer(s) if "owned" in s else ():
            if not self._is_company(m.group("holder"), s):
                continue
            entry = self.reg.get(m.group("target"))
            pct = to_number(m.group("pct"))
            if entry and pct is not None and pct <= 100:
                self._set_interest(entry, pct, 3)
        possessive = "its" in s or "our" in s or "'s" in s
        for m in _POSSESSIVE.finditer(s) if possessive else ():
            if not self._is_company(m.group("holder"), s):
                continue
            pct = to_number(m.group("pct"))
            target = (m.group("target1") or m.group("target2") or "").strip()
            if pct is None or pct > 100 or not target:
                continue
            if m.group("target1"):
                entry = self.reg.get(target) or self._register(
                    _LOWER_THE.sub("", target),
                    _kind_of_name(target),
                    line,
                    self.context[0] if len(self.context) == 1 else None,
                )
                self._set_interest(entry, pct, 3)
                continue
            entries = self._resolve_target(target, line, 3, m.start("target2"), mentions)
            for entry in entries or []:
                self._set_interest(entry, pct, 3)

    def _set_interest(self, entry: _Entry, pct: float, rank: int) -> None:
        if rank > entry.interest_rank:
            entry.prop.interest_pct = pct
            entry.interest_rank = rank

    def _resolve_target(
        self,
        target: str,
        line: int,
        rank: int,
        offset: int,
        mentions: list[tuple[int, int, _Entry]],
    ) -> list[_Entry] | None:
        """The properties an interest's target text names; [] if none; None to ignore it."""
        if _FORMERLY.search(target) or _SUBSET.match(target):
            return None
        if _PORTION_TARGET.match(target) and len(self.context) == 1:
            return [self.context[0]]
        if _GENERIC_TARGET.match(target) and len(self.context) == 1:
            # "two exploration licences covering ..., north of Y": the section's property
            return [self.context[0]]
        inside = [e for a, b, e in mentions if offset <= a < offset + len(target)]
        if inside:
            out: list[_Entry] = []
            for e in inside:
                if e not in out:
                    out.append(e)
            return out
        if _GENERIC_TARGET.match(target):
            return [self.context[0]] if len(self.context) == 1 else []
        jv = _JV_TARGET.match(target)
        if jv:
            partner = jv.group("partner").split()[0].lower()
            for e in self.reg.entries:
                if e.prop.kind == "joint_venture" and partner in e.prop.name.lower():
                    return [e]
            return []
        nm = _NEW_TARGET.match(target)
        if nm and not _GENERIC_HEADING.search(nm.group("name")):
            name = nm.group("name").strip()
            kw = nm.group("kw")
            kind = _KIND_WORDS.get(kw.lower(), "property")
            full = f"{name} {kw}" if kw[0].isupper() else name
            entry = self.reg.get(full) or self.reg.get(name)
            if entry is None:
                parent = self.context[0] if len(self.context) == 1 else None
                entry = self._register(full, kind, line, parent)
                self._place_after(entry, target[nm.end() :])
                if not self.context:
                    self.context = [entry]
            return [entry]
        return []

    def _unattached(self, line: int, s: str, what: str) -> None:
        self.issues.append(
            Issue(
                line=line,
                kind="unattached_property_fact",
                reason=f"{what} could not be attached to a property",
                text=s.strip()[:500],
            )
        )

    # -- royalties --

    def _royalty(self, s: str, line: int, mentions: list[tuple[int, int, _Entry]]) -> None:
        found: list[Royalty] = []
        for m in _ROYALTY.finditer(s):
            if _BUYBACK_BEFORE.search(s[max(0, m.start() - 40) : m.start()]):
                continue
            if _ADDITIONAL_END.search(s[max(0, m.start() - 14) : m.start()]) or _IF.match(s):
                continue  # a royalty that would arise later, not one in force
            pct = to_number(m.group("pct"))
            if pct is None or pct <= 0 or pct > 50:
                continue
            kind = next((k for rx, k in _ROYALTY_KINDS if rx.search(m.group("kind"))), "royalty")
            tail = s[m.end() : m.end() + 140]
            buy = _BUYBACK.search(tail)
            buyback = None
            if buy:
                buyback = pct / 2 if buy.group("half") else to_number(buy.group("to"))
            holder = None
            hm = _HOLDER_AFTER.match(tail)
            if hm:
                holder = _clean_holder(hm.group("holder"))
            else:
                before = s[max(0, m.start() - 80) : m.start()]
                hb = _HOLDER_BEFORE.search(before) or _HOLDER_FROM.search(before)
                if hb:
                    holder = _clean_holder(hb.group("holder"))
            found.append(
                Royalty(kind=kind, pct=pct, holder=holder, line=line, buyback_to_pct=buyback)
            )
        if not found:
            self._buyback_only(s)
            return
        targets = self._royalty_targets(s, mentions)
        if not targets:
            self.last_royalties = []
            sold = _SOLD.search(s) is not None
            for r in found:
                what = f"a {r.pct:g}% {r.kind} royalty"
                what += " on a property the company sold" if sold else ""
                self._unattached(line, s, what)
            return
        self.last_royalties = [_merge_royalty(entry.prop, r) for entry in targets for r in found]

    def _royalty_targets(self, s: str, mentions: list[tuple[int, int, _Entry]]) -> list[_Entry]:
        words = keyword_text(s, s.lower())
        if ("each" in words or "both" in words) and _EACH_PROPERTY.search(s):
            if self.context:
                return list(self.context)
        named: list[_Entry] = []
        for a, _, e in mentions:
            if _NOT_NOW_BEFORE.search(s[max(0, a - 40) : a]):
                continue
            if e not in named:
                named.append(e)
        if named:
            return named
        if _SOLD.search(s):
            return []
        return [self.context[0]] if len(self.context) == 1 else list(self.context)

    def _buyback_only(self, s: str) -> None:
        """ "Each NSR royalty may be bought down to 1% ..." after the royalty's sentence."""
        if not self.last_royalties:
            return
        words = keyword_text(s, s.lower())
        if not has_any(words, _BUYBACK_WORDS):
            return
        bm = _BUYBACK.search(s)
        if not bm:
            return
        for r in self.last_royalties:
            if r.buyback_to_pct is None:
                r.buyback_to_pct = r.pct / 2 if bm.group("half") else to_number(bm.group("to"))

    # -- size --

    def _hectares(self, s: str, subject: _Entry | None, mentions: list) -> None:
        for m in _HECTARES.finditer(s):
            value = to_number(m.group("n"))
            if value is None or value <= 0:
                continue
            if not m.group("u").lower().startswith("h"):
                value *= 100.0  # square kilometres
            named = _HECTARE_BEFORE_NAME.match(s[m.end() - len(m.group("u")) :])
            entry = self.reg.get(named.group("name")) if named else None
            if entry is None:
                entry = self._subject(s, mentions, m.start())
            if entry is not None and entry.prop.hectares is None:
                entry.prop.hectares = value

    def _claims(self, s: str, subject: _Entry | None) -> None:
        """Claims a defining sentence lists ("consists of 847 unpatented ... and 12 patented
        lode claims"): every count after the defining verb, subsets ("226 of the") left out."""
        if subject is None or subject.prop.claims is not None:
            return
        verb = _CLAIMS_VERB.search(s)
        if verb is None:
            return
        total = 0
        for m in _CLAIMS.finditer(s, verb.start()):
            if _OF_THE.match(s[m.end() : m.end() + 10]):
                continue
            if _CLAIMS_NOT_OWN_BEFORE.search(s[max(0, m.start() - 30) : m.start()]):
                continue
            n = to_number(m.group("n"))
            if n is not None:
                total += int(n)
        if total:
            subject.prop.claims = total

    # -- spend --

    def _expenditures(
        self, s: str, low: str, line: int, mentions: list[tuple[int, int, _Entry]]
    ) -> None:
        cmp_at = _COMPARED_TO.search(s) if "compared" in s else None
        limit = cmp_at.start() if cmp_at else len(s)
        named: list[_Entry] = []
        label = ""
        in_group = False  # the previous name was named and "and" joins this one to it
        for k, (a, b, e) in enumerate(mentions):
            if a >= limit:
                break
            # "A Project expenditures", "expenses incurred on the A and B targets", "expended ... on A"
            near_after = _SPEND_AFTER_NAME.match(s, b)
            near_before = _SPEND_BEFORE_NAME.search(s[max(0, a - 60) : a])
            group = _NAME_GROUP_TAIL.match(s, b)
            if (
                in_group
                or near_after
                or near_before
                or (group and _SPEND_AFTER_NAME.match(s, group.end()))
            ):
                if e not in named:
                    named.append(e)
                if not label:
                    end = near_after.end() if near_after else b
                    label = _SPACES.sub(" ", s[a:end]).strip()
                nxt = mentions[k + 1][0] if k + 1 < len(mentions) else -1
                in_group = nxt > b and _AND_BETWEEN.fullmatch(s, b, nxt) is not None
            else:
                in_group = False
        if not named:
            return
        amounts = find_amounts(s, self.meta.currency, low)
        refs = period_refs(s, annual_year_end(self.meta))
        if len(named) > 1:
            label = "combined: " + ", ".join(e.prop.name for e in named)
        for i, a in enumerate(amounts):
            after = [r for r in refs if a.end <= r.start <= a.end + 4 and r.months]
            ref = after[0] if after else None
            if ref is None and i == 0:
                lead = [r for r in refs if r.end <= a.start and r.months]
                ref = lead[-1] if lead else None
            if ref is None or ref.period_end is None:
                continue
            for e in named:
                if any(
                    x.period_end == ref.period_end and x.months == ref.months and x.value == a.value
                    for x in e.prop.expenditures
                ):
                    continue
                e.prop.expenditures.append(
                    Expenditure(
                        value=a.value,
                        currency=a.unit,
                        period_end=ref.period_end,
                        months=ref.months or 0,
                        line=line,
                        label=label[:80],
                    )
                )


_SPEND = r"(?:exploration\s+)?(?:expenditures?|expenses?|costs)"
_SPEND_AFTER_NAME = re.compile(
    r"(?:\s+(?:project|property|targets?|claims|licen[cs]e)){0,2}\s+" + _SPEND + r"\b"
)
_SPEND_BEFORE_NAME = re.compile(
    _SPEND
    + r"\s+(?:incurred\s+)?(?:on|at|for)\s+(?:the\s+)?$|\bexpended\b[^.;]{0,60}\bon\s+(?:the\s+)?$"
)
_AND_BETWEEN = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+(?:the\s+)?|\s*,\s*(?:the\s+)?")
_NAME_GROUP_TAIL = re.compile(r"\s+(?:and|&)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3}")


def _kind_of_name(name: str) -> str:
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


def _names_in_list(text: str) -> list[str]:
    """ "A and B", "the A licence and the B licence" -> names."""
    out = []
    for part in _LIST_SPLIT.split(text):
        part = _LOWER_THE.sub("", part.strip())
        part = _KIND_WORD_END.sub("", part)
        m = _WHOLE_NAME.match(part)
        if m and not _GENERIC_HEADING.search(part):
            out.append(part)
    return out


def _list_items(text: str) -> list[tuple[str, str]]:
    """("A", "deposit") items from "the A and the B deposits", "the A copper deposit, ..." """
    text = _LIST_END.split(text)[0]
    text = _RESPECTIVELY_END.sub("", text)
    parts = [p for p in _LIST_SPLIT.split(text) if p.strip()]
    items: list[tuple[str, str | None]] = []
    for part in parts:
        m = _LIST_ITEM.match(part.strip())
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


def _clean_holder(text: str) -> str | None:
    text = _NEXT_SENTENCE.split(text)[0]  # "... Pty Ltd. In the fourth quarter"
    text = _SPACES.sub(" ", text).strip(" .,")
    text = _ANY_CASE_THE.sub("", text)
    text = _JOINER_END.sub("", text)
    return text or None


def _merge_royalty(prop: Property, new: Royalty) -> Royalty:
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
