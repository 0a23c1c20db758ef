"""The admin's CSV upload: the size limit, where uploads wait for *Confirm import*, and the
forms that carry the ``citations_follow`` opt-out from the upload to the import.

Kept apart from ``base`` (the admin classes that use them) so that the admin's workbook
upload (``workbook``) takes the same limit and storage without the whole admin base.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.tmp_storages import TempFolderStorage

from ..citing import must_cite
from ..copy import insert
from ..resources.files import EMPTY_FILE
from ..resources.kept import KeptImport, file_digest

#: Largest CSV file the admin accepts, in bytes (setting ``DEFREL_IMPORT_MAX_BYTES``).
IMPORT_MAX_BYTES = 20 * 1024 * 1024
#: Uploads kept for a confirmation are removed after this many seconds if never confirmed.
IMPORT_TMP_MAX_AGE = 24 * 60 * 60


def import_max_bytes() -> int:
    return int(getattr(settings, "DEFREL_IMPORT_MAX_BYTES", IMPORT_MAX_BYTES))


class ImportTempStorage(TempFolderStorage):
    """Uploads waiting for *Confirm import*, in their own folder of the temporary directory.

    django-import-export writes each upload to a temporary file and deletes it only when the
    import is confirmed: a preview never confirmed (or one with problems) left it behind.
    Here a preview with problems deletes its file at once, and every new upload sweeps away
    files older than a day (``sweep``).
    """

    directory = Path(tempfile.gettempdir()) / "defrel-imports"

    def get_full_path(self):
        return str(self.directory / os.path.basename(self.name))

    def _open(self, mode="r"):
        if self.name:
            return open(self.get_full_path(), mode, encoding=self.encoding)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The caller (TempFolderStorage.save) uses the handle as a context manager.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            delete=False, dir=self.directory, prefix="upload-", suffix=".csv"
        )
        self.name = os.path.basename(handle.name)
        return handle

    def remove(self):
        with contextlib.suppress(FileNotFoundError):
            super().remove()
        self.forget_kept()

    # The preview's checked rows, beside the upload (``resources.kept``).

    def kept_path(self) -> Path:
        return Path(self.get_full_path() + ".kept")

    def keep(self, kept: KeptImport) -> None:
        """Keep the preview's rows, with the digest of the upload they were read from."""
        kept.file = file_digest(Path(self.get_full_path()).read_bytes())
        descriptor = os.open(self.kept_path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as handle:
            handle.write(kept.dumps())

    def kept(self) -> tuple[KeptImport | None, str]:
        """The kept rows (None if missing or not as this site signed them), and the upload's
        digest now ("" if it is gone)."""
        try:
            signed = self.kept_path().read_bytes()
            data = Path(self.get_full_path()).read_bytes()
        except FileNotFoundError:
            return None, ""
        return KeptImport.loads(signed), file_digest(data)

    def forget_kept(self) -> None:
        if self.name:
            self.kept_path().unlink(missing_ok=True)

    @classmethod
    def sweep(cls, max_age: float = IMPORT_TMP_MAX_AGE) -> int:
        """Delete uploads older than ``max_age`` seconds; returns how many."""
        if not cls.directory.is_dir():
            return 0
        cutoff, removed = time.time() - max_age, 0
        for path in [*cls.directory.glob("upload-*.csv"), *cls.directory.glob("upload-*.kept")]:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed


CITATIONS_FOLLOW_HELP = (
    "Leave unticked and a new record needs its sources in the file's citations column "
    "(KEY ¶ 2, 17–26; OTHER ¶ 4): one without is refused. Tick to import new records without "
    "citations, with a warning, when their citations file (one row per source and paragraphs) "
    "is imported next; manage.py audit lists records left uncited."
)


def citations_follow_field(**kwargs) -> forms.BooleanField:
    return forms.BooleanField(
        required=False,
        label="Citations follow in a separate citations file",
        help_text=CITATIONS_FOLLOW_HELP,
        **kwargs,
    )


class SizeLimitedImportForm(ImportForm):
    """The upload form, refusing a file over :func:`import_max_bytes` before reading it; for
    records that must cite a source, with the opt-out ``citations_follow``."""

    citations_follow = citations_follow_field()

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        # An empty upload gets the command's words, not Django's "The submitted file is empty".
        self.fields["import_file"].error_messages["empty"] = EMPTY_FILE
        if not any(must_cite(resource._meta.model) for resource in resources):
            del self.fields["citations_follow"]

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = import_max_bytes()
        if upload is not None and upload.size > limit:
            raise ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the most the admin imports at "
                f"once is {limit / 1_048_576:.0f} MB. Split it into smaller files, or import it "
                "with `manage.py import_csv`."
            )
        return upload


class CitationsFollowConfirmForm(ConfirmImportForm):
    """The confirmation carries the upload form's ``citations_follow`` to the import."""

    citations_follow = citations_follow_field(widget=forms.HiddenInput)


def log_imported(user_pk, instances: list, action_flag: int, message: str, db: str) -> None:
    """The admin's log entries of an import's records, as ``LogEntry.objects.log_actions``
    writes them, in one ``insert`` (COPY on PostgreSQL): its ``bulk_create`` of thousands of
    entries took 40% of a confirmed import."""
    if not instances:
        return
    content_type = ContentType.objects.db_manager(db).get_for_model(
        instances[0], for_concrete_model=False
    )
    now = timezone.now()
    entries = [
        {
            "action_time": now,
            "user_id": user_pk,
            "content_type_id": content_type.pk,
            "object_id": str(instance.pk),
            "object_repr": str(instance)[:200],
            "action_flag": action_flag,
            "change_message": message,
        }
        for instance in instances
    ]
    insert(LogEntry, entries, db)
