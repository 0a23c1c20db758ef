"""Patterns for names as news reports spell them, and names compared as staff would.

A name is found whatever its punctuation, its "and" or "&", its British or American
spelling, or an acronym a report puts inside it ("ASEAN Defence Ministers' Meeting (ADMM)-Plus"):
``phrase_pattern`` makes the pattern, ``normal`` the form two spellings share.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TOKEN = re.compile(r"[^\W_]+|&")
# Spellings reports mix: Defence/Defense, programme/program, organisation/organization.
SPELLINGS = [
    (re.compile(r"^defen[cs]e$"), r"defen[cs]e"),
    (re.compile(r"^offen[cs]e$"), r"offen[cs]e"),
    (re.compile(r"^programm?e?$"), r"programm?e?"),
    (re.compile(r"^(cent)(re|er)$"), r"cent(?:re|er)"),
    (re.compile(r"^road$"), r"road"),
]
# Between two words of a name: spaces, hyphens, dashes, full stops, apostrophes (with the
# possessive s), and perhaps an acronym in brackets.
GAP = r"(?:['’]s?)?\.?(?:\s*\([A-Za-z][\w-]{0,11}\))?(?:[\s\-–—/]+|(?<=['’.])|(?=\())"
# Inner gaps may be nothing at all between two words of one compound: "Roadmap"/"Road map".
STOP = r"(?![\w])"


def fold(text: str) -> str:
    """Lower case without accents or curly quotes: "Türkiye" and "Turkiye" fold alike."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").casefold()


#: One spelling for the words reports spell two ways.
VARIANTS = {
    "&": ("and",),
    "defense": ("defence",),
    "offense": ("offence",),
    "program": ("programme",),
    "center": ("centre",),
    "organization": ("organisation",),
    "roadmap": ("road", "map"),
}


def variants(word: str) -> tuple[str, ...]:
    """A folded word as the words it stands for: "Defense" → ("defence",), "Roadmap" →
    ("road", "map")."""
    return VARIANTS.get(word, (word,))


def words(text: str) -> list[str]:
    """The words of a name, folded, spelt one way ("&" is "and", "Defense" is "defence")."""
    return [w for token in TOKEN.findall(fold(text)) for w in variants(token)]


def normal(text: str) -> str:
    """The form two spellings of one name share: folded words, one space between."""
    return " ".join(words(text))


def _word_pattern(word: str) -> str:
    if word == "and":
        return r"(?:and|&)"
    for test, pattern in SPELLINGS:
        if test.match(word):
            return pattern
    return re.escape(word)


def phrase_pattern(name: str) -> str:
    """A regular expression (to compile case-insensitively) for ``name`` as reports write it."""
    tokens = words(name)
    if not tokens:
        return r"(?!)"
    body = GAP.join(_word_pattern(t) for t in tokens)
    body = body.replace(r"road" + GAP + r"map", r"road\s*-?\s*map")
    return rf"(?<![\w&])(?:{body}){STOP}"


def _name_pattern(name: str) -> str:
    """One name's alternative in a ``NameFinder``: several words whatever their case; one
    word only as written, capitalised or in capitals ("Japan", "JAPAN"; "ROK" only as
    "ROK"), so that "us" is not "US" and "chad" is not Chad."""
    tokens = words(name)
    if len(tokens) > 1:
        return f"(?i:{phrase_pattern(name)})"
    written = name.strip()
    forms = {written, written.upper()}
    if not written.replace(".", "").isupper():
        forms.add(written[:1].upper() + written[1:])
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return rf"(?<![\w&])(?:{body})(?![\w])"


@lru_cache(maxsize=32)
def _compiled(names: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(_name_pattern(n) for n in names))


class NameFinder:
    """Every name of ``values`` ({name: value}) in a text, longest first where two start at
    one place, in one regular expression (compiled once per set of names)."""

    def __init__(self, values: dict[str, object]):
        names = tuple(sorted((n for n in values if words(n)), key=lambda n: (-len(n), n)))
        self.values = values
        self.by_normal = {normal(n): values[n] for n in names}
        self.regex = _compiled(names) if names else None
        self.names = names

    def finditer(self, text: str):
        """``(begin, end, value)`` of each name found."""
        if self.regex is None:
            return
        for m in self.regex.finditer(text):
            value = self._value(m.group())
            if value is not None:
                yield m.start(), m.end(), value

    def _value(self, found: str):
        key = normal(found)
        if key in self.by_normal:
            return self.by_normal[key]
        bare = normal(re.sub(r"\([^)]*\)|['’]s\b", " ", found))
        if bare in self.by_normal:
            return self.by_normal[bare]
        for name in self.names:  # a spelling the pattern allows: "Roadmap" for "Road map"
            if re.fullmatch(_name_pattern(name), found):
                return self.values[name]
        return None


_WORD = re.compile(r"[^\W_]+|&")
# What may stand between two words of one name: spaces, hyphens, dashes, full stops.
_JOIN = re.compile(r"[\s\-–—.'’]*")


class WordIndex:
    """Names found word by word in a dictionary (no pattern to compile, whatever their
    number): the longest name starting at each word wins. A one-word name counts only
    capitalised or in capitals, and an acronym ("US", "ROK") only as written."""

    def __init__(self, values: dict[str, object]):
        self.by_words: dict[tuple[str, ...], tuple[object, str | None]] = {}
        for name, value in values.items():
            key = tuple(words(name))
            if not key:
                continue
            exact = name.strip() if len(key) == 1 and name.replace(".", "").isupper() else None
            if key not in self.by_words or exact is None:
                self.by_words[key] = (value, exact)
        self.longest = max((len(k) for k in self.by_words), default=0)

    def finditer(self, text: str):
        """``(begin, end, value)`` of each name in ``text``."""
        tokens, folded = [], []
        for m in _WORD.finditer(text):
            for word in variants(fold(m.group())):  # "Roadmap": two words, one place
                tokens.append((m.start(), m.end(), m.group()))
                folded.append(word)
        i = 0
        while i < len(tokens):
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                found = self.by_words.get(tuple(folded[i : i + n]))
                if found is None or not self._joined(text, tokens, i, n):
                    continue
                value, exact = found
                first = tokens[i][2]
                if n == 1 and ((exact is not None and first != exact) or not first[:1].isupper()):
                    continue
                yield tokens[i][0], tokens[i + n - 1][1], value
                i += n
                break
            else:
                i += 1

    @staticmethod
    def _joined(text: str, tokens, i: int, n: int) -> bool:
        return all(
            tokens[j][0] == tokens[j + 1][0]  # two words of one written word
            or _JOIN.fullmatch(text[tokens[j][1] : tokens[j + 1][0]])
            for j in range(i, i + n - 1)
        )
