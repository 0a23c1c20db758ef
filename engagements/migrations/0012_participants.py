"""Participants that one official in one post could not hold.

- ``Participation.post`` (one post) becomes ``posts`` (a many-to-many, tracked in the change
  history): each participation's post is copied into it, and every historical version's post
  into that version's links, so a revert restores it; then ``post`` is dropped.
- ``official`` becomes optional, for a participant the sources only describe: ``description``
  and its ``country``. Exactly one of an official or a description (a CHECK); an official
  once per meeting, a description once per meeting (conditional unique constraints).
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def copy_posts(apps, schema_editor):
    """Each participation's post, and each historical version's, into the new links."""
    db = schema_editor.connection.alias
    Participation = apps.get_model("engagements", "Participation")
    Links = Participation.posts.through
    links = [
        Links(participation_id=pk, post_id=post_id)
        for pk, post_id in Participation.objects.using(db)
        .filter(post__isnull=False)
        .values_list("pk", "post_id")
        .iterator(chunk_size=10_000)
    ]
    Links.objects.using(db).bulk_create(links, batch_size=1_000)
    link_ids = {
        (p, q): pk for pk, p, q in Links.objects.using(db).values_list("pk", "participation_id", "post_id")
    }
    History = apps.get_model("engagements", "HistoricalParticipation")
    HistoryLinks = apps.get_model("engagements", "HistoricalParticipation_posts")
    versions = (
        History.objects.using(db)
        .filter(post__isnull=False)
        .values_list("history_id", "id", "post_id")
        .iterator(chunk_size=10_000)
    )
    HistoryLinks.objects.using(db).bulk_create(
        (
            HistoryLinks(
                history_id=history_id,
                participation_id=pk,
                post_id=post_id,
                # The link row's id, as simple-history records it (0: the row is gone).
                id=link_ids.get((pk, post_id), 0),
            )
            for history_id, pk, post_id in versions
        ),
        batch_size=1_000,
    )
    if schema_editor.connection.vendor == "postgresql":
        # Check the new links' foreign keys now: PostgreSQL refuses to alter a table with
        # checks still pending in the transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_posts_back(apps, schema_editor):
    """Undo: the first post of each participation (and version) back into ``post``."""
    db = schema_editor.connection.alias
    Participation = apps.get_model("engagements", "Participation")
    for link in Participation.posts.through.objects.using(db).order_by("-pk"):
        Participation.objects.using(db).filter(pk=link.participation_id).update(post=link.post_id)
    History = apps.get_model("engagements", "HistoricalParticipation")
    HistoryLinks = apps.get_model("engagements", "HistoricalParticipation_posts")
    for link in HistoryLinks.objects.using(db).order_by("-pk"):
        History.objects.using(db).filter(history_id=link.history_id).update(post=link.post_id)


OFFICIAL_HELP = "Blank for a participant the sources describe without naming."
DESCRIPTION_HELP = (
    "Who took part, in our words, when the sources name no one "
    "(“Singapore's delegation of ministers and senior officials”)."
)
COUNTRY_HELP = "The country a described participant belongs to (an official's is their own)."
POSTS_HELP = (
    "The posts the official held at the meeting (all the sources give); blank "
    "when the sources do not say."
)


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0011_meeting_date_extent"),
    ]

    operations = [
        # The old post's reverse name is taken by the new posts until it is dropped.
        migrations.AlterField(
            model_name="participation",
            name="post",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="engagements.post",
            ),
        ),
        migrations.AddField(
            model_name="participation",
            name="posts",
            field=models.ManyToManyField(
                blank=True,
                help_text=POSTS_HELP,
                related_name="participations",
                to="engagements.post",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalParticipation_posts",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="engagements.historicalparticipation",
                    ),
                ),
                (
                    "participation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="engagements.participation",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="engagements.post",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalParticipation_posts",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(copy_posts, copy_posts_back),
        migrations.RemoveField(model_name="participation", name="post"),
        migrations.RemoveField(model_name="historicalparticipation", name="post"),
        # A described participant.
        migrations.RemoveConstraint(model_name="participation", name="participation_unique"),
        migrations.AlterField(
            model_name="participation",
            name="official",
            field=models.ForeignKey(
                blank=True,
                help_text=OFFICIAL_HELP,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participations",
                to="engagements.official",
            ),
        ),
        migrations.AlterField(
            model_name="historicalparticipation",
            name="official",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=OFFICIAL_HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="engagements.official",
            ),
        ),
        migrations.AddField(
            model_name="participation",
            name="description",
            field=models.CharField(blank=True, help_text=DESCRIPTION_HELP, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalparticipation",
            name="description",
            field=models.CharField(blank=True, help_text=DESCRIPTION_HELP, max_length=300),
        ),
        migrations.AddField(
            model_name="participation",
            name="country",
            field=models.ForeignKey(
                blank=True,
                help_text=COUNTRY_HELP,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="described_participations",
                to="engagements.country",
            ),
        ),
        migrations.AddField(
            model_name="historicalparticipation",
            name="country",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=COUNTRY_HELP,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="engagements.country",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("official__isnull", False)),
                fields=("meeting", "official"),
                name="participation_unique",
                violation_error_message="This official is already a participant of this meeting.",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("official__isnull", True)),
                fields=("meeting", "description"),
                name="participation_unique_description",
                violation_error_message="This meeting already has a participant with this "
                "description.",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("official__isnull", False), ("description", "")),
                    models.Q(("official__isnull", True), models.Q(("description", ""), _negated=True)),
                    _connector="OR",
                ),
                name="participation_official_or_description",
                violation_error_message="Name the official or describe the participant "
                "(not both).",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.CheckConstraint(
                condition=models.Q(("official__isnull", True), ("country__isnull", True), _connector="OR"),
                name="participation_country_described_only",
                violation_error_message="Only a described participant has a country of its own "
                "(an official's is theirs).",
            ),
        ),
    ]
