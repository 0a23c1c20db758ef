"""The benchmark's other export paths, each against ``COPY … TO STDOUT`` of the same rows.

Beside the reading room's CSV download (``benchmark.run_export``), every meeting is
exported by the three other paths a user has, end to end, the output read and discarded:

- ``manage.py export_csv meeting`` (``csv_chunks``, in primary-key order);
- the admin's *Export* (a staff POST of its form with every column ticked, the change
  list's order);
- the reading room's JSON (``/meetings/?format=json``).

Each is timed beside the export's own CSV ``COPY`` of the same rows in the same order, run
straight after it (``ratio_to_copy``: how many times slower); peak memory as elsewhere.

And the admin's import end to end (``run_admin_import``): the meetings file, then the
participants file, each uploaded (the preview) and confirmed, as staff would, beside
``COPY … FROM`` of the same rows (``benchmark.copy_import``, rolled back).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse

from ..columns import MEETING
from ..management.commands.export_csv import csv_chunks
from ..models import Meeting
from ..resources import MeetingResource
from ..resources.files import read_csv
from ..views.copysql import copy_lines
from .benchmark import IMPORT_PREFIX, copy_import, delete_imported, export_queryset, import_files
from .figures import ThroughputResult
from .measuring import PeakMemory, release_memory, throughput

#: The admin's meeting change list's order (``MeetingAdmin.ordering``).
ADMIN_ORDER = (F("start_date").desc(nulls_last=True), "-pk")


def _lines(chunks: Iterable[bytes]) -> int:
    return sum(chunk.count(b"\n") for chunk in chunks)


def _copy_seconds(queryset) -> tuple[int, float]:
    started = time.perf_counter()
    lines = _lines(copy_lines(MEETING, queryset))
    return lines, time.perf_counter() - started


def _measure(name: str, run: Callable[[], tuple[int, bool]], copied) -> ThroughputResult:
    release_memory()
    with PeakMemory() as memory:
        started = time.perf_counter()
        rows, ok = run()
        seconds = time.perf_counter() - started
    return throughput(name, rows, seconds, memory, ok=ok, copy=lambda: _copy_seconds(copied))


def run_export_paths(user, progress: Callable[[str], None]) -> list[ThroughputResult]:
    """The three other export paths of every meeting (see the module)."""
    client = Client()
    client.force_login(user)
    fields = {f"meetingresource_{name}": "on" for name in MeetingResource().get_export_order()}
    admin_url = reverse("admin:engagements_meeting_export")
    json_url = reverse("engagements:meeting_list") + "?format=json"
    client.get(reverse("admin:engagements_meeting_changelist"))  # URLs and templates loaded

    def command():
        return _lines(csv_chunks("meeting")) - 1, True

    def admin_export():
        response = client.post(admin_url, {"format": "0", **fields})
        body = response.streaming_content if response.streaming else [response.content]
        return _lines(body) - 1, response.status_code == 200

    def json_export():
        response = client.get(json_url)
        rows = _lines(response.streaming_content) - 5  # meta, schema, data's [ and ], count
        return rows, response.status_code == 200

    listed = Meeting.objects.order_by(*ADMIN_ORDER)
    results = []
    for name, run, copied in (
        ("export_csv meeting (command)", command, Meeting.objects.order_by("pk")),
        ("admin Export of all meetings", admin_export, listed),
        ("JSON export (/meetings/?format=json)", json_export, export_queryset()),
    ):
        result = _measure(name, run, copied)
        results.append(result)
        progress(
            f"{name}: {result.rows:,} rows in {result.seconds:.1f}s = "
            f"{result.rows_per_s:,.0f} rows/s, peak {result.peak_mb:.0f} MB"
            + (f", {result.ratio_to_copy:.2f}× COPY" if result.ratio_to_copy else "")
        )
    return results


def _admin_import(client: Client, model: str, data: bytes) -> bool:
    """Upload ``data`` to ``model``'s admin import, then confirm it; whether it imported."""
    upload = SimpleUploadedFile(f"{model}.csv", data, "text/csv")
    preview = client.post(
        reverse(f"admin:engagements_{model}_import"), {"format": "0", "import_file": upload}
    )
    # A TemplateResponse: its context is there outside the test runner too.
    form = (getattr(preview, "context_data", None) or {}).get("confirm_form")
    if form is None:
        return False
    confirmed = client.post(
        reverse(f"admin:engagements_{model}_process_import"),
        {name: form[name].value() for name in form.fields},
    )
    return confirmed.status_code == 302


def run_admin_import(user, rows: int, progress: Callable[[str], None]) -> ThroughputResult:
    """``rows`` new meetings and their participants through the admin (see the module)."""
    client = Client()
    client.force_login(user)
    delete_imported()
    meetings, people = import_files(rows)
    files = (meetings.export("csv").encode(), people.export("csv").encode())
    total = len(meetings) + len(people)
    del meetings, people
    release_memory()
    with (
        override_settings(DEFREL_IMPORT_MAX_BYTES=max(len(f) for f in files) + 1),
        PeakMemory() as memory,
    ):
        started = time.perf_counter()
        ok = _admin_import(client, "meeting", files[0]) and _admin_import(
            client, "participation", files[1]
        )
        seconds = time.perf_counter() - started
    ok = ok and Meeting.objects.filter(slug__startswith=IMPORT_PREFIX).count() == rows
    delete_imported()
    result = throughput(
        f"admin import (preview + confirm) of {rows:,} meetings + participants",
        total,
        seconds,
        memory,
        ok=ok,
        copy=lambda: (total, copy_import(read_csv(files[0]), read_csv(files[1]))),
    )
    progress(
        f"admin import: {total:,} rows in {seconds:.1f}s = {result.rows_per_s:,.0f} rows/s, "
        f"peak {memory.peak_mb:.0f} MB, ok={ok}"
        + (f", {result.ratio_to_copy:.1f}× COPY" if result.ratio_to_copy else "")
    )
    return result
