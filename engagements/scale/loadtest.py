"""The load test behind ``manage.py loadtest``: gunicorn with production settings, researcher
clients and one staff editor over loopback HTTP, then a check that no edit was lost.

Why a real server: the benchmark (``benchmark.py``) times one request at a time in-process;
this puts N concurrent clients against gunicorn's workers, so queueing, connection handling,
the database's locks and a staff save landing in the middle of researcher reads all count.

- **server**: ``collectstatic`` into a scratch directory, then gunicorn bound to 127.0.0.1 with
  ``DEFREL_DEBUG=0`` and a generated secret key. The clients play the TLS proxy's part
  (``X-Forwarded-Proto: https``, docs/deployment.md), so the production settings run as
  they are: no redirect to HTTPS is switched off, cookies stay secure.
- **clients**: threads, one ``http.client`` connection each, no think time unless asked,
  drawing list pages (with filters), detail pages (by slug) and CSV exports of a filtered
  list from the database's own rows. Any answer but 200, and any socket error, is an error.
- **staff**: logs into /admin/ (CSRF token from the login form, django-axes in the way as in
  production) and saves synthetic meetings through the admin's change form, each save
  appending a unique marker to the summary. A failed save is retried, as a person would.
- **check**: every save the server acknowledged (302) must be in the meeting's summary and in
  its django-simple-history rows.
- **fault** (optional): the throwaway PostgreSQL server (``pgcluster``) is stopped mid-run
  and started again; the report says what clients got meanwhile and how long until the
  first request succeeded again.

Only synthetic meetings (``syn-`` slugs) are edited, so curated records are never touched.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.urls import reverse

from ..models import Agreement, Country, Meeting, Official
from .clearing import PREFIX
from .loadclients import (
    ALIAS,
    HOST,
    MIX,
    TIMEOUT,
    Budget,
    Client,
    Edit,
    EditCheck,
    LoadTestError,
    Plan,
    Sample,
    check_edits,
    ensure_staff_user,
    retire_staff_user,
    staff,
    timed,
)
from .measuring import percentile

MAX_CLIENTS = 200
MAX_SECONDS = 3600


# --- targets -------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine over loopback (or a local socket: no host)."""
    if not host or host.startswith("/") or host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ip_address(host.strip("[]")).is_loopback
    return False


def register_database(url: str) -> str:
    """Add ``url`` as the ``loadtest`` database alias (reads of the plan and the check);
    refuse a database on another machine: the test writes to it."""
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        raise LoadTestError(f"--database-url is not a database URL: {exc}") from exc
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise LoadTestError("--database-url: SQLite must be a file the server can open.")
    elif not is_loopback(str(config.get("HOST") or "")):
        raise LoadTestError(
            f"--database-url points at {config.get('HOST')}: the load test only runs against a "
            "database on this machine (loopback)."
        )
    config.setdefault("OPTIONS", {})
    if engine.endswith("sqlite3"):
        config["OPTIONS"]["timeout"] = 20
    connections.databases[ALIAS] = {**connections.databases["default"], **config, "TEST": {}}
    with contextlib.suppress(AttributeError, KeyError):
        del connections[ALIAS]
    return ALIAS


def vendor_name() -> str:
    """The target's server and version (PostgreSQL 15.x, SQLite 3.x), for the report."""
    connection = connections[ALIAS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def unregister_database() -> None:
    with contextlib.suppress(Exception):
        connections[ALIAS].close()
    with contextlib.suppress(AttributeError, KeyError):
        del connections[ALIAS]
    connections.databases.pop(ALIAS, None)


def manage(args: list[str], env: dict[str, str], timeout: float = 3600) -> str:
    """Run ``manage.py`` with ``env`` (the target database); its output, or an error."""
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=settings.BASE_DIR,
    )
    if done.returncode:
        raise LoadTestError(f"manage.py {args[0]} failed: {(done.stderr or done.stdout)[-800:]}")
    return done.stdout


