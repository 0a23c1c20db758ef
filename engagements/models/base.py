"""Pieces shared by the models: natural-key managers and the citation base."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Upper

from ..paragraphs import not_in_source


class SlugManager(models.Manager):
    """Records whose natural key is their slug (fixtures load by slug, not by id)."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class SlugKeyed(models.Model):
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Stable identifier used in URLs, fixtures and CSV files (lower case, hyphens).",
    )

    objects = SlugManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


def upper_code(field: str, length: int) -> Q:
    """CHECK: an ISO code of exactly ``length`` upper-case characters."""
    return Q(**{field: Upper(field)}) & Q(**{f"{field}__length": length})


# Registered so ``upper_code`` can say ``iso2__length``.
models.CharField.register_lookup(Length)


class CitationManager(models.Manager):
    """Natural key of a citation: the cited record's key, the source key, the paragraph."""

    def get_by_natural_key(self, *key):
        *record_key, source_key, paragraph = key
        field = self.model._meta.get_field(self.model.record_field)
        record = field.related_model._default_manager.get_by_natural_key(*record_key)
        return self.get(**{field.name: record}, source__key=source_key, paragraph=paragraph)


def citation_constraints(record_field: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=[record_field, "source", "paragraph"],
            name=f"{record_field}_citation_unique",
            violation_error_message="This paragraph of this source is already cited here.",
        ),
        models.CheckConstraint(
            condition=Q(paragraph__gte=1),
            name=f"{record_field}_citation_paragraph_positive",
            violation_error_message="Paragraphs are numbered from 1.",
        ),
    ]


class Citation(models.Model):
    """Where a fact comes from: a source document and a paragraph in it.

    Concrete citations add a foreign key to the cited record and name it in ``record_field``.
    """

    record_field = ""

    source = models.ForeignKey(
        "engagements.Source",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The source document.",
    )
    paragraph = models.PositiveSmallIntegerField(
        help_text="Paragraph number in the source, counting non-empty blocks of text from 1.",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="What this paragraph supports, if not obvious."
    )

    objects = CitationManager()

    class Meta:
        abstract = True
        ordering = ["source__key", "paragraph"]

    def __str__(self) -> str:
        return f"{self.source.key} {self.locator}"

    @property
    def locator(self) -> str:
        return f"¶ {self.paragraph}"

    def natural_key(self) -> tuple:
        return (*getattr(self, self.record_field).natural_key(), self.source.key, self.paragraph)

    def clean(self) -> None:
        # A paragraph past the source's known count does not exist (an unknown count: no check).
        if self.source_id is not None and self.paragraph:
            problem = not_in_source([self.paragraph], self.source)
            if problem:
                raise ValidationError({"paragraph": problem})


class MarkBasis(models.TextChoices):
    """Why a value stands without a cited paragraph."""

    INFERRED = "inferred", "Inferred"
    REFERENCE = "reference", "Reference knowledge"


class MarkManager(models.Manager):
    """Natural key of a mark: the marked record's key, then the column."""

    def get_by_natural_key(self, *key):
        *record_key, column = key
        field = self.model._meta.get_field(self.model.record_field)
        record = field.related_model._default_manager.get_by_natural_key(*record_key)
        return self.get(**{field.name: record}, column=column)


def mark_constraints(record_field: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=[record_field, "column"],
            name=f"{record_field}_mark_unique",
            violation_error_message="This column of this record is already marked.",
        ),
        models.CheckConstraint(
            condition=Q(basis__in=MarkBasis.values),
            name=f"{record_field}_mark_basis",
            violation_error_message="A mark is inferred or reference.",
        ),
        models.CheckConstraint(
            condition=~Q(note=""),
            name=f"{record_field}_mark_note",
            violation_error_message="Say why: the reasoning of an inference, or where reference "
            "knowledge comes from.",
        ),
    ]


class Mark(models.Model):
    """A value of a record that no cited paragraph gives: inferred, or reference knowledge.

    Every stored value is either supported by the record's citations or marked here, so that
    nothing inferred passes as a fact. ``column`` is the value's public column name (as in
    the CSV files and the codebook); concrete marks add a foreign key to the marked record
    and name it in ``record_field``.
    """

    record_field = ""

    column = models.CharField(
        max_length=50, help_text="The marked value's column, as named in the CSV files."
    )
    basis = models.CharField(max_length=20, choices=MarkBasis.choices)
    note = models.CharField(
        max_length=500,
        help_text="Inferred: the reasoning and the paragraphs it rests on. Reference: where "
        "the knowledge comes from (a standard, an official register).",
    )

    objects = MarkManager()

    class Meta:
        abstract = True
        ordering = ["column"]

    def __str__(self) -> str:
        return f"{self.column}: {self.get_basis_display().lower()}"

    def natural_key(self) -> tuple:
        return (*getattr(self, self.record_field).natural_key(), self.column)

    def clean(self) -> None:
        names = getattr(self.record_model(), "public_columns", None)
        if names is not None and self.column not in names:
            plural = self.record_model()._meta.verbose_name_plural
            raise ValidationError(
                {
                    "column": f"“{self.column}” is not a column of {plural}: write one of "
                    f"{', '.join(names)}."
                }
            )

    @classmethod
    def record_model(cls) -> type[models.Model]:
        """The model whose values this kind of mark is on."""
        return cls._meta.get_field(cls.record_field).related_model
