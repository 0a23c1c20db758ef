"""Proper titles of things: capitalised words ending in a head noun that says what the thing
is ("… Cooperation Agreement", "… Consultative Group", "… Logistics Network"), perhaps with
an acronym in brackets after it ("(SOSA)") and a year ("DefExpo 2020").

Shared by the initiatives and the agreements: each gives its own heads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A word of a title: capitalised, an acronym, a figure, "R&D", "2+2", hyphenated compounds
# ("Air-to-Air", "India-UK", "Quad-at-Sea").
_TITLE_WORD = r"(?:[A-Z][\w&’'.]*(?:-[\w&]+)*|\d+(?:\+\d+)?(?:st|nd|rd|th)?|R&D)"
# Small words a title may hold between its capitalised words ("and the" would join two).
_SMALL = r"(?:(?:of|for|on|in|to|at|between|with|regarding)(?:\s+the)?|and|&|the)"


@dataclass
class Title:
    """A title found in a sentence: its words, its head's kind, its acronym and year."""

    begin: int
    end: int
    title: str
    kind: str
    short: str = ""
    year: int | None = None
    countries: list[str] = field(default_factory=list)


def title_pattern(heads: str, *, tail: bool = False) -> re.Pattern:
    """Capitalised words ending in one of ``heads`` (a regular expression with named groups
    telling the kind), then an optional year and an acronym in brackets. With ``tail``, a
    lower-case topic after "on"/"regarding" belongs to the title ("Implementing arrangement
    on air-to-air refuelling", "Memorandum of Agreement regarding the deployment of …")."""
    lead = rf"(?:(?:{_TITLE_WORD})\s+(?:{_SMALL}\s+)?){{0,8}}"
    topic = ""
    if tail:
        topic = (
            r"(?:\s+(?:on|regarding|concerning|for)\s+(?:the\s+)?(?![\d⟨])"
            r"(?:(?!(?:was|were|is|are|has|have|had|which|that|signed|exchanged|between|and\s+the|"
            r"by|with|during|to|as|at|from|under|through|in\s+order)\b)[\w&’'-]+\s*){1,8}?"
            r"(?=[,.;:)]|\s+(?:was|were|is|are|has|have|had|which|that|signed|exchanged|between|"
            r"by|with|during|to|as|at|from|under|through|and|in\s+order)\b|$))?"
        )
    return re.compile(
        rf"(?<![\w&-])(?P<title>{lead}(?:{heads}){topic})(?:\s+(?P<year>(?:19|20)\d\d))?"
        rf"(?:\s*\((?P<short>[A-Z][\w&-]{{1,14}})\))?"
    )


def head_kind(m: re.Match, kinds: dict[str, str]) -> str:
    for group, kind in kinds.items():
        if m.groupdict().get(group):
            return kind
    return next(iter(kinds.values()))


def clean_title(text: str) -> str:
    """A title without a leading article or trailing punctuation, spaces single."""
    text = re.sub(r"^(?:the|a|an|its|their|his|her)\s+", "", text.strip(), flags=re.I)
    return " ".join(text.split()).strip(" ,.;:'’‘\"“”")


_UNITS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}
ORDINAL_WORDS = {word: n for n, word in enumerate(_UNITS, start=1)}
ORDINAL_WORDS.update({word: n for n, word in enumerate(_TEENS, start=10)})
ORDINAL_WORDS.update(_TENTHS)
for _tens, _value in _TENS.items():
    for _unit, _n in list(ORDINAL_WORDS.items())[:9]:
        ORDINAL_WORDS[f"{_tens}-{_unit}"] = _value + _n
ORDINAL_WORDS.update({"inaugural": 1, "maiden": 1})
#: An ordinal as reports write an edition: "11th", "fifth", "twenty-first", "inaugural".
ORDINAL = (
    r"(?:\d{1,3}(?:st|nd|rd|th)|"
    + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
    + r")(?![\w-])"
)


def ordinal_value(text: str) -> int | None:
    text = text.strip().lower()
    if text[:1].isdigit():
        return int(re.match(r"\d+", text).group())
    return ORDINAL_WORDS.get(text)


def strip_ordinal(title: str) -> tuple[str, int | None]:
    """ "24th India-UK Defence Consultative Group" → the title and 24."""
    m = re.match(rf"^(?P<ord>{ORDINAL})\s+", title, re.IGNORECASE)
    if not m:
        return title, None
    return title[m.end() :], ordinal_value(m.group("ord"))
