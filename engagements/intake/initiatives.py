"""Initiatives a report names: policies, programmes, standing mechanisms, exhibitions,
exercises and joint efforts, and partnerships by their level.

Found by the names the database knows (names, aliases, acronyms), and by the way reports
name new ones: a capitalised title ending in a word that says what it is (… Policy, …
Initiative, … Network, … Mission, … Dialogue, … Consultative Group, … Expo), a name in quotes
before "initiative" or "policy" ("the 'Make in India' initiative"), "Exercise …" or "the …
exercise", a "2+2 dialogue", and a partnership named by its level ("Special Strategic
Partnership"), which is India's with the partner the sentence names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import InitiativeKind, Level
from .mentions import Marks
from .phrases import WordIndex, normal
from .titles import clean_title, head_kind, strip_ordinal, title_pattern
from .vocabulary import HOME, Vocabulary

MECHANISM_HEADS = (
    r"Joint\s+Working\s+Group|Working\s+Group|Consultative\s+Group|Policy\s+Group|"
    r"Steering\s+(?:Committee|Group)|Joint\s+Committee|Committee|Commission|Dialogue|"
    r"Consultations|(?:Staff|Policy|Military|Strategic|Security|Defen[cs]e)\s+Talks|Council|"
    r"Forum|Mechanism"
)
HEADS = {
    "mechanism": rf"(?P<mechanism>{MECHANISM_HEADS})",
    "exhibition": (
        r"(?P<exhibition>Def[Ee]xpo|DEFEXPO|Expo|EXPO|Exhibition|Air\s+Show|Aero\s+India)"
    ),
    "programme": (
        r"(?P<programme>Initiative|Programme|Program|Mission|Network|Cell|Corridors?|Scheme|"
        r"Project|Fund|Platform|Centre\s+of\s+Excellence)"
    ),
    "policy": r"(?P<policy>Policy|Doctrine|Vision)",
    "joint_effort": r"(?P<joint_effort>Ecosystem|Coalition)",
}
KINDS = {
    "mechanism": InitiativeKind.MECHANISM,
    "exhibition": InitiativeKind.EXHIBITION,
    "programme": InitiativeKind.PROGRAMME,
    "policy": InitiativeKind.POLICY,
    "joint_effort": InitiativeKind.JOINT_EFFORT,
}
_HEADS = "|".join(HEADS.values())
# A capitalised continuation after the head: "Initiative for Training in the Indo-Pacific".
_CAP_TAIL = (
    r"(?:\s+(?:for|on|of)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:(?:in|of|and|the|for)\s+)*"
    r"[A-Z][\w-]*){0,5})?"
)
TITLE = title_pattern(rf"(?:{_HEADS}){_CAP_TAIL}")
# The same heads in lower case, after capitalised words: "India's Act-East policy".
LOWER_HEADS = re.compile(
    r"(?<![\w-])(?P<title>(?:[A-Z][\w’'-]*\s+){1,4}(?P<head>policy|initiative|programme|mission))\b"
)
QUOTED = re.compile(
    r"[‘'\"“](?P<name>[A-Z][\w-]*(?:\s+[\w-]+){0,4})[’'\"”]\s+"
    r"(?P<head>initiative|campaign|policy|programme|scheme|vision|mission)\b"
)
QUOTED_NAME = re.compile(r"[‘'\"“](?P<name>[A-Z][\w-]*(?:\s+[\w-]+){0,4}(?:\s+Policy)?)\.?[’'\"”]")
EXERCISE = re.compile(
    r"\bExercise\s+(?P<a>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})"
    r"|(?<![\w-])(?P<b>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})\s+(?:(?:joint|military|naval|air|"
    r"bilateral|trilateral|multilateral|maritime|army|counter-terrorism)\s+){0,2}exercises?\b"
)
TWO_PLUS_TWO = re.compile(
    r"(?<![\w-])(?P<pair>[A-Z][\w]*[-–][A-Z][\w]*\s+)?2\s*\+\s*2\s+(?P<ministerial>ministerial\s+)?"
    r"(?:dialogue|talks|meeting)",
    re.IGNORECASE,
)
LEVELS = re.compile(
    r"(?<![\w-])(?P<level>special\s+strategic\s+and\s+global|comprehensive\s+strategic\s+and\s+"
    r"global|special\s+strategic|comprehensive\s+strategic|global\s+strategic|enhanced\s+"
    r"strategic|strategic)\s+partnership\b",
    re.IGNORECASE,
)
LEVEL_OF = {normal(label.removesuffix(" Partnership")): value for value, label in Level.choices}
#: Titles that name no initiative: a ministry, a people, the head word alone.
NOT_TITLES = re.compile(
    r"^(?:the\s+)?(?:Ministry|Department|Government|Prime\s+Minister|Defence\s+Minister)\b|"
    r"\b(?:Minister|Secretary|President|Ambassador|Commissioner)\b|"
    r"^(?:Initiative|Programme|Program|Mission|Network|Policy|Committee|Commission|Council|"
    r"Forum|Dialogue|Project|Fund|Platform|Expo|Exhibition|Cell|Scheme)s?$",
)
# Words that make a mechanism a pair's standing body rather than a world forum.
STANDING = re.compile(
    r"\b(?:Defen[cs]e|Security|Strategic|Policy|Military|Industr\w*|Economic|Financial|"
    r"Maritime|Cooperation|Consultative|Joint|Staff|Bilateral|Ministerial|Trade|Technology|"
    r"Science|Cyber|Space)\b|[A-Z][\w]*[-–][A-Z]"
)


STANDING_PAIR = re.compile(r"[A-Z][\w]*[-–][A-Z]")


@dataclass
class Thing:
    """An initiative of the report, found once and cited wherever it is named."""

    key: int
    title: str
    kind: str
    short: str = ""
    match: str | None = None
    countries: set[str] = field(default_factory=set)
    groupings: set[str] = field(default_factory=set)
    level: str = ""
    paragraphs: set[int] = field(default_factory=set)
    year: int | None = None


class Initiatives:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.things: list[Thing] = []
        names = {}
        for record in vocabulary.initiatives:
            for name in record.names():
                names.setdefault(name, record)
        self.finder = WordIndex(names)
        self.by_slug = {r.slug: r for r in vocabulary.initiatives}

    def thing(self, key: int) -> Thing:
        return self.things[key]

    def _get(
        self, title: str, kind: str, paragraph: int, *, short="", match=None, level="", countries=()
    ) -> Thing:
        key = normal(title)
        for thing in self.things:
            same = (match and thing.match == match) or normal(thing.title) == key
            same = same or (short and thing.short == short)
            same = same or (level and thing.level and set(countries) == thing.countries - {HOME})
            if same:
                thing.paragraphs.add(paragraph)
                thing.short = thing.short or short
                thing.match = thing.match or match
                thing.countries.update(countries)
                return thing
        thing = Thing(len(self.things), title, kind, short, match, set(countries), level=level)
        thing.paragraphs.add(paragraph)
        self.things.append(thing)
        return thing

    def mark_known(self, marks: Marks) -> None:
        """Initiatives the database knows, by name, alias or acronym."""
        for begin, end, record in self.finder.finditer(marks.text):
            if marks.elsewhere(begin, end, record.countries, HOME):
                continue  # "a Strategic Partnership" of another pair than the alias's
            thing = self._get(
                record.name,
                record.kind,
                marks.paragraph,
                short=record.short_name,
                match=record.slug,
                countries=record.countries,
            )
            marks.add("initiative", begin, end, thing.key, replace=("country",))

    def mark_new(self, marks: Marks) -> None:
        """Initiatives the text names as reports name them (a mechanism's name takes the
        countries it holds, "India-UK Defence Consultative Group", and they are behind it)."""
        text = marks.text
        for m in TWO_PLUS_TWO.finditer(text):
            pair = (m.group("pair") or "").strip()
            partners = sorted({x.value for x in marks.of("country")} - {HOME})
            if not pair and len(partners) == 1:  # "India and the US held their 2+2 …"
                pair = f"India–{self.vocabulary.country_name(partners[0])}"
            title = f"{pair} 2+2 {'Ministerial ' if m.group('ministerial') else ''}Dialogue"
            thing = self._get(
                title.strip(),
                InitiativeKind.MECHANISM,
                marks.paragraph,
                countries=set(partners[:1]) | {HOME} if len(partners) == 1 else (),
            )
            self._mark(marks, m.start(), m.end(), thing)
        for m in TITLE.finditer(text):
            title = clean_title(m.group("title"))
            title = re.sub(r"^(?:[A-Z][a-z]+['’]s\s+)", "", title)  # "India's …"
            title, _ = strip_ordinal(title)  # the edition is the meeting's, not the name's
            if NOT_TITLES.search(title) or (len(title.split()) < 2 and not m.group("year")):
                continue
            kind = KINDS[head_kind(m, {k: k for k in HEADS})]
            if kind == InitiativeKind.MECHANISM and not STANDING.search(title):
                continue
            if m.group("year") and kind == InitiativeKind.EXHIBITION:
                title = f"{title} {m.group('year')}"
            countries = ()
            if kind == InitiativeKind.MECHANISM and not STANDING_PAIR.search(title):
                # A pair's body named without the pair: the partners the sentence names.
                countries = {x.value for x in marks.of("country")} - {HOME}
            thing = self._get(
                title, kind, marks.paragraph, short=m.group("short") or "", countries=countries
            )
            begin = m.start("title") + m.group("title").find(title.split()[0])
            self._mark(marks, max(begin, m.start()), m.end(), thing)
        for m in LOWER_HEADS.finditer(text):
            title = re.sub(r"^(?:[A-Z][a-z]+['’]s\s+)", "", clean_title(m.group("title")))
            lead = title.rsplit(" ", 1)[0]
            if (
                len(title.split()) < 2
                or self.vocabulary.country_named(lead)
                or NOT_TITLES.search(lead)
            ):
                continue
            kind = (
                InitiativeKind.POLICY if m.group("head") == "policy" else InitiativeKind.PROGRAMME
            )
            thing = self._get(title, kind, marks.paragraph)
            self._mark(marks, m.start("title") + len(m.group("title")) - len(title), m.end(), thing)
        for m in QUOTED.finditer(text):
            head = m.group("head").lower()
            kind = (
                InitiativeKind.PROGRAMME
                if head in ("programme", "scheme", "mission")
                else InitiativeKind.POLICY
            )
            thing = self._get(clean_title(m.group("name")), kind, marks.paragraph)
            self._mark(marks, m.start(), m.end(), thing)
        for m in EXERCISE.finditer(text):
            name = clean_title(m.group("a") or m.group("b") or "")
            if (
                not name
                or name.split()[0] in ("The", "This", "A", "Joint")
                or self.vocabulary.country_named(name)
            ):
                continue
            thing = self._get(f"Exercise {name}", InitiativeKind.JOINT_EFFORT, marks.paragraph)
            self._mark(marks, m.start(), m.end(), thing)

    def mark_acronyms(self, marks: Marks) -> None:
        """Later mentions of a new initiative by its acronym ("the next edition of DPD")."""
        for thing in self.things:
            if thing.short and not thing.match:
                for m in re.finditer(rf"(?<![\w-]){re.escape(thing.short)}(?![\w-])", marks.text):
                    if marks.add("initiative", m.start(), m.end(), thing.key):
                        thing.paragraphs.add(marks.paragraph)

    def mark_partnerships(self, marks: Marks, partner: str | None) -> None:
        """Partnerships named by their level: India's with the one partner the sentence
        names (or, failing that, ``partner``: the report's)."""
        for m in LEVELS.finditer(marks.text):
            level = LEVEL_OF.get(normal(m.group("level")))
            if not level or not marks.free(m.start(), m.end()):
                continue
            others = sorted({x.value for x in marks.of("country")} - {HOME})
            near = [
                x.value
                for x in marks.of("country")
                if x.value != HOME and abs(x.begin - m.end()) < 60
            ]
            country = (
                near[0] if len(set(near)) == 1 else (others[0] if len(others) == 1 else partner)
            )
            if not country:
                continue
            label = dict(Level.choices)[level]
            name = self.vocabulary.country_name(country)
            known = next(
                (
                    r
                    for r in self.vocabulary.initiatives
                    if r.kind == InitiativeKind.PARTNERSHIP
                    and set(r.countries) - {HOME} == {country}
                ),
                None,
            )
            thing = self._get(
                f"India–{name} {label}",
                InitiativeKind.PARTNERSHIP,
                marks.paragraph,
                match=known.slug if known else None,
                level=level,
                countries={HOME, country},
            )
            marks.add("initiative", m.start(), m.end(), thing.key)

    def _mark(self, marks: Marks, begin: int, end: int, thing: Thing) -> None:
        if not marks.add("initiative", begin, end, thing.key, replace=("country",)):
            # Another mention holds some of these words: cite the paragraph all the same.
            thing.paragraphs.add(marks.paragraph)

    def add_countries(self, marks: Marks) -> None:
        """Countries named within an initiative's name are behind it ("India-UK …")."""
        for mention in marks.hidden:
            for thing_mention in marks.of("initiative"):
                if thing_mention.begin <= mention.begin and mention.end <= thing_mention.end:
                    thing = self.things[thing_mention.value]
                    if not thing.match:
                        thing.countries.add(mention.value)
