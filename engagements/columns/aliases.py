"""Public columns of the cited aliases of agreements, initiatives and posts (one a row)."""

from __future__ import annotations

from .base import Aliases, Column, Key, Record, Text
from .sources import PARAGRAPH, SOURCE_COLUMN


def aliases_column(alias_model, owner: str) -> Column:
    """The record's ``aliases`` cell: every other name, ``;``-separated (citations are in
    the alias file, ``cited_aliases``)."""
    return Column(
        "aliases",
        "Other names",
        f"Other names the sources use; where each appears is in the {owner} aliases file.",
        Aliases("aliases", alias_model=alias_model, owner=owner),
    )


def cited_aliases(alias_model, owner_model, owner: str) -> Record:
    """An alias a row: the record, the name, and the source paragraph that uses it."""
    noun = str(owner_model._meta.verbose_name)
    return Record(
        alias_model,
        key=(owner, "name"),
        description=f"Other names of {owner_model._meta.verbose_name_plural} the sources use, "
        "one a row, with the paragraph that uses each.",
        columns=(
            Column(
                owner,
                noun.capitalize(),
                f"The {noun} (its identifier).",
                Key(owner, to=owner_model),
            ),
            Column("name", "Name", "The name as the source writes it.", Text("name")),
            SOURCE_COLUMN,
            Column(
                "paragraph",
                "Paragraph",
                "The paragraph of the source where the name appears, from 1.",
                PARAGRAPH.kind,
            ),
        ),
    )
