"""The benchmark behind ``manage.py benchmark``: pages, export and import on the current data.

Everything runs in this process against the configured database, the way the server would
run it, minus the network:

- pages go through Django's test ``Client`` (every middleware, the view, the template);
  server time is the wall time of ``client.get`` (median and 95th percentile over repeated
  requests after one cold request), and the query count comes from ``CaptureQueriesContext``
  (which counts queries with ``DEBUG`` off too);
- the CSV export is the researcher page's own streamed download of every meeting, beside
  the export's own ``COPY (SELECT …) TO STDOUT`` of the same rows run without the page;
- the import reads two CSV files' bytes (``read_csv``, as an upload is read) and runs
  ``MeetingResource``/``ParticipationResource.import_data`` with validation and transactions,
  exactly what the admin's import runs after its preview (each new meeting citing its
  sources in its ``citations`` cell, as it must), beside ``COPY … FROM`` of the same rows
  (rolled back);
- peak memory is the process's peak resident set size (``VmHWM``, reset before each step
  where the kernel allows, otherwise sampled), so C-level buffers count too; freed memory is
  handed back first, and the table shows the peak and how much the step added to it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from urllib.parse import urlencode

import tablib
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .. import copy
from ..columns import MEETING
from ..dates import DateSpan
from ..models import Country, Meeting, MeetingCitation, Official, Participation, Post, Source
from ..paragraphs import format_citations, parse_citations
from ..resources import MeetingResource, ParticipationResource
from ..resources.files import read_csv
from ..views.copysql import copy_lines
from ..views.lists import MeetingListView
from ..views.pagination import KeysetPaginator
from .clearing import PREFIX
from .figures import PageResult, ThroughputResult
from .measuring import PeakMemory, percentile, release_memory, throughput

IMPORT_PREFIX = f"{PREFIX}imp-"


# --- pages --------------------------------------------------------------------------------


def _consume(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_page(client: Client, name: str, url: str, repeat: int) -> PageResult:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        size = _consume(response)
        cold = time.perf_counter() - started
    # Read now: the next request's request_started signal empties the query log.
    query_count = len(queries.captured_queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        again = client.get(url)
        _consume(again)
        times.append(time.perf_counter() - started)
    return PageResult(
        name=name,
        url=url,
        status=response.status_code,
        queries=query_count,
        cold_ms=cold * 1000,
        median_ms=statistics.median(times) * 1000 if times else cold * 1000,
        p95_ms=percentile(times, 0.95) * 1000 if times else cold * 1000,
        bytes=size,
    )


def top_partners(count: int) -> list[str]:
    """The ``count`` partner countries with the most synthetic meetings, from a cheap sample."""
    sample = Meeting.objects.filter(slug__startswith=PREFIX).order_by("id").values("id")[:5000]
    rows = (
        Meeting.countries.through.objects.filter(meeting__in=sample)
        .exclude(country__iso2="IN")
        .values("country__iso2")
        .annotate(n=Count("id"))
        .order_by("-n", "country__iso2")[:count]
    )
    return [row["country__iso2"] for row in rows]


def top_partner() -> str:
    """The partner country with the most synthetic meetings (the US when there are none)."""
    return next(iter(top_partners(1)), "US")


def _with(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}" if params else url


def page_plan() -> list[tuple[str, str]]:
    """(name, url) of every page measured."""
    partner = top_partner()
    years = {"year_from": 2010, "year_to": 2020}
    plan = []
    lists = {
        "meetings": "maritime security",
        "agreements": "maritime",
        "initiatives": "maritime",
        "officials": "singh",
        "countries": "island",
    }
    for page, words in lists.items():
        url = reverse(f"engagements:{'country' if page == 'countries' else page[:-1]}_list")
        plan.append((f"/{page}/", url))
        if page != "countries":
            filtered = {"country": partner, **years}
            if page == "officials":
                filtered = {"country": partner}
            plan.append((f"/{page}/ country+years", _with(url, **filtered)))
        plan.append((f"/{page}/ search", _with(url, q=words)))
        if page != "countries":
            plan.append((f"/{page}/ last page", _with(url, last=1)))
    meetings = reverse("engagements:meeting_list")
    middle = middle_meeting()
    if middle:
        plan.append(("/meetings/ middle page", _with(meetings, after=middle[1])))
    plan.append(("/meetings/ page=150", _with(meetings, page=150)))
    # The API's list beside the page it mirrors, and the country-year panel.
    api = "/api/v1/meetings"
    plan += [
        ("API meetings", api),
        ("API meetings country+years", _with(api, country=partner, **years)),
        ("API meetings search", _with(api, q=lists["meetings"])),
        ("API agreements", "/api/v1/agreements"),
    ]
    panel = reverse("engagements:panel_country_year")
    plan += [("panel country-year", panel), ("panel CSV", _with(panel, format="csv"))]
    admin = reverse("admin:engagements_meeting_changelist")
    deep = max(2, min(100, Meeting.objects.count() // 50))  # a page that exists
    plan += [
        ("admin meetings", admin),
        ("admin meetings search", _with(admin, q="maritime")),
        ("admin meetings filtered", _with(admin, kind__exact="bilateral")),
        (f"admin meetings page {deep}", _with(admin, p=deep)),
    ]
    sample = Meeting.objects.filter(slug__startswith=PREFIX).order_by("id").first()
    if sample:
        plan.append(("meeting detail", sample.get_absolute_url()))
        plan.append(
            ("admin meeting change", reverse("admin:engagements_meeting_change", args=[sample.pk]))
        )
    plan.append(
        ("country detail (partner)", reverse("engagements:country_detail", args=[partner.lower()]))
    )
    return plan


def middle_meeting() -> tuple[Meeting, str] | None:
    """The meeting half-way through the list in its default order, and its keyset cursor."""
    view = MeetingListView()
    # The page's own queryset and order: its sort keys include a computed tie-break.
    qs = view.base_queryset().filter(start_date__isnull=False).order_by(*view.ordering(""))
    total = qs.count()
    if total < 2:
        return None
    row = qs[total // 2]
    return row, KeysetPaginator(qs, view.sort_keys(), 50)._cursor(row)


def benchmark_user():
    user, _ = get_user_model().objects.get_or_create(
        username="defrel-benchmark",
        defaults={"is_staff": True, "is_superuser": True, "email": "benchmark@example.org"},
    )
    return user


def run_pages(repeat: int, progress: Callable[[str], None]) -> list[PageResult]:
    client = Client(raise_request_exception=False)  # a failing page is a figure (500)
    client.force_login(benchmark_user())
    results = []
    for name, url in page_plan():
        result = measure_page(client, name, url, repeat)
        progress(
            f"{name:<32} {result.status} {result.queries:>3}q cold {result.cold_ms:8.1f} ms "
            f"median {result.median_ms:8.1f} ms p95 {result.p95_ms:8.1f} ms"
        )
        results.append(result)
    return results


# --- export -------------------------------------------------------------------------------


def export_queryset() -> QuerySet:
    """What ``/meetings/?format=csv`` exports: every meeting, in the list's default order."""
    view = MeetingListView()
    return view.base_queryset().order_by(*view.ordering(view.filterset_class.default_sort))


