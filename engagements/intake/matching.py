"""What of a draft the database already holds: each item's ``match``.

Countries, groupings and officials are matched as they are found. Here: meetings (the same
mechanism and edition, the same grouping meeting, or the same officials on days that agree,
of a kind that agrees), agreements and initiatives the text names otherwise than the
database (a near-miss title, with the same parties). Running the intake again on a report
already entered so finds its records instead of proposing them twice. The meetings are read
in one query.
"""

from __future__ import annotations

from django.db.models import Q
from rapidfuzz import fuzz

from ..dates import DateSpan, PartialDateError
from ..models import Meeting, MeetingKind
from .phrases import normal
from .vocabulary import HOME, Vocabulary

TALKS = {MeetingKind.BILATERAL, MeetingKind.CALL}
#: Lowest score of a meeting match (the same officials, or the same session, at least).
ENOUGH = 5
TITLE_CUTOFF = 88


def _days(text: str):
    try:
        span = DateSpan.parse(text)
    except PartialDateError:
        return None, None
    return span.known_days()


def dates_agree(a: str, b: str) -> bool | None:
    """True when two CSV dates share a day, False when they cannot, None when one is
    unknown."""
    (a1, a2), (b1, b2) = _days(a), _days(b)
    if a1 is None or b1 is None:
        return None
    return a1 <= b2 and b1 <= a2


class Matcher:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary

    def match(self, draft, events, meetings: dict, officials: dict) -> None:
        self._meetings(draft)
        self._named(draft.items["agreements"], self.vocabulary.agreements, "parties")
        self._named(draft.items["initiatives"], self.vocabulary.initiatives, "countries")

    def _meetings(self, draft) -> None:
        items = draft.items["meetings"]
        initiatives = {i.id: i.match for i in draft.items["initiatives"]}
        people = {p.match for item in items for p in item.participants if p.match}
        mechanisms = {initiatives.get(item.mechanism) for item in items} - {None}
        groupings = {item.grouping for item in items} - {None}
        if not (people or mechanisms or groupings):
            return
        candidates = list(
            Meeting.objects.filter(
                Q(participations__official__slug__in=people)
                | Q(mechanism__slug__in=mechanisms)
                | Q(grouping__slug__in=groupings)
            )
            .distinct()
            .select_related("mechanism", "grouping", "country")
            .prefetch_related("participations__official")
        )
        scored = []
        for item in items:
            for candidate in candidates:
                score = self._score(item, candidate, initiatives.get(item.mechanism))
                if score >= ENOUGH:
                    scored.append((score, item.id, candidate))
        taken_items, taken = set(), set()
        by_id = {item.id: item for item in items}
        for _score, item_id, candidate in sorted(scored, key=lambda s: (-s[0], s[1])):
            if item_id in taken_items or candidate.pk in taken:
                continue
            by_id[item_id].match = candidate.slug
            taken_items.add(item_id)
            taken.add(candidate.pk)

    @staticmethod
    def _score(item, candidate: Meeting, mechanism: str | None) -> int:
        agree = dates_agree(item.dates, candidate.dates.isoformat())
        if agree is False:
            return 0
        score = 0
        if mechanism and candidate.mechanism and candidate.mechanism.slug == mechanism:
            if item.edition and candidate.edition:
                return 12 if item.edition == candidate.edition else 0
            if item.status != candidate.status:
                return 0
            score += 6
        elif item.grouping and candidate.grouping and candidate.grouping.slug == item.grouping:
            if item.edition and candidate.edition and item.edition != candidate.edition:
                return 0
            if item.kind != candidate.kind:
                return 0
            score += 8 if item.edition else 5
        ours = {p.match for p in item.participants if p.match}
        theirs = {p.official.slug for p in candidate.participations.all() if p.official_id}
        if ours and theirs:
            if ours == theirs:
                score += 5
            elif ours & theirs and item.kind == candidate.kind and item.kind not in TALKS:
                score += 2
            elif not score:
                return 0
        if item.kind == candidate.kind:
            score += 2
        elif {item.kind, candidate.kind} <= TALKS:
            score += 1
        elif not (item.kind == MeetingKind.MECHANISM or candidate.kind == MeetingKind.MECHANISM):
            score -= 3
        if agree:
            score += 2
            if item.dates == candidate.dates.isoformat():
                score += 1
        if item.country and candidate.country and item.country == candidate.country.iso2:
            score += 1
        return score

    @staticmethod
    def _named(items, records, countries_field: str) -> None:
        """An unmatched agreement or initiative whose title is a near miss of a record's
        name or alias, with parties (countries) in common besides India."""
        taken = {item.match for item in items if item.match}
        for item in items:
            if item.match:
                continue
            ours = set(getattr(item, countries_field)) - {HOME}
            best, best_score = None, 0
            for record in records:
                if record.slug in taken or record.kind != item.kind:
                    continue
                theirs = set(record.countries) - {HOME}
                if ours and theirs and not ours & theirs:
                    continue
                for name in record.names():
                    score = fuzz.token_sort_ratio(normal(item.title), normal(name))
                    if score > best_score:
                        best, best_score = record, score
            if best is not None and best_score >= TITLE_CUTOFF:
                item.match = best.slug
                taken.add(best.slug)
