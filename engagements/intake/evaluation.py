"""The intake scored against the curated seed, leaving one report out at a time.

For each source with a text: its curated records are read; then, inside a savepoint rolled
back afterwards, the database is left with everything except what only that source supports
(records all of whose citations are to it, its steps, aliases, tenures and partnership levels,
the officials and posts nothing else keeps); the report is drafted there and compared with
its curated records:

- countries: the countries of its records (meetings, parties, initiatives, officials);
- officials: by name (an alias, or a near miss) and country;
- meetings: by their participants (the same officials) and dates that agree; sessions and
  meetings without named participants by their mechanism or grouping; how often a matched
  meeting's dates, precision included, are exactly the curated ones;
- agreements: by title (a near miss, an alias, the acronym), and whether the status is the
  curated one (the latest step the source reports);
- initiatives (shown, not a target): by name.

Nothing of it stays: every change is rolled back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from rapidfuzz import fuzz

from ..models import (
    Agreement,
    AgreementAlias,
    AgreementStatusChange,
    Initiative,
    InitiativeAlias,
    Meeting,
    Official,
    PartnershipLevel,
    Post,
    PostAlias,
    Source,
    Tenure,
)
from ..models.agreements import latest_of
from .drafting import build_draft
from .matching import dates_agree
from .phrases import normal

#: A report of our own, drafted first so that the reports are timed as a running server
#: drafts them, after the libraries' data is read once.
WARM_UP = (
    " date 2024-01-08 New Delhi, Jan 8 : Defence Minister A B met Japanese Defence Minister C D "
    "in Tokyo on Monday and signed a Memorandum of Understanding in March 2023."
)
NAME_CUTOFF = 88
TITLE_CUTOFF = 80


@dataclass
class Tally:
    """Matches of one kind over the reports: found, drafted, curated."""

    matched: int = 0
    drafted: int = 0
    curated: int = 0

    def add(self, matched: int, drafted: int, curated: int) -> None:
        self.matched += matched
        self.drafted += drafted
        self.curated += curated

    @property
    def precision(self) -> float | None:
        return self.matched / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.curated if self.curated else None


@dataclass
class Share:
    right: int = 0
    of: int = 0

    @property
    def rate(self) -> float | None:
        return self.right / self.of if self.of else None


@dataclass
class DocumentScore:
    key: str
    seconds: float
    tallies: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    dates_right: tuple[int, int] = (0, 0)
    status_right: tuple[int, int] = (0, 0)
    uncited: int = 0
    misses: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    documents: list[DocumentScore] = field(default_factory=list)
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {
            k: Tally() for k in ("countries", "officials", "meetings", "agreements", "initiatives")
        }
    )
    dates: Share = field(default_factory=Share)
    statuses: Share = field(default_factory=Share)
    uncited: int = 0
    #: The first draft of a process, which reads the libraries' data (cities, patterns).
    first_seconds: float = 0.0

    @property
    def slowest(self) -> float:
        return max((d.seconds for d in self.documents), default=0.0)


# --- the curated records of one source -----------------------------------------------------


@dataclass
class CuratedOfficial:
    slug: str
    names: list[str]
    country: str


@dataclass
class CuratedMeeting:
    slug: str
    officials: set[str]
    dates: str
    kind: str
    mechanism: list[str]
    grouping: str


@dataclass
class CuratedAgreement:
    slug: str
    names: list[str]
    status: str


@dataclass
class Curated:
    countries: set[str]
    officials: list[CuratedOfficial]
    meetings: list[CuratedMeeting]
    agreements: list[CuratedAgreement]
    initiatives: list[list[str]]


def curated(source: Source) -> Curated:
    meetings = list(
        Meeting.objects.filter(citations__source=source)
        .distinct()
        .select_related("mechanism", "grouping", "country")
        .prefetch_related("participations__official__country", "countries", "mechanism__aliases")
    )
    agreements = list(
        Agreement.objects.filter(citations__source=source)
        .distinct()
        .prefetch_related("parties", "aliases", "status_history")
    )
    initiatives = list(
        Initiative.objects.filter(citations__source=source)
        .distinct()
        .prefetch_related("countries", "aliases")
    )
    officials = {}
    for meeting in meetings:
        for participation in meeting.participations.all():
            if participation.official_id:
                officials[participation.official.slug] = participation.official
    for official in (
        Official.objects.filter(tenures__citations__source=source)
        .distinct()
        .select_related("country")
    ):
        officials[official.slug] = official
    aliases = {}
    for slug, name in Official.aliases.rel.related_model.objects.filter(
        official__slug__in=officials
    ).values_list("official__slug", "name"):
        aliases.setdefault(slug, []).append(name)
    countries = set()
    for meeting in meetings:
        countries.update(c.iso2 for c in meeting.countries.all())
        if meeting.country_id:
            countries.add(meeting.country.iso2)
    for agreement in agreements:
        countries.update(c.iso2 for c in agreement.parties.all())
    for initiative in initiatives:
        countries.update(c.iso2 for c in initiative.countries.all())
    for official in officials.values():
        countries.add(official.country.iso2)
    return Curated(
        countries=countries,
        officials=[
            CuratedOfficial(o.slug, [o.name, *aliases.get(o.slug, [])], o.country.iso2)
            for o in officials.values()
        ],
        meetings=[
            CuratedMeeting(
                m.slug,
                {p.official.slug for p in m.participations.all() if p.official_id},
                m.dates.isoformat(),
                m.kind,
                [m.mechanism.name, *(a.name for a in m.mechanism.aliases.all())]
                if m.mechanism_id
                else [],
                m.grouping.slug if m.grouping_id else "",
            )
            for m in meetings
        ],
        agreements=[
            CuratedAgreement(
                a.slug,
                [a.title, a.short_name, *(x.name for x in a.aliases.all())],
                _status_of(a, source),
            )
            for a in agreements
        ],
        initiatives=[
            [i.name, i.short_name, *(x.name for x in i.aliases.all())] for i in initiatives
        ],
    )


def _status_of(agreement: Agreement, source: Source) -> str:
    """The status the source reports: its latest step."""
    steps = [s for s in agreement.status_history.all() if s.source_id == source.pk]
    latest = latest_of(steps or agreement.status_history.all())
    return latest.status if latest else ""


# --- leaving one source out ----------------------------------------------------------------


def _only(model, source: Source):
    """Records of ``model`` citing ``source`` and no other source."""
    return model.objects.annotate(
        cited=Count("citations", distinct=True),
        here=Count("citations", filter=Q(citations__source=source), distinct=True),
    ).filter(here__gt=0, cited=F("here"))


def leave_out(source: Source) -> None:
    """Delete what only ``source`` supports (inside the caller's savepoint)."""
    meetings = list(_only(Meeting, source))
    people = {p.official_id for m in meetings for p in m.participations.all() if p.official_id}
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).delete()
    Agreement.objects.filter(pk__in=[a.pk for a in _only(Agreement, source)]).delete()
    AgreementStatusChange.objects.filter(source=source).delete()
    AgreementAlias.objects.filter(source=source).delete()
    InitiativeAlias.objects.filter(source=source).delete()
    PartnershipLevel.objects.filter(source=source).delete()
    Initiative.objects.filter(pk__in=[i.pk for i in _only(Initiative, source)]).delete()
    tenures = list(_only(Tenure, source).select_related("official", "post"))
    posts = {t.post_id for t in tenures}
    people |= {t.official_id for t in tenures}
    Tenure.objects.filter(pk__in=[t.pk for t in tenures]).delete()
    PostAlias.objects.filter(source=source).delete()
    Official.objects.filter(
        pk__in=people, participations__isnull=True, tenures__isnull=True
    ).delete()
    Post.objects.filter(pk__in=posts, tenures__isnull=True, participations__isnull=True).delete()


