"""The people a report names, each once, with their country and post as the text gives them.

A name is an official's when the database knows it (by name or alias, honorifics and ranks
stripped), or when the text puts it where news reports put officials' names:

- after a post, with the country before it or after "of" ("Kenyan Defence Cabinet Secretary
  A B", "Minister of Defence of Peru C D", "Minister of Defence, Chile, E F");
- before a post, set off by commas ("G H, Minister of National Defence, Poland");
- after a counterpart ("his French counterpart, J K");
- after an honorific or a rank ("Gen. L M", "Dato' Seri N O");
- before a verb of saying ("P Q said").

Later mentions by surname ("Q", "Secretary Q", "PM Q") are the person last named so. A post
given without a country is the home country's (an Indian report's "Defence Secretary"),
unless the person is someone a visitor from home met abroad (then the host's). A person the
database does not know is proposed as new, with that country and post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .masking import Masked
from .meetingcues import COUNTRY, OFFICIAL
from .mentions import Marks
from .names import (
    HONORIFIC,
    HONORIFIC_RUN,
    LOWER,
    NAME,
    NAME_RE,
    NOT_NAME,
    SPOUSE,
    UPPER,
    OfficialIndex,
    clean_name,
    strip_honorifics,
    trim_name,
)
from .phrases import normal
from .posts import PostGrammar, split_posts
from .vocabulary import HOME, OfficialInfo, Vocabulary

_SAYING = (
    r"(?:said|says|stated|added|noted|told|remarked|explained|announced|emphasised|"
    r"emphasized|stressed|highlighted|recalled|observed)"
)


@dataclass
class Person:
    key: int
    name: str
    country: str | None = None
    posts: list[str] = field(default_factory=list)
    honorific: str = ""
    official: OfficialInfo | None = None
    paragraphs: set[int] = field(default_factory=set)
    first_seen: int = 0
    #: A post without a country ("Defence Secretary …"): the home country's, unless the
    #: person is met abroad by a visitor from home (then the host's).
    home_post: bool = False

    @property
    def words(self) -> list[str]:
        return normal(self.name).split()

    def display_name(self) -> str:
        return self.official.name if self.official else self.name


@dataclass
class Counterparts:
    """Officials a sentence names by post and country only ("his Kenyan, Chilean and Polish
    counterparts", "the Defence Ministers of Peru and the UAE")."""

    countries: list[str]
    post: str = ""


class People:
    """The report's people, found sentence by sentence."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.index = OfficialIndex(vocabulary)
        self.grammar = PostGrammar(vocabulary)
        self.people: list[Person] = []
        self._recent: list[int] = []  # keys, most recently mentioned last
        post = self.grammar.post
        hon = rf"(?:{HONORIFIC_RUN})?"
        who = rf"(?:{OFFICIAL}|{NAME})"
        self.after_post = re.compile(
            rf"(?P<c1>{COUNTRY}(?:['’]s)?\s+)?(?:(?:the|his|her)\s+)?(?P<post>{post})"
            rf"(?:\s+of\s+(?:the\s+)?(?P<c2>{COUNTRY}))?(?:\s*,\s*(?P<c3>{COUNTRY}))?\s*,?\s+"
            rf"(?P<hon>{hon})(?P<name>{who})"
        )
        self.before_post = re.compile(
            rf"(?P<hon>{hon})(?P<name>{who})\s*,\s*(?P<the>the\s+)?(?P<c1>{COUNTRY}(?:['’]s)?\s+)?"
            rf"(?P<post>{post})(?:\s+of\s+(?:the\s+)?(?P<c2>{COUNTRY}))?(?:\s*,\s*(?P<c3>{COUNTRY}))?"
            rf"(?P<end>\s*[,.;]|\s*$|\s+(?:and|who|at|in|on|during)\b)?"
        )
        self.counterpart = re.compile(
            rf"\b(?:his|her|their)\s+(?P<c1>{COUNTRY}\s+)?counterpart,?\s+(?P<hon>{hon})(?P<name>{who})"
        )
        countries = (
            rf"{COUNTRY}(?:\s*,\s*(?:the\s+)?{COUNTRY})*(?:,?\s+and\s+(?:the\s+)?{COUNTRY})?"
        )
        self.counterparts = re.compile(
            rf"\b(?:his|her|their)\s+(?:(?P<cs>{countries})\s+counterparts|counterparts\s+"
            rf"(?:from|of)\s+(?:the\s+)?(?P<cs2>{countries}))"
        )
        self.plural_posts = re.compile(
            rf"\b(?:the\s+)?(?P<post>{self.grammar.plural})\s+of\s+(?:the\s+)?"
            rf"(?P<cs>{countries})"
        )
        self.honorific = re.compile(rf"(?<![\w'’])(?P<hon>{HONORIFIC_RUN})(?P<name>{who})")
        self.saying = re.compile(rf"(?<![\w'’⟩])(?P<name>{NAME})\s+{_SAYING}\b")

    # --- the people -------------------------------------------------------------------

    def person(self, key: int) -> Person:
        return self.people[key]

    def _touch(self, person: Person, paragraph: int) -> None:
        person.paragraphs.add(paragraph)
        if person.key in self._recent:
            self._recent.remove(person.key)
        self._recent.append(person.key)

    def resolve(
        self, name: str, country: str | None, paragraph: int, *, new: bool
    ) -> Person | None:
        """The person ``name`` is: one already met, an official of the database, or (when
        ``new``) a new person. A single word is only ever someone already met (or the one
        official of that surname in ``country``)."""
        honorific, bare = strip_honorifics(name)
        bare = clean_name(bare)
        if not bare or bare.split()[0] in NOT_NAME:
            return None
        words = normal(bare).split()
        for key in reversed(self._recent):
            person = self.people[key]
            if _same_person(words, person, country):
                if honorific and not person.honorific:
                    person.honorific = honorific
                if len(words) > len(person.words) and not person.official:
                    person.name = bare
                if country and not person.country:
                    person.country = country
                self._touch(person, paragraph)
                return person
        official = self.index.match(bare, country) if len(words) > 1 else None
        if official is None and len(words) == 1:
            official = self.index.surname(bare, country)
        if (
            official is None
            and len(words) == 1
            and new
            and re.fullmatch(rf"[{UPPER}][{LOWER}]+", honorific)
        ):
            # "Gen Nakatani": a given name that is also a rank, written without its full stop.
            bare, honorific = f"{honorific} {bare}", ""
            words = normal(bare).split()
            official = self.index.match(bare, country)
        if official is not None:
            for person in self.people:
                if person.official is official:
                    self._touch(person, paragraph)
                    return person
        elif not new or len(words) < 2:
            return None
        person = Person(
            len(self.people),
            bare,
            official.country if official else country,
            honorific=honorific or (official.honorific if official else ""),
            official=official,
            first_seen=paragraph,
        )
        self.people.append(person)
        self._touch(person, paragraph)
        return person

    # --- one sentence -----------------------------------------------------------------

    def read(self, marks: Marks) -> None:
        """Mark the officials of a sentence (``official`` mentions, the person's key) and the
        counterparts named by country only (``counterparts`` mentions)."""
        self._known_names(marks)
        for rule in (self._after_post, self._before_post, self._counterpart, self._honorific):
            rule(marks)
        self._counterparts(marks)
        self._saying(marks)
        self._surnames(marks)
        self._coordinated(marks)

    def _country(self, masked: Masked, *placeholders) -> str | None:
        for placeholder in placeholders:
            if placeholder:
                mention = masked.mention(placeholder.strip().removesuffix("'s").removesuffix("’s"))
                if mention is not None and mention.kind == "country":
                    return mention.value
        return None

    def _add(
        self, marks: Marks, masked: Masked, m: re.Match, country: str | None, post: str | None
    ) -> None:
        begin, end = m.span("name")
        placeholder = masked.mention(m.group("name"))
        hon = m.groupdict().get("hon") or ""
        before = masked.raw_text(0, m.start("name"))
        if SPOUSE.search(before):
            return  # "his spouse, Mrs. Lawrence Wong" is not Lawrence Wong
        if placeholder is not None and placeholder.kind == "official":
            person = self.people[placeholder.value]
            if country and not person.country:
                person.country = country
        else:
            raw_begin, raw_end = masked.raw(begin, end)
            text = trim_name(marks.text[raw_begin:raw_end])
            if not text:
                return
            raw_end = raw_begin + len(text)
            if not marks.free(raw_begin, raw_end):
                return
            person = self.resolve(f"{hon}{text}", country, marks.paragraph, new=True)
            if person is None:
                return
            marks.add("official", raw_begin, raw_end, person.key)
        if post:
            post = " ".join(post.split())
            # "Secretary Austin" after "US Secretary of Defence Lloyd Austin": no new post.
            if not any(normal(post) in normal(p) for p in person.posts):
                person.posts = [p for p in person.posts if normal(p) not in normal(post)]
                person.posts.append(post)
            if not person.country and not country:
                known = self.grammar.known(post, None)
                if known is not None:
                    person.country = known.country
                else:
                    person.home_post = True  # whose, the meetings will tell
        self._touch(person, marks.paragraph)

    def _known_names(self, marks: Marks) -> None:
        """Names the database knows, wherever they stand."""
        masked = Masked(marks)
        for m in NAME_RE.finditer(masked.text):
            words = m.group().split()
            for size in range(min(6, len(words)), 1, -1):
                found = False
                for i in range(len(words) - size + 1):
                    candidate = " ".join(words[i : i + size])
                    honorific, bare = strip_honorifics(candidate)
                    official = self.index.exact(clean_name(bare))
                    if official is None:
                        continue
                    offset = m.start() + len(" ".join(words[:i])) + (1 if i else 0)
                    offset += len(candidate) - len(bare) if honorific else 0
                    length = len(clean_name(bare))
                    if not honorific:  # "Mohamed Khaled Nordin": the fuller name written
                        for word in reversed(words[max(0, i - 2) : i]):
                            if word in NOT_NAME or re.fullmatch(HONORIFIC + r"\.?", word):
                                break
                            if not re.fullmatch(rf"[{UPPER}][{LOWER}]+", word):
                                break
                            offset -= len(word) + 1
                            length += len(word) + 1
                    raw_begin, raw_end = masked.raw(offset, offset + length)
                    if not marks.free(raw_begin, raw_end):
                        continue
                    if SPOUSE.search(marks.text[max(0, raw_begin - 30) : raw_begin]) or re.search(
                        r"\bMrs\.?\s*$", marks.text[max(0, raw_begin - 6) : raw_begin]
                    ):
                        continue
                    person = self.resolve(
                        clean_name(bare), official.country, marks.paragraph, new=False
                    )
                    written = marks.text[raw_begin:raw_end]
                    if person is not None and len(written.split()) > len(person.name.split()):
                        person.name = written
                        if honorific and not person.honorific:
                            person.honorific = honorific
                        marks.add("official", raw_begin, raw_end, person.key)
                        found = True
                if found:
                    break

    def _after_post(self, marks: Marks) -> None:
        masked = Masked(marks, {"country", "official", "date", "grouping"})
        for m in self.after_post.finditer(masked.text):
            country = self._country(masked, m.group("c1"), m.group("c2"), m.group("c3"))
            self._add(marks, masked, m, country, m.group("post"))

    def _before_post(self, marks: Marks) -> None:
        masked = Masked(marks, {"country", "official", "date", "grouping"})
        for m in self.before_post.finditer(masked.text):
            if m.group("the") and not m.group("end") and not m.group("c2"):
                continue  # "Kim, the Defence Minister emphasised": the post is the subject's
            country = self._country(masked, m.group("c1"), m.group("c2"), m.group("c3"))
            self._add(marks, masked, m, country, m.group("post"))

    def _counterpart(self, marks: Marks) -> None:
        masked = Masked(marks, {"country", "official", "date", "grouping"})
        for m in self.counterpart.finditer(masked.text):
            self._add(marks, masked, m, self._country(masked, m.group("c1")), None)

    def _honorific(self, marks: Marks) -> None:
        masked = Masked(marks, {"country", "official", "date", "grouping"})
        for m in self.honorific.finditer(masked.text):
            self._add(marks, masked, m, None, None)

    def _saying(self, marks: Marks) -> None:
        masked = Masked(marks, {"country", "official", "date", "grouping"})
        for m in self.saying.finditer(masked.text):
            if len(m.group("name").split()) >= 2:
                self._add(marks, masked, m, None, None)

    def _coordinated(self, marks: Marks) -> None:
        """ "Shoigu and Foreign Minister Lavrov": someone listed with a person of known
        country, under a post without one, is of that country."""
        masked = Masked(marks, {"official"})
        for m in re.finditer(
            rf"(?P<a>{OFFICIAL})\s+and\s+(?:[A-Z][\w&'’.-]*\s+){{1,6}}(?P<b>{OFFICIAL})",
            masked.text,
        ):
            a = self.people[masked.mention(m.group("a")).value]
            b = self.people[masked.mention(m.group("b")).value]
            if a.country and not b.country and b.home_post and a.country != HOME:
                b.country, b.home_post = a.country, False

    def _counterparts(self, marks: Marks) -> None:
        masked = Masked(marks, {"country", "official", "date", "grouping"})
        for pattern in (self.counterparts, self.plural_posts):
            for m in pattern.finditer(masked.text):
                named = m.group("cs") or m.groupdict().get("cs2") or ""
                countries = [x.value for x in masked.mentions_in(named, "country")]
                post = m.groupdict().get("post") or ""
                begin, end = masked.raw(m.start(), m.end())
                marks.add_span(
                    "counterparts", begin, end, Counterparts(countries, post.rstrip("s"))
                )

    def _surnames(self, marks: Marks) -> None:
        """A later mention of someone by one of their names ("Singh", "PM Wong")."""
        masked = Masked(marks)
        for m in re.finditer(
            rf"(?<![\w'’⟩])[{UPPER}][{LOWER}]+(?:-[{UPPER}{LOWER}][{LOWER}]+)?(?=['’]s\b|\b)",
            masked.text,
        ):
            word = m.group()
            if word in NOT_NAME:
                continue
            key = normal(word)
            for person_key in reversed(self._recent):
                person = self.people[person_key]
                if len(person.words) > 1 and key in person.words[1:]:
                    begin, end = masked.raw(m.start(), m.end())
                    if marks.add("official", begin, end, person.key):
                        self._touch(person, marks.paragraph)
                    break


def _same_person(words: list[str], person: Person, country: str | None) -> bool:
    if country and person.country and country != person.country:
        return False
    mine = person.words
    if words == mine:
        return True
    if person.official is not None:
        for name in person.official.names():
            if normal(name).split() == words:
                return True
    if len(words) == 1:
        return words[0] in mine[1:] or words[0] == mine[-1]
    # "Lloyd Austin" and "Lloyd J. Austin": the same words in order, initials left out.
    short, long = sorted([words, mine], key=len)
    it = iter(long)
    return all(w in it for w in short) and short[-1] == long[-1]


def posts_of(person: Person) -> list[str]:
    posts: list[str] = []
    for post in person.posts:
        for each in split_posts(post):
            if each not in posts:
                posts.append(each)
    return posts
