"""Marks in the admin: an inline on each marked record, and a change list of each kind."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from ..columns import record_for
from ..models import (
    MARKS,
    AgreementMark,
    GroupingMark,
    InitiativeMark,
    MeetingMark,
    OfficialMark,
    PostMark,
)
from .base import CurationAdmin, shortened_column
from .selected import TabularInline


def column_choices(model) -> list[tuple[str, str]]:
    """The record's public columns, as a curator picks the one a mark is on."""
    return [("", "---------")] + [
        (c.name, f"{c.label} ({c.name})") for c in record_for(model).markable
    ]


class MarkInline(TabularInline):
    """Values of this record that no cited paragraph gives, each with its reason."""

    extra = 0
    fields = ["column", "basis", "note"]
    verbose_name = "mark"
    verbose_name_plural = "marks: values inferred or taken from reference knowledge"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "column":
            return forms.ChoiceField(
                choices=column_choices(self.parent_model),
                label="Column",
                help_text=db_field.help_text,
            )
        if db_field.name == "note":
            kwargs["widget"] = forms.TextInput(attrs={"size": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def inline_for(mark_model) -> type[MarkInline]:
    return type(f"{mark_model.__name__}Inline", (MarkInline,), {"model": mark_model})


MeetingMarkInline = inline_for(MeetingMark)
AgreementMarkInline = inline_for(AgreementMark)
InitiativeMarkInline = inline_for(InitiativeMark)
OfficialMarkInline = inline_for(OfficialMark)
PostMarkInline = inline_for(PostMark)
GroupingMarkInline = inline_for(GroupingMark)


class MarkAdmin(CurationAdmin):
    """Every mark of one kind: what staff review when checking the seed's inferences."""

    list_display = ["record", "column", "basis", shortened_column("note")]
    list_filter = ["basis", "column"]

    @admin.display(description="record")
    def record(self, mark):
        return getattr(mark, mark.record_field)


for _mark in MARKS:
    admin.site.register(
        _mark,
        type(
            f"{_mark.__name__}Admin",
            (MarkAdmin,),
            {
                "list_select_related": [_mark.record_field],
                "autocomplete_fields": [_mark.record_field],
                "search_fields": ["note", "column"],
            },
        ),
    )
