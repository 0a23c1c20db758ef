"""The intake desk's forms: the report to draft, its source, and one form per drafted item.

An item's form holds what a curator may correct in it; references between items (a
participant who is a drafted official, a parent that is a drafted meeting) are typed as the
item's id or as the slug or name of a record defrel has, and resolved by the review
(``engagements.admin.intake``) once every form is valid.
"""

from __future__ import annotations

import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ..dates import DatePrecision, PartialDate
from ..intake.accept import find_source
from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Country,
    Grouping,
    Initiative,
    InitiativeKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Official,
    ParentRelation,
    Source,
)
from ..paragraphs import format_paragraphs, not_in_source, split_paragraphs
from .citations import ParagraphListField
from .forms import TEXT_MAX_BYTES, DateSpanField, PartialDateField

ACCEPT, REJECT = "accept", "reject"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def read_upload(upload) -> str:
    """An uploaded .txt file's text; a ValidationError in words when it is not UTF-8 text."""
    name = upload.name or "the file"
    if not name.lower().endswith(".txt"):
        raise ValidationError(f"{name} is not a .txt file: upload the report as plain text.")
    if upload.size > TEXT_MAX_BYTES:
        raise ValidationError(
            f"{name} is {upload.size:,} bytes; a report's text may have at most {TEXT_MAX_BYTES:,}."
        )
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read): save it as plain "
            "text in UTF-8 and upload it again, or paste the text."
        ) from None


def suggest_key(text: str, publisher: str = "", published: PartialDate | None = None) -> str:
    """A key for a new report: the key of a source with this very text, else
    ``publisher-date-<digest of the text>`` (the same text gets the same key)."""
    registered = find_source("", text)
    if registered is not None:
        return registered.key
    digest = hashlib.sha256("\n\n".join(split_paragraphs(text)).encode()).hexdigest()[:10]
    parts = [slugify(publisher)[:40] or "report"]
    if published is not None and published.date is not None:
        parts.append(published.isoformat())
    parts.append(digest)
    return "-".join(parts)


def listed(value) -> list:
    """A draft's list value as a list (a lone value, as from a careless engine, as one)."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def check_key(key: str) -> str:
    key = key.strip()
    if not KEY_PATTERN.match(key):
        raise ValidationError(
            f"“{key}” cannot be a source key: use letters, digits, hyphens, underscores and "
            "dots only (no spaces or slashes), e.g. pib-2024-11-21-admm-plus."
        )
    return key


class ReportForm(forms.Form):
    """The first screen: the report's text and what is known of it."""

    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text="Paste the report as published, paragraphs separated by blank lines.",
    )
    text_file = forms.FileField(
        label="Or a text file",
        required=False,
        help_text="A UTF-8 .txt file with the report's text (it replaces the text above).",
    )
    key = forms.CharField(
        label="Source key",
        max_length=100,
        required=False,
        help_text="Short and stable, e.g. pib-2024-11-21-admm-plus. Leave it empty and defrel "
        "suggests one (the key of the source already holding this text, if any).",
    )
    title = forms.CharField(max_length=300, required=False, help_text="The headline.")
    publisher = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")
    published = PartialDateField(
        label="Publication date",
        help_text="2024-11-21 (or 2024-11). Leave it empty to take the date from the "
        "report's dateline.",
    )

    def clean_text_file(self):
        upload = self.cleaned_data.get("text_file")
        return read_upload(upload) if upload else None

    def clean_key(self):
        key = self.cleaned_data.get("key", "").strip()
        return check_key(key) if key else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text_file"):
            cleaned["text"] = cleaned["text_file"]
        if "text_file" in self.errors:
            return cleaned
        if len((cleaned.get("text") or "").encode()) > TEXT_MAX_BYTES:
            self.add_error("text", f"The text is longer than {TEXT_MAX_BYTES:,} bytes.")
        elif not (cleaned.get("text") or "").strip():
            self.add_error("text", "Paste the report's text or upload it as a .txt file.")
        return cleaned