def prepare(url: str, meetings: int, seed: int, say: Callable[[str], None]) -> None:
    """Migrate the target when it needs it, load the seed when it has no countries, and
    synthesize ``meetings`` when it holds another number of synthetic meetings (each step a
    ``manage.py`` process on the target, as an operator would run it)."""
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DATABASE_REPLICA_URL", None)
    executor = MigrationExecutor(connections[ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        say("Migrating the target database…")
        manage(["migrate", "--noinput", "-v0"], env)
    if not Country.objects.using(ALIAS).exists():
        say("Loading the seed…")
        manage(["seed", "-v0"], env)
    if meetings:
        have = Meeting.objects.using(ALIAS).filter(slug__startswith=PREFIX).count()
        if have != meetings:
            say(f"Synthesizing {meetings:,} meetings…")
            manage(["synthesize", f"--meetings={meetings}", "--clear", "-v0"], env)


def copy_postgres(source: str, target: str) -> None:
    """``pg_dump`` the source database into the (empty) target: faster than migrating."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        raise LoadTestError("pg_dump and pg_restore are needed to copy the database.")
    dump = subprocess.Popen(
        ["pg_dump", "--format=custom", "--no-owner", f"--dbname={source}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    restore = subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={target}"],
        stdin=dump.stdout,
        capture_output=True,
        text=True,
    )
    dump.stdout.close()
    dumped = dump.wait()
    if dumped or restore.returncode:
        why = (dump.stderr.read().decode(errors="replace") if dumped else restore.stderr)[-800:]
        raise LoadTestError(f"Copying the database into the throwaway server failed: {why}")
    # pg_restore copies no planner statistics: without them the first minutes of the run
    # would be measured on plans made blind (sequential scans, wrong join orders).
    analyze = subprocess.run(
        ["psql", "-X", "-q", f"--dbname={target}", "-c", "ANALYZE"], capture_output=True, text=True
    )
    if analyze.returncode:
        raise LoadTestError(f"ANALYZE of the copied database failed: {analyze.stderr[-800:]}")


# --- the plan: URLs and meetings to edit, from the data ------------------------------------


def build_plan(seed: int = 1, sample: int = 400) -> Plan:
    """URLs drawn from the rows of the target: its busiest partners, some of its years,
    slugs of its meetings, agreements and officials."""
    rng = random.Random(seed)
    db = ALIAS
    meetings = Meeting.objects.using(db)
    total = meetings.count()
    synthetic = list(
        meetings.filter(slug__startswith=PREFIX).order_by("id").values_list("id", flat=True)
    )
    if not synthetic:
        raise LoadTestError(
            "The target has no synthetic meetings for the staff client to edit (curated ones "
            "are never touched): pass --meetings N to synthesize some."
        )
    through = Meeting.countries.through.objects.using(db)
    partners = [
        row["country__iso2"]
        for row in through.filter(meeting__in=synthetic[:5000])
        .exclude(country__iso2="IN")
        .values("country__iso2")
        .annotate(n=Count("id"))
        .order_by("-n")[:8]
    ] or list(Country.objects.using(db).values_list("iso2", flat=True)[:8])
    years = sorted(
        {
            d.year
            for d in meetings.exclude(start_date=None).values_list("start_date", flat=True)[:2000]
        }
    ) or [2015]

    def url(name: str, **params) -> str:
        path = reverse(f"engagements:{name}")
        return f"{path}?{urlencode(params)}" if params else path

    lists = [url("meeting_list"), url("agreement_list"), url("initiative_list")]
    lists += [url("country_list"), url("official_list")]
    for iso2 in partners:
        year = rng.choice(years)
        lists += [
            url("meeting_list", country=iso2),
            url("meeting_list", country=iso2, year_from=year - 5, year_to=year),
            url("agreement_list", country=iso2),
            url("official_list", country=iso2),
        ]
    lists += [url("meeting_list", q=word) for word in ("maritime", "defence", "naval exercise")]
    lists += [url("meeting_list", page=rng.randint(2, max(2, min(150, total // 50))))]
    exports = []
    for iso2 in partners:
        year = rng.choice(years)
        exports += [
            url("meeting_list", country=iso2, year_from=year, year_to=year, format="csv"),
            url("agreement_list", country=iso2, format="csv"),
        ]

    def slugs(model, count: int) -> list[str]:
        every = list(model.objects.using(db).values_list("slug", flat=True))
        return rng.sample(every, min(count, len(every)))

    details = [reverse("engagements:meeting_detail", args=[s]) for s in slugs(Meeting, sample)]
    details += [
        reverse("engagements:agreement_detail", args=[s]) for s in slugs(Agreement, sample // 4)
    ]
    details += [
        reverse("engagements:official_detail", args=[s]) for s in slugs(Official, sample // 4)
    ]
    details += [reverse("engagements:country_detail", args=[iso2.lower()]) for iso2 in partners]
    edits = rng.sample(synthetic, min(len(synthetic), 2000))
    return Plan(lists, details, exports, edits, total)


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(url: str, static_root: Path, replica_url: str = "") -> dict[str, str]:
    """The environment of a production deployment on loopback (docs/deployment.md); with
    ``replica_url``, researcher reads go to that streaming standby (docs/scale.md)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEFREL_")}
    env.pop("DATABASE_REPLICA_URL", None)
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    env.update(
        DJANGO_SETTINGS_MODULE="defrel.settings",
        DEFREL_DEBUG="0",
        DEFREL_SECRET_KEY=secrets.token_urlsafe(50),
        DEFREL_ALLOWED_HOSTS=HOST,
        DEFREL_STATIC_ROOT=str(static_root),
        DATABASE_URL=url,
    )
    return env


@dataclass
class Served:
    """A server process on 127.0.0.1 (a context manager): started by ``_start``, ready when
    ``ready_path`` answers 200, stopped (TERM, then KILL) on exit, its log kept until then."""

    port: int = 0
    log: Path | None = None
    process: subprocess.Popen | None = None
    _scratch: Path | None = None
    ready_path = "/about/"
    label = "gunicorn"

    def _start(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self._scratch = self._scratch or Path(tempfile.mkdtemp(prefix="defrel-loadtest-"))
        self.port = self.port or free_port()
        self.log = self._scratch / f"{self.label}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=log
            )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LoadTestError(f"{self.label} exited at start: {self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = Client(self.port).get(self.ready_path)
                if status == 200:
                    return
            time.sleep(0.2)
        raise LoadTestError(
            f"{self.label} did not answer within {timeout:.0f} s: {self.log_tail()}"
        )

    def log_tail(self, chars: int = 1500) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log else ""

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)


@dataclass
class Server(Served):
    """gunicorn serving defrel on 127.0.0.1 with production settings (a context manager).

    ``static_root``: files ``collectstatic`` has already gathered there (a benchmark that
    restarts the server many times collects them once); otherwise into a scratch directory.
    """

    url: str = ""
    workers: int = 2
    replica_url: str = ""
    static_root: Path | None = None

    def __enter__(self) -> Server:
        self._scratch = Path(tempfile.mkdtemp(prefix="defrel-loadtest-"))
        static = self.static_root or self._scratch / "static"
        env = production_env(self.url, static, self.replica_url)
        if self.static_root is None:
            manage(["collectstatic", "--noinput", "-v0"], env)
        self.port = self.port or free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "defrel.wsgi"]
        gunicorn += ["--bind", f"{HOST}:{self.port}"]
        gunicorn += ["--workers", str(self.workers)]
        gunicorn += ["--timeout", "60", "--graceful-timeout", "5", "--error-logfile", "-"]
        self._start(gunicorn, env)
        return self


# --- clients -------------------------------------------------------------------------------


def researcher(
    port: int, plan: Plan, budget: Budget, samples: list, seed: int, think: float
) -> None:
    """A researcher client: requests from the plan until the budget is spent."""
    rng = random.Random(seed)
    client = Client(port)
    try:
        while budget.take():
            kind, path = plan.draw(rng)
            sample, _ = timed(client, budget, kind, path)
            samples.append(sample)
            if think:
                time.sleep(rng.uniform(0, 2 * think))
    finally:
        client.close()


def warm_up(port: int, plan: Plan, workers: int, lists: int = 4) -> None:
    """Uncounted requests first, so each worker has loaded its code and caches: the figures
    are of a running site, not of its first seconds. ``lists`` list pages each (all of them
    fills every worker's facet cache for the plan's filters)."""
    client = Client(port)
    try:
        for path in (plan.lists[:lists] + plan.details[:1] + plan.exports[:1]) * max(1, workers):
            with contextlib.suppress(OSError, http.client.HTTPException):
                client.get(path)
    finally:
        client.close()


# --- the staff client ----------------------------------------------------------------------


@dataclass
class Fault:
    """Stops the throwaway PostgreSQL ``at`` seconds into the run for ``down`` seconds."""

    cluster: object
    at: float
    down: float
    stopped_at: float | None = None
    restarted_at: float | None = None  # when the server accepted connections again
    error: str = ""

    def run(self, budget: Budget) -> None:
        if budget.stopped.wait(self.at):
            return
        try:
            self.stopped_at = budget.now()
            self.cluster.stop("primary")
            time.sleep(self.down)
            self.cluster.start("primary")
            self.restarted_at = budget.now()
        except Exception as exc:  # reported, and the run goes on
            self.error = f"{type(exc).__name__}: {exc}"


# --- the run and its report ----------------------------------------------------------------


@dataclass
class Result:
    samples: list[Sample]
    edits: list[Edit]
    seconds: float
    clients: int
    workers: int
    meetings: int
    vendor: str
    load: tuple[float, float]
    check: EditCheck | None = None
    fault: Fault | None = None
    #: Where researcher reads went, when the run says (``--pair``).
    reads: str = ""


def run(
    port: int,
    plan: Plan,
    *,
    clients: int,
    seconds: float,
    requests: int,
    seed: int = 1,
    think: float = 0.0,
    warm_lists: int = 4,
    edit_pause: float = 0.2,
    fault: Fault | None = None,
    workers: int = 0,
    vendor: str = "",
) -> Result:
    """N researcher threads and one staff thread against the server, within the bounds."""
    if not 1 <= clients <= MAX_CLIENTS:
        raise LoadTestError(f"--clients must be between 1 and {MAX_CLIENTS}.")
    if not 0 < seconds <= MAX_SECONDS:
        raise LoadTestError(f"--seconds must be more than 0 and at most {MAX_SECONDS}.")
    if requests < 1:
        raise LoadTestError("--requests must be at least 1.")
    password = ensure_staff_user()
    warm_up(port, plan, workers, warm_lists)
    samples: list[Sample] = []
    edits: list[Edit] = []
    load_before = os.getloadavg()[0]
    budget = Budget(seconds, requests)
    run_id = secrets.token_hex(3)
    failures: list[BaseException] = []

    def guarded(target, *args):
        def body():
            try:
                target(*args)
            except BaseException as exc:
                failures.append(exc)
                budget.stopped.set()

        return threading.Thread(target=body, daemon=True)

    threads = [
        guarded(researcher, port, plan, budget, samples, seed * 1000 + n, think)
        for n in range(clients)
    ]
    threads.append(guarded(staff, port, plan, budget, samples, edits, password, run_id, edit_pause))
    if fault:
        threads.append(guarded(fault.run, budget))
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join(seconds + TIMEOUT * 2 + (fault.down if fault else 0) + 60)
    finally:
        budget.stopped.set()
        connections[ALIAS].close()  # a fault killed it: read the check on a new connection
        retire_staff_user()
    elapsed = budget.now()
    if failures:
        raise (
            failures[0]
            if isinstance(failures[0], LoadTestError)
            else LoadTestError(f"A client failed: {type(failures[0]).__name__}: {failures[0]}")
        )
    result = Result(
        samples,
        edits,
        elapsed,
        clients,
        workers,
        plan.meetings,
        vendor,
        (load_before, os.getloadavg()[0]),
        fault=fault,
    )
    result.check = check_edits(edits)
    return result


def recovery(result: Result) -> tuple[float | None, list[Sample]]:
    """When the first success was answered after the restart (no page is made without the
    database, so it was served by the restarted server, though it may have been asked for
    earlier and queued), and the samples of the outage: answered after the stop began,
    asked for before that first success."""
    fault = result.fault
    if not fault or fault.stopped_at is None:
        return None, []
    after = [
        s.started + s.seconds
        for s in result.samples
        if not s.error
        and fault.restarted_at is not None
        and s.started + s.seconds >= fault.restarted_at
    ]
    recovered = min(after) if after else None
    end = recovered if recovered is not None else float("inf")
    outage = [
        s for s in result.samples if s.started + s.seconds >= fault.stopped_at and s.started < end
    ]
    return recovered, outage


def problems(result: Result) -> list[str]:
    """What makes the run a failure: errors (outside the outage, in fault mode), lost edits,
    no recovery after the fault."""
    found = []
    if result.check and result.check.lost:
        found.append(f"{len(result.check.lost)} saved edit(s) missing from the database")
    if result.fault:
        recovered, outage = recovery(result)
        if recovered is None:
            found.append("no request succeeded after PostgreSQL was restarted")
        during = {id(s) for s in outage}
        stray = sum(bool(s.error) and id(s) not in during for s in result.samples)
        if stray:
            found.append(f"{stray} error(s) outside the outage")
        hangs = sum(s.error == "timeout" for s in outage)
        if hangs:
            found.append(f"{hangs} request(s) hung during the outage")
    else:
        errors = sum(bool(s.error) for s in result.samples)
        if errors:
            found.append(f"{errors} request(s) failed")
    return found


def report(result: Result) -> Iterator[str]:
    """The figures, line by line."""
    kinds = [*MIX, "edit"]
    yield (
        f"Load test: {result.clients} clients + 1 staff editor, {result.workers} gunicorn "
        f"workers, {result.seconds:.1f} s, {result.meetings:,} meetings on {result.vendor}."
    )
    if result.reads:
        yield f"Researcher reads: {result.reads}."
    heads = ("count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
    yield f"{'requests':<10} " + " ".join(f"{h:>8}" for h in heads)
    for kind in [*kinds, "all"]:
        rows = [s for s in result.samples if kind == "all" or s.kind == kind]
        if not rows:
            continue
        times = [s.seconds * 1000 for s in rows]
        errors = sum(bool(s.error) for s in rows)
        label = "edit saves" if kind == "edit" else kind
        yield (
            f"{label:<10} {len(rows):>8,} {errors:>7,} {percentile(times, 0.5):>8.1f} "
            f"{percentile(times, 0.95):>8.1f} {percentile(times, 0.99):>8.1f} {max(times):>8.1f}"
        )
    total = len(result.samples)
    errors = [s for s in result.samples if s.error]
    rate = total / max(result.seconds, 1e-9)
    yield f"Requests: {total:,}; errors: {len(errors):,}; throughput: {rate:,.1f} requests/s."
    if errors:
        reasons = Counter(s.error for s in errors)
        yield "Errors: " + "; ".join(f"{n:,} × {why}" for why, n in reasons.most_common(6))
        for why, _ in reasons.most_common(6):
            example = next(s for s in errors if s.error == why)
            yield f"  e.g. {why}: {example.kind} {example.path} at {example.started:.1f} s"
    check = result.check
    if check:
        yield (
            f"Edits: {check.saved:,} saved, {check.in_database:,} found in the database, "
            f"{check.in_history:,} in its history; lost: {len(check.lost):,}"
            + (f" ({', '.join(check.lost[:5])})" if check.lost else "")
            + "."
        )
        unsaved = sum(not e.saved for e in result.edits)
        if unsaved:
            yield (
                f"  {unsaved} edit(s) not acknowledged by the end; "
                f"{check.unsaved_landed} of them landed all the same."
            )
    yield (
        f"Load average (1 min): {result.load[0]:.2f} before, {result.load[1]:.2f} after, "
        f"on {os.cpu_count()} CPUs."
    )
    yield from fault_report(result)


def fault_report(result: Result) -> Iterator[str]:
    fault = result.fault
    if not fault:
        return
    if fault.stopped_at is None:
        yield "Fault: the run ended before PostgreSQL was to be stopped (use more --seconds)."
        return
    if fault.error:
        yield f"Fault: stopping or restarting PostgreSQL failed: {fault.error}"
    recovered, outage = recovery(result)
    restart = fault.restarted_at
    yield (
        f"Fault: PostgreSQL stopped at {fault.stopped_at:.1f} s, accepting connections again at "
        + (f"{restart:.1f} s ({restart - fault.stopped_at:.1f} s down)." if restart else "— never.")
    )
    answers = Counter(s.error or f"HTTP {s.status}" for s in outage)
    slowest = max((s.seconds for s in outage), default=0.0)
    yield (
        f"  During the outage {len(outage):,} requests: "
        + "; ".join(f"{n:,} × {what}" for what, n in answers.most_common())
        + f"; slowest answer {slowest * 1000:,.0f} ms."
    )
    if recovered is not None and restart is not None:
        yield (
            f"  Recovery: first successful request {recovered - restart:.2f} s after the restart "
            f"({recovered - fault.stopped_at:.1f} s after the stop)."
        )
        last = max((s.started + s.seconds for s in outage if s.error), default=restart)
        yield (
            f"  The last failed answer came {max(0.0, last - restart):.2f} s after the restart "
            "(requests queued during the outage)."
        )
    else:
        yield "  Recovery: no request succeeded after the restart."
    during = {id(s) for s in outage}
    stray = [s for s in result.samples if s.error and id(s) not in during]
    yield f"  Errors outside the outage: {len(stray):,}."
