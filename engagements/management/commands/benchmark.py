"""Measure pages, export and import on the current database; print one table, write JSON."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from engagements.models import Meeting
from engagements.scale import benchmark, datasettebench, exportbench, figures, measuring
from engagements.scale.clearing import PREFIX
from engagements.scale.loadclients import LoadTestError

#: Meetings the admin import step uploads (a preview page per file: kept short).
ADMIN_IMPORT_ROWS = 10_000


class Command(BaseCommand):
    help = (
        "Benchmark the researcher pages, the admin meeting changelist, the CSV export and the "
        "CSV import on the current database. --meetings N[,N…] first (re)synthesizes N "
        "meetings (the growth table runs each size in turn). Prints one table; --json writes "
        "every figure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--meetings",
            default="",
            help="Comma-separated sizes, e.g. 10000,100000,1000000 (default: the data as is).",
        )
        parser.add_argument("--repeat", type=int, default=10, help="Requests per page (10).")
        parser.add_argument(
            "--import-rows", type=int, default=100_000, help="Meetings to import (100000)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", default="", help="Write all figures to this JSON file.")
        parser.add_argument(
            "--skip",
            default="",
            help="Comma-separated steps to skip: pages, export, import, datasette.",
        )
        parser.add_argument(
            "--datasette",
            default="",
            help="The Datasette executable for the comparison on SQLite (default: datasette on "
            "PATH); install it in an environment of its own, docs/scale.md.",
        )
        parser.add_argument(
            "--cold-rounds",
            type=int,
            default=3,
            help="Fresh server starts per view for the Datasette comparison's cold figures (3).",
        )

    def handle(self, *args, meetings, repeat, import_rows, seed, json, skip, verbosity, **opts):
        try:
            sizes = [int(s.replace("_", "")) for s in meetings.split(",") if s.strip()]
        except ValueError as exc:
            raise CommandError(f"--meetings takes numbers separated by commas: {exc}") from exc
        skipped = {s.strip() for s in skip.split(",") if s.strip()}
        unknown = skipped - {"pages", "export", "import", "datasette"}
        if unknown:
            raise CommandError(f"Unknown step(s) for --skip: {', '.join(sorted(unknown))}.")
        datasette = None if "datasette" in skipped else self.datasette(opts["datasette"])
        measuring.settings_for_benchmark()
        say = self.stdout.write if verbosity >= 1 else (lambda message: None)
        runs = []
        for size in sizes or [None]:
            synth_seconds = None
            if size is not None:
                current = Meeting.objects.filter(slug__startswith=PREFIX).count()
                if current != size:
                    say(f"Synthesizing {size:,} meetings…")
                    started = time.perf_counter()
                    call_command("synthesize", meetings=size, seed=seed, clear=True, verbosity=0)
                    synth_seconds = time.perf_counter() - started
                    say(f"  done in {synth_seconds:.1f}s")
            cache.clear()  # cold means cold: no facet counts left from another size
            total = Meeting.objects.count()
            run = figures.Run(
                meetings=total,
                vendor=connection.vendor,
                machine=measuring.machine(),
                synthesize_seconds=synth_seconds,
            )
            run.load_average.append(os.getloadavg()[0])
            say(f"\n== {total:,} meetings on {connection.vendor} ==")
            if "pages" not in skipped:
                run.pages = benchmark.run_pages(repeat, say)
            if "export" not in skipped:
                run.export = benchmark.run_export(say)
                run.exports = exportbench.run_export_paths(benchmark.benchmark_user(), say)
            if "import" not in skipped:
                try:
                    run.imports = benchmark.run_import(import_rows, say)
                    run.exports.append(
                        exportbench.run_admin_import(
                            benchmark.benchmark_user(), min(import_rows, ADMIN_IMPORT_ROWS), say
                        )
                    )
                except ValueError as exc:
                    say(f"import skipped: {exc}")
            if "datasette" not in skipped:
                self.compare(run, datasette, repeat, opts["cold_rounds"], seed, say)
            run.load_average.append(os.getloadavg()[0])
            runs.append(run)
            if json:  # after every size, so a long run leaves its figures behind
                figures.write_json(runs, json)
        self.stdout.write("\n" + figures.table(runs))
        for run in runs:
            if run.datasette:
                self.stdout.write(f"\n{run.meetings:,} meetings on the same SQLite file:")
                self.stdout.write(datasettebench.table(run.datasette, run.datasette_version))
        machine = runs[0].machine
        self.stdout.write(
            f"Machine: {machine.get('cpus')} CPUs ({machine.get('cpu', '?')}), "
            f"{machine.get('memory_gb', '?')} GB RAM, {machine.get('database')}, "
            f"Python {machine.get('python')}."
        )
        if json:
            self.stdout.write(f"Figures written to {json}.")

    def datasette(self, path: str) -> str | None:
        try:
            return datasettebench.find_datasette(path)
        except datasettebench.ComparisonError as exc:
            raise CommandError(str(exc)) from exc

    def compare(self, run, executable, repeat, cold_rounds, seed, say) -> None:
        """defrel beside Datasette on this SQLite file, or why not (``datasettebench``)."""
        name = connection.settings_dict["NAME"]
        if connection.vendor != "sqlite" or connection.creation.is_in_memory_db(name):
            say("datasette comparison skipped: it needs a SQLite file (both serve the same one).")
            return
        if not executable:
            say(
                "datasette comparison skipped: no Datasette (pass --datasette PATH, e.g. "
                ".bench/bin/datasette after `python -m venv .bench && .bench/bin/pip install "
                "datasette`)."
            )
            return
        try:
            run.datasette_version = datasettebench.datasette_version(executable)
            say(f"datasette comparison: {run.datasette_version} ({executable})")
            run.datasette = datasettebench.run(
                Path(name), executable, repeat=repeat, cold_rounds=cold_rounds, seed=seed, say=say
            )
        except LoadTestError as exc:
            raise CommandError(f"datasette comparison failed: {exc}") from exc