class SourceReviewForm(forms.Form):
    """The source as it will be registered (the review screen's first part)."""

    key = forms.CharField(label="Source key", max_length=100)
    title = forms.CharField(max_length=300, help_text="The headline as published.")
    publisher = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")
    published = PartialDateField(label="Publication date")
    dateline = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 100}),
        help_text="What the report says, in our own words (never its sentences).",
    )

    def __init__(self, *args, text: str, **kwargs):
        self.text = text
        super().__init__(*args, **kwargs)

    def clean_key(self):
        key = check_key(self.cleaned_data["key"])
        existing = Source.objects.filter(key=key).first()
        if existing is not None:
            stored = Source.objects.only("text").get(pk=existing.pk).text
            if stored.strip() and split_paragraphs(stored) != split_paragraphs(self.text):
                raise ValidationError(
                    f"The source {key} is registered with another text: give this report "
                    "its own key."
                )
        return key


class CountryField(forms.CharField):
    """A country by ISO code, name or alias; cleans to a :class:`Country` or None."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return Country.objects.resolve(text)
        except Country.DoesNotExist as exc:
            raise ValidationError(str(exc)) from None


class CountryListField(forms.CharField):
    """Countries by code, name or alias, separated by commas or semicolons."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "ISO codes, names or aliases, e.g. AU, IN.")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        found, problems = [], []
        for part in re.split(r"[,;\n]", text or ""):
            if not part.strip():
                continue
            try:
                found.append(Country.objects.resolve(part.strip()))
            except Country.DoesNotExist as exc:
                problems.append(str(exc))
        if problems:
            raise ValidationError(problems)
        return list(dict.fromkeys(found))


