"""defrel beside Datasette on the same SQLite file: ``manage.py benchmark``'s datasette step.

Both run as servers on loopback and are asked for equivalent views, one request at a time,
alternating (defrel, then Datasette; the other way round on every other round):

- defrel: gunicorn with production settings and one worker (``loadtest.Server``);
- Datasette: ``datasette serve`` from the benchmark's own environment (never a dependency of
  defrel: ``--datasette PATH`` or ``datasette`` on ``PATH``), one process.

Datasette opens the file read-only (``mode=ro``), not ``--immutable``: defrel keeps its facet
counts in a table of the same file (``defrel_cache``) and writes it while the comparison runs,
and ``immutable`` promises SQLite that the file never changes. Its settings let it do the whole
page (no count or facet dropped at its time limits, no facet suggestions defrel does not make).

Cold: both servers freshly started, defrel's cache table emptied, the view's first request
(the file's pages stay in the operating system's cache for both). Warm: the median of repeated
requests on running servers. Fresh combinations: country + year ranges never asked before, on
warm servers. The docs (docs/scale.md) say what each Datasette equivalent does and does not do.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connections
from django.db.models import Max, Min
from django.urls import reverse

from defrel.caches import DEFAULT_URL, cache_from_url

from .. import search
from ..caching import COUNT_LIMIT
from ..models import Country, Meeting
from ..views.recordlist import DEFAULT_PER_PAGE
from . import benchmark
from .figures import ComparisonResult
from .loadclients import HOST, Client, LoadTestError
from .loadtest import Served, Server, free_port, manage, production_env

API = "/api/v1/meetings"
#: Datasette's facets beside defrel's: the meeting's own columns. Datasette has no facet over
#: a link table (defrel's partner countries and topics) and no year facet (a day one instead).
FACETS = (("_facet", "kind"), ("_facet", "grouping_id"), ("_facet_date", "start_date"))
#: Datasette drops a count past 1 s and a facet past 200 ms, and suggests facets: here it
#: counts and facets in full, and suggests none (defrel suggests none).
SETTINGS = {
    "sql_time_limit_ms": "60000",
    "facet_time_limit_ms": "60000",
    "suggest_facets": "off",
    "default_page_size": str(DEFAULT_PER_PAGE),
}
SEARCH_WORDS = "maritime security"
YEARS = (2010, 2020)


class ComparisonError(LoadTestError):
    """The comparison cannot run, or a side answered wrongly (the message says which); a
    server that does not start raises its parent, ``LoadTestError``."""


# --- finding Datasette ---------------------------------------------------------------------


def find_datasette(path: str = "") -> str | None:
    """The Datasette executable: ``path`` when given (it must run), else ``datasette`` on
    ``PATH``; None when there is none."""
    if not path:
        return shutil.which("datasette")
    found = shutil.which(path)
    if not found:
        raise ComparisonError(f"--datasette {path}: no such executable.")
    return found


def datasette_version(executable: str) -> str:
    done = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60)
    if done.returncode:
        raise ComparisonError(f"{executable} --version failed: {done.stderr[-400:]}")
    return done.stdout.strip()


# --- the views, as each side asks for them -------------------------------------------------


@dataclass
class View:
    """One view: the meetings page's parameters, and the Datasette table view's."""

    name: str
    defrel: dict[str, str] = field(default_factory=dict)
    datasette: list[tuple[str, str]] = field(default_factory=list)

    def defrel_url(self) -> str:
        path = reverse("engagements:meeting_list")
        return f"{path}?{urlencode(self.defrel)}" if self.defrel else path

    def api_url(self) -> str:
        """defrel's API over the same filters: its count."""
        return f"{API}?{urlencode({**self.defrel, 'per_page': 1})}"

    def datasette_url(self, database: str, suffix: str = "") -> str:
        """The table view (``suffix=".json"``: its JSON, with the count and the facets)."""
        params = [("_sort_desc", "start_date"), ("_size", str(DEFAULT_PER_PAGE))]
        params += [*FACETS, *self.datasette]
        table = Meeting._meta.db_table
        return f"/{quote(database)}/{table}{suffix}?{urlencode(params)}"


