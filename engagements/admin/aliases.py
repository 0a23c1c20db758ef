"""The alias inlines: other names entered on their record's page."""

from __future__ import annotations

from django.forms.models import BaseInlineFormSet

from .selected import TabularInline


class AliasFormSet(BaseInlineFormSet):
    """Refuses one name twice (any case) among the record's aliases, as the database would.

    Django leaves a constraint that names the inline's own foreign key out of each form's
    checks (the record may not exist yet), so the case-insensitive unique constraint would
    only be met at save time, as a server error. Every alias of the record is a form of the
    set, so comparing the forms is the whole check; deleted rows go before new ones are saved.
    """

    def clean(self):
        super().clean()
        seen: dict[str, str] = {}
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            name = (form.cleaned_data.get("name") or "").strip()
            if not name:
                continue
            if name.lower() in seen:
                noun = self.fk.remote_field.model._meta.verbose_name
                form.add_error(
                    "name",
                    f"This {noun} already has this alias (“{seen[name.lower()]}”): aliases "
                    "ignore case.",
                )
            seen.setdefault(name.lower(), name)


class AliasInline(TabularInline):
    """Other names of a record, each with the source paragraph that uses it."""

    show_change_link = True  # its own page, with its own History (undo)
    formset = AliasFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["name", "source", "paragraph"]
    verbose_name_plural = "other names (aliases)"
