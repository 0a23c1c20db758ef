"""Citations edited one row per source with a paragraph list (``2, 17–26``).

The database keeps one citation row per paragraph (its unique constraint, its history); the
admin shows the rows of one record grouped by source and note, a row's paragraphs as a list,
and saving a group adds and removes the rows its list changes, each with its history.
Lists are checked against the source's paragraph count, and a record must keep at least one
citation (every fact rests on a source).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join

from ..models import Source
from ..paragraphs import (
    ParagraphListError,
    first_words,
    format_paragraphs,
    not_in_source,
    parse_paragraphs,
)
from .selected import TabularInline

PARAGRAPHS_HELP = "One or more, e.g. 2, 17–26 (or 17-26)."


def uncited_message(verbose_name: str) -> str:
    return (
        f"Cite at least one source paragraph: every {verbose_name} rests on a source. Add a "
        "row with the source and its paragraphs."
    )


class ParagraphListField(forms.CharField):
    """Paragraphs typed as a list; cleans to sorted numbers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "paragraphs")
        kwargs.setdefault("help_text", PARAGRAPHS_HELP)
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)
        self.widget.attrs.update(size=14, placeholder="2, 17–26")

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return []
        try:
            return parse_paragraphs(text)
        except ParagraphListError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class CitationGroupForm(forms.ModelForm):
    """One source of a record, with the paragraphs of it the record cites."""

    paragraphs = ParagraphListField()

    def clean(self):
        cleaned = super().clean()
        source, numbers = cleaned.get("source"), cleaned.get("paragraphs")
        if source is not None and numbers:
            problem = not_in_source(numbers, source)
            if problem:
                self.add_error("paragraphs", problem)
        return cleaned

    def _post_clean(self):
        # The model's own paragraph is not on this form: its check runs on each saved row.
        paragraph, self.instance.paragraph = self.instance.paragraph, None
        try:
            super()._post_clean()
        finally:
            self.instance.paragraph = paragraph


class CitationGroupFormSet(BaseInlineFormSet):
    """The citation rows of one record as groups (same source, same note); see the module."""

    #: Saved whole by ``CurationAdmin.save_formset`` (it adds and removes paragraph rows).
    saves_whole = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every row, read once in the forms' order (the queryset's, else by key, as Django
        # orders a formset): the groups come from them, and so do the forms' own rows.
        rows = []
        if self.instance.pk is not None:
            ordered = self.queryset if self.queryset.ordered else self.queryset.order_by("pk")
            rows = list(ordered.select_related("source"))
        groups: dict[tuple, list] = {}
        for row in rows:
            groups.setdefault((row.source_id, row.note), []).append(row)
        #: The rows of each group (by paragraph), by the key of the group's first row (its
        #: form's).
        self.groups = {
            min(r.pk for r in group): sorted(group, key=lambda r: (r.paragraph, r.pk))
            for group in groups.values()
        }
        #: Each group's first row, the instance of its form.
        self.first_rows = [row for row in rows if row.pk in self.groups]
        self.queryset = self.queryset.filter(pk__in=list(self.groups)).select_related("source")

    def get_queryset(self):
        """The groups' first rows, read with the groups (not queried again)."""
        return self.first_rows

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        rows = self.groups.get(form.instance.pk, []) if form.instance.pk else []
        form.group = rows
        if rows:
            numbers = [r.paragraph for r in rows]
            form.initial["paragraphs"] = format_paragraphs(numbers)
            form.instance.cited_paragraphs = numbers
        return form

    def _kept(self, form) -> bool:
        """Whether the form will leave rows: not deleted, and filled in."""
        if self.can_delete and self._should_delete_form(form):
            return False
        return bool(getattr(form, "cleaned_data", {}).get("paragraphs"))

    def clean(self):
        super().clean()
        posted = {form.instance.pk for form in self.initial_forms if form.instance.pk}
        untouched = [row for pk, rows in self.groups.items() if pk not in posted for row in rows]
        claimed = {(row.source_id, row.paragraph) for row in untouched}
        remaining = len(untouched)
        for form in self.forms:
            if not self._kept(form) or form.errors:
                remaining += bool(form.errors and getattr(form, "group", None))
                continue
            source = form.cleaned_data.get("source")
            numbers = form.cleaned_data["paragraphs"]
            remaining += len(numbers)
            twice = [n for n in numbers if (getattr(source, "pk", None), n) in claimed]
            if twice:
                form.add_error(
                    "paragraphs",
                    f"Paragraph {format_paragraphs(twice)} of {source.key} is cited in "
                    "another row too: name each paragraph once.",
                )
            claimed.update((getattr(source, "pk", None), n) for n in numbers)
        if getattr(self, "require_citation", True) and remaining == 0:
            raise ValidationError(uncited_message(self.instance._meta.verbose_name), code="uncited")

    def save(self, commit=True):
        if not commit:
            raise NotImplementedError("Citation groups are saved at once (commit=True).")
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        removes, notes, adds = [], [], []
        fk = self.fk.name
        for form in self.forms:
            old = list(getattr(form, "group", []))
            if not self._kept(form):
                if old and self.can_delete and self._should_delete_form(form):
                    removes.extend(old)
                continue
            if old and not form.has_changed():
                continue
            source, note = form.cleaned_data["source"], form.cleaned_data.get("note", "")
            wanted = set(form.cleaned_data["paragraphs"])
            have = set()
            for row in old:
                if row.source_id != source.pk or row.paragraph not in wanted:
                    removes.append(row)
                    continue
                have.add(row.paragraph)
                if row.note != note:
                    row.note = note
                    notes.append(row)
            for number in sorted(wanted - have):
                adds.append(
                    self.model(**{fk: self.instance}, source=source, paragraph=number, note=note)
                )
        # Removed first, so a paragraph moved from one row to another is free to add.
        for row in removes:
            row.delete()
            self.deleted_objects.append(row)
        for row in notes:
            row.save(update_fields=["note"])
            self.changed_objects.append((row, ["note"]))
        for row in adds:
            row.full_clean(exclude=[fk])
            row.save()
            self.new_objects.append(row)
        return [*self.new_objects, *(row for row, _ in self.changed_objects)]