def partner_years(iso2: str, first: int, last: int, name: str = "") -> View:
    """Meetings with partner ``iso2`` starting in ``first``–``last``. defrel's EXISTS on the
    link table is the subquery Datasette's ``_through`` writes, given as ``_where``: in 0.65
    ``_through`` names its parameter ``:p0`` like the first column filter's, so beside
    ``start_date__gte`` one value stands for both and the count is wrong."""
    link = Meeting.countries.through._meta.db_table
    country = int(Country.objects.get(iso2=iso2).pk)
    return View(
        name or f"{iso2} {first}–{last}",
        {"country": iso2, "year_from": str(first), "year_to": str(last)},
        [
            ("_where", f"id in (select meeting_id from {link} where country_id = {country})"),
            ("start_date__gte", f"{first:04d}-01-01"),
            ("start_date__lte", f"{last:04d}-12-31"),
        ],
    )


def text_search(words: str) -> View:
    """defrel's search on SQLite is ``LIKE`` on title and summary, every word (migration 0007's
    document is PostgreSQL's): Datasette gets the same ``LIKE``s as ``_where`` (its ``_search``
    needs an FTS table the file does not have). defrel also tries each word as a city or a
    country's name, which Datasette is not asked to do."""
    clauses = []
    for term in search.terms(words):
        if not term.replace(" ", "").isalpha():
            raise ValueError(f"Search words must be letters: {term!r}")
        like = f"'%{term}%'"
        clauses.append(f"(title like {like} or summary like {like})")
    return View(f"search “{words}”", {"q": words}, [("_where", " and ".join(clauses))])


def deep_page() -> View | None:
    """The page after the meeting half-way down the list (newest first): defrel's keyset
    cursor, Datasette's ``_next`` (its start date and id; ties within that day fall in
    Datasette's order, by id, instead of defrel's by extent)."""
    middle = benchmark.middle_meeting()
    if middle is None:
        return None
    row, cursor = middle
    after = [("_next", f"{row.start_date},{row.pk}")]
    return View("deep page (half-way)", {"after": cursor}, after)


def plan(combinations: int = 10, seed: int = 1) -> tuple[list[View], list[View]]:
    """The views compared cold and warm, and ``combinations`` fresh country + year ranges."""
    partners = benchmark.top_partners(20) or ["US"]
    views = [
        View("first page"),
        partner_years(partners[0], *YEARS, name="country + years"),
        text_search(SEARCH_WORDS),
    ]
    if deep := deep_page():
        views.append(deep)
    span = Meeting.objects.aggregate(first=Min("start_date"), last=Max("start_date"))
    first = span["first"].year if span["first"] else YEARS[0]
    last = span["last"].year if span["last"] else YEARS[1]
    rng = random.Random(seed)
    fresh: dict[tuple, View] = {}
    asked = {(partners[0], *YEARS)}
    for _ in range(combinations * 50):
        if len(fresh) == combinations:
            break
        start = rng.randint(first, last)
        key = (rng.choice(partners), start, min(last, start + rng.randint(2, 10)))
        if key not in asked and key not in fresh:
            fresh[key] = partner_years(*key)
    return views, list(fresh.values())


# --- the servers ---------------------------------------------------------------------------


@dataclass
class DatasetteServer(Served):
    """``datasette serve`` of one SQLite file, read-only, on 127.0.0.1 (a context manager)."""

    executable: str = ""
    path: Path | None = None
    ready_path = "/-/versions.json"
    label = "datasette"

    def __enter__(self) -> DatasetteServer:
        self.port = self.port or free_port()
        command = [self.executable, "serve", str(self.path), "--host", HOST]
        command += ["--port", str(self.port)]
        for name, value in SETTINGS.items():
            command += ["--setting", name, value]
        # Nothing of defrel's environment: Datasette is a program of its own.
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        self._start(command, {k: v for k, v in os.environ.items() if k in keep})
        return self


