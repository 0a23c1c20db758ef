"""Bulk writing for CSV imports: thousands of rows a second, still checked row by row.

django-import-export saves one row at a time: a savepoint, the row, its change history, each
many-to-many link (with history again), and a lookup of every related key it names. A file
of 100,000 meetings is a million queries. A :class:`BulkResource` instead:

- loads the records the file names (those it updates) and the related records its cells
  name before the first row, one query per KEY_CHUNK keys (``PreloadingInstanceLoader``,
  the widgets' ``prime``);
- checks every row in Python as before (field checks, ``clean()``), leaving unique and CHECK
  constraints to the database, which enforces them anyway;
- writes new rows a batch at a time: the rows, their many-to-many links, the citations
  their ``citations`` cells add, and their history (a "+" version that carries its links,
  as simple-history stores them), see ``writes``;
- saves rows that update a record one at a time, the ordinary way (history, links);
- when the database refuses a batch, writes it again row by row, each in a savepoint, so the
  refusal is reported on its line and column like any other problem.

The admin's preview runs the same writes in a transaction it rolls back, so a file the
database would refuse is refused in the preview too. Any invalid row rolls back the import.
"""

from __future__ import annotations

from copy import deepcopy

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connections, models, transaction
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult

from ..copy import insert
from .base import DefrelResource
from .constraints import validate_unique_constraints
from .kept import forget
from .rows import ImportRow
from .widgets import chunked
from .writes import first_versions, insert_citations, insert_values, m2m_history_model


