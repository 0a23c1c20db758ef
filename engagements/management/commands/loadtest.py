"""Load-test defrel through gunicorn with production settings (engagements/scale/loadtest.py)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from engagements.scale import loadtest, pgcluster


class Command(BaseCommand):
    help = (
        "Start gunicorn (production settings, 127.0.0.1 only) on a database, run N researcher "
        "clients (lists, details, CSV exports) and one staff client saving edits in the admin, "
        "print requests, errors, throughput and latency percentiles, and check that every "
        "saved edit is in the database and its history. --fault runs it on a throwaway "
        "PostgreSQL copy that is stopped and restarted mid-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=20, help="Researcher clients (20).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2).")
        parser.add_argument("--seconds", type=float, default=30, help="Run time bound (30).")
        parser.add_argument(
            "--requests", type=int, default=1_000_000, help="Request bound, all clients (1e6)."
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="The database to serve (default: DATABASE_URL, else the SQLite file). It "
            "must be on this machine; the staff client edits its synthetic meetings.",
        )
        parser.add_argument(
            "--meetings",
            type=int,
            default=0,
            help="First migrate and synthesize this many meetings (default: the data as is).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--think", type=float, default=0.0, help="Mean pause between a client's requests (0)."
        )
        parser.add_argument(
            "--warm-up",
            type=int,
            default=4,
            help="List pages each worker is sent before the clock starts, uncounted (4); "
            "a large number sends every one of the plan's list pages.",
        )
        parser.add_argument(
            "--pair",
            choices=("standby", "primary"),
            help="Copy the database into a throwaway primary and streaming standby and read "
            "researcher pages from the standby (standby) or from the primary alone (primary), "
            "to compare the two on the same servers.",
        )
        parser.add_argument(
            "--fault",
            action="store_true",
            help="Copy the database into a throwaway PostgreSQL server and stop it mid-run.",
        )
        parser.add_argument(
            "--fault-at", type=float, default=0.0, help="Seconds into the run (a third)."
        )
        parser.add_argument(
            "--fault-down", type=float, default=5.0, help="Seconds PostgreSQL stays down (5)."
        )

    def handle(self, *args, **options):
        say = self.stdout.write if options["verbosity"] >= 1 else (lambda message: None)
        url = (
            options["database_url"]
            or os.environ.get("DATABASE_URL")
            or (f"sqlite:///{settings.DATABASES['default']['NAME']}")
        )
        if options["workers"] < 1 or options["workers"] > 16:
            raise CommandError("--workers must be between 1 and 16.")
        try:
            loadtest.register_database(url)
            if options["fault"] and options["pair"]:
                raise CommandError("--fault and --pair cannot be combined.")
            if options["fault"]:
                result = self.with_fault(url, options, say)
            elif options["pair"]:
                result = self.with_pair(url, options, say)
            else:
                result = self.measure(url, options, say)
        except loadtest.LoadTestError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            loadtest.unregister_database()
        self.stdout.write("")
        for line in loadtest.report(result):
            self.stdout.write(line)
        if problems := loadtest.problems(result):
            raise CommandError("The load test failed: " + "; ".join(problems) + ".")

    def measure(self, url: str, options: dict, say, fault=None, replica_url: str = ""):
        loadtest.prepare(url, options["meetings"], options["seed"], say)
        plan = loadtest.build_plan(options["seed"])
        vendor = loadtest.vendor_name()
        say(f"Starting gunicorn ({options['workers']} workers) on {loadtest.HOST}…")
        server = loadtest.Server(url=url, workers=options["workers"], replica_url=replica_url)
        with server:
            say(
                f"Running {options['clients']} clients + 1 staff editor for at most "
                f"{options['seconds']:g} s or {options['requests']:,} requests…"
            )
            return loadtest.run(
                server.port,
                plan,
                clients=options["clients"],
                seconds=options["seconds"],
                requests=options["requests"],
                seed=options["seed"],
                think=options["think"],
                warm_lists=options["warm_up"],
                fault=fault,
                workers=options["workers"],
                vendor=vendor,
            )

    def with_pair(self, source: str, options: dict, say):
        """The run on a throwaway primary and standby; reports which node served the reads."""
        if reason := pgcluster.binaries_available():
            raise CommandError(f"--pair needs throwaway PostgreSQL servers: {reason}.")
        if not source.startswith(("postgres://", "postgresql://")):
            raise CommandError("--pair copies a PostgreSQL database: pass one in DATABASE_URL.")
        name = "defrel_load"
        with pgcluster.Cluster() as cluster:
            say("Starting a throwaway PostgreSQL primary and copying the database into it…")
            cluster.start_primary()
            target = cluster.createdb(name)
            loadtest.copy_postgres(source, target)
            say("Starting its streaming standby (pg_basebackup)…")
            cluster.start_standby()
            loadtest.unregister_database()
            loadtest.register_database(target)
            standby = cluster.url("standby", name) if options["pair"] == "standby" else ""
            before = {node: cluster.transactions(node, name) for node in pgcluster.NODES}
            result = self.measure(target, options, say, replica_url=standby)
            served = {
                node: cluster.transactions(node, name) - before[node] for node in pgcluster.NODES
            }
            where = "the standby" if standby else "the primary alone (no replica configured)"
            result.reads = (
                f"from {where}; transactions served (warm-up included): primary "
                f"{served['primary']:,}, standby {served['standby']:,}"
            )
            return result

    def with_fault(self, source: str, options: dict, say):
        if reason := pgcluster.binaries_available():
            raise CommandError(f"--fault needs a throwaway PostgreSQL server: {reason}.")
        with pgcluster.Cluster() as cluster:
            say("Starting a throwaway PostgreSQL server…")
            cluster.start_primary()
            target = cluster.createdb("defrel_load")
            if source.startswith(("postgres://", "postgresql://")):
                say("Copying the database into it…")
                loadtest.copy_postgres(source, target)
            loadtest.unregister_database()
            loadtest.register_database(target)
            down = options["fault_down"]
            at = options["fault_at"] or options["seconds"] / 3
            if down <= 0 or at + down >= options["seconds"]:
                raise CommandError("--fault-at plus --fault-down must end before --seconds.")
            fault = loadtest.Fault(cluster, at=at, down=down)
            return self.measure(target, options, say, fault=fault)