def clear_defrel_cache(alias: str = "default") -> None:
    """Empty the cache table the servers use (production settings: ``db://defrel_cache``)."""
    connection = connections[alias]
    table = connection.ops.quote_name(cache_from_url(DEFAULT_URL)["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Sides:
    """The two running servers."""

    defrel: Server
    datasette: DatasetteServer
    database: str  # Datasette's name for the file (its stem)

    def get(self, side: str, view: View) -> float:
        """Milliseconds for ``view``'s page from ``side``, read to its last byte (on a new
        connection, for both: an idle keep-alive one may have been closed meanwhile)."""
        url = view.defrel_url() if side == "defrel" else view.datasette_url(self.database)
        started = time.perf_counter()
        status, body = self.fetch(side, url)
        ms = (time.perf_counter() - started) * 1000
        if status != 200:
            raise ComparisonError(f"{side} answered {status} to {url}: {body[:300]!r}")
        return ms

    def fetch(self, side: str, url: str) -> tuple[int, bytes]:
        client = Client((self.defrel if side == "defrel" else self.datasette).port)
        try:
            return client.get(url)
        finally:
            client.close()

    def pair(self, view: View, flip: bool) -> tuple[float, float]:
        """(defrel ms, Datasette ms), asked one after the other (Datasette first if ``flip``)."""
        if flip:
            datasette = self.get("datasette", view)
            return self.get("defrel", view), datasette
        defrel = self.get("defrel", view)
        return defrel, self.get("datasette", view)

    def counts(self, view: View) -> tuple[int, bool, int, str]:
        """defrel's count (and whether it is a lower bound), Datasette's, and any problem."""
        status, body = self.fetch("defrel", view.api_url())
        if status != 200:
            raise ComparisonError(f"defrel's API answered {status} to {view.api_url()}")
        api = json.loads(body)
        url = view.datasette_url(self.database, ".json")
        status, body = self.fetch("datasette", url)
        if status != 200:
            raise ComparisonError(f"Datasette answered {status} to {url}: {body[:300]!r}")
        data = json.loads(body)
        problem = ""
        if data.get("facets_timed_out"):
            problem = f"Datasette's facets timed out: {data['facets_timed_out']}"
        count = data.get("filtered_table_rows_count")
        return api["count"], api["count_is_lower_bound"], count, problem


@dataclass
class Setup:
    """What every start of the servers needs: the file, its URL, Datasette, static files."""

    path: Path
    executable: str
    static_root: Path
    alias: str = "default"

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def servers(self) -> tuple[Server, DatasetteServer]:
        defrel = Server(url=self.url, workers=1, static_root=self.static_root)
        return defrel, DatasetteServer(executable=self.executable, path=self.path)


class Started:
    """Both servers started (defrel first), stopped on exit: ``with Started(setup) as sides``."""

    def __init__(self, setup: Setup) -> None:
        self.defrel, self.datasette = setup.servers()
        self.sides = Sides(self.defrel, self.datasette, setup.path.stem)

    def __enter__(self) -> Sides:
        self.defrel.__enter__()
        try:
            self.datasette.__enter__()
        except BaseException:
            self.defrel.__exit__(None, None, None)
            raise
        return self.sides

    def __exit__(self, *exc) -> None:
        self.datasette.__exit__(*exc)
        self.defrel.__exit__(*exc)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run(
    path: Path,
    executable: str,
    *,
    repeat: int = 10,
    cold_rounds: int = 3,
    combinations: int = 10,
    seed: int = 1,
    say: Callable[[str], None] = print,
    alias: str = "default",
) -> list[ComparisonResult]:
    """Every view cold (``cold_rounds`` fresh starts each) and warm (``repeat`` requests), the
    fresh combinations once cold and once warm; then both sides' counts of each."""
    views, fresh = plan(combinations, seed)
    scratch = Path(tempfile.mkdtemp(prefix="defrel-datasette-"))
    try:
        static = scratch / "static"
        manage(["collectstatic", "--noinput", "-v0"], production_env(f"sqlite:///{path}", static))
        setup = Setup(path, executable, static, alias)
        cold: dict[str, list[tuple[float, float]]] = {v.name: [] for v in views}
        for round_ in range(cold_rounds):
            for view in views:
                clear_defrel_cache(alias)
                with Started(setup) as sides:
                    cold[view.name].append(sides.pair(view, flip=round_ % 2 == 1))
                defrel, datasette = cold[view.name][-1]
                say(
                    f"datasette: cold {round_ + 1}/{cold_rounds} {view.name}: "
                    f"defrel {defrel:.0f} ms, Datasette {datasette:.0f} ms"
                )
        clear_defrel_cache(alias)
        with Started(setup) as sides:
            return _warm(sides, views, fresh, cold, repeat, say)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _warm(
    sides: Sides,
    views: list[View],
    fresh: list[View],
    cold: dict[str, list[tuple[float, float]]],
    repeat: int,
    say: Callable[[str], None],
) -> list[ComparisonResult]:
    warm: dict[str, list[tuple[float, float]]] = {v.name: [] for v in views}
    for view in views:
        sides.pair(view, flip=False)  # uncounted: the servers' first request of the view
    for n in range(repeat):
        for view in views:
            warm[view.name].append(sides.pair(view, flip=n % 2 == 1))
    for n, view in enumerate(fresh):
        cold[view.name] = [sides.pair(view, flip=n % 2 == 1)]
        warm[view.name] = [sides.pair(view, flip=n % 2 == 0)]
    results = []
    for view in [*views, *fresh]:
        defrel, lower, datasette, problem = sides.counts(view)
        same = datasette >= defrel if lower else datasette == defrel
        results.append(
            ComparisonResult(
                name=view.name,
                defrel_url=view.defrel_url(),
                datasette_url=view.datasette_url(sides.database),
                defrel_cold_ms=_median([d for d, _ in cold[view.name]]),
                datasette_cold_ms=_median([s for _, s in cold[view.name]]),
                defrel_warm_ms=_median([d for d, _ in warm[view.name]]),
                datasette_warm_ms=_median([s for _, s in warm[view.name]]),
                defrel_count=defrel,
                datasette_count=datasette,
                same_count=same and not problem,
                note=problem + (f" (defrel counts to {COUNT_LIMIT:,})" if lower else ""),
            )
        )
        say(line(results[-1]))
    if fresh:
        results.append(summary(f"{len(fresh)} fresh combinations (median)", results[-len(fresh) :]))
        say(line(results[-1]))
    return results


def summary(name: str, rows: list[ComparisonResult]) -> ComparisonResult:
    """The medians of ``rows``' figures (the fresh combinations' row)."""
    return ComparisonResult(
        name=name,
        defrel_url="",
        datasette_url="",
        defrel_cold_ms=_median([r.defrel_cold_ms for r in rows]),
        datasette_cold_ms=_median([r.datasette_cold_ms for r in rows]),
        defrel_warm_ms=_median([r.defrel_warm_ms for r in rows]),
        datasette_warm_ms=_median([r.datasette_warm_ms for r in rows]),
        same_count=all(r.same_count for r in rows),
    )


# --- the report ----------------------------------------------------------------------------


def _ratio(defrel: float, datasette: float) -> str:
    return f"{defrel / datasette:.2f}×" if datasette else "n/a"


def line(r: ComparisonResult) -> str:
    """One view's row: cold and warm ms of each side, defrel ÷ Datasette, the counts."""
    counts = "same" if r.same_count else f"DIFFER {r.defrel_count}/{r.datasette_count}"
    if r.defrel_count is not None and r.same_count:
        counts = f"{r.defrel_count:,} same"
    return (
        f"{r.name[:30]:<30} | {r.defrel_cold_ms:8.1f} {r.datasette_cold_ms:9.1f} "
        f"{_ratio(r.defrel_cold_ms, r.datasette_cold_ms):>7} | {r.defrel_warm_ms:8.1f} "
        f"{r.datasette_warm_ms:9.1f} {_ratio(r.defrel_warm_ms, r.datasette_warm_ms):>7} | {counts}"
    )


def table(results: list[ComparisonResult], version: str) -> str:
    """The comparison as plain text (ratio = defrel ÷ Datasette: above 1, defrel is behind)."""
    head = f"{'defrel vs ' + version:<30} | {'cold ms':^26} | {'warm ms (median)':^26} | meetings"
    sub = f"{'':<30} |" + f" {'defrel':>8} {'Datasette':>9} {'ratio':>7} |" * 2
    rows = [head, sub, "-" * len(head)] + [line(r) for r in results]
    return "\n".join(rows) + "\n"