class PreloadingInstanceLoader(ModelInstanceLoader):
    """The records a file updates, loaded in a few queries before its first row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        # Made after before_import, which normalized the file's rows.
        self.found: dict[tuple, models.Model] = resource.preload_instances(dataset)

    def get_instance(self, row):
        key = self.resource.lookup_key(row)
        return None if key is None else self.found.get(key)


class BulkResource(DefrelResource):
    """A resource that imports in batches (see above).

    Every resource but three: countries and officials (their ``aliases`` cell adds and
    removes alias rows after each row is saved) and tenure citations (named through their
    tenure's official, post and start) import a row at a time. Agreements, initiatives and
    posts write their ``aliases`` cell's rows after their batch (``write_aliases``).
    """

    #: Columns naming a record of the same model, which may be created earlier in the file
    #: (a meeting's ``parent``): pending rows are written before such a row is read.
    self_references: tuple[str, ...] = ()

    class Meta(DefrelResource.Meta):
        abstract = True
        use_bulk = True
        batch_size = 1_000
        instance_loader_class = PreloadingInstanceLoader
        skip_diff = True  # new rows need no copy; updated ones keep one (see skip_row)

    # -- before the first row ----------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        for field in self.get_import_fields():
            prime = getattr(field.widget, "prime", None)
            if prime is not None and field.column_name in (dataset.headers or ()):
                prime(dataset, field.column_name)

    @staticmethod
    def instance_key(id_values: tuple | None) -> tuple | None:
        """Import-id values as stored (a related record by its id): what a record is found by."""
        if id_values is None:
            return None
        key = tuple(value.pk if isinstance(value, models.Model) else value for value in id_values)
        # None is a value (an undated status: the lookup is IS NULL), but not every part.
        if all(value in (None, "") for value in key):
            return None
        return key

    def key_of(self, instance) -> tuple:
        values = []
        for name in self.get_import_id_fields():
            field = instance._meta.get_field(self.fields[name].attribute)
            values.append(getattr(instance, field.attname))
        return tuple(values)

    def preload_instances(self, dataset) -> dict[tuple, models.Model]:
        """Every record the file's rows name, by ``instance_key``, with what rows compare.

        Cleans each row's import-id cells once, for the whole import (``run.id_values``).
        """
        headers = dataset.headers
        self.run.id_values = [
            self.id_values(dict(zip(headers, values, strict=False))) for values in dataset
        ]
        keys = {k for k in map(self.instance_key, self.run.id_values) if k}
        if not keys:
            return {}
        first = self.fields[self.get_import_id_fields()[0]].attribute
        related = [f.attribute for f in self.link_fields if f.attribute]
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

    def lookup_key(self, row) -> tuple | None:
        """The ``instance_key`` of the row being imported; a bad key raises, as a lookup
        would (``DefrelResource.get_instance`` reports it in its column)."""
        values = self.run.current.id_values
        if values is None:
            values = self.id_values(row, strict=True)
        return self.instance_key(values)

    def before_import_row(self, row, row_number=None, **kwargs):
        super().before_import_row(row, row_number=row_number, **kwargs)
        if self.run.pending_keys:
            named = {str(row.get(c) or "").strip() for c in self.self_references}
            if named & self.run.pending_keys:
                # The row names a record of this file by the id the preview gave it: the
                # preview's rows cannot be written again as they are (see ``kept``).
                self.run.kept = None
                self.bulk_create(kwargs.get("using_transactions"), kwargs.get("dry_run"), False)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        # Meta.skip_diff spares a deep copy of every new row; a row that updates a record
        # keeps one, which skip_row compares with (unchanged rows are reported unchanged).
        if not new:
            self.run.current.original = deepcopy(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        original = original or self.run.current.original
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Unique constraints are the database's to enforce on the batch (see bulk_create).
        super().validate_instance(instance, import_validation_errors, validate_unique=False)

    def after_save_instance(self, instance, row, **kwargs):
        # The row is only queued: its aliases are written with it (write_new, write_each).
        pass

    def save_instance(self, instance, is_create, row, **kwargs):
        # django-import-export queues the instance (Meta.use_bulk); its row waits with it.
        self.run.queued[id(instance)] = self.run.current
        if is_create and self.self_references:
            self.run.pending_keys.add(str(self.key_of(instance)[0]))
        super().save_instance(instance, is_create, row, **kwargs)

    # -- writing ---------------------------------------------------------------------------

    def take_queued(self, instances: list) -> list[ImportRow]:
        """The rows of a batch of queued ``instances``, which are handed over (emptied)."""
        rows = [self.run.queued.pop(id(instance)) for instance in instances]
        instances.clear()
        return rows

    def m2m_fields(self, row) -> list:
        return [f for f in self.link_fields if f.column_name in row]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        rows = self.take_queued(self.create_instances)
        self.run.pending_keys.clear()
        if rows and (using_transactions or not dry_run):
            self.write_batch(rows, is_create=True)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        rows = self.take_queued(self.update_instances)
        if rows and (using_transactions or not dry_run):
            self.write_batch(rows, is_create=False)

    def write_batch(self, rows: list[ImportRow], is_create: bool) -> None:
        """New rows in batches (a batch the database refuses again row by row), updated
        rows one by one; a preview keeps the batch for its confirm (``run.kept``)."""
        if self.run.kept is not None:
            self.run.kept.append((is_create, rows))
        db = self.get_db_connection_name()
        if not is_create:
            self.write_each(rows, db, is_create=False)
            return
        try:
            with transaction.atomic(using=db):
                self.write_new(rows, db)
        except (IntegrityError, DataError, ValidationError):  # an alias refused, too
            for row in rows:  # what the batch gave them was rolled back
                forget(row.instance)
            self.write_each(rows, db, is_create=True)

    def write_new(self, rows: list[ImportRow], db: str) -> None:
        """The rows, their many-to-many links and their first version, in batches."""
        model = self._meta.model
        instances = [row.instance for row in rows]
        if connections[db].vendor == "postgresql":
            ids = insert(model, [insert_values(instance) for instance in instances], db)
            for instance, pk in zip(instances, ids, strict=True):
                instance.pk = pk
                instance._state.adding, instance._state.db = False, db
        else:
            model.objects.using(db).bulk_create(instances, batch_size=self._meta.batch_size)
        versions = first_versions(model, instances, db)
        for field in self.m2m_fields(rows[0].row):
            relation = model._meta.get_field(field.attribute)
            through = relation.remote_field.through
            source = f"{relation.m2m_field_name()}_id"
            target = f"{relation.m2m_reverse_field_name()}_id"
            links = [
                {source: row.instance.pk, target: other.pk}
                for row in rows
                for other in row.links[field.attribute]
            ]
            link_ids = insert(through, links, db)
            tracked = m2m_history_model(model, field.attribute)
            if tracked is None or not versions:
                continue
            for link, pk in zip(links, link_ids, strict=True):
                link["id"], link["history_id"] = pk, versions[link[source]]
            insert(tracked, links, db)
        self.write_aliases(rows)
        self.write_citations(rows, db, new=True)

    def write_aliases(self, rows: list[ImportRow]) -> None:
        """The alias rows of records whose ``aliases`` cell the file has (few: one by one)."""
        for row in rows:
            if row.aliases is not None:
                self.save_aliases(row.instance, row.aliases)

    def write_citations(self, rows: list[ImportRow], db: str, new: bool) -> None:
        """The citation rows the records' ``citations`` cells add, in one batch."""
        cited = [(row.instance, row.citations) for row in rows if row.citations]
        if cited:
            insert_citations(self._meta.model, cited, db, new=new)

    def write_each(self, rows: list[ImportRow], db: str, is_create: bool) -> None:
        """Row by row, each in a savepoint: what the database refuses becomes a row error."""
        for row in rows:
            try:
                self.do_instance_save(row.instance, is_create)
                with transaction.atomic(using=db):
                    for field in self.m2m_fields(row.row):
                        self.import_field(field, row.instance, row.row, True)
                    self.write_aliases([row])
                    self.write_citations([row], db, new=is_create)
            except ValidationError as exc:
                self.run.refused.append((row, exc))
            except (IntegrityError, DataError) as exc:
                self.run.refused.append((row, self.explain_refusal(row.instance, exc)))

    def explain_refusal(self, instance, exc: Exception) -> ValidationError:
        """The unique rule a refused row breaks, in words and in its column."""
        try:
            validate_unique_constraints(instance, exclude=set())
            instance.validate_unique()
        except ValidationError as found:
            return found
        return ValidationError(f"The database refused this row: {exc}")

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        self.report_refused(result)

    def report_refused(self, result) -> None:
        """The rows the database refused become invalid rows of ``result``, in their column."""
        for row, error in self.run.refused:
            row_result = row.result
            if row_result is not None and row_result.import_type != RowResult.IMPORT_TYPE_INVALID:
                result.totals[row_result.import_type] -= 1
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = error
            result.append_invalid_row(row.number, row.row, error)
        self.run.refused = []