def copy_export() -> tuple[int, float]:
    """Rows and seconds of the export's own COPY of the same rows, read and discarded.

    This is the database-side floor of the export: the same query, run straight from here,
    without the view, the response or the client.
    """
    started = time.perf_counter()
    lines = sum(block.count(b"\n") for block in copy_lines(MEETING, export_queryset()))
    return lines, time.perf_counter() - started


def run_export(progress: Callable[[str], None]) -> ThroughputResult:
    client = Client()
    url = _with(reverse("engagements:meeting_list"), format="csv")
    release_memory()
    with PeakMemory() as memory:
        started = time.perf_counter()
        response = client.get(url)
        lines = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
    rows = lines - 1
    result = throughput(
        "CSV export of all meetings (/meetings/?format=csv)",
        rows,
        seconds,
        memory,
        ok=response.status_code == 200,
        copy=copy_export,
    )
    progress(
        f"export: {rows:,} rows in {seconds:.1f}s = {result.rows_per_s:,.0f} rows/s, "
        f"peak {memory.peak_mb:.0f} MB"
        + (f", COPY {result.copy_seconds:.1f}s" if result.copy_seconds else "")
    )
    return result


# --- import -------------------------------------------------------------------------------


def import_files(rows: int) -> tuple[tablib.Dataset, tablib.Dataset]:
    """New meetings (copies of synthetic ones under ``syn-imp-`` slugs, citing the sources
    theirs cite in their ``citations`` cell) and their participants.

    Returns the meetings file, the participants file (both as the admin would read them) and
    the same rows feed ``COPY``.
    """
    source = list(
        Meeting.objects.filter(slug__startswith=PREFIX)
        .exclude(slug__startswith=IMPORT_PREFIX)
        .order_by("id")
        .select_related("country", "host")
        .prefetch_related("countries", "citations__source")[:rows]
    )
    if len(source) < rows:
        raise ValueError(f"Need {rows:,} synthetic meetings to copy, found {len(source):,}.")
    meeting_resource = MeetingResource()
    meetings = tablib.Dataset(headers=MeetingResource.column_names())
    people = tablib.Dataset(
        headers=["meeting", "official", "description", "country", "posts", "role", "note"]
    )
    participants = (
        Participation.objects.filter(meeting__in=[m.pk for m in source])
        .order_by("meeting_id", "id")
        .values_list("id", "meeting_id", "official__slug", "description", "country__iso2", "role")
    )
    held = Participation.posts.through.objects.filter(
        participation__meeting__in=[m.pk for m in source]
    ).values_list("participation_id", "post__slug")
    posts_of: dict[int, list[str]] = {}
    for participation, post in held.iterator(chunk_size=10_000):
        posts_of.setdefault(participation, []).append(post)
    by_meeting: dict[int, list] = {}
    for pk, meeting_id, official, described, country, role in participants.iterator(
        chunk_size=10_000
    ):
        posts = "; ".join(sorted(posts_of.get(pk, ())))
        row = (official or "", described, country or "", posts, role)
        by_meeting.setdefault(meeting_id, []).append(row)
    headers = meetings.headers
    for n, meeting in enumerate(source, 1):
        values = dict(
            zip(
                MeetingResource.column_names(),
                meeting_resource.export_resource(meeting),
                strict=False,
            )
        )
        values["slug"] = f"{IMPORT_PREFIX}{n:07d}"
        values["parent"] = ""
        values["mechanism"] = ""
        values["edition"] = ""
        values["citations"] = citation_cell(meeting)
        meetings.append([values.get(h, "") if values.get(h) is not None else "" for h in headers])
        for row in by_meeting.get(meeting.pk, []):
            people.append([values["slug"], *row, ""])
    return meetings, people


