"""The audit: inconsistencies the database's own rules cannot catch, listed for staff.

Each check reads the whole table in a few queries (``EXISTS`` on indexes, or one pass over
rows in chunks) and reports every offending row by its key (slug, or natural key) and its
admin address. ``manage.py audit`` prints the report and exits 1 when anything is found.

Synthetic rows (``syn-`` slugs, from ``manage.py synthesize``) are left out unless asked for
(``synthetic=True``, ``audit --synthetic``): the generator draws them for volume, not for
consistency (its tenures cite no source, its parents are any earlier meeting of the same
partner, some of its agreements link to nothing), so they would bury the curated rows'
problems under thousands of lines. A row counts as synthetic when its own key, or the key of
the record it belongs to, starts with ``syn-``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from django.apps import apps
from django.db.models import Exists, ForeignKey, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse

from .citing import CITED
from .citing import uncited as uncited_rows
from .dates import DateSpan, PartialDate
from .models import (
    MARKS,
    Agreement,
    AgreementMeeting,
    Country,
    Initiative,
    Meeting,
    Outcome,
    Participation,
    Source,
    Tenure,
)
from .models.agreements import status_drift as drifted_agreements
from .register import RegisterError, read_register
from .scale.clearing import PREFIX
from .tally import drift
from .views.querystring import with_params

#: Rows read per query when a check walks a table.
CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    """One inconsistency: the record (model and key), what is wrong, where to fix it."""

    model: str
    key: str
    message: str
    url: str

    def line(self) -> str:
        return f"{self.model} {self.key}: {self.message} {self.url}"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    run: Callable[[bool], Iterator[Problem]]


def admin_url(model, pk) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def problem(obj, key: str, message: str) -> Problem:
    return Problem(obj._meta.model_name, key, message, admin_url(type(obj), obj.pk))


def curated(queryset, *slugs: str, synthetic: bool = False):
    """``queryset`` without the rows any of whose ``slugs`` (paths to a slug) is synthetic."""
    if synthetic:
        return queryset
    condition = Q()
    for path in slugs:
        condition |= Q(**{f"{path}__startswith": PREFIX})
    return queryset.exclude(condition)


def key_of(row) -> str:
    return "/".join("undated" if part is None else str(part) for part in row.natural_key())


def tenure_key(official_slug: str, post_slug: str, start) -> str:
    return f"{official_slug}/{post_slug}/{start.isoformat() if start else 'undated'}"


# --- the checks ---------------------------------------------------------------------------


def uncited(synthetic: bool = False) -> Iterator[Problem]:
    for model in CITED:
        rows = uncited_rows(model.objects.order_by("pk"))
        slugs = ("official__slug", "post__slug") if model is Tenure else ("slug",)
        rows = curated(rows, *slugs, synthetic=synthetic)
        if model is Tenure:
            for pk, official, post, start in rows.values_list(
                "pk", "official__slug", "post__slug", "start_date"
            ).iterator(CHUNK):
                key = tenure_key(official, post, start)
                yield Problem("tenure", key, "cites no source.", admin_url(Tenure, pk))
        else:
            name = model._meta.model_name
            for pk, slug in rows.values_list("pk", "slug").iterator(CHUNK):
                yield Problem(name, slug, "cites no source.", admin_url(model, pk))


def unlinked_agreements(synthetic: bool = False) -> Iterator[Problem]:
    """Agreements nothing refers to: no meeting, initiative or outcome (a "+" popup's
    leftover, typically)."""
    at_meeting = AgreementMeeting.objects.filter(agreement=OuterRef("pk"))
    in_initiative = Initiative.agreements.through.objects.filter(agreement=OuterRef("pk"))
    in_outcome = Outcome.agreements.through.objects.filter(agreement=OuterRef("pk"))
    rows = Agreement.objects.filter(
        ~Exists(at_meeting), ~Exists(in_initiative), ~Exists(in_outcome)
    ).order_by("pk")
    rows = curated(rows, "slug", synthetic=synthetic)
    for pk, slug in rows.values_list("pk", "slug").iterator(CHUNK):
        yield Problem(
            "agreement",
            slug,
            "is linked to no meeting, initiative or outcome.",
            admin_url(Agreement, pk),
        )


def uncovered_participants(synthetic: bool = False) -> Iterator[Problem]:
    """Participants in a post no tenure of theirs covers at the meeting's dates (the rule
    the admin and the import apply, ``Participation.uncovered_posts``, over every row)."""
    held: dict[tuple[int, int], list[Tenure]] = defaultdict(list)
    for tenure in Tenure.objects.only(
        "official_id", "post_id", "start_date", "end_date", "end_precision"
    ).iterator(CHUNK):
        held[tenure.official_id, tenure.post_id].append(tenure)
    links = Participation.posts.through.objects.filter(participation__official__isnull=False)
    links = curated(links, "participation__meeting__slug", synthetic=synthetic)
    links = links.order_by("participation_id", "post_id").values_list(
        "participation_id",
        "participation__official_id",
        "participation__official__slug",
        "participation__meeting__slug",
        "participation__meeting__start_date",
        "participation__meeting__end_date",
        "participation__meeting__date_precision",
        "participation__meeting__date_extent",
        "post_id",
        "post__slug",
    )
    for pk, official_id, official, meeting, *dates, post_id, post in links.iterator(CHUNK):
        span = DateSpan(*dates)
        first, last = span.known_days()
        tenures = held.get((official_id, post_id), ())
        if any(not first or t.covers(first, last) for t in tenures):
            continue
        yield Problem(
            "participant",
            f"{meeting}/{official}",
            f"no tenure as {post} covers {span}.",
            admin_url(Participation, pk),
        )


def paragraph_counts() -> dict[int, int]:
    """{source id: paragraphs} for the sources whose count the register (``seeds/``) gives;
    sources it does not list (synthetic, or entered in the admin) are not checked."""
    try:
        counts = {entry.key: entry.paragraphs for entry in read_register() if entry.paragraphs}
    except RegisterError:
        return {}
    sources = Source.objects.filter(key__in=counts).values_list("pk", "key")
    return {pk: counts[key] for pk, key in sources}


def cited_paragraph_models() -> list:
    """Every model that names a paragraph of a source: citations, status steps, amounts,
    partnership levels, aliases."""
    found = []
    for model in apps.get_app_config("engagements").get_models():
        if model.__name__.startswith("Historical"):
            continue
        fields = {f.name: f for f in model._meta.get_fields()}
        source, paragraph = fields.get("source"), fields.get("paragraph")
        if isinstance(source, ForeignKey) and source.related_model is Source and paragraph:
            found.append(model)
    return sorted(found, key=lambda m: m.__name__)


def paragraphs_beyond_the_source(synthetic: bool = False) -> Iterator[Problem]:
    """Cited paragraphs a source does not have (only sources the register counts, none of
    them synthetic)."""
    counts = paragraph_counts()
    if not counts:
        return
    for model in cited_paragraph_models():
        rows = model.objects.filter(source__in=counts, paragraph__isnull=False).order_by("pk")
        for row in rows.select_related("source").iterator(CHUNK):
            size = counts[row.source_id]
            if row.paragraph > size:
                yield Problem(
                    model._meta.model_name,
                    key_of(row),
                    f"cites ¶ {row.paragraph} of {row.source.key}, which has {size} paragraphs.",
                    admin_url(model, row.pk),
                )


def marks_on_unknown_columns(synthetic: bool = False) -> Iterator[Problem]:
    for mark_model in MARKS:
        columns = getattr(mark_model.record_model(), "public_columns", None)
        if columns is None:
            continue
        rows = mark_model.objects.exclude(column__in=columns).order_by("pk")
        rows = curated(rows, f"{mark_model.record_field}__slug", synthetic=synthetic)
        for row in rows.iterator(CHUNK):
            record = getattr(row, mark_model.record_field)
            plural = mark_model.record_model()._meta.verbose_name_plural
            yield Problem(
                mark_model._meta.model_name,
                key_of(row),
                f"marks “{row.column}”, which is not a column of {plural} ({record}).",
                admin_url(mark_model, row.pk),
            )


def meetings_outside_their_parent(synthetic: bool = False) -> Iterator[Problem]:
    """Meetings no day of which can fall within their parent's dates.

    Dates of uneven precision are compared as the days they may stand for: talks dated
    “September 2025” fit a visit of 2–4 September 2025; talks in August do not. An open
    end reaches any later day; an unknown date fits anything.
    """
    rows = Meeting.objects.filter(parent__isnull=False).order_by("pk")
    rows = curated(rows, "slug", synthetic=synthetic)
    fields = ("start_date", "end_date", "date_precision", "date_extent")
    values = rows.values_list(
        "pk", "slug", *fields, "parent__slug", *(f"parent__{f}" for f in fields)
    )
    for pk, slug, *dates in values.iterator(CHUNK):
        child, parent_slug, parent = DateSpan(*dates[:4]), dates[4], DateSpan(*dates[5:])
        if child.start is None or parent.start is None:
            continue
        child_last, parent_last = child.last_day(), parent.last_day()
        before = (child_last or child.start) < parent.start
        after = parent_last is not None and child.start > parent_last
        if before or after:
            yield Problem(
                "meeting",
                slug,
                f"is dated {child}, outside its parent {parent_slug} ({parent}).",
                admin_url(Meeting, pk),
            )


def status_drift(synthetic: bool = False) -> Iterator[Problem]:
    """Agreements whose kept current status is not their latest step's (a write of steps
    that bypassed ``refresh_status``: raw SQL, a restore of the steps' table alone)."""
    rows = curated(drifted_agreements().order_by("pk"), "slug", synthetic=synthetic)
    values = ("pk", "slug", "current_status", "current_status_date", "current_status_precision")
    for pk, slug, status, day, precision in rows.values_list(*values).iterator(CHUNK):
        kept = f"{status} ({PartialDate(day, precision or 'unknown')})" if status else "none"
        yield Problem(
            "agreement",
            slug,
            f"shows the current status {kept}, not its latest step's; saving one of its "
            "steps recomputes it.",
            admin_url(Agreement, pk),
        )


