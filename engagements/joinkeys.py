"""Join keys of countries for other datasets: UN M49 and Gleditsch–Ward state numbers.

Read at run time from the table that ``country_converter`` ships (``country_data.tsv``: its
``UNcode`` and ``GWcode`` columns), keyed by ISO 3166-1 alpha-3; nothing is downloaded.

Where that table departs from Gleditsch and Ward's own list of independent states for a
present-day state, ``GW_CORRECTIONS`` overrides it, each with the reason (docs/panels.md).
``COW_DIFFERS`` lists the present-day states whose Correlates of War ``ccode`` differs from
the Gleditsch–Ward number, for joining COW-coded data (COW codes are not in the panel, since
nothing installed ships them).
"""

from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class JoinKeys:
    m49: int | None = None
    gwcode: int | None = None


#: ISO3 → (Gleditsch–Ward number, why): where country_converter's table has another state's
#: number (Gleditsch & Ward's list: 316 Czech Republic from 1993, 315 the former
#: Czechoslovakia; 678 Yemen, continuing North Yemen after 1990, 680 the former South Yemen;
#: 816 Vietnam, the former North, 817 the former Republic of Vietnam).
GW_CORRECTIONS: dict[str, tuple[int, str]] = {
    "CZE": (316, "country_converter gives 315, Czechoslovakia's number (to 1992)."),
    "YEM": (678, "country_converter gives 680, the former South Yemen's number (to 1990)."),
    "VNM": (816, "country_converter gives 817, the former Republic of Vietnam's (to 1975)."),
}

#: ISO3 → (Gleditsch–Ward number, Correlates of War ccode) where they differ today.
COW_DIFFERS: dict[str, tuple[int, int]] = {
    "DEU": (260, 255),  # GW continues 260 through 1990; COW gives unified Germany 255.
    "YEM": (678, 679),  # COW gives unified Yemen 679 from 1990.
    "SRB": (340, 345),  # COW continues Yugoslavia's 345 for Serbia.
}


def _number(text: str) -> int | None:
    text = (text or "").strip()
    return int(float(text)) if text else None


@cache
def _table() -> dict[str, JoinKeys]:
    data = importlib.resources.files("country_converter") / "country_data.tsv"
    keys: dict[str, JoinKeys] = {}
    with data.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            iso3 = row["ISO3"].strip()
            if not iso3 or row.get("obsolete", "").strip():
                continue  # a former state: its ISO3 is not a present country's
            gw = _number(row["GWcode"])
            if iso3 in GW_CORRECTIONS:
                gw = GW_CORRECTIONS[iso3][0]
            keys.setdefault(iso3, JoinKeys(_number(row["UNcode"]), gw))
    return keys


def join_keys(iso3: str) -> JoinKeys:
    """The M49 and Gleditsch–Ward codes of the country ``iso3`` (None where it has none)."""
    return _table().get(iso3, JoinKeys())