def citation_cell(meeting: Meeting) -> str:
    """``meeting``'s citations as a ``citations`` cell (``KEY ¶ 2, 17–26; OTHER ¶ 4``)."""
    by_source: dict[str, list[int]] = {}
    for citation in meeting.citations.all():
        by_source.setdefault(citation.source.key, []).append(citation.paragraph)
    return format_citations(sorted(by_source.items()))


def copy_import(meetings: tablib.Dataset, people: tablib.Dataset) -> float:
    """Seconds for COPY of the same meetings, their countries, citations and participants
    (rolled back)."""
    countries = dict(Country.objects.values_list("iso2", "id"))
    officials = dict(
        Official.objects.filter(slug__in={r[1] for r in people if r[1]}).values_list("slug", "id")
    )
    named = {slug.strip() for r in people for slug in r[4].split(";") if slug.strip()}
    posts = dict(Post.objects.filter(slug__in=named).values_list("slug", "id"))
    cited = [parse_citations(row[meetings.headers.index("citations")]) for row in meetings]
    sources = dict(
        Source.objects.filter(key__in={key for c in cited for key, _ in c}).values_list("key", "id")
    )
    db = connection.alias
    started = time.perf_counter()
    with transaction.atomic():
        rows, links = [], []
        for row in meetings:
            r = dict(zip(meetings.headers, row, strict=True))
            span = DateSpan.parse(r["dates"])
            # The fields the file's cells give straight; the others take their defaults.
            rows.append(
                {
                    "slug": r["slug"],
                    "title": r["title"],
                    "kind": r["kind"],
                    "status": r["status"],
                    "start_date": span.start,
                    "end_date": span.end,
                    "date_precision": span.precision,
                    "date_extent": span.extent,
                    "city": r["city"],
                    "country_id": countries.get(r["country"]),
                    "host_id": countries.get(r["host"]),
                    "summary": r["summary"],
                }
            )
            links.append([countries[c.strip()] for c in r["countries"].split(";") if c.strip()])
        ids = copy.insert(Meeting, rows, db)
        by_slug = {row["slug"]: pk for row, pk in zip(rows, ids, strict=True)}
        countries_of = [(pk, c) for pk, codes in zip(ids, links, strict=True) for c in codes]
        copy.write(Meeting.countries.through, ("meeting", "country"), countries_of, db)
        citations = [
            (pk, sources[key], number)
            for pk, listed in zip(ids, cited, strict=True)
            for key, numbers in listed
            for number in numbers
        ]
        copy.write(MeetingCitation, ("meeting", "source", "paragraph"), citations, db)
        participants = [
            {
                "meeting_id": by_slug[meeting],
                "official_id": officials.get(official),
                "description": described,
                "country_id": countries.get(country),
                "role": role,
                "note": note,
            }
            for meeting, official, described, country, _posts, role, note in people
        ]
        participant_ids = copy.insert(Participation, participants, db)
        held = [
            (pk, posts[slug.strip()])
            for pk, row in zip(participant_ids, people, strict=True)
            for slug in row[4].split(";")
            if slug.strip()
        ]
        copy.write(Participation.posts.through, ("participation", "post"), held, db)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks COPY would face
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def delete_imported() -> None:
    """Remove what the import benchmark added (rows, links and their history)."""
    qs = Meeting.objects.filter(slug__startswith=IMPORT_PREFIX)
    ids = qs.values("id")
    with transaction.atomic():
        participations = Participation.objects.filter(meeting__in=ids).values("id")
        Participation.posts.through.objects.filter(participation__in=participations)._raw_delete(
            connection.alias
        )
        Participation.objects.filter(meeting__in=ids)._raw_delete(connection.alias)
        Participation.history.filter(meeting_id__in=ids).delete()
        MeetingCitation.objects.filter(meeting__in=ids)._raw_delete(connection.alias)
        MeetingCitation.history.filter(meeting_id__in=ids).delete()
        Meeting.countries.through.objects.filter(meeting__in=ids)._raw_delete(connection.alias)
        Meeting.history.filter(slug__startswith=IMPORT_PREFIX).delete()
        qs._raw_delete(connection.alias)


