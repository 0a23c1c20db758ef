"""Other names of agreements, initiatives and posts, each with the paragraph that uses it.

A source often names a record otherwise than we do (“Security of Supplies Agreement” for the
Security of Supply Arrangement, a misspelt “Road map for Defence Industry Corporation”).
Keeping those spellings lets a researcher find the record by the source's words, and the
citation says which source wrote it so. Officials' and countries' aliases (``people``,
``places``) predate these and carry no citation.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class AliasManager(models.Manager):
    """Natural key of an alias: its record's slug and the name."""

    def get_by_natural_key(self, owner_slug: str, name: str):
        return self.get(**{f"{self.model.owner_field}__slug": owner_slug, "name": name})


class CitedAlias(models.Model):
    """Another name of a record, as a source writes it. Concrete aliases add a foreign key
    to the record (``related_name="aliases"``) and name it in ``owner_field``."""

    owner_field = ""

    name = models.CharField(max_length=300, help_text="The name as the source writes it.")
    source = models.ForeignKey(
        "engagements.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The source that uses this name.",
    )
    paragraph = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The paragraph of that source where the name appears."
    )

    objects = AliasManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def citation(self) -> str:
        """“002 ¶ 20”, or empty when the alias cites no paragraph."""
        return f"{self.source.key} ¶ {self.paragraph}" if self.source_id else ""

    def natural_key(self) -> tuple[str, str]:
        return (getattr(self, self.owner_field).slug, self.name)


def alias_constraints(owner: str) -> list[models.BaseConstraint]:
    """One name per record whatever its case; a source and its paragraph go together."""
    return [
        models.UniqueConstraint(
            owner,
            Lower("name"),
            name=f"{owner}_alias_unique_name",
            violation_error_message=f"This {owner} already has this alias.",
        ),
        models.CheckConstraint(
            condition=Q(source__isnull=True, paragraph__isnull=True)
            | Q(source__isnull=False, paragraph__isnull=False, paragraph__gte=1),
            name=f"{owner}_alias_source_paragraph",
            violation_error_message="A source needs its paragraph (numbered from 1), and a "
            "paragraph its source.",
        ),
    ]
