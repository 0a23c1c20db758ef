"""Score the intake against the curated seed, leaving one report out at a time."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from engagements.intake.evaluation import evaluate
from engagements.models import Source


def default_texts() -> Path | None:
    """The seed's texts: ``DEFREL_SOURCE_TEXTS``, else ``shared/seeds`` beside the checkout
    or a folder above it."""
    named = os.environ.get("DEFREL_SOURCE_TEXTS")
    if named:
        return Path(named)
    for folder in Path(settings.BASE_DIR).resolve().parents:
        if (folder / "shared" / "seeds").is_dir():
            return folder / "shared" / "seeds"
    return None


def percent(value) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


class Command(BaseCommand):
    help = (
        "Leave-one-out score of the intake against the curated seed: for each source with a "
        "text, draft it on a database without what only it supports, and compare the draft "
        "with its curated records. Prints precision and recall per kind, how often a matched "
        "meeting's dates and an agreement's status are right, and the time per report. "
        "Changes nothing (the seed is loaded first, inside the same rolled-back transaction, "
        "when the database lacks it)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source-texts",
            type=Path,
            metavar="FOLDER",
            help="The folder of the sources' texts (<key>.txt); by default DEFREL_SOURCE_TEXTS "
            "or shared/seeds beside the checkout.",
        )
        parser.add_argument(
            "--misses", action="store_true", help="List what each report's draft missed."
        )

    def handle(self, *args, source_texts=None, misses=False, **options):
        folder = source_texts or default_texts()
        if folder is None or not folder.is_dir():
            raise CommandError(
                f"No folder of source texts ({folder or 'shared/seeds'}): give --source-texts."
            )
        texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
        if not texts:
            raise CommandError(f"{folder} holds no .txt file.")
        with transaction.atomic():
            if not Source.objects.filter(key__in=texts).exists():
                call_command("seed", verbosity=0)
            result = evaluate(texts)
            transaction.set_rollback(True)
        if not result.documents:
            raise CommandError(f"None of the texts in {folder} is a source of the database.")
        self.print_table(result, misses)

    def print_table(self, result, misses: bool) -> None:
        out = self.stdout.write
        out(f"Intake, leave one out, {len(result.documents)} reports:")
        out("")
        out("| kind | matched | drafted | curated | precision | recall |")
        out("| --- | ---: | ---: | ---: | ---: | ---: |")
        for kind, tally in result.tallies.items():
            out(
                f"| {kind} | {tally.matched} | {tally.drafted} | {tally.curated} | "
                f"{percent(tally.precision)} | {percent(tally.recall)} |"
            )
        out("")
        out(
            f"Matched meetings with dates and precision right: {result.dates.right} of "
            f"{result.dates.of} ({percent(result.dates.rate)})."
        )
        out(
            f"Matched agreements with the status right: {result.statuses.right} of "
            f"{result.statuses.of} ({percent(result.statuses.rate)})."
        )
        out(f"Items without a paragraph of their report: {result.uncited}.")
        times = ", ".join(f"{d.key[:3]} {d.seconds:.2f} s" for d in result.documents)
        out(
            f"Time per report: {times} (slowest {result.slowest:.2f} s), after a first draft "
            f"that read the libraries' data in {result.first_seconds:.2f} s."
        )
        if misses:
            for document in result.documents:
                for miss in document.misses:
                    out(f"  {document.key}: {miss}")
