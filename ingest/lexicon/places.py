"""Places: countries, and the states, provinces and regions of the main mining countries."""

from __future__ import annotations

import re

COUNTRIES = [
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


COUNTRY_ALIASES = {
    "united states of america": "United States",
    "u.s.a.": "United States",
    "usa": "United States",
    "drc": "Democratic Republic of the Congo",
    "ivory coast": "Côte d'Ivoire",
    "cote d'ivoire": "Côte d'Ivoire",
    "kyrgyz republic": "Kyrgyzstan",
}


US_STATES = [
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


CA_PROVINCES = [
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


AU_STATES = [
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


MX_STATES = [
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


REGION_ALIASES = {
    "west australia": "Western Australia",
    "nsw": "New South Wales",
    "québec": "Quebec",
}


# Region (state, province) -> its country.
REGIONS: dict[str, str] = {
    name.lower(): country
    for names, country in (
        (US_STATES, "United States"),
        (CA_PROVINCES, "Canada"),
        (AU_STATES, "Australia"),
        (MX_STATES, "Mexico"),
    )
    for name in names
}


COUNTRY_SET = {c.lower() for c in COUNTRIES}


# Georgia is both a state and a country; as a region it is the state.
PLACE = "|".join(
    re.escape(p)
    for p in sorted(
        [*COUNTRIES, *US_STATES, *CA_PROVINCES, *AU_STATES, *MX_STATES], key=len, reverse=True
    )
)


def place_of(text: str) -> tuple[str | None, str | None]:
    """(country, region) for a place name such as "New Mexico" or "MONGOLIA"."""
    key = " ".join(text.split()).lower()
    if key in REGIONS:
        region = REGION_ALIASES.get(key) or title_case(text)
        return REGIONS[key], region
    if key in COUNTRY_SET:
        return COUNTRY_ALIASES.get(key) or title_case(text), None
    return None, None


def title_case(text: str) -> str:
    text = " ".join(text.split())
    if not text.isupper():
        return text
    return " ".join(
        w if w in ("of", "and", "the") else w.capitalize() for w in text.lower().split()
    )
