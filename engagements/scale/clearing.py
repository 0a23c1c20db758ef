"""Synthetic rows: how they are recognised (the ``syn-`` prefix) and removed.

``clear()`` removes exactly the synthetic rows and the rows that hang off them, and never
touches curated data.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Model, Q

from ..models import (
    Agreement,
    AgreementCitation,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Official,
    OfficialAlias,
    Participation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)
from ..models.agreements import refresh_status
from .bulkload import BulkLoad, check_foreign_keys

#: The start of every synthetic slug and source key.
PREFIX = "syn-"
BIG_DELETE = 100_000  # rows deleted by --clear from which the big tables are vacuumed


def synthetic_q(model: type[Model]) -> Q:
    name = "key" if model is Source else "slug"
    return Q(**{f"{name}__startswith": PREFIX})


def has_synthetic(using: str = "default") -> bool:
    return any(
        m._default_manager.using(using).filter(synthetic_q(m)).exists()
        for m in (Meeting, Source, Official, Post, Agreement, Initiative)
    )


def clear(using: str = "default") -> Counter[str]:
    """Delete every synthetic row and the rows that hang off it; curated rows stay.

    Plain SQL deletes, children first (the ORM's collector would load a million objects).
    Returns the number of rows deleted per table.
    """
    connection = connections[using]
    qn = connection.ops.quote_name

    def ids(model: type[Model]) -> str:
        key = "key" if model is Source else "slug"
        return f"SELECT id FROM {qn(model._meta.db_table)} WHERE {qn(key)} LIKE '{PREFIX}%%'"

    def fk(model: type[Model], name: str) -> str:
        return qn(model._meta.get_field(name).column)

    def where(model: type[Model], **links: type[Model]) -> tuple[type[Model], list[str]]:
        # One DELETE per link: "a IN (…) OR b IN (…)" keeps PostgreSQL from using a join,
        # and over millions of rows its per-row subplan never finishes.
        return model, [f"{fk(model, f)} IN ({ids(m)})" for f, m in links.items()]

    tenures = (
        f"SELECT id FROM {qn(Tenure._meta.db_table)} WHERE {fk(Tenure, 'official')} IN "
        f"({ids(Official)}) OR {fk(Tenure, 'post')} IN ({ids(Post)})"
    )
    steps: list[tuple[type[Model], str | list[str]]] = [
        where(Initiative.countries.through, initiative=Initiative),
        where(Initiative.groupings.through, initiative=Initiative),
        where(Initiative.meetings.through, initiative=Initiative, meeting=Meeting),
        where(Initiative.agreements.through, initiative=Initiative, agreement=Agreement),
        where(InitiativeCitation, initiative=Initiative, source=Source),
        where(AgreementMeeting, agreement=Agreement, meeting=Meeting),
        where(AgreementCitation, agreement=Agreement, source=Source),
        where(AgreementRelation, subject=Agreement, object=Agreement),
        where(AgreementStatusChange, agreement=Agreement, source=Source),
        where(Agreement.parties.through, agreement=Agreement),
        where(Agreement.party_groupings.through, agreement=Agreement),
        (
            Participation.posts.through,
            [
                f"{fk(Participation.posts.through, 'participation')} IN (SELECT id FROM "
                f"{qn(Participation._meta.db_table)} WHERE {fk(Participation, f)} IN ({ids(m)}))"
                for f, m in (("meeting", Meeting), ("official", Official))
            ]
            + [f"{fk(Participation.posts.through, 'post')} IN ({ids(Post)})"],
        ),
        where(Participation, meeting=Meeting, official=Official),
        where(Meeting.countries.through, meeting=Meeting),
        where(MeetingCitation, meeting=Meeting, source=Source),
        (Meeting, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Initiative, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Agreement, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (TenureCitation, f"{fk(TenureCitation, 'tenure')} IN ({tenures})"),
        where(TenureCitation, source=Source),
        (Tenure, f"id IN ({tenures})"),
        where(OfficialAlias, official=Official),
        (Official, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Post, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Source, f"{qn('key')} LIKE '{PREFIX}%%'"),
    ]
    deleted: Counter[str] = Counter()
    parent = fk(Meeting, "parent")
    with (
        transaction.atomic(using=using),
        BulkLoad(using, rebuild_indexes=False) as load,
        connection.cursor() as cursor,
    ):
        # A curated meeting held on the sidelines of a synthetic one loses its parent.
        cursor.execute(
            f"UPDATE {qn(Meeting._meta.db_table)} SET {parent} = NULL WHERE {parent} IN "
            f"({ids(Meeting)}) AND {qn('slug')} NOT LIKE '{PREFIX}%%'"
        )
        for model, conditions in steps:
            for condition in [conditions] if isinstance(conditions, str) else conditions:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE {condition}")
                deleted[model._meta.db_table] += max(cursor.rowcount, 0)
        # A curated agreement may have lost a step citing a synthetic source.
        refresh_status(using=using)
        if load.skipped_triggers:
            # Whatever still points at a deleted row (a curated record linked to synthetic
            # data in a way the steps above do not cover) aborts the whole clear.
            check_foreign_keys(_all_models(), using)
    return deleted


def _all_models() -> list[type[Model]]:
    found = []
    for model in apps.get_app_config("engagements").get_models():
        found.append(model)
        found.extend(f.remote_field.through for f in model._meta.local_many_to_many)
    return [m for m in dict.fromkeys(found) if not m.__name__.startswith("Historical")]
