"""Import a CSV file through the same resource as the admin: preview counts, all or nothing.

``--all FOLDER`` imports the files of ``export_csv --all FOLDER`` in the order that restores
them into an empty database (``engagements.resources.restore``), all in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from engagements.resources import RESOURCES
from engagements.resources.base import DATABASE_FAILURES
from engagements.resources.files import CSVFileError, read_csv
from engagements.resources.restore import ORDER, file_name, first_pass, parents_first


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
        "and column; writes nothing if any row is invalid (exit status 1). --dry-run only "
        "checks. `import_csv --all FOLDER` imports every file `export_csv --all` wrote."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "model", nargs="?", choices=sorted(RESOURCES), help="What the file holds."
        )
        parser.add_argument(
            "path", nargs="?", type=Path, help="The CSV file (UTF-8, comma-delimited)."
        )
        parser.add_argument(
            "--all",
            type=Path,
            metavar="FOLDER",
            dest="folder",
            help="Import every model's file from FOLDER (written by export_csv --all), in the "
            "order that restores them into an empty database, all or nothing.",
        )
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
        model=None,
        path=None,
        folder=None,
        dry_run=False,
        user=None,
        citations_follow=False,
        progress_every=1_000,
        **options,
    ):
        if folder is not None and (model or path):
            raise CommandError("Give a model and a file, or --all FOLDER, not both.")
        if folder is None and not (model and path):
            raise CommandError("Give the model and the CSV file (or --all FOLDER).")
        self.progress_every = progress_every
        try:
            importer = find_importer(self, user, dry_run)
            if folder is not None:
                self.import_all(folder, dry_run, importer)
            else:
                dataset = self.read(path)
                self.import_dataset(model, dataset, path.name, dry_run, importer, citations_follow)
        except DATABASE_FAILURES as exc:
            raise CommandError(database_failure(exc)) from None
        for warning in self.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    @staticmethod
    def read(path: Path):
        try:
            return read_csv(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except CSVFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from None

    def import_dataset(self, model, dataset, name, dry_run, importer, citations_follow):
        """Import one file's rows; its problems raise (nothing written), its warnings are
        kept in ``self.warnings``."""
        resource = RESOURCES[model]()
        if self.progress_every > 0:
            resource.progress_every = self.progress_every
            resource.progress = lambda done, total: self.stderr.write(
                f"{done:,} of {total:,} rows read…"
            )
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            user=importer,
            file_name=name,
            citations_follow=citations_follow,
        )
        totals = result.totals
        invalid = totals["invalid"] + totals["error"]
        self.stdout.write(
            f"{name}: {result.total_rows} rows — {totals['new']} new, "
            f"{totals['update']} updated, {totals['skip']} unchanged, {invalid} invalid."
        )
        problems = resource.problems(result)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"{name}: {len(problems)} problem(s) found: nothing was imported. "
                "Fix the file and run the command again."
            )
        self.warnings = resource.warnings(result)

    def import_all(self, folder: Path, dry_run: bool, importer) -> None:
        """Every file of ``folder`` in ORDER, in one transaction (rolled back on a dry run).

        A file's records are imported before their citations file, so records that must
        cite a source are imported with ``citations_follow``.
        """
        files = {model: folder / file_name(model) for model in ORDER}
        present = [model for model in dict.fromkeys(ORDER) if files[model].is_file()]
        if not present:
            raise CommandError(f"{folder} holds none of the files export_csv --all writes.")
        missing = [files[m].name for m in dict.fromkeys(ORDER) if m not in present]
        if missing:
            self.stdout.write(f"Not in {folder}, so not imported: {', '.join(missing)}.")
        seen: set[str] = set()
        with transaction.atomic():
            for model in ORDER:
                if model not in present:
                    continue
                dataset = self.read(files[model])
                if model not in seen:
                    dataset = first_pass(model, dataset)
                dataset = parents_first(dataset)
                seen.add(model)
                # A dry run checks each file against the rows of the files before it, so
                # only the whole is rolled back.
                self.import_dataset(model, dataset, files[model].name, False, importer, True)
            if dry_run:
                transaction.set_rollback(True)
        self.warnings = []