# --- comparing -----------------------------------------------------------------------------


def _same_name(name: str, names: list[str]) -> int:
    best = 0
    for other in names:
        if not other:
            continue
        if normal(name) == normal(other):
            return 100
        best = max(
            best,
            int(fuzz.ratio(normal(name), normal(other))),
            int(fuzz.token_set_ratio(normal(name), normal(other))) - 5,
        )
    return best


def match_officials(draft: dict, truth: Curated) -> dict[str, str]:
    """Draft official id → curated official slug, one to one."""
    pairs = []
    for item in draft["officials"]:
        for official in truth.officials:
            if item["country"] and item["country"] != official.country:
                continue
            score = _same_name(item["name"], official.names)
            if item.get("written"):
                score = max(score, _same_name(item["written"], official.names))
            if score >= NAME_CUTOFF:
                pairs.append((score, item["id"], official.slug))
    return _one_to_one(pairs)


def _one_to_one(pairs) -> dict:
    found, taken = {}, set()
    for _score, ours, theirs in sorted(pairs, key=lambda p: -p[0]):
        if ours in found or theirs in taken:
            continue
        found[ours] = theirs
        taken.add(theirs)
    return found


def match_meetings(draft: dict, truth: Curated, officials: dict[str, str]) -> dict[str, str]:
    initiatives = {i["id"]: i for i in draft["initiatives"]}
    pairs = []
    for item in draft["meetings"]:
        ours = {officials.get(r["official"]) for r in item.get("roles", [])} - {None}
        unnamed = {r["official"] for r in item.get("roles", [])} - set(officials)
        for meeting in truth.meetings:
            agree = dates_agree(item["dates"], meeting.dates)
            if agree is False or (agree is None and bool(item["dates"]) != bool(meeting.dates)):
                continue
            score = 0
            if ours and meeting.officials:
                if ours != meeting.officials or unnamed:
                    continue
                score = 10
            elif not ours and not meeting.officials:
                mechanism = initiatives.get(item.get("mechanism") or "")
                if (
                    mechanism
                    and meeting.mechanism
                    and (
                        _same_name(mechanism["title"], meeting.mechanism) >= TITLE_CUTOFF
                        or (
                            mechanism.get("short_name")
                            and mechanism["short_name"] in meeting.mechanism
                        )
                    )
                ) or (item.get("grouping") and item["grouping"] == meeting.grouping):
                    score = 8
                else:
                    continue
            else:
                continue
            score += 2 if item["kind"] == meeting.kind else 0
            score += 1 if item["dates"] == meeting.dates else 0
            pairs.append((score, item["id"], meeting.slug))
    return _one_to_one(pairs)


