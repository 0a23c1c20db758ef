"""Admin forms: dates typed with their precision, database rules checked before saving.

Staff type a date as they read it in the source, in EDTF: ``2024``, ``2024-11``,
``2024-11-21``, a span ``2019-09-02/2019-09-06``, a start whose end is not reported
``2023-07-10/..``, one day within a span ``[2019-09-02..2019-09-06]``, or nothing when it is
unknown. The form stores the date and its precision (and a span's end and extent) in the
model's fields, then runs the model's own validation
(``clean()`` and its CHECK/UNIQUE constraints) on them, so a constraint violation is a form
error in words ("The end date is before the start date."), never a database error.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..dates import DateSpan, PartialDate, PartialDateError
from ..models import Official, Source
from ..paragraphs import count_paragraphs, format_paragraphs

#: Largest source text the form accepts (a long news report is some 30 KB).
TEXT_MAX_BYTES = 2 * 1024 * 1024


def cited_beyond(source, count: int) -> str:
    """What cites ``source`` past paragraph ``count``, in words ("" when nothing does)."""
    found = []
    for model in source_paragraph_models():
        rows = model._default_manager.filter(source=source, paragraph__gt=count)
        paragraphs = sorted(set(rows.values_list("paragraph", flat=True)))
        if paragraphs:
            noun = model._meta.verbose_name_plural
            which = "paragraph" if len(paragraphs) == 1 else "paragraphs"
            found.append(f"{noun} cite {which} {format_paragraphs(paragraphs)}")
    return "; ".join(found)


def source_paragraph_models():
    """Every model that names a paragraph of a source (citations, aliases, amounts…)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_app_config("engagements").get_models()
        if not model.__name__.startswith("Historical")
        and any(
            getattr(f, "related_model", None) is Source and f.name == "source"
            for f in model._meta.fields
        )
        and any(f.name == "paragraph" for f in model._meta.fields)
    ]


DATE_HELP = "As precise as the source: 2024, 2024-11 or 2024-11-21. Empty when unknown."
SPAN_HELP = (
    "As precise as the source: 2024, 2024-11, 2024-11-21; a span such as "
    "2019-09-02/2019-09-06 (both ends with the same precision); a start whose end is not "
    "reported, 2023-07-10/..; one day, not known which, within a span, "
    "[2019-09-02..2019-09-06]. Empty when unknown."
)


class PartialDateField(forms.CharField):
    """A date with its precision, typed as ISO text; cleans to a :class:`PartialDate`."""

    parser = PartialDate

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "YYYY-MM-DD")
        self.widget.attrs.setdefault("size", 24)

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > 30:
            raise ValidationError("This is too long for a date or a span of dates.")
        try:
            return self.parser.parse(text)
        except PartialDateError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class DateSpanField(PartialDateField):
    parser = DateSpan

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", SPAN_HELP)
        super().__init__(**kwargs)
        self.widget.attrs["placeholder"] = "YYYY-MM-DD, START/END, START/.. or [START..END]"
        self.widget.attrs["size"] = 40


