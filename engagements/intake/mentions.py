"""What a sentence names, where: the mentions every rule of the intake reads.

Each finder adds its mentions to a sentence's ``Marks``; a mention never overlaps another
(the first found keeps its words, and finders run from the most specific: a mechanism's
name before the countries inside it). ``Marks.masked`` writes the sentence with each
mention as a placeholder (``⟨official:3⟩``), so that the rules for meetings and agreements
are patterns over who and what, not over spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .report import Sentence

PLACEHOLDER = re.compile(r"⟨(?P<kind>[a-z]+):(?P<key>\d+)⟩")


@dataclass
class Mention:
    kind: str
    begin: int
    end: int
    value: object
    text: str


@dataclass
class Marks:
    sentence: Sentence
    mentions: list[Mention] = field(default_factory=list)
    #: Mentions that span others (counterparts named by their countries), kept apart.
    spans: list[Mention] = field(default_factory=list)
    #: Mentions a longer one took the words of (the countries in a mechanism's name).
    hidden: list[Mention] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph

    def free(self, begin: int, end: int, ignore=()) -> bool:
        """No mention (but of the kinds ``ignore``) holds any of these words."""
        return not any(
            m.begin < end and begin < m.end for m in self.mentions if m.kind not in ignore
        )

    def add(self, kind: str, begin: int, end: int, value, replace=()) -> Mention | None:
        """Add a mention unless its words are already taken; returns it (or None).

        Mentions of the kinds in ``replace`` that lie within it give way: a mechanism's name
        takes the countries it holds ("India-UK Defence Consultative Group").
        """
        if begin >= end:
            return None
        inside = [
            m for m in self.mentions if m.kind in replace and begin <= m.begin and m.end <= end
        ]
        if not self.free(begin, end) and any(
            m.begin < end and begin < m.end for m in self.mentions if m not in inside
        ):
            return None
        for m in inside:
            self.mentions.remove(m)
            self.hidden.append(m)
        mention = Mention(kind, begin, end, value, self.text[begin:end])
        self.mentions.append(mention)
        self.mentions.sort(key=lambda m: m.begin)
        return mention

    def elsewhere(self, begin: int, end: int, countries, home: str) -> bool:
        """Whether a name the database knows, found at ``begin``–``end``, is here another
        record's: qualified by a country it is not of ("India-Japan Defence Policy Dialogue"
        for the Korean one), or in a sentence about other partners only (a "Defence
        Cooperation Agreement" of Singapore's, not New Zealand's)."""
        theirs = set(countries) - {home}
        if not theirs:
            return False
        named = [m for m in self.mentions if m.kind == "country" and m.value != home]
        inside = [m for m in named if begin <= m.begin and m.end <= end]
        if inside:
            return False  # the name holds its own countries
        lead = [m for m in named if m.end <= begin and not self.text[m.end : begin].strip(" -–")]
        if any(m.value not in theirs for m in lead):
            return True
        partners = {m.value for m in named}
        return bool(partners) and not partners & theirs

    def add_span(self, kind: str, begin: int, end: int, value) -> Mention:
        mention = Mention(kind, begin, end, value, self.text[begin:end])
        self.spans.append(mention)
        return mention

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    def masked(self, kinds=None) -> tuple[str, list[Mention]]:
        """The text with each mention (of ``kinds``, or all) as ``⟨kind:i⟩`` (i its index in
        the returned list)."""
        chosen = [m for m in self.mentions if kinds is None or m.kind in kinds]
        out, at = [], 0
        for index, mention in enumerate(chosen):
            out.append(self.text[at : mention.begin])
            out.append(f"⟨{mention.kind}:{index}⟩")
            at = mention.end
        out.append(self.text[at:])
        return "".join(out), chosen
