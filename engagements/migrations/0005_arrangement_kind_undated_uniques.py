"""An ``arrangement`` kind of agreement (SOSA), and one undated row per natural key.

NULLs are distinct in a unique constraint, so ``tenure_unique_start`` allowed two tenures of
the same official in the same post with no start date, and ``status_change_unique`` two
undated steps with the same status: their natural keys ``(official, post, None)`` and
``(agreement, status, None)`` then named more than one row. Partial unique indexes (SQLite
and PostgreSQL alike) allow only one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0004_scale_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agreement",
            name="kind",
            field=models.CharField(
                choices=[
                    ("mou", "Memorandum of understanding"),
                    ("agreement", "Agreement"),
                    ("arrangement", "Arrangement"),
                    ("roadmap", "Roadmap"),
                    ("implementing_arrangement", "Implementing arrangement"),
                    ("exchange_of_letters", "Exchange of letters"),
                    ("memorandum_of_agreement", "Memorandum of agreement"),
                    ("trade", "Trade or economic agreement"),
                    ("plan", "Agreed plan"),
                    ("other", "Other instrument"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="historicalagreement",
            name="kind",
            field=models.CharField(
                choices=[
                    ("mou", "Memorandum of understanding"),
                    ("agreement", "Agreement"),
                    ("arrangement", "Arrangement"),
                    ("roadmap", "Roadmap"),
                    ("implementing_arrangement", "Implementing arrangement"),
                    ("exchange_of_letters", "Exchange of letters"),
                    ("memorandum_of_agreement", "Memorandum of agreement"),
                    ("trade", "Trade or economic agreement"),
                    ("plan", "Agreed plan"),
                    ("other", "Other instrument"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddConstraint(
            model_name="agreementstatuschange",
            constraint=models.UniqueConstraint(
                condition=models.Q(("date__isnull", True)),
                fields=("agreement", "status"),
                name="status_change_unique_undated",
                violation_error_message="This agreement already has this status without a date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="tenure",
            constraint=models.UniqueConstraint(
                condition=models.Q(("start_date__isnull", True)),
                fields=("official", "post"),
                name="tenure_unique_undated",
                violation_error_message="This official already has a tenure in this post without a start date.",
            ),
        ),
    ]