def _import_file(resource, data: bytes) -> tuple[float, object, int]:
    """Read an uploaded file's bytes and import them: seconds, result, rows."""
    started = time.perf_counter()
    dataset = read_csv(data)
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    return time.perf_counter() - started, result, len(dataset)


def run_import(rows: int, progress: Callable[[str], None]) -> ThroughputResult:
    """Import the two files as the admin does after its preview, from their bytes.

    The files are built first and kept as CSV bytes (the upload); everything used to build
    them is freed before the step, so its peak memory is the import's own plus the files.
    """
    delete_imported()
    meetings, people = import_files(rows)
    files = (meetings.export("csv").encode(), people.export("csv").encode())
    del meetings, people
    release_memory()
    progress(f"import: {rows:,} meetings and their participants ({len(files[1]) / 1e6:.0f} MB)")
    with PeakMemory() as memory:
        meeting_seconds, meeting_result, meeting_rows = _import_file(MeetingResource(), files[0])
        people_seconds, people_result, people_rows = _import_file(ParticipationResource(), files[1])
    seconds = meeting_seconds + people_seconds
    total = meeting_rows + people_rows
    errors = []
    for result in (meeting_result, people_result):
        if result.has_errors() or result.has_validation_errors():
            errors.append(
                "; ".join(str(e.error) for e in result.base_errors[:3])
                or "; ".join(f"line {r.number}: {r.error_dict}" for r in result.invalid_rows[:3])
            )
    del meeting_result, people_result
    ok = not errors and Meeting.objects.filter(slug__startswith=IMPORT_PREFIX).count() == rows
    delete_imported()
    result = throughput(
        f"CSV import of {rows:,} new meetings + {people_rows:,} participants",
        total,
        seconds,
        memory,
        ok=ok,
        copy=lambda: (total, copy_import(read_csv(files[0]), read_csv(files[1]))),
        note=(
            f"meetings {meeting_rows / meeting_seconds:,.0f} rows/s, participants "
            f"{people_rows / people_seconds:,.0f} rows/s; files "
            f"{len(files[0]) / 1e6:.1f} + {len(files[1]) / 1e6:.1f} MB"
            + (f"; errors: {' | '.join(errors)}" if errors else "")
        ),
    )
    progress(
        f"import: {total:,} rows in {seconds:.1f}s = {result.rows_per_s:,.0f} rows/s, "
        f"peak {memory.peak_mb:.0f} MB (from {memory.start_mb:.0f}), ok={ok}"
        + (f", COPY {result.copy_seconds:.1f}s" if result.copy_seconds else "")
    )
    return result
