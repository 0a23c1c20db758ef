"""The shared admin base: fast change lists, history, CSV import/export with a preview."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

from ..caching import COUNT_LIMIT, bounded_count, kept
from ..history import m2m_in_last_row
from ..models import Country, Official, OfficialAlias
from ..resources import resource_for
from ..resources.files import CSVFileError, DefrelCSV
from ..resources.kept import write_kept
from .citations import GroupedCitationInline
from .exporting import StreamedExportMixin
from .importing import (
    CitationsFollowConfirmForm,
    ImportTempStorage,
    SizeLimitedImportForm,
    log_imported,
)
from .selected import KnownChoicesAdmin, hand_known_choices, with_chosen_records
from .versions import tracked_tables, versioned_form

#: Rows of the import preview shown on the page; the counts cover the whole file.
PREVIEW_ROWS = 100
#: Problems listed on the page; the count says how many more there are.
PROBLEMS_SHOWN = 200


def rank_search(queryset, term: str, exact_fields, prefix_fields, then=None):
    """``queryset`` ordered best match first: a field equal to ``term``, then one starting
    with it, then the rest (each case-insensitive), and within a rank by ``then`` (by default
    the queryset's own order).

    Without it the autocomplete listed matches by name, so ``IN`` offered Andorra (“Principality
    of Andorra”) before India and Enter picked it. A path through a many-valued relation
    (``aliases__name``) is tested in a subquery, so a record with two matching aliases is
    still one row.
    """
    term = (term or "").strip()
    if not term or not (exact_fields or prefix_fields):
        return queryset
    model = queryset.model

    def any_field(fields, lookup: str) -> Q:
        condition = Q()
        for path in fields:
            test = Q(**{f"{path}__{lookup}": term})
            head = model._meta.get_field(path.split("__", 1)[0])
            if head.many_to_many or head.one_to_many:
                test = Q(pk__in=model._default_manager.filter(test).values("pk"))
            condition |= test
        return condition

    whens = []
    if exact_fields:
        whens.append(When(any_field(exact_fields, "iexact"), then=Value(0)))
    if prefix_fields:
        whens.append(When(any_field(prefix_fields, "istartswith"), then=Value(1)))
    rank = Case(*whens, default=Value(2), output_field=IntegerField())
    order = then if then is not None else (queryset.query.order_by or model._meta.ordering)
    return queryset.annotate(search_rank=rank).order_by("search_rank", *order)


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers, best match first, labelled as the model's admin says.

    A model admin ranks the matches with ``autocomplete_exact`` and ``autocomplete_prefix``
    (the fields :func:`rank_search` tests), may define ``autocomplete_label(obj)`` (officials
    add their country code and post, so two officials of one name can be told apart) and
    reads what that label needs in ``autocomplete_queryset`` (joined or annotated in the
    same query: no query per result).
    """

    def get_queryset(self):
        qs = super().get_queryset()
        admin_ = self.model_admin
        prepare = getattr(admin_, "autocomplete_queryset", None)
        if prepare is not None:
            qs = prepare(qs)
        return rank_search(
            qs,
            self.term,
            getattr(admin_, "autocomplete_exact", ()),
            getattr(admin_, "autocomplete_prefix", ()),
        )

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result


def autocomplete_view(request):
    return LabelledAutocompleteJsonView.as_view(admin_site=admin.site)(request)


# The default site's view is replaced on the instance (its URLs are built later, from it).
admin.site.autocomplete_view = autocomplete_view


class EstimatedCountPaginator(Paginator):
    """Counts a change list can afford on a table of millions.

    ``COUNT(*)`` over a large table is the slowest query of a change list. On PostgreSQL a big
    unfiltered table is numbered from the planner's estimate (``pg_class.reltuples``), instant
    and close enough to number the pages. A filtered or searched list is counted exactly up to
    ``bound`` rows and beyond that reported as "more than 10,000" (``count_is_lower_bound``),
    as the reading room does: a search matching half the table stops counting early, and that
    verdict is kept for a few minutes (a search matching 100,000 meetings reads 10,001 of them
    to know). Exact counts (fewer rows) are never kept, so an edit shows in them at once.
    """

    estimate_above = 50_000
    bound = COUNT_LIMIT
    count_is_lower_bound = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        query = getattr(qs, "query", None)
        if query is None:
            return super().count
        if not query.where and not query.distinct:
            connection = connections[qs.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [qs.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] and row[0] > self.estimate_above:
                    return int(row[0])
        sql = self.counted_sql(qs)
        counted = kept(
            "admin-over-bound",
            lambda: bounded_count(qs, self.bound),
            params=(qs.db, sql),
            big=bool(sql),
            keep=lambda n: n > self.bound,
        )
        self.count_is_lower_bound = counted > self.bound
        return counted

    @staticmethod
    def counted_sql(qs) -> str:
        """The counted query's SQL (the verdict's key); "" when it selects nothing."""
        try:
            return str(qs.order_by().values("pk").query)
        except EmptyResultSet:
            return ""


class CurationAdmin(KnownChoicesAdmin, StreamedExportMixin, ImportExportMixin, SimpleHistoryAdmin):
    """Base for every defrel model admin.

    Change lists never count the whole table twice (``show_full_result_count``) and page with
    :class:`EstimatedCountPaginator`; every record has a change history that can be reverted;
    CSV import previews counts and each invalid row, and imports all or nothing; a change
    form's autocomplete widgets label what is chosen without a query each (``selected``).
    """

    show_full_result_count = False
    paginator = EstimatedCountPaginator

    class Media:
        # Fits forms and change lists to a 1366 px window (inline tables, long titles).
        # Through the admin's media, not a template: the app's templates come after
        # django.contrib.admin's, so an override of admin/base_site.html would never load.
        css = {"all": ["engagements/admin.css"]}

    list_per_page = 50
    import_template_name = "admin/engagements/import.html"
    export_template_name = "admin/engagements/export.html"
    import_form_class = SizeLimitedImportForm
    confirm_form_class = CitationsFollowConfirmForm
    tmp_storage_class = ImportTempStorage

    #: Many-to-many fields to countries that search also matches: a term that is a country's
    #: ISO code, name or alias (“ROK”) finds the records linked to that country.
    search_countries: tuple[str, ...] = ()

    #: The autocomplete lists first the records one of these fields equals (any case), then
    #: those one of ``autocomplete_prefix`` starts with, then the other matches.
    autocomplete_exact: tuple[str, ...] = ()
    autocomplete_prefix: tuple[str, ...] = ()
    #: Relations the autocomplete's label reads, joined in the same query.
    autocomplete_select_related: tuple[str, ...] = ()

    def autocomplete_queryset(self, queryset):
        """The autocomplete's matches, with what :meth:`autocomplete_label` reads."""
        related = self.autocomplete_select_related
        return queryset.select_related(*related) if related else queryset

    # -- change form -----------------------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        """The record, with the records its autocomplete fields name (``selected``)."""
        queryset = self.get_queryset(request)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            object_id = field.to_python(object_id)
        except (ValidationError, ValueError):
            return None
        queryset = with_chosen_records(
            queryset, self.get_autocomplete_fields(request), self.admin_site, prefetch=True
        )
        return queryset.filter(**{field.name: object_id}).first()

    def render_change_form(self, request, context, *args, **kwargs):
        """The form and its inline rows hand their chosen records to their widgets."""
        adminform = context.get("adminform")
        if adminform is not None:
            hand_known_choices(adminform.form)
        for inline in context.get("inline_admin_formsets", ()):
            for form in inline.formset.forms:
                hand_known_choices(form)
        return super().render_change_form(request, context, *args, **kwargs)

    # -- change list -----------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL refuses a NUL character in any text it is sent: a filter or search
        # holding one is dropped with a message instead of failing the query.
        damaged = [
            key
            for key, values in request.GET.lists()
            if "\x00" in key or any("\x00" in value for value in values)
        ]
        if damaged:
            names = ", ".join(f"“{key.replace(chr(0), '')}”" for key in damaged)
            return self._without(request, damaged, f"The filter {names} held a NUL character")
        if broken := self._broken_date_drilldown(request):
            names = ", ".join(f"“{key}”" for key in broken)
            return self._without(request, broken, f"The date filter {names} was not a date")
        return super().changelist_view(request, extra_context)

    @staticmethod
    def _without(request, keys: list[str], problem: str) -> HttpResponseRedirect:
        """The same change list without the parameters ``keys``, saying why they went."""
        query = request.GET.copy()
        for key in keys:
            del query[key]
        messages.warning(request, f"{problem}: it was removed.")
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")

    #: The date drill-down's parts and their ranges (``datetime`` takes no others).
    DRILLDOWN_RANGES = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}

    def _broken_date_drilldown(self, request) -> list[str]:
        """``date_hierarchy`` parameters that are not a number in range: Django's change list
        turns a ``ValueError`` into its "?e=1" page but lets ``OverflowError`` (a year of
        thirty digits) through as a 500."""
        if not self.date_hierarchy:
            return []
        broken = []
        for part, (low, high) in self.DRILLDOWN_RANGES.items():
            key = f"{self.date_hierarchy}__{part}"
            for value in request.GET.getlist(key):
                digits = value.strip().lstrip("0") or "0"
                number = int(digits) if digits.isascii() and digits.isdigit() else None
                if len(digits) > 4 or number is None or not low <= number <= high:
                    broken.append(key)
                    break
        return broken

    def action_checkbox(self, obj):
        """The checkbox column: Django's markup, without a form widget rendered per row.

        ``ModelAdmin.action_checkbox`` renders a ``CheckboxInput`` through the form templates
        (0.4 ms a row: 20 ms of a 50-row change list); this writes the same ``<input>``.
        """
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    # -- search ----------------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        related = self.related_search(queryset, search_term.strip())
        if related is not None:
            found = found | related
        return found, may_have_duplicates

    def related_search(self, queryset, term: str):
        """Records linked to the countries (and, see subclasses, officials) ``term`` names.

        The term is resolved in the small country and alias tables first; the big table is
        then asked one ``EXISTS`` per link on an index, never joined to every alias.
        ``None`` when the term names nothing.
        """
        if not term or not self.search_countries:
            return None
        country_ids = list(Country.objects.matching(term).values_list("pk", flat=True))
        if not country_ids:
            return None
        condition = Q()
        for name in self.search_countries:
            field = self.model._meta.get_field(name)
            through = field.remote_field.through
            links = through._default_manager.filter(
                **{
                    field.m2m_field_name(): OuterRef("pk"),
                    f"{field.m2m_reverse_field_name()}__in": country_ids,
                }
            )
            condition |= Q(Exists(links))
        return queryset.filter(condition)

    # -- history ---------------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version, and the *Revert* form that writes it back.

        simple-history lets anyone who may *view* the record open the form, and saves it on
        POST; reverting is a change, so a POST needs the change permission (and, for a record
        deleted since, the add permission too).
        """
        if request.method == "POST" and not self.may_revert(request, object_id):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        record = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if record is None:
            # The change page's form (not the revert form, nor the one Django builds to list
            # the fields): it carries the version it was opened on, checked on saving.
            if change and obj is not None:
                return versioned_form(form, tracked_tables(self, request, obj))
            return form
        # The revert form of an old version: Django would fill many-to-many fields from the
        # record's current links; they come from the version's own m2m history instead.
        initial = historical_m2m_values(record, form.base_fields)
        if not initial:
            return form

        class RevertForm(form):
            def __init__(self, *args, **form_kwargs):
                form_kwargs["initial"] = {**initial, **(form_kwargs.get("initial") or {})}
                super().__init__(*args, **form_kwargs)

        RevertForm.__name__ = form.__name__
        return RevertForm

    # -- inline rows -----------------------------------------------------------------------

    def get_inline_instances(self, request, obj=None):
        """The inlines, whose rows whoever may change this record may also remove.

        A participant, citation, alias or mark entered by mistake is part of the record being
        edited: its *Delete* box follows the change permission of the record, not the delete
        permission of the row's model (Reviewers', who delete whole records). Removed rows
        keep their history ("-", by whom).
        """
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.has_delete_permission = self.may_remove_rows
        return inlines

    def may_remove_rows(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    # -- saving ----------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Save (its history row written), then put the form's many-to-many values into it.

        Without this a meeting saved with new countries got two rows: the save (holding the
        old countries), then the countries' change. Wrapping ``form.save_m2m`` covers both
        callers: the change form's ``save_related`` and simple-history's revert form.
        """
        super().save_model(request, obj, form, change)
        save_m2m = getattr(form, "save_m2m", None)
        if save_m2m is not None:

            def save_m2m_into_the_row():
                with m2m_in_last_row(obj):
                    save_m2m()

            form.save_m2m = save_m2m_into_the_row

    def save_formset(self, request, form, formset, change):
        """Inline rows with many-to-many values (a participant's posts): one history row each."""
        if getattr(formset, "saves_whole", False):
            formset.save()  # a citation group writes its paragraph rows itself, with history
            return
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            obj.save()
        with m2m_in_last_row(*instances):
            formset.save_m2m()

    def may_revert(self, request, object_id) -> bool:
        current = self.get_object(request, unquote(object_id))
        if current is None:
            return self.has_add_permission(request) and self.has_change_permission(request)
        return self.has_change_permission(request, current)

    # -- CSV -------------------------------------------------------------------------------

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def get_import_formats(self):
        return [DefrelCSV]

    def get_export_formats(self):
        return [DefrelCSV]

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["citations_follow"] = import_form.cleaned_data.get("citations_follow", False)
        return initial

    def get_import_data_kwargs(self, **kwargs):
        """The preview's and the confirmation's ``import_data`` get the form's opt-out."""
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["citations_follow"] = bool(
            getattr(form, "cleaned_data", {}).get("citations_follow", False)
        )
        kwargs["keep_rows"] = True  # the preview's rows, for its confirm (``keep_preview``)
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, CSVFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        if request.method == "POST":
            ImportTempStorage.sweep()
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            context = response.context_data
            if context.get("result"):
                self._add_result_summary(context)
            if "confirm_form" not in context:
                self._remove_upload(request)
            else:
                self.keep_preview(context)
        return response

    def keep_preview(self, context) -> None:
        """The preview's checked rows go beside the upload, for *Confirm import*."""
        kept = getattr(context.get("result"), "kept", None)
        if kept is not None:
            name = context["confirm_form"].initial["import_file_name"]
            ImportTempStorage(name=name).keep(kept)

    def process_import(self, request, **kwargs):
        """*Confirm import*: the preview's rows written again (``resources.kept``) when they
        still stand for the file and the database; otherwise the file imported again."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if form.is_valid():
            result = self.write_preview(request, form)
            if result is not None:
                return self.process_result(result, request)
        return super().process_import(request, **kwargs)

    def write_preview(self, request, form):
        """The result of writing the kept rows; None when there are none to trust."""
        storage = ImportTempStorage(name=form.cleaned_data["import_file_name"])
        kept, digest = storage.kept()
        storage.forget_kept()  # kept rows are used once, or not at all
        if kept is None:
            return None
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form)
        )
        follow = bool(form.cleaned_data.get("citations_follow", False))
        if not kept.stands_for(resource, resource.get_db_connection_name(), digest, follow):
            return None
        result = write_kept(
            resource, kept, request.user, form.cleaned_data.get("original_file_name") or ""
        )
        storage.remove()
        return result

    def _remove_upload(self, request) -> None:
        """Nothing to confirm (problems, or an unreadable file): its stored copy goes now.

        The upload is read off the request: a file refused whole (encoding, delimiter, a
        ragged row) has its error on the form's field, which drops it from ``cleaned_data``.
        """
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            ImportTempStorage(name=name).remove()

    def _add_result_summary(self, context) -> None:
        result = context["result"]
        resource = resource_for(self.model)()
        problems = resource.problems(result)
        to_write = resource.preview(result)
        context.update(
            warnings=resource.warnings(result),
            totals=result.totals,
            total_rows=result.total_rows,
            problems=problems[:PROBLEMS_SHOWN],
            problems_hidden=max(0, len(problems) - PROBLEMS_SHOWN),
            preview_rows=to_write[:PREVIEW_ROWS],
            preview_hidden=max(0, len(to_write) - PREVIEW_ROWS),
            preview_columns=[cell.column for cell in to_write[0]["cells"]] if to_write else [],
        )

    def _create_log_entry(self, user_pk, rows, import_type, action_flag):
        # django-import-export's hook for one kind of entry (new, updated): the same entries,
        # written in one batch (``log_imported``).
        message = f"{import_type} through import_export"  # as django-import-export words it
        log_imported(user_pk, rows, action_flag, message, self.model._default_manager.db)

    def process_result(self, result, request):
        # Data can change between preview and confirm; the import then rolled back whole.
        if result.has_errors() or result.has_validation_errors():
            problems = resource_for(self.model)().problems(result)
            for problem in problems[:20]:
                messages.error(request, str(problem))
            messages.error(request, "Nothing was imported. Fix the file and upload it again.")
            return HttpResponseRedirect(
                reverse("admin:{}_{}_import".format(*self.get_model_info()))
            )
        for warning in resource_for(self.model)().warnings(result):
            messages.warning(request, warning)
        return super().process_result(result, request)


#: Longest text a change-list cell shows whole: a longer one is cut at a word with an
#: ellipsis, its full text in the cell's tooltip, so a long title takes two or three lines.
SHORT_TEXT = 70


def shortened(text, limit: int = SHORT_TEXT):
    """``text`` for a change-list cell: whole, or cut with "…" and whole in ``title``."""
    if text is None:
        return None  # the change list's "-"
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ", limit // 2)
    if space > 0:
        cut = cut[:space]
    return format_html('<span class="shortened" title="{}">{}…</span>', text, cut.rstrip(" ,;:–-"))


def shortened_column(field: str, description: str = "", limit: int = SHORT_TEXT):
    """A ``list_display`` column of ``field`` :func:`shortened`, sorted by the field."""

    def column(obj):
        return shortened(getattr(obj, field), limit)

    column.__name__ = f"{field}_short"  # the cells' class: field-title_short
    return admin.display(description=description or field.replace("_", " "), ordering=field)(column)


def officials_named(term: str, limit: int = 500) -> list[int]:
    """Ids of officials whose name or an alias contains ``term`` (3 characters or more).

    Two queries, each served by its trigram index on PostgreSQL (migration 0009): joined by
    OR in one query, the alias test became a subplan and PostgreSQL scanned every official.
    """
    if len(term) < 3:
        return []
    by_name = Official.objects.filter(name__icontains=term).values_list("pk", flat=True)
    by_alias = OfficialAlias.objects.filter(name__icontains=term).values_list(
        "official_id", flat=True
    )
    return sorted({*by_name[:limit], *by_alias[:limit]})[:limit]


def historical_m2m_values(record, form_fields) -> dict[str, list]:
    """The many-to-many values (primary keys) a historical record tracked, by field name."""
    values = {}
    for field in getattr(record, "_history_m2m_fields", ()):
        if field.name not in form_fields:
            continue
        target = get_m2m_reverse_field_name(field)
        links = getattr(record, field.name).values_list(f"{target}_id", flat=True)
        values[field.name] = sorted(links)
    return values


class CitationInline(GroupedCitationInline):
    """A record's citations: one row per source with its paragraph list (see ``citations``)."""
