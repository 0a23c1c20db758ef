"""Load the source register and the seed fixtures; running it again changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from engagements.models import Source
from engagements.register import RegisterError, read_register

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURE_DIR.iterdir() if p.suffix in (".json", ".yaml"))


class Command(BaseCommand):
    help = "Load the source register (seeds/) and the seed dataset (fixtures/). Idempotent."

    def handle(self, *args, **options):
        try:
            entries = read_register()
        except RegisterError as exc:
            raise CommandError(str(exc)) from exc
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
