"""Generate synthetic data at scale (see engagements/scale/) and print how fast it went."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from engagements.scale import bulkload, clearing
from engagements.scale.synthesizer import synthesize


class Command(BaseCommand):
    help = (
        "Add N synthetic meetings (with officials, tenures, agreements, initiatives, sources "
        "and citations) on top of the seed; --clear removes earlier synthetic rows first. "
        "Synthetic slugs and source keys start with 'syn-'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=0, help="Meetings to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete earlier synthetic rows first (curated rows are never touched).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, meetings, seed, clear, database, verbosity, **options):
        if meetings < 0:
            raise CommandError("--meetings cannot be negative.")
        if clear:
            deleted = sum(clearing.clear(using=database).values())
            self.stdout.write(f"Deleted {deleted:,} synthetic rows.")
            if deleted >= clearing.BIG_DELETE:
                # Reclaim the dead rows and refresh the statistics now: left to autovacuum,
                # a small set loaded next is read through a million dead index entries.
                bulkload.vacuum_big_tables(using=database, analyze=True)
        elif meetings and clearing.has_synthetic(using=database):
            raise CommandError(
                "This database already holds synthetic data: add --clear to replace it."
            )
        if not meetings:
            return
        vendor = connections[database].vendor

        def progress(message: str) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {message}")

        try:
            report = synthesize(meetings, seed, using=database, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity < 1:
            return
        self.stdout.write(f"Synthesized {meetings:,} meetings (seed {seed}) on {vendor}:")
        for table, count in sorted(report.counts.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {table:<45} {count:>12,}")
        for label, seconds in report.timings.items():
            self.stdout.write(f"  {label:<45} {seconds:>11.1f}s")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows:,} rows in {report.seconds:.1f}s "
                f"({report.rows / max(report.seconds, 1e-9):,.0f} rows/s)."
            )
        )
