"""Load the source register and the seed fixtures; running it again changes nothing."""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.signals import post_save

from engagements.history import write_m2m_values
from engagements.models import Source
from engagements.paragraphs import count_paragraphs
from engagements.register import RegisterError, dump_fixture, read_register

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
SOURCES_FIXTURE = FIXTURE_DIR / "03_sources.yaml"


#: The change reason of the history rows the seed writes.
SEED_REASON = "Seed dataset"


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURE_DIR.iterdir() if p.suffix in (".json", ".yaml"))


def seeded_fixture_files() -> list[Path]:
    """The fixtures the seed loads: all but the sources, which it has just loaded from the
    register (the same records), so a source's stored text (not in any fixture) is kept."""
    return [p for p in fixture_files() if p != SOURCES_FIXTURE]


def load_fixtures() -> dict[type[models.Model], set]:
    """``loaddata`` the fixtures; returns the primary keys of the rows it wrote, by model."""
    loaded: dict[type[models.Model], set] = defaultdict(set)

    def collect(sender, instance, raw=False, **kwargs):
        if raw:
            loaded[sender].add(instance.pk)
            # loaddata sets the many-to-many values after this raw save; simple-history would
            # record each set as an unattributed change ("~", no user, no reason), and the
            # record would then never get its "Seed dataset" starting row.
            instance.skip_history_when_saving = True

    post_save.connect(collect, weak=False, dispatch_uid="seed-collect-loaded")
    try:
        # Natural keys make loaddata update existing rows instead of adding new ones.
        call_command("loaddata", *seeded_fixture_files(), verbosity=0)
    finally:
        post_save.disconnect(dispatch_uid="seed-collect-loaded")
    return loaded


def record_starting_history(loaded: dict[type[models.Model], set]) -> int:
    """A first history row (``+``) for every loaded record that has none; returns how many.

    ``loaddata`` saves raw, so simple-history records nothing, and the first edit of a seeded
    record could not be undone. Many-to-many values (a meeting's countries) are recorded with
    the row, as simple-history does on save, so a revert to this row restores them too.
    Records that already have history are left alone: running the seed again adds no rows.
    """
    created = 0
    for model, pks in loaded.items():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name or not pks:
            continue
        history = getattr(model, manager_name)
        history_model = history.model
        pk_name = model._meta.pk.attname
        has_history = set(
            history_model.objects.filter(**{f"{pk_name}__in": pks}).values_list(pk_name, flat=True)
        )
        missing = sorted(pks - has_history)
        if not missing:
            continue
        records = history.bulk_history_create(
            model._default_manager.filter(pk__in=missing).order_by("pk"),
            default_change_reason=SEED_REASON,
        )
        created += len(records)
        write_m2m_values(history_model, records)
    return created


def repair_unattributed_history(loaded: dict[type[models.Model], set]) -> int:
    """Turn the unattributed rows an older seed left into the "Seed dataset" starting row.

    Before ``load_fixtures`` skipped them, each many-to-many value loaddata set wrote a "~" row
    with no user and no reason, and such records never got their starting row. Of a record's
    leading run of such rows the last (the loaded state, with every many-to-many value) becomes
    the starting row and the others go. Returns how many records were repaired.
    """
    repaired = 0
    for model, pks in loaded.items():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name or not pks:
            continue
        history_model = getattr(model, manager_name).model
        pk_name = model._meta.pk.attname
        rows = (
            history_model.objects.filter(**{f"{pk_name}__in": pks})
            .order_by(pk_name, "history_date", "history_id")
            .values_list(
                pk_name, "history_id", "history_type", "history_user_id", "history_change_reason"
            )
        )
        leading: dict[int, list[int]] = defaultdict(list)
        settled: set = set()
        for pk, history_id, kind, user_id, reason in rows:
            if pk in settled:
                continue
            if kind == "~" and user_id is None and reason is None:
                leading[pk].append(history_id)
            else:
                settled.add(pk)
        if not leading:
            continue
        history_model.objects.filter(
            history_id__in=[i for ids in leading.values() for i in ids[:-1]]
        ).delete()
        history_model.objects.filter(history_id__in=[ids[-1] for ids in leading.values()]).update(
            history_type="+", history_change_reason=SEED_REASON
        )
        repaired += len(leading)
    return repaired


class Command(BaseCommand):
    help = "Load the source register (seeds/) and the seed dataset (fixtures/). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--write-sources-fixture",
            action="store_true",
            help=f"Rewrite {SOURCES_FIXTURE.name} from the register instead of loading.",
        )
        parser.add_argument(
            "--source-texts",
            type=Path,
            metavar="FOLDER",
            help="Also store each source's text (staff only) from FOLDER/<key>.txt, checking "
            "its paragraphs against the register's count. The texts stay out of the repository.",
        )

    def handle(self, *args, write_sources_fixture=False, source_texts=None, **options):
        try:
            entries = read_register()
        except RegisterError as exc:
            raise CommandError(str(exc)) from exc
        if write_sources_fixture:
            SOURCES_FIXTURE.write_text(dump_fixture(entries), encoding="utf-8")
            self.stdout.write(f"Wrote {len(entries)} sources to {SOURCES_FIXTURE}.")
            return
        if source_texts is not None and not source_texts.is_dir():
            raise CommandError(f"--source-texts: {source_texts} is not a folder.")
        with transaction.atomic():
            for entry in entries:
                self.load_source(entry)
            loaded = load_fixtures()
            repair_unattributed_history(loaded)
            record_starting_history(loaded)
            texts = self.load_texts(entries, source_texts) if source_texts else None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(entries)} source documents and {len(fixture_files())} fixture files."
            )
        )
        if texts is not None:
            stored, missing = texts
            self.stdout.write(f"Stored the texts of {stored} sources from {source_texts}.")
            if missing:
                self.stdout.write(f"No text file for: {', '.join(missing)}.")

    @staticmethod
    def load_texts(entries, folder: Path) -> tuple[int, list[str]]:
        """Store each source's text from ``folder``; refuse one whose paragraphs differ from
        the register's count (its citations were numbered against that count)."""
        stored, missing = 0, []
        for entry in entries:
            path = folder / f"{entry.key}.txt"
            if not path.is_file():
                missing.append(entry.key)
                continue
            text = path.read_text(encoding="utf-8")
            found = count_paragraphs(text)
            if entry.paragraphs and found != entry.paragraphs:
                raise CommandError(
                    f"{path.name} has {found} paragraphs; the register ({entry.key}.md) says "
                    f"{entry.paragraphs}. Nothing was loaded."
                )
            source = Source.objects.get(key=entry.key)
            stored += 1
            if source.text == text:
                continue
            source.text = text
            source._change_reason = SEED_REASON
            source.save()
        return stored, missing

    @staticmethod
    def load_source(entry) -> None:
        """Create or update a source, saving (and so adding history) only if it changed."""
        fields = entry.source_fields()
        source = Source.objects.filter(key=entry.key).first()
        if source is not None and source.text.strip():
            del fields["paragraph_count"]  # counted from the stored text
        if source is None:
            source = Source(key=entry.key, **fields)
        elif all(getattr(source, name) == value for name, value in fields.items()):
            return
        for name, value in fields.items():
            setattr(source, name, value)
        source._change_reason = SEED_REASON
        source.save()
