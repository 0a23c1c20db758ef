"""Load the source register and the seed fixtures; running it again changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from engagements.models import Source
from engagements.register import RegisterError, dump_fixture, read_register

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_FIXTURE = FIXTURE_DIR / "03_sources.yaml"


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURE_DIR.iterdir() if p.suffix in (".json", ".yaml"))


class Command(BaseCommand):
    help = "Load the source register (seeds/) and the seed dataset (fixtures/). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write-sources-fixture",
            action="store_true",
            help=f"Rewrite {SOURCES_FIXTURE.name} from the register instead of loading.",
        )

    def handle(self, *args, write_sources_fixture=False, **options):
        try:
            entries = read_register()
        except RegisterError as exc:
            raise CommandError(str(exc)) from exc
        if write_sources_fixture:
            SOURCES_FIXTURE.write_text(dump_fixture(entries), encoding="utf-8")
            self.stdout.write(f"Wrote {len(entries)} sources to {SOURCES_FIXTURE}.")
            return
        with transaction.atomic():
            for entry in entries:
                Source.objects.update_or_create(key=entry.key, defaults=entry.source_fields())
            # Natural keys make loaddata update existing rows instead of adding new ones.
            call_command("loaddata", *fixture_files(), verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(entries)} source documents and {len(fixture_files())} fixture files."
            )
        )
