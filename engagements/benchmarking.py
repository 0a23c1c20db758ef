"""The benchmark behind ``manage.py benchmark``: pages, export and import on the current data.

Everything runs in this process against the configured database, the way the server would
run it, minus the network:

- pages go through Django's test ``Client`` (every middleware, the view, the template);
  server time is the wall time of ``client.get`` (median and 95th percentile over repeated
  requests after one cold request), and the query count comes from ``CaptureQueriesContext``
  (which counts queries with ``DEBUG`` off too);
- the CSV export is the researcher page's own streamed download of every meeting, beside
  PostgreSQL's ``COPY (SELECT …) TO STDOUT`` of the same columns;
- the import reads two CSV files' bytes (``read_csv``, as an upload is read) and runs
  ``MeetingResource``/``ParticipationResource.import_data`` with validation and transactions,
  exactly what the admin's import runs after its preview, beside ``COPY … FROM`` of the same
  rows (rolled back);
- peak memory is the process's peak resident set size (``VmHWM``, reset before each step
  where the kernel allows, otherwise sampled), so C-level buffers count too; freed memory is
  handed back first, and the table shows the peak and how much the step added to it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import io
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .models import Country, Meeting, Participation
from .synthetic import PREFIX

IMPORT_PREFIX = f"{PREFIX}imp-"


# --- measuring ----------------------------------------------------------------------------


def _status_kb(name: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakMemory:
    """Peak resident memory (MB) of this process during the block."""

    def __init__(self):
        self.peak_mb = 0.0
        self.start_mb = 0.0
        self._stop = threading.Event()

    def __enter__(self) -> PeakMemory:
        self.start_mb = (_status_kb("VmRSS") or 0) / 1024
        try:  # Linux: writing 5 resets the peak (VmHWM) to the current size.
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            self._reset = True
        except OSError:
            self._reset = False
        self._sampled = self.start_mb
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._sampled = max(self._sampled, (_status_kb("VmRSS") or 0) / 1024)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        hwm = (_status_kb("VmHWM") or 0) / 1024 if self._reset else 0.0
        self.peak_mb = max(hwm, self._sampled)


@dataclass
class PageResult:
    name: str
    url: str
    status: int
    queries: int
    cold_ms: float
    median_ms: float
    p95_ms: float
    bytes: int


@dataclass
class ThroughputResult:
    name: str
    rows: int
    seconds: float
    rows_per_s: float
    peak_mb: float
    start_mb: float
    copy_seconds: float | None = None
    copy_rows_per_s: float | None = None
    ratio_to_copy: float | None = None  # how many times slower than COPY
    ok: bool = True
    note: str = ""


@dataclass
class Run:
    meetings: int
    vendor: str
    machine: dict
    synthesize_seconds: float | None = None
    load_average: list[float] = field(default_factory=list)  # 1-minute load, before/after
    pages: list[PageResult] = field(default_factory=list)
    export: ThroughputResult | None = None
    imports: ThroughputResult | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": os.sys.version.split()[0]}
    try:
        with open("/proc/cpuinfo") as cpu:
            for line in cpu:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        info["memory_gb"] = round((_status_meminfo("MemTotal") or 0) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["database"] = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW shared_buffers")
            info["shared_buffers"] = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            info["database"] = f"SQLite {cursor.fetchone()[0]}"
    return info


def _status_meminfo(name: str) -> int | None:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return None


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


def top_partner() -> str:
    """The partner country with the most synthetic meetings, from a cheap sample."""
    sample = Meeting.objects.filter(slug__startswith=PREFIX).order_by("id").values("id")[:5000]
    row = (
        Meeting.countries.through.objects.filter(meeting__in=sample)
        .exclude(country__iso2="IN")
        .values("country__iso2")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["country__iso2"] if row else "US"


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
    middle = _middle_meeting_cursor()
    if middle:
        plan.append(("/meetings/ middle page", _with(meetings, after=middle)))
    plan.append(("/meetings/ page=150", _with(meetings, page=150)))
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


def _middle_meeting_cursor() -> str | None:
    """A keyset cursor half-way through the meetings in the default order."""
    from .views.lists import MeetingListView
    from .views.pagination import KeysetPaginator

    view = MeetingListView
    qs = Meeting.objects.filter(start_date__isnull=False).order_by("-start_date", "-id")
    total = qs.count()
    if total < 2:
        return None
    row = qs[total // 2]
    return KeysetPaginator(qs, view.sorts[view.default_sort], 50)._cursor(row)


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

COPY_EXPORT_SQL = """
COPY (
  SELECT m.slug, m.title, m.kind, m.status,
    CASE m.date_precision
      WHEN 'day' THEN to_char(m.start_date, 'YYYY-MM-DD')
      WHEN 'month' THEN to_char(m.start_date, 'YYYY-MM')
      WHEN 'year' THEN to_char(m.start_date, 'YYYY') ELSE '' END
    || CASE WHEN m.end_date IS NULL THEN '' ELSE '/' || CASE m.date_precision
      WHEN 'day' THEN to_char(m.end_date, 'YYYY-MM-DD')
      WHEN 'month' THEN to_char(m.end_date, 'YYYY-MM')
      ELSE to_char(m.end_date, 'YYYY') END END AS dates,
    m.city, c.iso2 AS country, h.iso2 AS host, x.countries,
    g.slug AS grouping, i.slug AS mechanism, m.edition, p.slug AS parent, m.summary
  FROM engagements_meeting m
  LEFT JOIN (SELECT mc.meeting_id, string_agg(cc.iso2, '; ' ORDER BY cc.iso2) AS countries
               FROM engagements_meeting_countries mc
               JOIN engagements_country cc ON cc.id = mc.country_id
              GROUP BY mc.meeting_id) x ON x.meeting_id = m.id
  LEFT JOIN engagements_country c ON c.id = m.country_id
  LEFT JOIN engagements_country h ON h.id = m.host_id
  LEFT JOIN engagements_grouping g ON g.id = m.grouping_id
  LEFT JOIN engagements_initiative i ON i.id = m.mechanism_id
  LEFT JOIN engagements_meeting p ON p.id = m.parent_id
  ORDER BY m.start_date DESC NULLS LAST, m.id DESC
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def copy_export() -> tuple[int, float]:
    """Rows and seconds of PostgreSQL writing the same columns as CSV (read and discarded)."""
    started = time.perf_counter()
    lines = 0
    with connection.cursor() as cursor, cursor.copy(COPY_EXPORT_SQL) as copy:
        for block in copy:
            lines += bytes(block).count(b"\n")
    return lines - 1, time.perf_counter() - started


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
    result = ThroughputResult(
        name="CSV export of all meetings (/meetings/?format=csv)",
        rows=rows,
        seconds=seconds,
        rows_per_s=rows / seconds,
        peak_mb=memory.peak_mb,
        start_mb=memory.start_mb,
        ok=response.status_code == 200,
    )
    if connection.vendor == "postgresql":
        copy_rows, copy_seconds = copy_export()
        result.copy_seconds = copy_seconds
        result.copy_rows_per_s = copy_rows / copy_seconds
        result.ratio_to_copy = seconds / copy_seconds
        if copy_rows != rows:
            result.note = f"COPY wrote {copy_rows:,} rows"
    progress(
        f"export: {rows:,} rows in {seconds:.1f}s = {result.rows_per_s:,.0f} rows/s, "
        f"peak {memory.peak_mb:.0f} MB"
        + (f", COPY {result.copy_seconds:.1f}s" if result.copy_seconds else "")
    )
    return result


# --- import -------------------------------------------------------------------------------


def import_files(rows: int) -> tuple[tablib.Dataset, tablib.Dataset]:
    """New meetings (copies of synthetic ones under ``syn-imp-`` slugs) and their participants.

    Returns the meetings file, the participants file (both as the admin would read them) and
    the same rows feed ``COPY``.
    """
    from .resources import MeetingResource

    source = list(
        Meeting.objects.filter(slug__startswith=PREFIX)
        .exclude(slug__startswith=IMPORT_PREFIX)
        .order_by("id")
        .select_related("country", "host")
        .prefetch_related("countries")[:rows]
    )
    if len(source) < rows:
        raise ValueError(f"Need {rows:,} synthetic meetings to copy, found {len(source):,}.")
    meeting_resource = MeetingResource()
    meetings = tablib.Dataset(headers=MeetingResource.column_names())
    people = tablib.Dataset(headers=["meeting", "official", "post", "role", "note"])
    participants = (
        Participation.objects.filter(meeting__in=[m.pk for m in source])
        .order_by("meeting_id", "id")
        .values_list("meeting_id", "official__slug", "post__slug", "role")
    )
    by_meeting: dict[int, list] = {}
    for meeting_id, official, post, role in participants.iterator(chunk_size=10_000):
        by_meeting.setdefault(meeting_id, []).append((official, post or "", role))
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
        meetings.append([values.get(h, "") if values.get(h) is not None else "" for h in headers])
        for official, post, role in by_meeting.get(meeting.pk, []):
            people.append([values["slug"], official, post, role, ""])
    return meetings, people


def copy_import(meetings: tablib.Dataset, people: tablib.Dataset) -> float:
    """Seconds for COPY of the same meetings, their countries and participants (rolled back)."""
    countries = dict(Country.objects.values_list("iso2", "id"))
    from .models import Official, Post

    officials = dict(
        Official.objects.filter(slug__in={r[1] for r in people}).values_list("slug", "id")
    )
    posts = dict(
        Post.objects.filter(slug__in={r[2] for r in people if r[2]}).values_list("slug", "id")
    )
    from .dates import DateSpan

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM engagements_meeting")
            next_id = cursor.fetchone()[0] + 1
            ids = {}
            h = meetings.headers
            with cursor.copy(
                "COPY engagements_meeting (id, slug, title, kind, status, start_date, end_date, "
                "date_precision, city, country_id, host_id, summary) FROM STDIN"
            ) as copy:
                for row in meetings:
                    r = dict(zip(h, row, strict=True))
                    span = DateSpan.parse(r["dates"])
                    ids[r["slug"]] = next_id
                    copy.write_row(
                        (
                            next_id,
                            r["slug"],
                            r["title"],
                            r["kind"],
                            r["status"],
                            span.start,
                            span.end,
                            span.precision,
                            r["city"],
                            countries.get(r["country"]),
                            countries.get(r["host"]),
                            r["summary"],
                        )
                    )
                    next_id += 1
            with cursor.copy(
                "COPY engagements_meeting_countries (meeting_id, country_id) FROM STDIN"
            ) as copy:
                for row in meetings:
                    r = dict(zip(h, row, strict=True))
                    for code in r["countries"].split(";"):
                        if code.strip():
                            copy.write_row((ids[r["slug"]], countries[code.strip()]))
            with cursor.copy(
                "COPY engagements_participation (meeting_id, official_id, post_id, role, note) "
                "FROM STDIN"
            ) as copy:
                for meeting, official, post, role, note in people:
                    copy.write_row((ids[meeting], officials[official], posts.get(post), role, note))
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the checks COPY would face
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def delete_imported() -> None:
    """Remove what the import benchmark added (rows, links and their history)."""
    from .models import MeetingCitation

    qs = Meeting.objects.filter(slug__startswith=IMPORT_PREFIX)
    ids = qs.values("id")
    with transaction.atomic():
        Participation.objects.filter(meeting__in=ids)._raw_delete(connection.alias)
        Participation.history.filter(meeting_id__in=ids).delete()
        MeetingCitation.objects.filter(meeting__in=ids)._raw_delete(connection.alias)
        Meeting.countries.through.objects.filter(meeting__in=ids)._raw_delete(connection.alias)
        Meeting.history.filter(slug__startswith=IMPORT_PREFIX).delete()
        qs._raw_delete(connection.alias)


def release_memory() -> None:
    """Give freed memory back to the system, so a step's peak starts from what is live."""
    gc.collect()
    # glibc keeps freed heap; trimming it makes the resident size a fair baseline.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _import_file(resource, data: bytes) -> tuple[float, object, int]:
    """Read an uploaded file's bytes and import them: seconds, result, rows."""
    from .resources.files import read_csv

    started = time.perf_counter()
    dataset = read_csv(data)
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    return time.perf_counter() - started, result, len(dataset)


def run_import(rows: int, progress: Callable[[str], None]) -> ThroughputResult:
    """Import the two files as the admin does after its preview, from their bytes.

    The files are built first and kept as CSV bytes (the upload); everything used to build
    them is freed before the step, so its peak memory is the import's own plus the files.
    """
    from .resources import MeetingResource, ParticipationResource
    from .resources.files import read_csv

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
    result = ThroughputResult(
        name=f"CSV import of {rows:,} new meetings + {people_rows:,} participants",
        rows=total,
        seconds=seconds,
        rows_per_s=total / seconds,
        peak_mb=memory.peak_mb,
        start_mb=memory.start_mb,
        ok=ok,
        note=(
            f"meetings {meeting_rows / meeting_seconds:,.0f} rows/s, participants "
            f"{people_rows / people_seconds:,.0f} rows/s; files "
            f"{len(files[0]) / 1e6:.1f} + {len(files[1]) / 1e6:.1f} MB"
            + (f"; errors: {' | '.join(errors)}" if errors else "")
        ),
    )
    delete_imported()
    if connection.vendor == "postgresql":
        copy_seconds = copy_import(read_csv(files[0]), read_csv(files[1]))
        result.copy_seconds = copy_seconds
        result.copy_rows_per_s = total / copy_seconds
        result.ratio_to_copy = seconds / copy_seconds
    progress(
        f"import: {total:,} rows in {seconds:.1f}s = {result.rows_per_s:,.0f} rows/s, "
        f"peak {memory.peak_mb:.0f} MB (from {memory.start_mb:.0f}), ok={ok}"
        + (f", COPY {result.copy_seconds:.1f}s" if result.copy_seconds else "")
    )
    return result


# --- tables -------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    """One plain-text table: a row per measurement, a column group per data size."""
    sizes = [f"{r.meetings:,}" for r in runs]
    out = io.StringIO()
    head = f"{'measurement':<34}" + "".join(f" | {s + ' meetings':^34}" for s in sizes)
    out.write(head + "\n")
    sub = f"{'':<34}" + " | q  cold ms  median ms   p95 ms   " * len(runs)
    out.write(sub.rstrip() + "\n" + "-" * len(head) + "\n")
    names = list(dict.fromkeys(p.name for r in runs for p in r.pages))
    for name in names:
        line = f"{name:<34}"
        for run in runs:
            page = next((p for p in run.pages if p.name == name), None)
            if page is None:
                line += f" | {'—':^34}"
                continue
            flag = "" if page.status == 200 else f" [{page.status}]"
            line += (
                f" | {page.queries:>2} {page.cold_ms:>8.1f} {page.median_ms:>10.1f} "
                f"{page.p95_ms:>8.1f}{flag:<5}"
            )
        out.write(line + "\n")
    for label, attr in (("export", "export"), ("import", "imports")):
        line = f"{label + ' rows/s peak(+step) ×COPY':<34}"
        for run in runs:
            r = getattr(run, attr)
            if r is None:
                line += f" | {'—':^34}"
                continue
            ratio = f"{r.ratio_to_copy:.1f}×" if r.ratio_to_copy else "n/a"
            failed = "" if r.ok else " FAIL"
            peak = f"{r.peak_mb:.0f} (+{max(r.peak_mb - r.start_mb, 0):.0f})"
            line += f" | {r.rows_per_s:>9,.0f} {peak:>11} {ratio:>6}{failed:<5}"
        out.write(line + "\n")
    synth = f"{'synthesize seconds':<34}" + "".join(
        f" | {r.synthesize_seconds or 0:>10.1f}{'':<23}" for r in runs
    )
    out.write(synth + "\n")
    load = f"{'load average (1 min) before/after':<34}" + "".join(
        f" | {'/'.join(f'{x:.1f}' for x in r.load_average):>10}{'':<23}" for r in runs
    )
    out.write(load + "\n")
    return out.getvalue()


def write_json(runs: list[Run], path: str) -> None:
    with open(path, "w") as f:
        json.dump([r.as_dict() for r in runs], f, indent=2)


def settings_for_benchmark() -> None:
    """Measure production behaviour: no debug query log, no template debug."""
    settings.DEBUG = False
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["debug"] = False