@admin.display(description="cited text (staff only)")
def cited_text(obj):
    """The first words of each cited paragraph, from the source's stored text (a grouped
    row's paragraphs, or a citation's own)."""
    if obj is None or not obj.pk or not obj.source_id:
        return "—"
    numbers = getattr(obj, "cited_paragraphs", None) or [obj.paragraph]
    paragraphs = obj.source.paragraphs()
    if not paragraphs:
        return "— (the source's text is not stored)"
    words = [
        first_words(paragraphs[n - 1]) if n <= len(paragraphs) else "(no such paragraph)"
        for n in numbers
    ]
    return format_html_join("", "<div>¶ {} {}</div>", zip(numbers, words, strict=True))


class GroupedCitationInline(TabularInline):
    """Citations of a record: one row per source, its paragraphs as a list."""

    form = CitationGroupForm
    formset = CitationGroupFormSet
    show_change_link = True  # a row's own page, with its own History (undo)
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "paragraphs", "note", "cited_text"]
    readonly_fields = ["cited_text"]
    verbose_name = "citation"
    verbose_name_plural = "citations (a source and its paragraphs, e.g. 2, 17–26)"
    #: A record saved here must keep at least one citation.
    require_citation = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.require_citation = self.require_citation
        return formset

    @admin.display(description="cited text (staff only)")
    def cited_text(self, obj):
        return cited_text(obj)


class CitingForm(forms.ModelForm):
    """A record entered on another record's page (a tenure on its official's), with the
    source paragraphs that back it: required while the record has no citation."""

    cite_source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        label="source",
        help_text="The report that gives this.",
    )
    cite_paragraphs = ParagraphListField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("cite_source")
        if field is not None and not isinstance(field.widget, AutocompleteSelect):
            remote = self._meta.model.citations.rel.related_model._meta.get_field("source")
            field.widget = AutocompleteSelect(remote, admin.site)
            field.widget.choices = field.choices

    def has_citations(self) -> bool:
        return self.instance.pk is not None and self.instance.citations.exists()

    def clean(self):
        cleaned = super().clean()
        source, numbers = cleaned.get("cite_source"), cleaned.get("cite_paragraphs")
        if source is None and not numbers:
            # An existing record left as it was is not saved here: nothing to require.
            unchanged = self.instance.pk is not None and not self.has_changed()
            if not unchanged and not self.has_citations():
                name = self._meta.model._meta.verbose_name
                raise ValidationError(uncited_message(name), code="uncited")
            return cleaned
        if source is None:
            self.add_error("cite_source", "Name the source these paragraphs are of.")
        elif not numbers:
            self.add_error("cite_paragraphs", "Give the paragraphs of the source, e.g. 2, 17–26.")
        else:
            problem = not_in_source(numbers, source)
            if problem:
                self.add_error("cite_paragraphs", problem)
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        source = self.cleaned_data.get("cite_source")
        if source is None:
            return
        citations = self.instance.citations
        have = set(citations.filter(source=source).values_list("paragraph", flat=True))
        for number in self.cleaned_data.get("cite_paragraphs") or []:
            if number not in have:
                citations.create(source=source, paragraph=number)
