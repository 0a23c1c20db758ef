"""What every CSV resource does (django-import-export 4.x): header checks, duplicate rows,
change history, all-or-nothing imports, problems by line and column, streaming exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, models, transaction
from django.utils.text import slugify
from import_export import resources, widgets
from import_export.results import Error

from ..citing import must_cite, uncited_new
from ..columns.base import Record
from .constraints import check_refusal, validate_unique_constraints
from .declared import DeclaredResourceMetaclass
from .exporting import ExportingResource
from .fields import AliasesField, CitationsField
from .files import LIST_SEPARATOR, unescape_formula
from .kept import KeptImport, database_state
from .reporting import ImportReport
from .rows import ImportRow, ImportRun, RowProblem
from .widgets import CountryTable
from .writes import insert_citations

#: Errors that say the database failed, not the row: they end an import at once.
DATABASE_FAILURES = (OperationalError, InterfaceError)

#: How a new record without citations is cited, said where an import refuses it.
CITE_IN_THE_FILE = (
    "give its sources in the citations column (KEY ¶ 2, 17–26; OTHER ¶ 4) or, if its "
    "citations follow in a citations file, say so (tick “Citations follow in a separate "
    "file” on the import form; import_csv --citations-follow)"
)


class DefrelResource(
    ExportingResource,
    ImportReport,
    resources.ModelResource,
    metaclass=DeclaredResourceMetaclass,
):
    """Shared behaviour: header checks, duplicate rows, history, all-or-nothing, escaping.
    The export side is :class:`ExportingResource`'s, what an import reports
    :class:`ImportReport`'s.

    What an import knows of the file is ``self.run`` (an :class:`ImportRun`, new for each
    ``import_data``), of the row being imported ``self.run.current`` (an :class:`ImportRow`).
    """

    #: Columns that build a slug when the slug cell is empty (stable: same row, same slug).
    slug_from: tuple[str, ...] = ()
    #: The record whose columns the resource reads and writes (``engagements.columns``); the
    #: fields below are filled from it (``declared.DeclaredResourceMetaclass``).
    record: Record | None = None
    #: The model field that links an alias to its owner (for ``AliasesField``).
    alias_owner = ""
    #: Rows of an import given their cells as written (``RowResult.cells``) for the preview;
    #: the rest of a big file is only counted.
    preview_limit = 100
    #: ``progress(done, total)`` is called every ``progress_every`` rows while a file is
    #: imported (``import_csv`` prints it); None: silent.
    progress: Callable[[int, int], None] | None = None
    progress_every = 1_000

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True  # the preview shows counts and errors, not per-row diffs

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # One country table per resource instance (per import), shared by its columns.
        countries = CountryTable()
        for field in self.fields.values():
            if hasattr(field.widget, "countries"):
                field.widget.countries = countries
        self.run = ImportRun()

    # -- the columns (they do not change once the resource is made) ------------------------

    @cached_property
    def import_fields(self) -> list:
        return super().get_import_fields()

    def get_import_fields(self):
        # Asked for several times per row.
        return self.import_fields

    @cached_property
    def link_fields(self) -> list:
        """Import columns of many-to-many links: checked with the row, saved after it."""
        return [f for f in self.import_fields if isinstance(f.widget, widgets.ManyToManyWidget)]

    @cached_property
    def aliases_field(self) -> AliasesField | None:
        return next((f for f in self.fields.values() if isinstance(f, AliasesField)), None)

    @cached_property
    def citations_field(self) -> CitationsField | None:
        return next((f for f in self.fields.values() if isinstance(f, CitationsField)), None)

    @cached_property
    def needs_citations(self) -> bool:
        """New records need a citation (``engagements.citing``)."""
        return must_cite(self._meta.model)

    @cached_property
    def fetched_attributes(self) -> set[str]:
        """Foreign keys whose widget fetched the related record (see validate_instance)."""
        return {
            field.attribute
            for field in self.fields.values()
            if isinstance(field.widget, widgets.ForeignKeyWidget) and field.attribute
        }

    @cached_property
    def id_attributes(self) -> set[str]:
        return {self.fields[name].attribute for name in self.get_import_id_fields()}

    @classmethod
    def column_names(cls) -> list[str]:
        return [field.column_name for field in cls().get_import_fields()]

    # -- the file --------------------------------------------------------------------------

    def required_columns(self) -> list[str]:
        """Import-id columns, plus columns of model fields that cannot be blank."""
        required = []
        ids = set(self.get_import_id_fields())
        for name, field in self.fields.items():
            if name in ids:
                required.append(field.column_name)
                continue
            if field.readonly:
                continue  # exported only (a derived date column): never read on import
            try:
                model_field = self._meta.model._meta.get_field(field.attribute or "")
            except Exception:
                continue
            if (
                model_field.concrete
                and not model_field.blank
                and not model_field.has_default()
                and not model_field.many_to_many
            ):
                required.append(field.column_name)
        return list(dict.fromkeys(required))

    def header_problems(self, headers: Iterable[str], line: int = 1) -> list[RowProblem]:
        headers = [h for h in (headers or [])]
        known = {field.column_name for field in self.get_import_fields()}
        plural = self._meta.model._meta.verbose_name_plural
        problems = []
        if not headers:
            return [RowProblem(None, "", "", "The file is empty: it needs a header line.")]
        seen = set()
        for name in headers:
            if name in seen:
                problems.append(RowProblem(line, name, "", "This column appears twice."))
            seen.add(name)
            if name not in known:
                problems.append(
                    RowProblem(
                        line,
                        name,
                        "",
                        f"Unknown column. Columns for {plural}: {', '.join(sorted(known))}.",
                    )
                )
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            problems.append(
                RowProblem(line, "", "", f"Missing required column(s): {', '.join(missing)}.")
            )
        return problems

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        citations_follow=False,
        keep_rows=False,
        **kwargs,
    ):
        """Check the header first; then import with any invalid row rolling back the lot.

        A new record that must cite a source and has no ``citations`` cell is an invalid row,
        unless ``citations_follow`` (its citations file is imported next): then it is
        counted, for :meth:`warnings`.

        The result carries ``line_numbers`` (file line of each data row), ``header_problems``,
        which :meth:`problems` reports by line and column, and ``uncited`` (new records
        imported without a citation).

        ``keep_rows``: a dry run (the admin's preview) keeps the rows it wrote, as the
        result's ``kept`` (a :class:`~.kept.KeptImport`, None when they cannot be kept), for
        its confirm to write again without a second import.
        """
        keep = keep_rows and dry_run
        self.run = ImportRun(
            line_numbers=list(getattr(dataset, "line_numbers", None) or []),
            total=len(dataset),
            citations_follow=citations_follow,
            kept=[] if keep else None,
        )
        state = database_state(self.get_db_connection_name()) if keep else None
        problems = self.header_problems(dataset.headers, getattr(dataset, "header_line", 1))
        if problems:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(Error(ValueError(str(problem))))
            result.header_problems = problems
            result.line_numbers = self.run.line_numbers
            return result
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            # All-or-nothing: an invalid row must roll back the rows before it.
            rollback_on_validation_errors=True,
            **kwargs,
        )
        result.line_numbers = self.run.line_numbers
        result.uncited = self.run.uncited
        result.kept = KeptImport.of(self, result, state) if keep else None
        return result

    def before_import(self, dataset, **kwargs):
        """Normalize every row once, in the dataset itself: a bulk import's preload and each
        row's import then read the same cells."""
        super().before_import(dataset, **kwargs)
        headers = dataset.headers
        for index, values in enumerate(dataset):
            cells = dict(zip(headers, values, strict=False))
            normalized = self.normalize_row(dict(cells))
            changed = {c: v for c, v in cells.items() if normalized.get(c) != v}
            if changed:
                self.run.raw_cells[index] = changed
            dataset[index] = list(normalized.values())

    def normalize_row(self, row: dict) -> dict:
        """The cells as imported: spreadsheet-formula escapes undone, an empty slug filled."""
        for column, value in row.items():
            row[column] = unescape_formula(value)
        self.fill_slug(row)
        return row

    def fill_slug(self, row) -> None:
        if not self.slug_from or "slug" not in row or str(row["slug"] or "").strip():
            return
        parts = [str(row.get(c) or "") for c in self.slug_from]
        if parts[0].strip():
            row["slug"] = slugify(" ".join(reversed(parts)))[:200].strip("-")

    # -- each row, in the order django-import-export calls the hooks -----------------------

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs["row_number"]
        self.run.current = ImportRow(number, row)
        if self.progress is not None and number % self.progress_every == 0:
            self.progress(number, self.run.total)
        row_result = super().import_row(row, instance_loader, **kwargs)
        for caught in row_result.errors:
            if isinstance(caught.error, DATABASE_FAILURES):
                # The database went away (or refuses every statement): not a problem of
                # this row, and every later row would fail the same way. End the import.
                raise caught.error
        error = row_result.validation_error
        if error is not None:
            # A kept exception keeps its traceback, and with it every frame of the row's
            # import (querysets, the row, the instance): about 20 KB a row, so a file of
            # 100,000 bad rows took gigabytes. The messages are all that is shown.
            error.__traceback__ = error.__context__ = error.__cause__ = None
        return row_result

    def id_values(self, row, strict: bool = False) -> tuple | None:
        """The import-id cells of ``row`` cleaned (a related record as the record); None when
        one does not clean, unless ``strict``, which raises why."""
        try:
            return tuple(self.fields[name].clean(row) for name in self.get_import_id_fields())
        except (ValueError, KeyError, ValidationError):
            if strict:
                raise
            return None

    def before_import_row(self, row, row_number=None, **kwargs):
        current = self.run.current
        ids = self.run.id_values
        current.id_values = ids[row_number - 1] if ids else self.id_values(row)
        key = self.record_key(current.id_values)
        if key is not None:
            first = self.run.seen.setdefault(key, row_number)
            if first != row_number:
                id_columns = [self.fields[n].column_name for n in self.get_import_id_fields()]
                raise ValidationError(
                    f"Duplicate of line {self.line_of(first)}: the same "
                    f"{' + '.join(id_columns)} appears twice in the file."
                )

    @staticmethod
    def record_key(id_values: tuple | None) -> tuple | None:
        """The record a row names, so two spellings of one key (``lawrence-wong`` and
        ``Lawrence Wong``) are one record: a related record by its model and id, text
        without case. ``None`` when the key is empty or does not resolve (that error is
        reported anyway)."""
        if id_values is None:
            return None
        key = tuple(
            (type(value).__name__, value.pk)
            if isinstance(value, models.Model)
            else value.strip().lower()
            if isinstance(value, str)
            else value
            for value in id_values
        )
        if not any(v not in (None, "") for v in key):
            return None
        return key

    def get_instance(self, instance_loader, row):
        # A bad natural key (an unknown official) is an error in its column, not a crash.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as exc:
            for name in self.get_import_id_fields():
                field = self.fields[name]
                try:
                    field.clean(row)
                except ValueError as field_exc:
                    raise ValidationError({field.attribute: str(field_exc)}) from None
            raise ValidationError(str(exc)) from None

    def after_init_instance(self, instance, new, row, **kwargs):
        self.run.current.instance = instance

    def import_instance(self, instance, row, **kwargs):
        """Set the fields; many-to-many and alias cells are checked now too (and kept with
        the row: they are saved after the record)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        current = self.run.current
        for field in self.link_fields:
            if field.column_name in row:
                try:
                    current.links[field.attribute] = field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = [str(exc)]
        aliases = self.aliases_field
        if aliases is not None and aliases.column_name in row:
            current.aliases = aliases.clean(row)
            problems = aliases.problems(current.aliases)
            removal_problem = self.check_alias_removals(instance, kwargs.get("user"))
            if removal_problem:
                problems.append(removal_problem)
            if problems:
                errors.setdefault("aliases", []).extend(problems)
        for attribute, messages in self.citation_problems(instance, row).items():
            errors.setdefault(attribute, []).extend(messages)
        for attribute, messages in self.finish_instance(instance, row).items():
            errors.setdefault(attribute, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def citation_problems(self, instance, row) -> dict[str, list[str]]:
        """The ``citations`` cell cleaned (kept with the row); and a new record citing nothing
        refused, unless the citations follow (``ImportRun.citations_follow``)."""
        field, current = self.citations_field, self.run.current
        in_file = field is not None and field.column_name in row
        if in_file:
            try:
                current.citations = field.clean(row)
            except ValueError as exc:
                return {field.attribute: [str(exc)]}
        if current.citations or instance.pk is not None or self.run.citations_follow:
            return {}
        if not self.needs_citations:
            return {}
        key = "/".join(str(row.get(name) or "") for name in self.get_import_id_fields())
        message = uncited_new(self._meta.model, key, CITE_IN_THE_FILE)
        return {field.attribute if in_file else NON_FIELD_ERRORS: [message]}

    def finish_instance(self, instance, row) -> dict[str, list[str]]:
        """After the cells are set: what a resource adds to the record (a tenure citation's
        tenure) and the rules it checks (a possible duplicate official), as problems by
        attribute. Nothing here."""
        return {}

    def check_alias_removals(self, instance, user) -> str:
        """Aliases an ``aliases`` cell would remove: noted for the preview, and refused
        (returned as the row's problem) unless the importer may delete aliases.

        An import run without a user (``import_csv`` without ``--user``) is the operator's
        and may remove them.
        """
        current = self.run.current
        if current.aliases is None or instance.pk is None:
            return ""
        wanted = {name.lower() for name in current.aliases}
        removed = sorted(
            (a.name for a in instance.aliases.all() if a.name.lower() not in wanted), key=str.lower
        )
        if not removed:
            return ""
        listed = ", ".join(repr(name) for name in removed)
        current.note = f"Removes the aliases {listed}."
        opts = self.aliases_field.alias_model._meta
        permission = f"{opts.app_label}.delete_{opts.model_name}"
        if user is None or user.has_perm(permission):
            return ""
        return (
            f"This would remove the aliases {listed}, and you may not delete "
            f"{opts.verbose_name_plural}: keep them in the cell (add new names after a "
            f"“{LIST_SEPARATOR}”), or ask a Reviewer to delete them."
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when every column present in the row exports as it did before."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        current = self.run.current
        for field in self.get_import_fields():
            if field.column_name not in row or field.readonly:
                continue  # a read-only column (status, official_country) is never imported
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = sorted(o.pk for o in current.links[field.attribute])
                old = sorted(o.pk for o in field.get_value(original).all())
                if new != old:
                    return False
            elif field is self.aliases_field:
                if sorted(current.aliases, key=str.lower) != field.get_value(original):
                    return False
            elif field is self.citations_field:
                if field.adds(original, current.citations):
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """``full_clean()`` without the per-row queries that add nothing on import.

        Django's field validation runs one ``SELECT`` per foreign key per row to confirm the
        related row exists; our widgets just fetched those rows, so that is skipped. CHECK
        constraints are left to the database, which refuses the row on save (see
        :meth:`do_instance_save`) with the same message; Django would otherwise run one query
        per CHECK per row. Field checks, ``clean()`` and unique constraints run in full.
        """
        errors = dict(import_validation_errors or {})
        # The row was looked up by its natural key just now: no need to ask again if it is free.
        steps = [
            lambda: instance.clean_fields(exclude=set(errors) | self.fetched_attributes),
            instance.clean,
            lambda: instance.validate_unique(exclude=set(errors) | self.id_attributes),
            lambda: validate_unique_constraints(instance, exclude=set(errors)),
        ]
        for step in steps if validate_unique else steps[:2]:
            try:
                step()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # The change history records who imported, as for an edit in the admin
        # (simple-history reads these two attributes off the instance).
        user = kwargs.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            instance._history_user = user
        file_name = kwargs.get("file_name")
        instance._change_reason = f"CSV import{f' of {file_name}' if file_name else ''}"

    def do_instance_save(self, instance, is_create):
        """Save in a savepoint; a CHECK the database refuses becomes that CHECK's message,
        in the column of the field the CHECK is about (see :func:`check_refusal`)."""
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                super().do_instance_save(instance, is_create)
        except IntegrityError as exc:
            refusal = check_refusal(instance, exc)
            if refusal is None:
                raise
            raise refusal from None

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run") and not kwargs.get("using_transactions"):
            return
        current = self.run.current
        if current.aliases is not None:
            self.save_aliases(instance, current.aliases)
        if current.citations:
            insert_citations(
                self._meta.model,
                [(instance, current.citations)],
                self.get_db_connection_name(),
                new=False,
            )

    def save_aliases(self, instance, names: list[str]) -> None:
        """Make ``instance``'s alias rows the ``names`` of its cell (any case is one name):
        new ones added, missing ones deleted, each with its history."""
        alias_model = self.aliases_field.alias_model
        user = getattr(instance, "_history_user", None)
        wanted = {n.lower(): n for n in names}
        existing = {a.name.lower(): a for a in instance.aliases.all()}
        for key, alias in existing.items():
            if key not in wanted:
                alias._history_user = user
                alias.delete()
        for key, name in wanted.items():
            if key not in existing:
                alias = alias_model(name=name, **{self.alias_owner: instance})
                alias._history_user = user
                try:
                    alias.full_clean()
                except ValidationError as exc:
                    raise ValidationError(
                        {"aliases": f"{name!r}: " + " ".join(exc.messages)}
                    ) from None
                alias.save()

    def after_import_row(self, row, row_result, **kwargs):
        current = self.run.current
        current.result = row_result
        if self.needs_citations and row_result.import_type == "new" and not current.citations:
            self.run.uncited += 1  # the citations follow (else the row is invalid)
        # What the preview shows beside the row (aliases removed), and the row as written.
        row_result.note = current.note
        row_result.cells = []
        if row_result.import_type in ("new", "update") and self.run.previewed < self.preview_limit:
            self.run.previewed += 1
            row_result.cells = self.written_cells(current)
