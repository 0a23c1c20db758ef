"""Export one model to CSV with the same columns as the admin's export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from engagements.resources import RESOURCES
from engagements.resources.files import DefrelCSV


class Command(BaseCommand):
    help = (
        "Write every record of one model as CSV (e.g. `export_csv meeting -o meetings.csv`); "
        "the file imports back unchanged with import_csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", choices=sorted(RESOURCES), help="What to export.")
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write (default: standard output)."
        )

    def handle(self, *args, model, output, **options):
        resource = RESOURCES[model]()
        text = DefrelCSV().export_data(resource.export())
        if output:
            # Spreadsheets recognise UTF-8 by the byte-order mark; our import accepts it.
            output.write_text(text, encoding="utf-8-sig", newline="")
            self.stdout.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
