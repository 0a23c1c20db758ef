"""People's names as reports write them, and the officials they are in the database.

A report puts honorifics and ranks before a name ("Raksha Mantri, Shri Rajnath Singh",
"Dato' Seri Mohamad Hasan", "Gen. Chansamone Chanyalath"); the database keeps names without
them (``Official.name``). ``strip_honorifics`` takes them off, ``match_official`` finds the
official by name or alias, then by a near miss (``rapidfuzz``: "Takeshi lwaya", a misread
capital I).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from .phrases import normal
from .vocabulary import OfficialInfo, Vocabulary

_APOSTROPHE = r"['’]"
#: Honorifics, titles of courtesy and ranks, longest first. A post ("Minister") is not one.
HONORIFICS = [
    r"His\s+Excellency",
    r"Her\s+Excellency",
    r"H\.\s?E\.",
    r"Right\s+Hon(?:ou?rable|\.)?",
    r"Rt\.?\s+Hon\.?",
    r"Hon(?:ou?rable|['’]ble|\.)?",
    r"Shri(?:mati)?",
    r"Sushri",
    r"Smt\.?",
    r"Kumari",
    r"Mr\.?",
    r"Mrs\.?",
    r"Ms\.?",
    r"Dr\.?",
    r"Prof\.?",
    r"Sir",
    r"Dame",
    r"Lord",
    rf"Dato{_APOSTROPHE}?\s+Seri",
    rf"Dato{_APOSTROPHE}?\s+Sri",
    r"Datuk\s+Seri",
    r"Datuk",
    r"Datin",
    rf"Dato{_APOSTROPHE}?(?:\s+Paduka)?",
    r"Tan\s+Sri",
    r"Puan\s+Sri",
    r"Toh\s+Puan",
    r"Tun",
    r"Seri",
    r"YAB",
    r"YBhg\.?",
    r"YB",
    r"YM",
    r"Yang\s+Berhormat",
    r"Pehin",
    r"Pengiran",
    r"Haji",
    r"Hajjah",
    r"Sheikh",
    r"Shaikh",
    r"Bapak",
    r"Pak",
    r"Ibu",
    r"Senator",
    r"Congress(?:man|woman)",
    r"General",
    r"Gen\.?",
    r"Lieutenant[\s-]+General",
    r"Lt\.?[\s-]*Gen\.?",
    r"Major[\s-]+General",
    r"Maj\.?[\s-]*Gen\.?",
    r"Brigadier(?:\s+General)?",
    r"Brig\.?(?:\s+Gen\.?)?",
    r"Lieutenant\s+Colonel",
    r"Lt\.?\s*Col\.?",
    r"Colonel",
    r"Col\.?",
    r"Captain",
    r"Capt\.?",
    r"Commodore",
    r"Cmde\.?",
    r"Vice\s+Admiral",
    r"Vice\s+Adm\.?",
    r"Rear\s+Admiral",
    r"Rear\s+Adm\.?",
    r"Admiral",
    r"Adm\.?",
    r"Air\s+Chief\s+Marshal",
    r"ACM",
    r"Air\s+Vice\s+Marshal",
    r"AVM",
    r"Air\s+Marshal",
    r"Air\s+Commodore",
    r"Field\s+Marshal",
    r"Marshal",
    r"Group\s+Captain",
    r"Wing\s+Commander",
    r"Lieutenant",
    r"Lt\.?",
    r"Major",
    r"Maj\.?",
]
HONORIFIC = "(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r")(?![\w'’])"
#: Any run of honorifics before a name, with the commas some reports put between them.
HONORIFIC_RUN = rf"(?:{HONORIFIC}\.?,?\s+)+"
_LEADING = re.compile(rf"^\s*(?P<run>{HONORIFIC_RUN})", re.UNICODE)
#: Honorifics that name a spouse rather than the official ("Mrs. Lawrence Wong").
SPOUSE = re.compile(
    r"\b(?:spouse|wife|husband|partner)\b,?\s*(?:(?:Mrs|Mr|Ms|Dr|Madam)\.?\s*)?$", re.IGNORECASE
)
_RETIRED = re.compile(r"\s*\((?:retd|retired|rtd)\.?\)", re.IGNORECASE)

#: Capital and small letters of names in Latin script, accented ones included ("Pål", "Łukasz",
#: "Müller"): ``[A-Z]`` alone would cut a name at its first accented letter.
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LOWER = "a-zß-öø-ÿā-ſ"
_CAP = rf"(?:Mc|Mac|O['’])?[{UPPER}][{LOWER}]+(?:[-’'][{UPPER}{LOWER}][{LOWER}]+)*"
_INITIAL = rf"[{UPPER}]\.?"
_PARTICLE = r"(?:bin|binti|bint|ibn|bte|van|von|de|da|dos|del|della|der|al|el|le|di|du)"
# A capital I misread as a lower-case l ("Takeshi lwaya"), only as the last word of a name
# before punctuation, and never an English word.
_MISREAD = (
    r"l(?!ast\b|ater\b|ate\b|ately\b|ed\b|eft\b|ike\b|ong\b|ess\b|east\b|ive\b)"
    r"[a-z]{3,}(?=\s*[,.;:)]|\s*$)"
)
#: A person's name: capitalised words, initials, particles ("Anwar bin Ibrahim").
NAME = (
    rf"(?:{_INITIAL}\s+)*{_CAP}"
    rf"(?:\s+(?:{_PARTICLE}\s+)?(?:{_CAP}|{_INITIAL}(?=\s+[{UPPER}])|{_MISREAD}))*"
)
NAME_RE = re.compile(rf"(?<![\w'’⟩]){NAME}")

#: Capitalised words that are never part of a person's name.
NOT_NAME = set(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "He",
        "She",
        "It",
        "They",
        "We",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "Both",
        "All",
        "Each",
        "Some",
        "Any",
        "Many",
        "Several",
        "Another",
        "Other",
        "During",
        "After",
        "Before",
        "While",
        "Upon",
        "On",
        "In",
        "At",
        "To",
        "For",
        "From",
        "With",
        "By",
        "Of",
        "And",
        "But",
        "Or",
        "As",
        "If",
        "When",
        "Where",
        "Since",
        "Also",
        "Further",
        "Meanwhile",
        "However",
        "Later",
        "Earlier",
        "Today",
        "Ministry",
        "Department",
        "Government",
        "Office",
        "Army",
        "Navy",
        "Air",
        "Force",
        "Forces",
        "Defence",
        "Defense",
        "Minister",
        "Ministers",
        "Secretary",
        "Secretaries",
        "President",
        "Prime",
        "Premier",
        "Council",
        "Committee",
        "Commission",
        "Agreement",
        "Dialogue",
        "Summit",
        "Meeting",
        "Partnership",
        "Policy",
        "Initiative",
        "Programme",
        "Program",
        "Corporation",
        "Company",
        "Ltd",
        "Limited",
        "Industry",
        "Industries",
        "University",
        "Institute",
        "Bank",
        "Group",
        "Embassy",
        "Mission",
        "Union",
        "Republic",
        "Kingdom",
        "State",
        "States",
        "National",
        "Federal",
        "Joint",
        "Statement",
        "Release",
        "Bureau",
        "Agency",
        "Indian",
        "Ocean",
        "Region",
        "Cabinet",
        "Parliament",
        "Senate",
        "Chief",
        "Chairman",
        "Deputy",
        "Vice",
        "Ambassador",
        "Commissioner",
        "High",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Shri",
        "PM",
        "Raksha",
        "Mantri",
        "Crown",
        "Prince",
        "King",
        "Queen",
        "Sultan",
        "Emir",
        "Delegation",
        "Navy's",
        "Minister's",
        "Secretary's",
        "Excellency",
        "Roundtable",
        "Expo",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Special",
        "Strategic",
        "Global",
        "Comprehensive",
        "Enhanced",
        "Official",
        "Visit",
        "Talks",
        "Memorandum",
        "Understanding",
        "Roadmap",
        "Road",
        "Map",
        "Exercise",
        "Operation",
        "Act",
        "East",
        "Make",
        "Asean",
        "ASEAN",
        "Quad",
        "QUAD",
    ]
)


def strip_honorifics(text: str) -> tuple[str, str]:
    """``(honorific, name)``: "Dato’ Seri Mohamad Hasan" → ("Dato’ Seri", "Mohamad Hasan")."""
    text = _RETIRED.sub("", text).strip()
    m = _LEADING.match(text)
    if not m:
        return "", text
    honorific = " ".join(m.group("run").replace(",", " ").split())
    return honorific, text[m.end() :].strip()


def clean_name(text: str) -> str:
    """A name as the database keeps it: no honorific, no possessive, single spaces."""
    _, name = strip_honorifics(text)
    name = re.sub(r"['’]s$", "", name.strip())
    return " ".join(name.split()).strip(" ,.;:")


def trim_name(text: str) -> str:
    """``text`` cut before the first word that is never part of a name."""
    kept = []
    for word in text.split():
        stem = re.sub(r"['’]s$", "", word)
        if stem.strip(".,") in NOT_NAME:
            break
        kept.append(stem)
        if stem != word:  # a possessive ends the name: "Wong's visit"
            break
    return " ".join(kept)


def _without_particles(name: str) -> str:
    return " ".join(w for w in normal(name).split() if not re.fullmatch(_PARTICLE, w))


def _unmisread(name: str) -> str:
    """A name with a misread capital I put back ("lwaya" → "Iwaya")."""
    return re.sub(r"(?<=\s)l(?=[a-z]{3,}$)", "I", name)


class OfficialIndex:
    """The database's officials by every name they go by, for a report's names."""

    def __init__(self, vocabulary: Vocabulary):
        self.by_name: dict[str, list[OfficialInfo]] = {}
        for official in vocabulary.officials:
            for name in official.names():
                _, bare = strip_honorifics(name)
                for key in {normal(bare), _without_particles(bare)}:
                    if key:
                        self.by_name.setdefault(key, []).append(official)
        self.choices = {key: key for key in self.by_name}
        surnames: dict[str, list[OfficialInfo]] = {}
        for official in vocabulary.officials:
            parts = normal(official.name).split()
            if len(parts) > 1:
                surnames.setdefault(parts[-1], []).append(official)
        self.by_surname = surnames

    def exact(self, name: str, country: str | None = None) -> OfficialInfo | None:
        """The official whose name or alias is ``name`` (of ``country``, when it is known)."""
        found = self.by_name.get(normal(name)) or self.by_name.get(_without_particles(name))
        return _one_of(found, country)

    def near(self, name: str, country: str | None = None) -> OfficialInfo | None:
        """The official whose name is a near miss of ``name``: a misspelling, a misread
        letter. A near miss counts only for a name of two words or more, and only within
        the same country when the report gives one."""
        key = normal(_unmisread(name))
        if len(key.split()) < 2 or not self.choices:
            return None
        if key in self.by_name:
            return _one_of(self.by_name[key], country)
        cutoff = 90 if country else 94
        best = process.extract(key, self.choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)
        for choice, _score, _ in best:
            found = _one_of(self.by_name[choice], country)
            if found is not None:
                return found
        return None

    def match(self, name: str, country: str | None = None) -> OfficialInfo | None:
        return self.exact(name, country) or self.near(name, country)

    def surname(self, word: str, country: str | None = None) -> OfficialInfo | None:
        """The one official of ``country`` whose surname is ``word`` ("PM Modi")."""
        if not country:
            return None
        return _one_of(self.by_surname.get(normal(word)), country)


def _one_of(found: list[OfficialInfo] | None, country: str | None) -> OfficialInfo | None:
    if not found:
        return None
    if country:
        found = [o for o in found if o.country == country]
    unique = {o.slug: o for o in found}
    return next(iter(unique.values())) if len(unique) == 1 else None
