"""Draft the records a news report supports, without writing anything."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engagements.intake.drafting import draft_report
from engagements.intake.summary import summary_lines


class Command(BaseCommand):
    help = (
        "Read a news report (a text file, paragraphs separated by blank lines) and draft the "
        "countries, groupings, officials, meetings, agreements and initiatives it supports, "
        "each with its paragraphs and the existing record it matches. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The report's text (UTF-8).")
        parser.add_argument(
            "--date",
            help="The report's date, YYYY-MM-DD (else its date prefix, dateline or the date "
            "printed under its headline), the day relative dates are read from.",
        )
        parser.add_argument("--json", action="store_true", help="Print the draft as JSON.")

    def handle(self, *args, file: Path, date=None, **options):
        published = None
        if date:
            try:
                published = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date: {date!r} is not a date; write YYYY-MM-DD.") from None
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})."
            ) from None
        if not text.strip():
            raise CommandError(f"{file}: the file has no text.")
        draft = draft_report(text, published=published)
        if options["json"]:
            self.stdout.write(json.dumps(draft, indent=2, ensure_ascii=False))
            return
        for line in summary_lines(draft):
            self.stdout.write(line)
