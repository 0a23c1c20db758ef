"""The intake of one report: read it, find what it names, draft its records, match them.

``draft_report(text, published=...)`` is the one entry point (the ``intake`` command and the
admin's intake desk call it). It reads the database (a fixed number of queries) and writes
nothing.
"""

from __future__ import annotations

import datetime as dt

from .draft import Draft
from .mentions import Marks
from .officials import People, posts_of
from .places import mark_cities, mark_countries, mark_groupings
from .report import read_report
from .vocabulary import Vocabulary, load_vocabulary
from .when import find_dates


def mark_sentences(report, vocabulary: Vocabulary, people: People) -> list[Marks]:
    """Every sentence's mentions, in reading order (dates, groupings, countries, officials,
    cities), people found as they come."""
    marked = []
    for sentence in report.sentences:
        marks = Marks(sentence)
        for when in find_dates(sentence.text, report.published):
            marks.add("date", when.begin, when.stop, when)
        mark_groupings(marks, vocabulary)
        mark_countries(marks, vocabulary)
        people.read(marks)
        mark_cities(marks)
        marked.append(marks)
    return marked


def draft_report(text: str, *, published: dt.date | None = None) -> dict:
    """The draft of the records ``text`` supports, as a JSON-able dict (``Draft.as_dict``)."""
    return build_draft(text, published=published).as_dict()


def build_draft(text: str, *, published: dt.date | None = None, vocabulary=None) -> Draft:
    report = read_report(text, published)
    vocabulary = vocabulary or load_vocabulary()
    people = People(vocabulary)
    marked = mark_sentences(report, vocabulary, people)
    draft = Draft(report.published, report.paragraph_count, report.dateline)
    _countries(draft, marked, people, vocabulary)
    _groupings(draft, marked, vocabulary)
    _officials(draft, people, report)
    return draft


def _countries(draft: Draft, marked: list[Marks], people: People, vocabulary: Vocabulary) -> None:
    found: dict[str, set[int]] = {}
    for marks in marked:
        for mention in marks.of("country"):
            found.setdefault(mention.value, set()).add(marks.paragraph)
        for span in marks.spans:
            for iso2 in span.value.countries:
                found.setdefault(iso2, set()).add(marks.paragraph)
    for person in people.people:
        if person.country:
            found.setdefault(person.country, set()).update(person.paragraphs)
    for iso2, paragraphs in sorted(found.items(), key=lambda kv: (min(kv[1]), kv[0])):
        draft.new(
            "countries",
            iso2=iso2,
            name=vocabulary.country_name(iso2),
            paragraphs=set(paragraphs),
            match=iso2 if iso2 in vocabulary.countries else None,
        )


def _groupings(draft: Draft, marked: list[Marks], vocabulary: Vocabulary) -> None:
    found: dict[str, set[int]] = {}
    for marks in marked:
        for mention in marks.of("grouping"):
            found.setdefault(mention.value, set()).add(marks.paragraph)
    for slug, paragraphs in sorted(found.items(), key=lambda kv: min(kv[1])):
        grouping = vocabulary.grouping(slug)
        draft.new(
            "groupings", slug=slug, name=grouping.short_name, paragraphs=paragraphs, match=slug
        )


def _officials(draft: Draft, people: People, report) -> None:
    for person in sorted(people.people, key=lambda p: (p.first_seen, p.key)):
        posts = posts_of(person)
        official = person.official
        matches: list[str] = []
        held = []
        if official is not None and report.published:
            held = official.posts_on(report.published)
        known = [people.grammar.known(p, person.country) for p in posts]
        matches = [k.slug for k in known if k]
        titles = [k.title for k in known if k] or [t.post_title for t in held] or posts
        if not matches:
            matches = [t.post_slug for t in held]
        item = draft.new(
            "officials",
            name=person.display_name(),
            country=person.country,
            post=" and ".join(titles),
            posts=titles,
            post_matches=matches,
            honorific=person.honorific,
            written=person.name if official and person.name != official.name else "",
            paragraphs=set(person.paragraphs),
            match=official.slug if official else None,
        )
        person.item = item
