"""The admin change lists' markup written in Python: the same as Django's templates give."""

import pytest

from engagements.models import Grouping, Meeting

pytestmark = pytest.mark.django_db

NASTY = "<i>\"Q\" & 'A'</i>"


@pytest.fixture
def nasty_meeting():
    Meeting.objects.filter(pk=Meeting.objects.order_by("pk").values("pk")[:1]).update(
        title=f"Meeting {NASTY}", city=f"City {NASTY}"
    )


def test_admin_checkbox_column_is_djangos_markup(nasty_meeting):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    meeting_admin = admin.site._registry[Meeting]
    for meeting in Meeting.objects.order_by("pk")[:3]:
        ours = meeting_admin.action_checkbox(meeting)
        assert ours == ModelAdmin.action_checkbox(meeting_admin, meeting)


def test_admin_in_use_filters_are_djangos_markup(admin_client):
    from django.template.loader import get_template

    from engagements.admin.listfilters import InUseListFilter

    grouping = Grouping.objects.filter(meetings__isnull=False).first()
    Grouping.objects.filter(pk=grouping.pk).update(short_name=f"G {NASTY}")
    response = admin_client.get(f"/admin/engagements/meeting/?grouping__id__exact={grouping.pk}")
    cl = response.context["cl"]
    specs = [s for s in cl.filter_specs if isinstance(s, InUseListFilter)]
    assert len(specs) == 2
    djangos = get_template("admin/filter.html")
    for spec in specs:
        context = {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
        ours = get_template(spec.template).render(context)
        assert ours == djangos.render(context)
        assert ours in response.content.decode()
    assert "G &lt;i&gt;" in response.content.decode()


def test_admin_countries_column_is_the_meetings_countries(admin_client):
    response = admin_client.get("/admin/engagements/meeting/")
    cl = response.context["cl"]
    meeting_admin = cl.model_admin
    for meeting in cl.result_list:
        expected = ", ".join(sorted(c.iso2 for c in meeting.countries.all()))
        assert meeting_admin.countries_list(meeting) == expected
