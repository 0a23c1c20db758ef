"""Import an .xlsx workbook, one sheet per table, all sheets or none (see docs/csv.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engagements.resources.workbook import WorkbookError, import_workbook, read_workbook

from .import_csv import find_importer


class Command(BaseCommand):
    help = (
        "Import an .xlsx workbook whose sheets are named by table (meeting, participation, "
        "meetingcitation…), each laid out as that table's CSV file. The sheets are imported "
        "in dependency order in one transaction: any problem in any sheet and nothing is "
        "written (exit status 1). --dry-run only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The workbook (.xlsx).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument("--user", help="Username recorded in the change history.")
        parser.add_argument(
            "--progress-every",
            type=int,
            default=1_000,
            metavar="N",
            help="Print progress to stderr every N rows of a sheet (default 1000; 0: never).",
        )

    def handle(self, *args, path, dry_run, user, progress_every, **options):
        importer = find_importer(self, user, dry_run)
        try:
            sheets = read_workbook(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except WorkbookError as exc:
            raise CommandError(f"{path.name}: {exc}") from None

        def progress(sheet, done, total):
            self.stderr.write(f"{sheet}: {done:,} of {total:,} rows read…")

        outcome = import_workbook(
            sheets,
            dry_run=dry_run,
            progress=progress if progress_every > 0 else None,
            progress_every=progress_every,
            user=importer,
            file_name=path.name,
        )
        for sheet in outcome.sheets:
            totals, result = sheet.result.totals, sheet.result
            invalid = totals["invalid"] + totals["error"]
            self.stdout.write(
                f"{path.name}, sheet {sheet.name}: {result.total_rows} rows — {totals['new']} "
                f"new, {totals['update']} updated, {totals['skip']} unchanged, {invalid} invalid."
            )
        for name in outcome.unchecked:
            self.stdout.write(f"{path.name}, sheet {name}: not checked (an earlier sheet failed).")
        problems = outcome.problems
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) found: nothing was imported, in any sheet. "
                "Fix the workbook and run the command again."
            )
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
