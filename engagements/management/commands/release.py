"""Freeze the public data as a release (engagements.releases; docs/releases.md)."""

from django.core.management.base import BaseCommand, CommandError

from engagements.releases.building import build_release
from engagements.releases.storage import ReleaseError, release_path


class Command(BaseCommand):
    help = (
        "Make release VERSION of the public data: CSV, Parquet and SQLite files, a Data "
        "Package and Datasette metadata, the codebook, checksums and a changelog against "
        "the previous release, under DEFREL_RELEASES_DIR/VERSION. An existing version is "
        "refused: a release never changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("version", help="The release's version, such as 1.0.0.")

    def handle(self, *args, version, **options):
        say = self.stdout.write if options["verbosity"] > 1 else (lambda text: None)
        try:
            release = build_release(version, say=say)
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        rows = sum(release.counts.values())
        self.stdout.write(
            f"Release {release.version}: {len(release.counts)} tables, {rows} rows, "
            f"{len(release.files)} files in {release_path(release.version)}."
        )
