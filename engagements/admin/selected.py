"""Autocomplete widgets that label the records already chosen without a query each.

Django's autocomplete widget writes its chosen options by querying them, one query per
widget: a meeting's page with five participants asked again for each official, each post
(and each post's country, for its label) and each country, 35–41 queries a page. Here the
chosen records come with the form: the foreign keys of the record and of its inline rows are
joined (``select_related``), the many-to-many values of inline rows prefetched (the form
reads them anyway for its initial values), each with what its label reads (the related
admin's ``autocomplete_select_related``); ``hand_known_choices`` gives them to the widgets
before the page is rendered. A widget whose value is not among them (a form posted back with
another choice) queries as Django's does.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Prefetch, QuerySet


class KnownChoicesMixin:
    """An autocomplete widget labelling its chosen options from ``known`` (value → record).

    Only when the choices are the related model's records in its own order (no
    ``limit_choices_to``, no admin ordering): those the query would have returned.
    """

    known: dict[str, Model] | None = None

    def known_choices(self, value) -> list[Model] | None:
        """The chosen records, in the model's order, or None when a query is needed."""
        if self.known is None:
            return None
        query = self.choices.queryset.query
        if query.where or query.order_by:
            return None
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not chosen <= self.known.keys():
            return None
        return [record for key, record in self.known.items() if key in chosen]

    def optgroups(self, name, value, attr=None):
        records = self.known_choices(value)
        if records is None:
            return super().optgroups(name, value, attr)
        # As AutocompleteMixin.optgroups, over the records at hand.
        default = (None, [], 0)
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        attname = to_field_attname(self.field)
        for record in records:
            label = self.choices.field.label_from_instance(record)
            default[1].append(
                self.create_option(name, getattr(record, attname), label, chosen, len(default[1]))
            )
        return [default]


class KnownAutocompleteSelect(KnownChoicesMixin, AutocompleteSelect):
    pass


class KnownAutocompleteSelectMultiple(KnownChoicesMixin, AutocompleteSelectMultiple):
    pass


def to_field_attname(field) -> str:
    """The attribute of the related record a relation's values name (its primary key)."""
    opts = field.remote_field.model._meta
    name = getattr(field.remote_field, "field_name", None) or opts.pk.attname
    return opts.get_field(name).attname


def label_relations(site, model) -> tuple[str, ...]:
    """What the label of a ``model`` record reads (its admin's autocomplete_select_related)."""
    model_admin = site._registry.get(model)
    return tuple(getattr(model_admin, "autocomplete_select_related", ()))


def with_chosen_records(queryset: QuerySet, fields, site, *, prefetch: bool) -> QuerySet:
    """``queryset`` with the records its autocomplete ``fields`` name joined (foreign keys)
    and, when ``prefetch``, prefetched (many-to-many), each with what its label reads."""
    model = queryset.model
    joined, prefetched = [], []
    # A relation the queryset prefetches already keeps its own (a second Prefetch of the
    # same relation with another queryset is an error).
    seen = {getattr(lookup, "prefetch_to", lookup) for lookup in queryset._prefetch_related_lookups}
    for name in fields:
        if name in seen:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        reads = label_relations(site, field.related_model)
        if field.many_to_many and prefetch:
            related = field.related_model._default_manager.select_related(*reads)
            prefetched.append(Prefetch(name, related))
        elif field.many_to_one:
            joined += [name, *(f"{name}__{relation}" for relation in reads)]
    if joined:
        queryset = queryset.select_related(*joined)
    if prefetched:
        queryset = queryset.prefetch_related(*prefetched)
    return queryset


def held_records(form, name: str) -> list[Model] | None:
    """The records ``form``'s instance holds for its relation ``name`` without a query (a
    joined foreign key, the many-to-many values of the form's initial data), or None."""
    instance = getattr(form, "instance", None)
    if instance is None:
        return None
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.many_to_many:
        initial = form.initial.get(name)
        if isinstance(initial, list) and all(
            isinstance(record, field.related_model) for record in initial
        ):
            return initial
        return None
    if field.many_to_one:
        if getattr(instance, field.attname) is None:
            return []
        if field.is_cached(instance):
            return [field.get_cached_value(instance)]
    return None


def hand_known_choices(form) -> None:
    """Give each known-choices autocomplete widget of ``form`` the records it would query."""
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the related-links wrapper
        if not isinstance(widget, KnownChoicesMixin):
            continue
        records = held_records(form, name)
        if records is not None:
            attname = to_field_attname(widget.field)
            widget.known = {str(getattr(record, attname)): record for record in records}


class KnownChoicesAdmin:
    """Mixed into model admins and inlines: autocomplete widgets that take known choices."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KnownChoicesInline(KnownChoicesAdmin):
    """An inline whose rows come with the records their autocomplete widgets show."""

    def get_queryset(self, request):
        return with_chosen_records(
            super().get_queryset(request),
            self.get_autocomplete_fields(request),
            self.admin_site,
            prefetch=True,
        )


class TabularInline(KnownChoicesInline, admin.TabularInline):
    pass


class StackedInline(KnownChoicesInline, admin.StackedInline):
    pass
