"""Bulk writing for CSV imports: thousands of rows a second, still checked row by row.

django-import-export saves one row at a time: a savepoint, the row, its change history, each
many-to-many link (with history again), and a lookup of every related key it names. A file
of 100,000 meetings is a million queries. A resource with ``Meta.use_bulk = True`` instead:

- loads the records the file names (those it updates) and the related records its cells
  name before the first row, one query per KEY_CHUNK keys (``PreloadingInstanceLoader``,
  the widgets' ``prime``);
- checks every row in Python as before (field checks, ``clean()``), leaving unique and CHECK
  constraints to the database, which enforces them anyway;
- writes new rows a batch at a time: ``bulk_create`` of the rows, of their many-to-many links,
  and of their history (a "+" version that carries its links, as simple-history stores them);
- saves rows that update a record one at a time, the ordinary way (history, links);
- when the database refuses a batch, writes it again row by row, each in a savepoint, so the
  refusal is reported on its line and column like any other problem.

The admin's preview runs the same writes in a transaction it rolls back, so a file the
database would refuse is refused in the preview too. Any invalid row rolls back the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from copy import deepcopy
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connections, models, transaction
from django.utils import timezone
from import_export import widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult
from simple_history.utils import get_change_reason_from_object

#: Keys per ``IN (…)`` lookup when loading what a file names.
KEY_CHUNK = 2_000


def chunked(values: Iterable, size: int = KEY_CHUNK) -> Iterator[list]:
    values = iter(values)
    while chunk := list(islice(values, size)):
        yield chunk


class PreloadingInstanceLoader(ModelInstanceLoader):
    """The records a file updates, loaded in a few queries before its first row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        # Made after before_import, which read the file's rows: load what they name now and
        # let the normalized copy go, so it does not sit beside the growing row results.
        self.found: dict[tuple, models.Model] = resource.preload_instances()
        resource._rows = None

    def get_instance(self, row):
        key = self.resource.instance_key(row)  # a bad key raises, as a lookup would
        return None if key is None else self.found.get(key)


def m2m_history_model(model, field_name: str):
    """simple-history's model of ``model.<field_name>`` links per version (None if untracked)."""
    history = model.history.model
    name = f"{history.__name__}_{field_name}"
    for relation in history._meta.related_objects:
        if relation.related_model.__name__ == name:
            return relation.related_model
    return None


def values_of(instance) -> dict:
    """The row ``instance`` would insert (its concrete fields but the primary key)."""
    pk = instance._meta.pk
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f is not pk and not f.generated
    }


def insert(model, rows: list[dict], db: str) -> list[int]:
    """Insert ``rows`` (field attnames → values) into ``model``'s table; their new ids.

    On PostgreSQL the ids are drawn from the table's sequence first and the rows go in by
    ``COPY … FROM STDIN`` (several times faster than a multi-row ``INSERT``); elsewhere by
    ``bulk_create``. Constraints are checked as for any insert.
    """
    if not rows:
        return []
    if any(isinstance(f, models.JSONField) for f in model._meta.concrete_fields):
        raise TypeError(f"{model.__name__}: insert() passes raw values; JSON needs adapting.")
    connection = connections[db]
    pk = model._meta.pk
    if connection.vendor != "postgresql":
        records = [model(**row) for row in rows]
        model._default_manager.using(db).bulk_create(records, batch_size=1_000)
        return [record.pk for record in records]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        ids = [pk_value for (pk_value,) in cursor.fetchall()]
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        copying = cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN")
        # As Django's own queries: psycopg's errors raised as IntegrityError, DataError…
        with connection.wrap_database_errors, copying as copy:
            names = [f.attname for f in fields]
            for pk_value, row in zip(ids, rows, strict=True):
                row[pk.attname] = pk_value
                # Raw values: psycopg adapts what these models hold (text, numbers, dates,
                # booleans); a field needing Django's own conversion (JSON) is refused above.
                copy.write_row([row.get(name) for name in names])
    return ids