def match_agreements(draft: dict, truth: Curated) -> dict[str, str]:
    pairs = []
    for item in draft["agreements"]:
        for agreement in truth.agreements:
            names = [n for n in agreement.names if n]
            score = _same_name(item["title"], names)
            if item.get("short_name") and item["short_name"] in names:
                score = max(score, 95)
            if score >= TITLE_CUTOFF:
                pairs.append((score, item["id"], agreement.slug))
    return _one_to_one(pairs)


def match_initiatives(draft: dict, truth: Curated) -> int:
    pairs = []
    for item in draft["initiatives"]:
        for index, names in enumerate(truth.initiatives):
            score = _same_name(item["title"], [n for n in names if n])
            if item.get("short_name") and item["short_name"] in names:
                score = max(score, 95)
            if score >= TITLE_CUTOFF:
                pairs.append((score, item["id"], index))
    return len(_one_to_one(pairs))


def score_document(source: Source, text: str) -> DocumentScore:
    truth = curated(source)
    sid = transaction.savepoint()
    try:
        leave_out(source)
        started = time.perf_counter()
        draft = build_draft(text, published=source.published_on).as_dict()
        seconds = time.perf_counter() - started
    finally:
        transaction.savepoint_rollback(sid)
    score = DocumentScore(source.key, seconds)
    drafted = {c["iso2"] for c in draft["countries"]}
    score.tallies["countries"] = (
        len(drafted & truth.countries),
        len(drafted),
        len(truth.countries),
    )
    officials = match_officials(draft, truth)
    score.tallies["officials"] = (len(officials), len(draft["officials"]), len(truth.officials))
    meetings = match_meetings(draft, truth, officials)
    score.tallies["meetings"] = (len(meetings), len(draft["meetings"]), len(truth.meetings))
    by_slug = {m.slug: m for m in truth.meetings}
    right = sum(
        1
        for item in draft["meetings"]
        if item["id"] in meetings and item["dates"] == by_slug[meetings[item["id"]]].dates
    )
    score.dates_right = (right, len(meetings))
    agreements = match_agreements(draft, truth)
    score.tallies["agreements"] = (len(agreements), len(draft["agreements"]), len(truth.agreements))
    statuses = {a.slug: a.status for a in truth.agreements}
    right = sum(
        1
        for item in draft["agreements"]
        if item["id"] in agreements and item["status"] == statuses[agreements[item["id"]]]
    )
    score.status_right = (right, len(agreements))
    initiatives = match_initiatives(draft, truth)
    score.tallies["initiatives"] = (initiatives, len(draft["initiatives"]), len(truth.initiatives))
    count = draft["source"]["paragraphs"]
    score.uncited = sum(
        1
        for kind in ("countries", "groupings", "officials", "meetings", "agreements", "initiatives")
        for item in draft[kind]
        if not item["paragraphs"] or not all(1 <= p <= count for p in item["paragraphs"])
    )
    matched_meetings = set(meetings.values())
    score.misses = [f"meeting {m.slug}" for m in truth.meetings if m.slug not in matched_meetings]
    score.misses += [
        f"drafted meeting {m['title']} ({m['dates'] or 'no date'})"
        for m in draft["meetings"]
        if m["id"] not in meetings
    ]
    score.misses += [
        f"meeting {meetings[m['id']]}: dates {m['dates'] or '—'}, curated "
        f"{by_slug[meetings[m['id']]].dates or '—'}"
        for m in draft["meetings"]
        if m["id"] in meetings and m["dates"] != by_slug[meetings[m["id"]]].dates
    ]
    matched_agreements = set(agreements.values())
    score.misses += [
        f"agreement {a.slug}" for a in truth.agreements if a.slug not in matched_agreements
    ]
    score.misses += [
        f"agreement {agreements[a['id']]}: status {a['status'] or '—'}, curated "
        f"{statuses[agreements[a['id']]]}"
        for a in draft["agreements"]
        if a["id"] in agreements and a["status"] != statuses[agreements[a["id"]]]
    ]
    return score


def evaluate(texts: dict[str, str]) -> Evaluation:
    """Score every source of ``texts`` ({source key: text}) that the database holds. Runs in
    a transaction that is rolled back: the database is left as it was."""
    result = Evaluation()
    started = time.perf_counter()
    build_draft(WARM_UP)
    result.first_seconds = time.perf_counter() - started
    with transaction.atomic():
        for source in Source.objects.filter(key__in=texts).order_by("key"):
            score = score_document(source, texts[source.key])
            result.documents.append(score)
            for kind, counts in score.tallies.items():
                result.tallies[kind].add(*counts)
            result.dates.right += score.dates_right[0]
            result.dates.of += score.dates_right[1]
            result.statuses.right += score.status_right[0]
            result.statuses.of += score.status_right[1]
            result.uncited += score.uncited
        transaction.set_rollback(True)
    return result