def meeting_tally_drift(synthetic: bool = False) -> Iterator[Problem]:
    """Meeting counts the tally keeps that are not what the meetings count (synthetic
    meetings included: the tally counts every meeting). ``engagements.tally.rebuild()``
    counts them again."""
    found = drift()
    codes = dict(Country.objects.values_list("pk", "iso2")) if found else {}
    for (country, partner, year, kind, status), kept, counted in found:
        names = [codes.get(c, str(c)) for c in (country, partner) if c]
        key = "/".join([*names, str(year or "undated"), kind, status])
        shown = QueryDict(mutable=True)
        shown.update({"kind": kind, "status": status})
        if country:
            shown["country"] = ",".join(names)
        if year:
            shown.update({"year_from": year, "year_to": year})
        yield Problem(
            "meetingtally",
            key,
            f"keeps {kept}, the meetings count {counted}: run engagements.tally.rebuild().",
            reverse("engagements:meeting_list") + with_params(shown),
        )


CHECKS: tuple[Check, ...] = (
    Check("uncited", "Records that cite no source", uncited),
    Check("unlinked-agreements", "Agreements linked to nothing", unlinked_agreements),
    Check(
        "uncovered-participants",
        "Participants in a post no tenure covers",
        uncovered_participants,
    ),
    Check(
        "paragraphs",
        "Paragraphs beyond the source's count",
        paragraphs_beyond_the_source,
    ),
    Check("mark-columns", "Marks on a column the record does not have", marks_on_unknown_columns),
    Check(
        "parent-dates",
        "Meetings outside their parent's dates",
        meetings_outside_their_parent,
    ),
    Check("status-drift", "Agreements showing a status not their latest step's", status_drift),
    Check("meeting-tally", "Meeting counts kept out of step", meeting_tally_drift),
)


def audit(
    checks: tuple[Check, ...] = CHECKS, synthetic: bool = False
) -> list[tuple[Check, list[Problem]]]:
    """Every check with the problems it found (possibly none), in order."""
    return [(check, list(check.run(synthetic))) for check in checks]