class NameListField(forms.CharField):
    """Names, one a line (or separated by semicolons)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def clean(self, value):
        text = super().clean(value)
        return list(dict.fromkeys(p.strip() for p in re.split(r"[;\n]", text or "") if p.strip()))


class RecordField(forms.CharField):
    """The slug of a record of ``model`` defrel has (the item it matches); blank: none."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"The slug of the {model._meta.verbose_name} this is. Blank: a new one (unless "
            "defrel finds one of the same name, which is then linked).",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        slug = super().clean(value)
        if not slug:
            return None
        found = self.model._default_manager.filter(slug=slug).first()
        if found is None:
            raise ValidationError(f"defrel has no {self.model._meta.verbose_name} “{slug}”.")
        return found


class ItemForm(forms.Form):
    """One drafted item: accept or reject, what it says, and the paragraphs it rests on."""

    model: type = None
    kind_label = ""

    decision = forms.ChoiceField(
        choices=[(ACCEPT, "accept"), (REJECT, "reject")],
        initial=ACCEPT,
        widget=forms.RadioSelect,
    )
    paragraphs = ParagraphListField(label="Paragraphs")

    def __init__(self, *args, item: dict, paragraph_count: int, ref: str = "", **kwargs):
        self.item = item
        #: How other items name this one: the draft's id, else the place it has.
        self.ref = str(item.get("id") or "") or ref
        self.paragraph_count = paragraph_count
        kwargs.setdefault("initial", self.initial_from(item))
        super().__init__(*args, **kwargs)
        self.fields["match"] = RecordField(self.model)
        self.fields["match"].initial = self.initial.get("match")

    @classmethod
    def initial_from(cls, item: dict) -> dict:
        initial = {"decision": ACCEPT, "match": str(item.get("match") or "")}
        numbers = [n for n in listed(item.get("paragraphs")) if isinstance(n, int)]
        initial["paragraphs"] = format_paragraphs(numbers)
        return initial

    @property
    def rejected(self) -> bool:
        """Rejected by the curator: not validated, not written."""
        if not self.is_bound:
            return False
        return self.data.get(self.add_prefix("decision")) == REJECT

    @property
    def label(self) -> str:
        name = self.item.get("title") or self.item.get("name") or ""
        if self.is_bound and not self.rejected:
            posted = self.data.get(self.add_prefix("title")) or self.data.get(
                self.add_prefix("name")
            )
            name = posted or name
        return f"{self.kind_label} {self.ref} “{name}”" if name else f"{self.kind_label} {self.ref}"

    def clean_paragraphs(self):
        numbers = self.cleaned_data["paragraphs"]
        if not numbers:
            raise ValidationError("Give the paragraphs this rests on, e.g. 2, 4–5.")
        source = Source(key="this report", paragraph_count=self.paragraph_count)
        problem = not_in_source(numbers, source)
        if problem:
            raise ValidationError(problem)
        return numbers


class OfficialItemForm(ItemForm):
    model = Official
    kind_label = "Official"

    name = forms.CharField(max_length=200, help_text="Without honorifics or ranks.")
    honorific = forms.CharField(max_length=100, required=False)
    country = CountryField(required=False, help_text="The country they serve (ISO code).")
    post = forms.CharField(
        max_length=200,
        required=False,
        help_text="The post the report gives them, without its country (“Defence Minister”).",
    )

    @classmethod
    def initial_from(cls, item):
        return {
            **super().initial_from(item),
            "name": item.get("name") or "",
            "honorific": item.get("honorific") or "",
            "country": item.get("country") or "",
            "post": item.get("post") or "",
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("match") and not cleaned.get("country") and "country" not in self.errors:
            self.add_error("country", "A new official needs the country they serve.")
        return cleaned


class InitiativeItemForm(ItemForm):
    model = Initiative
    kind_label = "Initiative"

    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=InitiativeKind.choices)

    @classmethod
    def initial_from(cls, item):
        return {
            **super().initial_from(item),
            "title": item.get("title") or "",
            "kind": item.get("kind") or "",
        }


class MeetingItemForm(ItemForm):
    model = Meeting
    kind_label = "Meeting"

    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    status = forms.ChoiceField(choices=MeetingStatus.choices)
    dates = DateSpanField()
    city = forms.CharField(max_length=100, required=False)
    country = CountryField(required=False, label="Held in", help_text="ISO code.")
    countries = CountryListField(help_text="Countries taking part, India included: AU, IN.")
    participants = NameListField(
        required=False,
        help_text="One a line: an official of this draft (name or id) or one defrel has "
        "(name or slug).",
    )
    parent = forms.CharField(
        required=False,
        help_text="The visit or meeting it was part of: a meeting of this draft (its id) or "
        "the slug of one defrel has.",
    )
    parent_relation = forms.ChoiceField(
        choices=[("", "—"), *ParentRelation.choices], required=False, label="Relation"
    )
    mechanism = forms.CharField(
        required=False,
        help_text="The standing mechanism it is a session of: an initiative of this draft "
        "(its id) or the slug or name of one defrel has.",
    )
    grouping = forms.CharField(
        required=False, help_text="The grouping that convened it: its slug or short name."
    )
    edition = forms.IntegerField(min_value=1, required=False)

    @classmethod
    def initial_from(cls, item):
        return {
            **super().initial_from(item),
            "title": item.get("title") or "",
            "kind": item.get("kind") or "",
            "status": item.get("status") or MeetingStatus.HELD,
            "dates": item.get("dates") or "",
            "city": item.get("city") or "",
            "country": item.get("country") or "",
            "countries": ", ".join(str(c) for c in listed(item.get("countries"))),
            "participants": "\n".join(str(p) for p in listed(item.get("participants"))),
            "parent": str(item.get("parent") or ""),
            "parent_relation": item.get("parent_relation") or "",
            "mechanism": str(item.get("mechanism") or ""),
            "grouping": str(item.get("grouping") or ""),
            "edition": item.get("edition"),
        }

    def clean_grouping(self):
        text = self.cleaned_data.get("grouping", "").strip()
        if not text:
            return None
        found = Grouping.objects.filter(slug=text).first() or (
            Grouping.objects.filter(short_name__iexact=text).first()
        )
        if found is None:
            raise ValidationError(f"defrel has no grouping “{text}” (slug or short name).")
        return found


class AgreementItemForm(ItemForm):
    model = Agreement
    kind_label = "Agreement"

    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=AgreementKind.choices)
    status = forms.ChoiceField(choices=AgreementStatus.choices)
    dates = PartialDateField(
        label="Date of the status",
        help_text="When it reached this status, as precise as the report: 2019, 2019-05, "
        "2019-05-04. Empty: as shown on the report's date.",
    )
    parties = CountryListField(help_text="India included: AU, IN.")

    @classmethod
    def initial_from(cls, item):
        return {
            **super().initial_from(item),
            "title": item.get("title") or "",
            "kind": item.get("kind") or "",
            "status": item.get("status") or "",
            "dates": item.get("dates") or "",
            "parties": ", ".join(str(c) for c in listed(item.get("parties"))),
        }

    def clean_dates(self):
        when = self.cleaned_data["dates"]
        if when.date is None:
            return PartialDate(None, DatePrecision.UNKNOWN)
        return when


#: The drafted kinds a curator reviews one by one, in the order the screen shows them.
ITEM_FORMS = {
    "officials": OfficialItemForm,
    "meetings": MeetingItemForm,
    "agreements": AgreementItemForm,
    "initiatives": InitiativeItemForm,
}