def first_versions(model, instances: list, db: str) -> dict[int, int]:
    """simple-history's "+" version of each new record, as its post_save signal would write
    it; returns {record id: version id} (empty when history is off)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return {}
    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    now = timezone.now()
    rows = []
    for instance in instances:
        user = getattr(instance, "_history_user", None)
        rows.append(
            {
                **{name: getattr(instance, name) for name in tracked},
                "history_date": now,
                "history_change_reason": get_change_reason_from_object(instance) or "",
                "history_type": "+",
                "history_user_id": user.pk if user is not None else None,
            }
        )
    ids = insert(history, rows, db)
    return {row["id"]: pk for row, pk in zip(rows, ids, strict=True)}


class BulkImportMixin:
    """Batch writes, in front of a ``DefrelResource`` (see above), with ``Meta.use_bulk``
    and ``Meta.instance_loader_class = PreloadingInstanceLoader``.

    Relies on the resource's ``normalize_row`` (the cell clean-up ``before_import_row`` does)
    and ``do_instance_save`` (a savepoint, a refused CHECK as a row error).
    """

    #: Columns naming a record of the same model, which may be created earlier in the file
    #: (a meeting's ``parent``): pending rows are written before such a row is read.
    self_references: tuple[str, ...] = ()

    # -- before the first row ----------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._late_invalid: list[tuple[models.Model, ValidationError]] = []
        self._pending_keys: set[str] = set()
        self._current = None
        self._rows = [
            self.normalize_row(dict(zip(dataset.headers, r, strict=False))) for r in dataset
        ]
        for field in self.get_import_fields():
            prime = getattr(field.widget, "prime", None)
            if prime is not None and field.column_name in (dataset.headers or ()):
                prime(self._rows, field.column_name)

    def instance_key(self, row, strict: bool = True) -> tuple | None:
        """The import-id values of ``row`` as stored (a related record by its id)."""
        key = []
        for name in self.get_import_id_fields():
            try:
                value = self.fields[name].clean(row)
            except (ValueError, ValidationError):
                if strict:
                    raise
                return None
            key.append(value.pk if isinstance(value, models.Model) else value)
        # None is a value (an undated status: the lookup is IS NULL), but not every part.
        if all(value in (None, "") for value in key):
            return None
        return tuple(key)

    def key_of(self, instance) -> tuple:
        values = []
        for name in self.get_import_id_fields():
            field = instance._meta.get_field(self.fields[name].attribute)
            values.append(getattr(instance, field.attname))
        return tuple(values)

    def preload_instances(self) -> dict[tuple, models.Model]:
        """Every record the file's rows name, by ``instance_key``, with what rows compare."""
        keys = {k for k in (self.instance_key(r, strict=False) for r in self._rows or ()) if k}
        if not keys:
            return {}
        first = self.fields[self.get_import_id_fields()[0]].attribute
        related = [
            f.attribute
            for f in self.get_import_fields()
            if isinstance(f.widget, widgets.ManyToManyWidget) and f.attribute
        ]
        queryset = self.get_queryset().prefetch_related(*related)
        firsts = {k[0] for k in keys}
        lookups = [{f"{first}__in": chunk} for chunk in chunked(sorted(firsts - {None}, key=str))]
        if None in firsts:
            lookups.append({f"{first}__isnull": True})
        found = {}
        for lookup in lookups:
            for instance in queryset.filter(**lookup):
                key = self.key_of(instance)
                if key in keys:
                    found[key] = instance
        return found

    # -- each row --------------------------------------------------------------------------

    def before_import_row(self, row, row_number=None, **kwargs):
        super().before_import_row(row, row_number=row_number, **kwargs)
        if self._pending_keys:
            named = {str(row.get(c) or "").strip() for c in self.self_references}
            if named & self._pending_keys:
                self.bulk_create(kwargs.get("using_transactions"), kwargs.get("dry_run"), False)

    def save_instance(self, instance, is_create, row, **kwargs):
        instance._import_row = row
        instance._import_number = kwargs.get("row_number")
        self._current = instance
        if is_create and self.self_references:
            self._pending_keys.add(str(self.key_of(instance)[0]))
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self._current is not None:
            self._current._row_result = row_result
            self._current = None

    def get_or_init_instance(self, instance_loader, row):
        # Meta.skip_diff spares a deep copy of every new row; a row that updates a record
        # keeps one, which skip_row compares with (unchanged rows are reported unchanged).
        instance, new = super().get_or_init_instance(instance_loader, row)
        if not new:
            instance._import_original = deepcopy(instance)
        return instance, new

    def skip_row(self, instance, original, row, import_validation_errors=None):
        original = original or getattr(instance, "_import_original", None)
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Unique constraints are the database's to enforce on the batch (see bulk_create).
        super().validate_instance(instance, import_validation_errors, validate_unique=False)

    # -- writing ---------------------------------------------------------------------------

    def m2m_fields(self, row) -> list:
        return [
            f
            for f in self.get_import_fields()
            if isinstance(f.widget, widgets.ManyToManyWidget) and f.column_name in row
        ]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.create_instances = list(self.create_instances), []
        self._pending_keys.clear()
        if not instances or (dry_run and not using_transactions):
            return
        db = self.get_db_connection_name()
        try:
            with transaction.atomic(using=db):
                self.write_new(instances, db)
        except (IntegrityError, DataError):
            for instance in instances:  # what bulk_create gave them was rolled back
                instance.pk = None
                instance._state.adding = True
            self.write_each(instances, db, is_create=True)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances, self.update_instances = list(self.update_instances), []
        if instances and (using_transactions or not dry_run):
            self.write_each(instances, self.get_db_connection_name(), is_create=False)

    def write_new(self, instances: list, db: str) -> None:
        """The rows, their many-to-many links and their first version, in batches."""
        model = self._meta.model
        if connections[db].vendor == "postgresql":
            ids = insert(model, [values_of(instance) for instance in instances], db)
            for instance, pk in zip(instances, ids, strict=True):
                instance.pk = pk
                instance._state.adding, instance._state.db = False, db
        else:
            model.objects.using(db).bulk_create(instances, batch_size=self._meta.batch_size)
        versions = first_versions(model, instances, db)
        for field in self.m2m_fields(instances[0]._import_row):
            relation = model._meta.get_field(field.attribute)
            through = relation.remote_field.through
            source = f"{relation.m2m_field_name()}_id"
            target = f"{relation.m2m_reverse_field_name()}_id"
            links = [
                {source: instance.pk, target: other.pk}
                for instance in instances
                for other in field.clean(instance._import_row)
            ]
            link_ids = insert(through, links, db)
            tracked = m2m_history_model(model, field.attribute)
            if tracked is None or not versions:
                continue
            for link, pk in zip(links, link_ids, strict=True):
                link["id"], link["history_id"] = pk, versions[link[source]]
            insert(tracked, links, db)

    def write_each(self, instances: list, db: str, is_create: bool) -> None:
        """Row by row, each in a savepoint: what the database refuses becomes a row error."""
        for instance in instances:
            try:
                self.do_instance_save(instance, is_create)
                with transaction.atomic(using=db):
                    for field in self.m2m_fields(instance._import_row):
                        self.import_field(field, instance, instance._import_row, True)
            except ValidationError as exc:
                self._late_invalid.append((instance, exc))
            except (IntegrityError, DataError) as exc:
                self._late_invalid.append((instance, self.explain_refusal(instance, exc)))

    def explain_refusal(self, instance, exc: Exception) -> ValidationError:
        """The unique rule a refused row breaks, in words and in its column."""
        try:
            self.validate_unique_constraints(instance, exclude=set())
            instance.validate_unique()
        except ValidationError as found:
            return found
        return ValidationError(f"The database refused this row: {exc}")

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        for instance, error in self._late_invalid:
            row_result = getattr(instance, "_row_result", None)
            if row_result is not None and row_result.import_type != RowResult.IMPORT_TYPE_INVALID:
                result.totals[row_result.import_type] -= 1
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = error
            result.append_invalid_row(instance._import_number, instance._import_row, error)
        self._late_invalid = []