class PartialDatesForm(forms.ModelForm):
    """A model form whose text date fields stand for model date + precision fields.

    ``partial_dates`` maps a form field to ``(date field, precision field)``;
    ``date_spans`` maps one to ``(start field, end field, precision field, extent field)``.
    """

    partial_dates: dict[str, tuple[str, str]] = {}
    date_spans: dict[str, tuple[str, str, str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (date, precision) in self.partial_dates.items():
            if name in self.fields:
                self.initial.setdefault(
                    name,
                    PartialDate(getattr(self.instance, date), getattr(self.instance, precision)),
                )
        for name, attrs in self.date_spans.items():
            if name in self.fields:
                self.initial.setdefault(
                    name, DateSpan(*(getattr(self.instance, attr) for attr in attrs))
                )

    def _date_targets(self) -> dict[str, tuple[str, ...]]:
        targets = {**self.partial_dates, **self.date_spans}
        return {name: attrs for name, attrs in targets.items() if name in self.fields}

    def _post_clean(self):
        for name, attrs in self._date_targets().items():
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            if isinstance(value, DateSpan):
                values = (value.start, value.end, value.precision, value.extent)
            else:
                values = (value.date, value.precision)
            for attr, attr_value in zip(attrs, values, strict=True):
                setattr(self.instance, attr, attr_value)
                # An inline formset's unique check across rows reads them here: without
                # them, two tenures of one post on an official's page were "duplicates".
                self.cleaned_data[attr] = attr_value
        super()._post_clean()

    def _get_validation_exclusions(self):
        # Validate the model's date fields (clean() and constraints) when their text parsed.
        exclude = super()._get_validation_exclusions()
        for name, attrs in self._date_targets().items():
            if name in self.cleaned_data:
                exclude.difference_update(attrs)
        return exclude

    def _update_errors(self, errors):
        # Errors the model reports on ``end_date`` belong to the text field staff typed in.
        if hasattr(errors, "error_dict"):
            remap = {attr: name for name, attrs in self._date_targets().items() for attr in attrs}
            error_dict = {}
            for field, messages in errors.error_dict.items():
                target = remap.get(field, field)
                if target != NON_FIELD_ERRORS and target not in self.fields:
                    target = NON_FIELD_ERRORS
                error_dict.setdefault(target, []).extend(messages)
            errors = ValidationError(error_dict)
        super()._update_errors(errors)


class MeetingForm(PartialDatesForm):
    dates = DateSpanField()
    date_spans = {"dates": ("start_date", "end_date", "date_precision", "date_extent")}


class SourceForm(PartialDatesForm):
    """A news report's metadata, and its text (pasted or uploaded) numbered into paragraphs.

    The text is staff's reference: the paragraph count it gives checks every citation, and a
    citation row shows the first words of its paragraph. A new text with fewer paragraphs
    than the source's citations name is refused, naming them.
    """

    url = forms.URLField(
        label="URL",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Source._meta.get_field("url").help_text,
    )
    published = PartialDateField(
        label="Publication date",
        help_text="The date the report carries, as precise as it gives it: 2024-11-21, or "
        "2024-11 when it gives only the month. Empty when undated. Not the date of the events.",
    )
    partial_dates = {"published": ("published_on", "published_precision")}
    text_file = forms.FileField(
        label="Text file",
        required=False,
        help_text="Or upload the text as a UTF-8 .txt file (it replaces the text above).",
    )

    class Meta:
        widgets = {"text": forms.Textarea(attrs={"rows": 12, "cols": 100})}

    def clean_text_file(self):
        upload = self.cleaned_data.get("text_file")
        if not upload:
            return None
        if upload.size > TEXT_MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size:,} bytes; a source's text may have at most "
                f"{TEXT_MAX_BYTES:,}."
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "The file is not UTF-8 text: save it as plain text (UTF-8) and upload it again."
            ) from None

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("text_file")
        if uploaded:
            cleaned["text"] = uploaded
        text = cleaned.get("text") or ""
        if text.strip():
            cleaned["paragraph_count"] = count_paragraphs(text)
        count = cleaned.get("paragraph_count")
        if self.instance.pk and count:
            cited = cited_beyond(self.instance, count)
            if cited:
                raise ValidationError(
                    f"This source would have {count} paragraphs, but {cited}. Check the "
                    "text (a missing blank line joins two paragraphs), or correct those "
                    "citations first.",
                    code="cited_beyond",
                )
        return cleaned


class TenureForm(PartialDatesForm):
    start = PartialDateField(help_text=DATE_HELP)
    end = PartialDateField(help_text="Blank while the tenure runs on or when its end is unknown.")
    partial_dates = {
        "start": ("start_date", "start_precision"),
        "end": ("end_date", "end_precision"),
    }


class InitiativeForm(PartialDatesForm):
    start = PartialDateField()
    partial_dates = {"start": ("start_date", "start_precision")}


class StatusChangeForm(PartialDatesForm):
    when = PartialDateField(label="Date")
    partial_dates = {"when": ("date", "precision")}


class MembershipForm(PartialDatesForm):
    joined = PartialDateField(label="Joined", help_text="Blank when not known.")
    left = PartialDateField(label="Left", help_text="Blank while it is a member.")
    partial_dates = {
        "joined": ("joined_on", "joined_precision"),
        "left": ("left_on", "left_precision"),
    }


class OfficialForm(forms.ModelForm):
    """Warns before creating a likely duplicate: same country, same name or alias."""

    save_anyway = forms.BooleanField(
        required=False,
        label="Save anyway",
        help_text="Tick when defrel warns of a possible duplicate and this is a different person.",
    )

    def clean(self):
        cleaned = super().clean()
        name, country = cleaned.get("name"), cleaned.get("country")
        if not name or not country or cleaned.get("save_anyway"):
            return cleaned
        if self.instance.pk and not {"name", "country"} & set(self.changed_data):
            return cleaned
        matches = Official.objects.likely_duplicates(name, country, exclude_pk=self.instance.pk)
        if matches:
            listed = "; ".join(f"{o.name} ({o.slug})" for o in matches)
            raise ValidationError(
                f"Possible duplicate: {country} already has an official with this name or "
                f"alias: {listed}. If this is a different person, tick “Save anyway” and "
                "save again; otherwise add the spelling as an alias of that official.",
                code="duplicate",
            )
        return cleaned
