"""The benchmark command runs end to end on a small synthetic set (figures are not asserted)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from engagements.models import Meeting

pytestmark = pytest.mark.django_db


def test_benchmark_runs_every_step_and_writes_json(tmp_path):
    path = tmp_path / "bench.json"
    out = StringIO()
    call_command("benchmark", meetings="60", repeat=1, import_rows=20, json=str(path), stdout=out)
    text = out.getvalue()
    labels = ("/meetings/ search", "API meetings", "panel CSV", "admin meetings", "export rows/s")
    for label in (*labels, "import rows/s"):
        assert label in text
    (run,) = json.loads(path.read_text())
    assert run["meetings"] == Meeting.objects.count()
    assert run["meetings"] > 60
    failing = [(p["name"], p["status"]) for p in run["pages"] if p["status"] != 200]
    assert failing == []
    assert all(p["queries"] > 0 for p in run["pages"])
    assert run["export"]["rows"] == run["meetings"] and run["export"]["ok"]
    assert run["imports"]["ok"], run["imports"]["note"]
    # The command's, the admin's and the JSON export, each every meeting and each printed.
    *exports, admin_import = run["exports"]
    assert [e["name"].split(" ")[0] for e in exports] == ["export_csv", "admin", "JSON"]
    assert all(e["ok"] and e["rows"] == run["meetings"] for e in exports)
    assert all(not e["note"] for e in exports)  # COPY wrote as many rows
    assert "export_csv meeting (command)" in text and "admin Export of all meetings" in text
    # The admin's import, preview and confirm, of the benchmark's 20 meetings.
    assert admin_import["name"].startswith("admin import") and admin_import["ok"]
    assert admin_import["rows"] > 20 and "admin import (preview + confirm)" in text
    # The import benchmark leaves nothing behind.
    assert not Meeting.objects.filter(slug__startswith="syn-imp-").exists()


def test_benchmark_rejects_bad_arguments():
    with pytest.raises(CommandError, match="numbers"):
        call_command("benchmark", meetings="ten", stdout=StringIO())
    with pytest.raises(CommandError, match="--skip"):
        call_command("benchmark", skip="pages,nap", stdout=StringIO())
