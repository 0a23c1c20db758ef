"""Where in a sentence a meeting's date and place are told.

The date after a meeting's verb or noun (up to where its clause ends), the sentence's only
date, the date of the clause a meeting is told in (not a date in an aside, nor one another
meeting of the sentence holds), and the place after "in" or "visit to". The dates themselves
are read by ``when``; this is only which of a sentence's dates and places is the meeting's.
"""

from __future__ import annotations

import re

from ..models import MeetingKind
from .events import Event
from .masking import Masked
from .meetingcues import PLACES
from .places import City
from .when import When

#: Words that open a clause of its own between a date and a verb.
SUBORDINATE = re.compile(
    r",\s*(?:during\s+which|after\s+which|where|when|while|before|after|and\s+(?:he|she|they))\b",
    re.I,
)


def places_in(masked: Masked, text: str) -> tuple[set[str], City | None]:
    """The countries ``text`` (a part of the masked sentence) names, and its first city."""
    countries, city = set(), None
    for mention in masked.mentions_in(text):
        if mention.kind == "country":
            countries.add(mention.value)
        elif mention.kind == "city":
            city = city or mention.value
            countries.add(mention.value.country)
    return countries, city


def date_after(masked: Masked, at: int, window: int) -> When | None:
    """The first known date within ``window`` characters after ``at``, in the same clause."""
    text = masked.text
    for m in re.finditer(r"⟨date:\d+⟩", text[at : at + window]):
        between = text[at : at + m.start()]
        if re.search(r"[.;]|\b(?:which|who|while|when|where|and\s+(?:he|she))\b", between):
            break
        when = masked.mention(m.group()).value
        if when.known:
            return when
    return None


def date_in(masked: Masked) -> When | None:
    """The sentence's date when it gives exactly one."""
    dates = [m.value for m in masked.chosen if m.kind == "date" and m.value.known]
    return dates[0] if len(dates) == 1 else None


def date_from(events: list[Event], masked: Masked, event: Event, at: int | None = None) -> None:
    """The date of the clause a meeting is told in: between its subject and verb, or
    after the verb in the same clause; not a date in an aside ("…, who arrived on June
    20, …") or held by another meeting of the sentence (but the visit it is part of)."""
    if event.when is not None:
        return
    text = masked.text
    claimed = {
        id(e.when)
        for e in events
        if e is not event and e.when is not None and e.kind != MeetingKind.VISIT
    }
    asides = [
        (m.start(), m.end()) for m in re.finditer(r",\s*(?:who|which|where|when)\b[^,;]*,", text)
    ]
    for index, mention in enumerate(masked.chosen):
        if mention.kind != "date" or not mention.value.known or id(mention.value) in claimed:
            continue
        where = text.find(f"⟨date:{index}⟩")
        if any(a <= where < b for a, b in asides):
            continue
        if at is not None and where > at and re.search(r"[;]|,\s+(?:and|but)\s", text[at:where]):
            continue
        if at is not None and where < at and SUBORDINATE.search(text[where:at]):
            continue  # "began a visit on Wednesday, during which he will meet …"
        event.when = mention.value
        return


def place_from(masked: Masked, event: Event) -> None:
    text = masked.text
    for m in re.finditer(rf"\b(?:in|(?:visit|trip)\s+to)\s+(?:the\s+)?(?P<place>{PLACES})", text):
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(r"(?:sidelines|margins)\s+of\s+[^.;]*$", before) or re.search(
            r"\binterest|invest|partner\w*\s*$", before
        ):
            continue
        countries, city = places_in(masked, m.group("place"))
        if city is not None:
            event.city = event.city or city
            event.country = event.country or city.country
            return
        if len(countries) == 1 and event.kind != MeetingKind.VISIT:
            event.country = event.country or next(iter(countries))
            return
