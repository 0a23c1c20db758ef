"""What the dataset is, under which licences, and how to cite it: one place for /about/,
its schema.org ``Dataset`` JSON-LD and the citation meta tags of record pages.

The version is pyproject.toml's (``settings.DEFREL_VERSION``); CITATION.cff at the
repository root says the same (a test holds them together).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

TITLE = "defrel: India's defence diplomacy"
PUBLISHER = "defrel curators"
DESCRIPTION = (
    "A curated relational database of India's defence diplomacy: the meetings India holds "
    "with other countries, the officials who take part and the posts they hold, the "
    "agreements signed or negotiated with their status over time, standing mechanisms and "
    "initiatives, and the outcomes of meetings, each value cited to a paragraph of a source "
    "document or marked as inferred or reference knowledge."
)
KEYWORDS = (
    "India",
    "defence diplomacy",
    "international relations",
    "defence cooperation agreements",
    "event data",
    "country-year panel",
)


@dataclass(frozen=True)
class Licence:
    spdx: str
    name: str
    url: str


DATA_LICENCE = Licence(
    "CC-BY-4.0",
    "Creative Commons Attribution 4.0 International",
    "https://creativecommons.org/licenses/by/4.0/",
)
CODE_LICENCE = Licence("MIT", "MIT License", "https://opensource.org/license/mit")


def version() -> str:
    return settings.DEFREL_VERSION


def release_date() -> dt.date:
    return dt.date.fromisoformat(settings.DEFREL_RELEASE_DATE)


def citation_text(url: str) -> str:
    """The recommended citation, with the version and where it was read."""
    year = release_date().year
    return (
        f"{PUBLISHER} ({year}). {TITLE} (version {version()}) [Data set]. "
        f"Licensed under {DATA_LICENCE.spdx}. {url}"
    )


def json_ld(request) -> dict:
    """schema.org ``Dataset`` of the whole database, for /about/."""
    about = request.build_absolute_uri(reverse("engagements:about"))
    panel = request.build_absolute_uri(reverse("engagements:panel_country_year"))
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": TITLE,
        "description": DESCRIPTION,
        "url": about,
        "version": version(),
        "datePublished": release_date().isoformat(),
        "license": DATA_LICENCE.url,
        "isAccessibleForFree": True,
        "keywords": list(KEYWORDS),
        "inLanguage": "en",
        "spatialCoverage": {"@type": "Place", "name": "India and its partner countries"},
        "creator": {"@type": "Organization", "name": PUBLISHER},
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "citation": citation_text(about),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": "Country-year panel (CSV)",
                "encodingFormat": "text/csv",
                "contentUrl": f"{panel}?format=csv",
            },
            {
                "@type": "DataDownload",
                "name": "Country-year panel (JSON)",
                "encodingFormat": "application/json",
                "contentUrl": f"{panel}?format=json",
            },
        ],
    }
