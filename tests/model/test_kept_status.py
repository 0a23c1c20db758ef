"""Each agreement's kept current status (``Agreement.current_status`` with its date and
precision) equals what ``latest_steps()`` computes from its steps, whatever wrote them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery

from engagements.models import Agreement, AgreementStatusChange, Source
from engagements.models.agreements import latest_steps
from engagements.permissions import EDITORS
from engagements.scale.clearing import clear
from engagements.scale.synthesizer import synthesize
from tests.csv.test_admin_import import confirm, upload
from tests.curation.test_admin import form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db

KEPT = ("current_status", "current_status_date", "current_status_precision")


def computed() -> dict[int, tuple]:
    latest = latest_steps()
    rows = Agreement.objects.annotate(
        **{f"computed_{f}": Subquery(latest.values(f)[:1]) for f in ("status", "date", "precision")}
    )
    return {
        pk: tuple(values)
        for pk, *values in rows.values_list(
            "pk", "computed_status", "computed_date", "computed_precision"
        )
    }


def assert_kept() -> None:
    kept = {pk: tuple(values) for pk, *values in Agreement.objects.values_list("pk", *KEPT)}
    assert kept == computed()
    call_command("audit", "--check", "status-drift", "--synthetic", stdout=io.StringIO())


def status_of(agreement: Agreement) -> tuple:
    agreement.refresh_from_db()
    return tuple(getattr(agreement, f) for f in KEPT)


def step_csv(agreement: Agreement, status: str, date: str) -> str:
    return f"agreement,status,date\n{agreement.slug},{status},{date}\n"


def test_the_migration_and_the_seed_fill_every_agreement():
    assert Agreement.objects.filter(current_status__isnull=False).exists()
    assert_kept()


def test_saving_moving_and_deleting_steps_keeps_the_status():
    sosa = Agreement.objects.get(short_name="SOSA")
    other = Agreement.objects.exclude(pk=sosa.pk).first()
    step = AgreementStatusChange.objects.create(
        agreement=sosa, status="expired", date=dt.date(2099, 1, 1)
    )
    assert status_of(sosa) == ("expired", dt.date(2099, 1, 1), "day")
    step.date, step.precision = dt.date(2099, 3, 1), "month"
    step.save()
    assert status_of(sosa) == ("expired", dt.date(2099, 3, 1), "month")
    step = AgreementStatusChange.objects.get(pk=step.pk)  # as a form loads it
    step.agreement = other
    step.save()
    assert status_of(other)[0] == "expired" and status_of(sosa)[0] != "expired"
    assert_kept()
    step.delete()
    assert_kept()
    AgreementStatusChange.objects.filter(agreement=sosa).delete()
    assert status_of(sosa) == (None, None, None)
    other.delete()  # its steps go with it
    assert_kept()


def test_import_csv_and_the_admin_import_keep_the_status(tmp_path, login):
    sosa, dca = Agreement.objects.get(short_name="SOSA"), Agreement.objects.get(short_name="DCA")
    path = tmp_path / "steps.csv"
    path.write_text(step_csv(sosa, "expired", "2099-05"))
    call_command("import_csv", "agreementstatuschange", str(path), stdout=io.StringIO())
    assert status_of(sosa) == ("expired", dt.date(2099, 5, 1), "month")
    editor = login(EDITORS)
    preview = upload(editor, AgreementStatusChange, step_csv(dca, "amended", "2098"))
    assert confirm(editor, AgreementStatusChange, preview).status_code == 302
    assert status_of(dca) == ("amended", dt.date(2098, 1, 1), "year")
    assert_kept()


def test_the_admin_inline_and_a_history_revert_keep_the_status(login):
    editor = login(EDITORS)
    sosa = Agreement.objects.get(short_name="SOSA")
    before = status_of(sosa)
    latest = sosa.latest_status
    page = editor.get(url(Agreement, "change", sosa.pk))
    data = form_data(page)
    row = next(
        k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == str(latest.pk)
    )
    data[f"{row}-status"] = "expired"
    assert editor.post(url(Agreement, "change", sosa.pk), data).status_code == 302
    assert status_of(sosa)[0] == "expired"
    # Reverting the step brings its old status back; reverting the agreement keeps it.
    version = latest.history.order_by("history_date", "history_id").first()
    revert = url(AgreementStatusChange, "simple_history", latest.pk, version.history_id)
    assert editor.post(revert, form_data(editor.get(revert))).status_code == 302
    assert status_of(sosa) == before
    version = sosa.history.order_by("history_date", "history_id").first()
    revert = url(Agreement, "simple_history", sosa.pk, version.history_id)
    assert editor.post(revert, form_data(editor.get(revert))).status_code == 302
    assert status_of(sosa) == before
    assert_kept()


def test_synthesize_and_clear_keep_the_status():
    curated = Agreement.objects.filter(status_history__source__isnull=False).first()
    synthesize(50, seed=3)
    assert Agreement.objects.filter(slug__startswith="syn-", current_status__isnull=False)
    # A curated agreement with a step citing a synthetic source loses it with --clear.
    source = Source.objects.filter(key__startswith="syn-").first()
    AgreementStatusChange.objects.create(
        agreement=curated, status="expired", date=dt.date(2099, 1, 1), source=source
    )
    assert status_of(curated)[0] == "expired"
    clear()
    assert status_of(curated)[0] != "expired"
    assert_kept()


def test_the_audit_reports_drift_and_the_database_refuses_an_unknown_status():
    sosa = Agreement.objects.get(short_name="SOSA")
    Agreement.objects.filter(pk=sosa.pk).update(current_status="expired")  # bypassing
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "--check", "status-drift", stdout=out)
    assert f"agreement {sosa.slug}: shows the current status expired" in out.getvalue()
    table = connection.ops.quote_name(Agreement._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET current_status = 'lost' WHERE id = %s", [sosa.pk])
