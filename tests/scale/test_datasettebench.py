"""The Datasette comparison (``manage.py benchmark``'s datasette step, SQLite).

Its equivalents are honest when both sides count the same meetings: here the Datasette side's
conditions, run as SQL on the test data, count what defrel's API counts for the same view;
and, when Datasette is installed (docs/scale.md: ``.bench/bin/datasette``), the whole step runs
against a copy of the test database and every view's two counts must agree. Figures are
printed, not asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from engagements.models import Meeting
from engagements.scale import datasettebench, loadtest

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="compares on SQLite")


def installed_datasette() -> str | None:
    for candidate in (
        os.environ.get("DEFREL_DATASETTE"),
        str(Path(settings.BASE_DIR) / ".bench" / "bin" / "datasette"),
        shutil.which("datasette"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


DATASETTE = installed_datasette()


def datasette_count(view: datasettebench.View) -> int:
    """The meetings Datasette's table view would count for ``view``: its filters as SQL
    (``_where`` as given, ``col__gte``/``col__lte`` as comparisons; paging counts all)."""
    clauses, params = [], []
    query = parse_qsl(urlsplit(view.datasette_url("db")).query)
    for name, value in query:
        if name == "_where":
            clauses.append(f"({value.replace('%', '%%')})")  # Django's %s style
        elif "__" in name and not name.startswith("_"):
            column, op = name.split("__")
            clauses.append(f'"{column}" {({"gte": ">=", "lte": "<="})[op]} %s')
            params.append(value)
    where = f"where {' and '.join(clauses)}" if clauses else ""
    with connection.cursor() as cursor:
        cursor.execute(f"select count(*) from {Meeting._meta.db_table} {where}", params)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_each_datasette_equivalent_counts_what_defrel_counts(client):
    call_command("synthesize", meetings=300, seed=1, verbosity=0)
    views, fresh = datasettebench.plan(combinations=4)
    names = [v.name for v in views]
    assert names == ["first page", "country + years", "search “maritime security”", names[3]]
    assert names[3].startswith("deep page") and len(fresh) == 4
    assert len({v.name for v in fresh} | {"country + years"}) == 5  # all different
    counted = {}
    for view in [*views, *fresh]:
        assert client.get(view.defrel_url()).status_code == 200, view.defrel_url()
        api = client.get(view.api_url()).json()
        assert not api["count_is_lower_bound"]
        assert datasette_count(view) == api["count"], view.name
        counted[view.name] = api["count"]
    # Real filters, not everything: the country and the words narrow the list.
    assert 0 < counted["country + years"] < counted["first page"]
    assert 0 < counted["search “maritime security”"] < counted["first page"]
    assert counted["first page"] == Meeting.objects.count()


def test_search_words_must_be_letters():
    with pytest.raises(ValueError, match="letters"):
        datasettebench.text_search("it's")


@pytest.mark.skipif(DATASETTE is None, reason="no Datasette (docs/scale.md: .bench/bin/datasette)")
def test_comparison_step_runs_and_both_sides_count_the_same(tmp_path, django_db_blocker):
    path = tmp_path / "compare.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    loadtest.manage(["synthesize", "--meetings=200", "-v0"], env)
    figures = tmp_path / "compare.json"
    args = ["benchmark", "--skip=pages,export,import", f"--datasette={DATASETTE}"]
    out = loadtest.manage([*args, "--repeat=1", "--cold-rounds=1", f"--json={figures}"], env)
    assert "defrel vs datasette, version" in out
    (run,) = json.loads(figures.read_text())
    assert run["datasette_version"].startswith("datasette, version")
    rows = {r["name"]: r for r in run["datasette"]}
    assert "first page" in rows and "10 fresh combinations (median)" in rows
    assert len(rows) == 4 + 10 + 1
    disagreeing = [(n, r["defrel_count"], r["datasette_count"], r["note"]) for n, r in rows.items()]
    assert [d for d in disagreeing if not rows[d[0]]["same_count"]] == []
    assert rows["country + years"]["defrel_count"] > 0
    assert all(r["defrel_cold_ms"] > 0 and r["datasette_warm_ms"] > 0 for r in rows.values())


def test_step_skips_with_a_reason_without_a_file_or_datasette(db, tmp_path):
    out = StringIO()
    call_command("benchmark", skip="pages,export,import", stdout=out)
    assert "datasette comparison skipped" in out.getvalue()
