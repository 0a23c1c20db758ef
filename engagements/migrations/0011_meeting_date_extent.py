"""A meeting's date extent (single, span, open end, one day within a span).

Rows that already have an end date were spans (the only meaning an end had), so they become
``span`` before the constraints are added; the others keep the default ``single``. Their
history rows too, so a revert restores a consistent extent.
"""

from django.db import migrations, models


def ends_are_spans(apps, schema_editor):
    for name in ("Meeting", "HistoricalMeeting"):
        model = apps.get_model("engagements", name)
        model.objects.using(schema_editor.connection.alias).filter(
            end_date__isnull=False
        ).update(date_extent="span")


class Migration(migrations.Migration):

    dependencies = [
        ('engagements', '0010_marks_step_basis_parent_relation'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmeeting',
            name='date_extent',
            field=models.CharField(choices=[('single', 'one day, month or year (no end)'), ('span', 'lasted from the start to the end'), ('open', 'began on the start; the end is not reported'), ('within', 'one day, not known which, from the start to the end')], default='single', help_text='What the start and end say together: one date, a span, a start whose end is not reported, or one day somewhere in a span.', max_length=10),
        ),
        migrations.AddField(
            model_name='meeting',
            name='date_extent',
            field=models.CharField(choices=[('single', 'one day, month or year (no end)'), ('span', 'lasted from the start to the end'), ('open', 'began on the start; the end is not reported'), ('within', 'one day, not known which, from the start to the end')], default='single', help_text='What the start and end say together: one date, a span, a start whose end is not reported, or one day somewhere in a span.', max_length=10),
        ),
        migrations.RunPython(ends_are_spans, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('date_extent__in', ['single', 'span', 'open', 'within'])), name='meeting_date_extent_valid', violation_error_message='Unknown date extent.'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('date_extent', 'single'), _negated=True), ('end_date__isnull', True), _connector='OR'), name='meeting_single_date_has_no_end', violation_error_message='A single date has no end date.'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('date_extent__in', ('span', 'within')), _negated=True), ('end_date__isnull', False), _connector='OR'), name='meeting_span_has_end', violation_error_message='A span, and one day within a span, need an end date.'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('date_extent', 'open'), _negated=True), models.Q(('end_date__isnull', True), ('start_date__isnull', False)), _connector='OR'), name='meeting_open_end_has_start_only', violation_error_message='An open end needs a start date and no end date.'),
        ),
    ]
