"""Import a CSV file through the same resource as the admin: preview counts, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from engagements.resources import RESOURCES
from engagements.resources.base import DATABASE_FAILURES
from engagements.resources.files import CSVFileError, read_csv


def database_failure(exc: Exception) -> str:
    """One line for a database that failed mid-command (its first line of explanation)."""
    reason = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return (
        f"The database failed during the import ({reason or type(exc).__name__}): nothing was "
        "imported, as an import is one transaction. Check that the database is running and "
        "run the command again."
    )


def find_importer(command: BaseCommand, user: str | None, dry_run: bool):
    """The user ``--user`` names (None without it, which the command notes)."""
    if user:
        try:
            return get_user_model().objects.get_by_natural_key(user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {user!r}.") from None
    if not dry_run:
        command.stdout.write(
            "Note: no --user given, so the change history records these changes without "
            "a user (only the reason “CSV import of <file>”)."
        )
    return None


class Command(BaseCommand):
    help = (
        "Import a CSV file of one model (e.g. `import_csv meeting meetings.csv`). Prints the "
        "counts of new, updated, unchanged and invalid rows and every problem with its line "
        "and column; writes nothing if any row is invalid (exit status 1). --dry-run only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", choices=sorted(RESOURCES), help="What the file holds.")
        parser.add_argument("path", type=Path, help="The CSV file (UTF-8, comma-delimited).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument(
            "--user",
            help="Username recorded in the change history as the importer (recommended; "
            "without it the history names no user).",
        )
        parser.add_argument(
            "--citations-follow",
            action="store_true",
            help="New meetings (agreements, initiatives, outcomes, tenures) may cite nothing: "
            "their citations file is imported next (a warning, not a refusal). Without it a new "
            "record needs its sources in the citations column (KEY ¶ 2, 17–26; OTHER ¶ 4).",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=1_000,
            metavar="N",
            help="Print progress to stderr every N rows (default 1000; 0: never).",
        )

    def handle(
        self,
        *args,
        model,
        path,
        dry_run,
        user,
        citations_follow=False,
        progress_every=1_000,
        **options,
    ):
        try:
            self.import_file(model, path, dry_run, user, citations_follow, progress_every)
        except DATABASE_FAILURES as exc:
            raise CommandError(database_failure(exc)) from None

    def import_file(self, model, path, dry_run, user, citations_follow, progress_every):
        importer = find_importer(self, user, dry_run)
        try:
            dataset = read_csv(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except CSVFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from None

        resource = RESOURCES[model]()
        if progress_every > 0:
            resource.progress_every = progress_every
            resource.progress = lambda done, total: self.stderr.write(
                f"{done:,} of {total:,} rows read…"
            )
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            user=importer,
            file_name=path.name,
            citations_follow=citations_follow,
        )
        totals = result.totals
        invalid = totals["invalid"] + totals["error"]
        self.stdout.write(
            f"{path.name}: {result.total_rows} rows — {totals['new']} new, "
            f"{totals['update']} updated, {totals['skip']} unchanged, {invalid} invalid."
        )
        problems = resource.problems(result)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) found: nothing was imported. "
                "Fix the file and run the command again."
            )
        for warning in resource.warnings(result):
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
