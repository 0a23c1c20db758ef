"""The curation desk: every admin page loads and saves, lists stay cheap, forms explain errors.

Pages are driven through the test client as logged-in members of each staff group.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.admin.base import CurationAdmin, EstimatedCountPaginator
from engagements.models import (
    Agreement,
    AgreementCitation,
    AgreementMeeting,
    AgreementStatusChange,
    Country,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Official,
    OfficialAlias,
    Participation,
    Post,
    Source,
)
from engagements.permissions import EDITORS, RESEARCHERS, REVIEWERS
from tests.helpers import DERIVED_MODELS, ENGAGEMENT_ADMINS, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    """A logged-in-able staff user per group, by group name."""

    def make(group_name: str):
        user = django_user_model.objects.create_user(
            username=group_name.lower(), password="x", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def editor_client(client, staff):
    client.force_login(staff(EDITORS))
    return client


def form_data(response) -> dict:
    """What the browser would post back for an admin change form as rendered."""
    data = {}

    def add_form(form):
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if field.disabled:
                continue
            if isinstance(field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(v) for v in value]
            elif value is None:
                data[bound.html_name] = ""
            else:
                data[bound.html_name] = str(field.prepare_value(value) if value else value)

    add_form(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            add_form(form)
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
    return data


# --- registration ---------------------------------------------------------------------------


def test_every_model_is_registered_on_the_curation_base():
    from django.apps import apps

    models = [
        m
        for m in apps.get_app_config("engagements").get_models()
        if not m.__name__.startswith("Historical") and m.__name__ not in DERIVED_MODELS
    ]
    missing = [m.__name__ for m in models if m not in ENGAGEMENT_ADMINS]
    assert missing == []
    for model_admin in ENGAGEMENT_ADMINS.values():
        assert isinstance(model_admin, CurationAdmin)
        assert model_admin.show_full_result_count is False
        assert model_admin.paginator is EstimatedCountPaginator


def _relation_fields(model):
    return [
        f
        for f in model._meta.get_fields()
        if (f.many_to_one or f.many_to_many)
        and f.concrete
        and not (f.many_to_many and not f.remote_field.through._meta.auto_created)
    ]


def test_every_foreign_key_and_many_to_many_in_a_form_uses_autocomplete():
    for model, model_admin in ENGAGEMENT_ADMINS.items():
        admins = [(model, model_admin)] + [(inline.model, inline) for inline in model_admin.inlines]
        for form_model, holder in admins:
            fk_name = getattr(holder, "fk_name", None)
            for field in _relation_fields(form_model):
                if field.name == fk_name or (
                    holder is not model_admin and field.related_model is model
                ):
                    continue  # the inline's link to its parent
                assert field.name in holder.autocomplete_fields, (
                    f"{holder.__class__.__name__}.{field.name} is not an autocomplete field"
                )
                related_admin = ENGAGEMENT_ADMINS[field.related_model]
                assert related_admin.search_fields, field.related_model


def test_list_select_related_covers_foreign_keys_shown_in_lists():
    for model, model_admin in ENGAGEMENT_ADMINS.items():
        shown_fks = [
            name
            for name in model_admin.list_display
            if isinstance(name, str)
            and any(f.name == name and f.many_to_one for f in model._meta.get_fields())
        ]
        for name in shown_fks:
            assert any(
                s == name or s.startswith(f"{name}__") for s in model_admin.list_select_related
            ), f"{model.__name__}: {name} shown without list_select_related"


# --- pages load and save, per group -----------------------------------------------------------


@pytest.mark.parametrize("group", [EDITORS, REVIEWERS, RESEARCHERS])
def test_changelists_and_change_pages_load_for_each_group(client, staff, group):
    client.force_login(staff(group))
    for model in ENGAGEMENT_ADMINS:
        response = client.get(url(model, "changelist"))
        assert response.status_code == 200, model
        obj = model._default_manager.first()
        assert obj is not None, f"seed has no {model.__name__}"
        response = client.get(url(model, "change", obj.pk))
        assert response.status_code == 200, model
        can_save = group != RESEARCHERS
        assert (b'name="_save"' in response.content) is can_save, (model, group)
        assert client.get(url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
def test_every_model_saves_unchanged_through_its_change_form(client, staff, group):
    """Posting each change form back as rendered saves (302) and changes no data."""
    client.force_login(staff(group))
    editor_client = client
    for model in ENGAGEMENT_ADMINS:
        obj = model._default_manager.first()
        before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        page = editor_client.get(url(model, "change", obj.pk))
        response = editor_client.post(url(model, "change", obj.pk), form_data(page))
        errors = getattr(response, "context", None) and response.context.get("errors")
        assert response.status_code == 302, (model, errors)
        obj.refresh_from_db()
        after = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        assert after == before, model


def test_add_pages_follow_permissions(client, staff):
    for group, status in [(EDITORS, 200), (REVIEWERS, 403), (RESEARCHERS, 403)]:
        client.force_login(staff(group))
        for model in ENGAGEMENT_ADMINS:
            assert client.get(url(model, "add")).status_code == status, (group, model)


# --- change lists -------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_changelist_query_count_does_not_grow_with_rows(editor_client):
    india, singapore = Country.objects.get(iso2="IN"), Country.objects.get(iso2="SG")
    source = Source.objects.first()
    before = {
        model: _queries(editor_client, url(model, "changelist")) for model in ENGAGEMENT_ADMINS
    }
    for i in range(30):
        meeting = Meeting.objects.create(
            slug=f"extra-{i}",
            title=f"Extra {i}",
            kind="bilateral",
            start_date=dt.date(2026, 1, 1 + i),
            country=india,
            host=india,
        )
        meeting.countries.set([india, singapore])
        agreement = Agreement.objects.create(slug=f"extra-{i}", title=f"Extra {i}", kind="mou")
        agreement.parties.set([india, singapore])
        AgreementMeeting.objects.create(agreement=agreement, meeting=meeting, role="signed")
        Participation.objects.create(
            meeting=meeting, official=Official.objects.get(slug="rajnath-singh")
        )
        AgreementStatusChange.objects.create(
            agreement=agreement, status="signed", date=dt.date(2026, 1, 1 + i), source=source
        )
        MeetingCitation.objects.create(meeting=meeting, source=source, paragraph=1)
        AgreementCitation.objects.create(agreement=agreement, source=source, paragraph=1)
        initiative = Initiative.objects.create(slug=f"extra-{i}", name=f"Extra {i}", kind="other")
        initiative.countries.set([india, singapore])
        InitiativeCitation.objects.create(initiative=initiative, source=source, paragraph=1)
    # Every change list costs the same queries with 30 more rows of each kind.
    for model in ENGAGEMENT_ADMINS:
        assert _queries(editor_client, url(model, "changelist")) == before[model], model


def _listed(client, model, params=None) -> tuple[list, str]:
    response = client.get(url(model, "changelist"), params or {})
    assert response.status_code == 200
    return list(response.context["cl"].result_list), response.content.decode()


def test_agreement_list_shows_status_date_and_filters_by_status_year(editor_client):
    sosa = Agreement.objects.get(short_name="SOSA")
    rows, html = _listed(editor_client, Agreement)
    assert "Status date" in html
    assert sosa.latest_status.when.humanize() in html
    signed_2024 = set(
        Agreement.objects.filter(status_history__date__year=2024).values_list("pk", flat=True)
    )
    assert signed_2024 and sosa.pk in signed_2024
    rows, _ = _listed(editor_client, Agreement, {"status_year": "2024"})
    assert {a.pk for a in rows} == signed_2024
    rows, _ = _listed(editor_client, Agreement, {"status_year": "1800"})
    assert rows == []


def test_status_change_list_filters_by_year_and_source(editor_client):
    change = AgreementStatusChange.objects.filter(date__isnull=False).first()
    rows, _ = _listed(editor_client, AgreementStatusChange, {"date_year": change.date.year})
    assert change in rows and all(r.date.year == change.date.year for r in rows)
    unsourced = AgreementStatusChange.objects.create(
        agreement=change.agreement, status="proposed", precision="unknown"
    )
    rows, _ = _listed(editor_client, AgreementStatusChange, {"has_source": "no"})
    assert unsourced in rows and all(r.source_id is None for r in rows)
    rows, _ = _listed(editor_client, AgreementStatusChange, {"has_source": "yes"})
    assert rows and all(r.source_id for r in rows)


def test_participation_list_filters_by_role_country_and_meeting_year(editor_client):
    rows, _ = _listed(editor_client, Participation, {"official_country": "SG"})
    # Officials of Singapore, and Singapore's delegation described without names.
    countries = [(p.official.country if p.official else p.country).iso2 for p in rows]
    assert countries and set(countries) == {"SG"}
    assert any(p.official is None for p in rows)
    expected = Participation.objects.filter(
        Q(official__country__iso2="SG") | Q(country__iso2="SG")
    ).count()
    assert len(rows) == expected
    rows, _ = _listed(editor_client, Participation, {"meeting__start_date_year": "2024"})
    assert rows and all(p.meeting.start_date.year == 2024 for p in rows)
    rows, _ = _listed(editor_client, Participation, {"role__exact": "head"})
    assert rows and all(p.role == "head" for p in rows)


def test_meeting_and_initiative_lists_show_countries(editor_client):
    _, html = _listed(editor_client, Meeting, {"q": "2025-09-lawrence-wong-visit-to-india"})
    assert (
        "Countries taking part" in html and '<td class="field-countries_list">IN, SG</td>' in html
    )
    _, html = _listed(editor_client, Initiative)
    assert 'class="field-countries_list"' in html


@pytest.mark.parametrize("model", [MeetingCitation, AgreementCitation, InitiativeCitation])
def test_citation_lists_filter_by_source(editor_client, model):
    source = model.objects.first().source
    rows, _ = _listed(editor_client, model, {"source__id__exact": source.pk})
    assert rows and {c.source_id for c in rows} == {source.pk}
    assert len(rows) == model.objects.filter(source=source).count()


def test_changelist_filters_and_search(editor_client):
    changelist = url(Meeting, "changelist")
    response = editor_client.get(changelist, {"start_date_year": "2025", "kind": "visit"})
    titles = [m.title for m in response.context["cl"].result_list]
    assert titles and all("2025" in str(m.start_date) for m in response.context["cl"].result_list)
    assert any("Lawrence Wong" in t for t in titles)
    response = editor_client.get(changelist, {"sourced": "no"})
    assert all(not m.citations.exists() for m in response.context["cl"].result_list)
    # Search reaches country codes, names and aliases: "ROK" finds South Korea's meetings.
    korea = set(Meeting.objects.filter(countries__iso2="KR").values_list("pk", flat=True))
    assert korea
    for term in ("ROK", "Republic of Korea", "kr", "South Korea"):
        response = editor_client.get(changelist, {"q": term})
        found = {m.pk for m in response.context["cl"].result_list}
        assert found >= korea, term
        assert response.context["cl"].result_count == len(found)
    # No full-table count beside the filtered one.
    assert response.context["cl"].show_full_result_count is False
    # Participants by name or alias: meetings Lloyd Austin attended.
    austin = set(
        Meeting.objects.filter(participations__official__slug="lloyd-austin").values_list(
            "pk", flat=True
        )
    )
    for term in ("Austin", "Lloyd J Austin"):
        response = editor_client.get(changelist, {"q": term})
        assert {m.pk for m in response.context["cl"].result_list} >= austin, term
    # Text words still work, and a country search does not find everything.
    response = editor_client.get(changelist, {"q": "ROK"})
    assert response.context["cl"].result_count < Meeting.objects.count()


@pytest.mark.parametrize(("model", "field"), [(Agreement, "parties"), (Initiative, "countries")])
def test_agreement_and_initiative_search_by_country(editor_client, model, field):
    expected = set(model.objects.filter(**{f"{field}__iso2": "US"}).values_list("pk", flat=True))
    assert expected
    for term in ("US", "United States", "USA"):
        response = editor_client.get(url(model, "changelist"), {"q": term})
        found = {o.pk for o in response.context["cl"].result_list}
        assert found >= expected, term


def test_autocomplete_endpoints_answer(editor_client):
    endpoint = reverse("admin:autocomplete")
    for model, model_admin in ENGAGEMENT_ADMINS.items():
        for holder in [model_admin, *model_admin.inlines]:
            holder_model = getattr(holder, "model", model)
            for field_name in holder.autocomplete_fields:
                response = editor_client.get(
                    endpoint,
                    {
                        "app_label": "engagements",
                        "model_name": holder_model._meta.model_name,
                        "field_name": field_name,
                        "term": "",
                    },
                )
                assert response.status_code == 200, (holder_model, field_name)
    response = editor_client.get(
        endpoint,
        {
            "app_label": "engagements",
            "model_name": "meeting",
            "field_name": "countries",
            "term": "ROK",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["South Korea"]
    response = editor_client.get(
        endpoint,
        {
            "app_label": "engagements",
            "model_name": "participation",
            "field_name": "official",
            "term": "Austin",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == [
        Official.objects.get(slug="lloyd-austin").name + " (US, Secretary of Defense)"
    ]


def test_official_autocomplete_tells_namesakes_apart_by_country(editor_client):
    kr, us = Country.objects.get(iso2="KR"), Country.objects.get(iso2="US")
    one = Official.objects.create(slug="kim-one", name="Kim Test", country=kr)
    two = Official.objects.create(slug="kim-two", name="Kim Test", country=us)
    with CaptureQueriesContext(connection) as ctx:
        response = editor_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "engagements",
                "model_name": "participation",
                "field_name": "official",
                "term": "Kim Test",
            },
        )
    results = response.json()["results"]
    assert sorted((r["id"], r["text"]) for r in results) == sorted(
        [(str(one.pk), "Kim Test (KR)"), (str(two.pk), "Kim Test (US)")]
    )
    assert str(one) == "Kim Test"  # the model's own name is unchanged
    assert not any(
        "engagements_country" in q["sql"]
        and "WHERE" in q["sql"]
        and "engagements_official" not in q["sql"]
        for q in ctx.captured_queries
    )


# --- the "done when" scenario ---------------------------------------------------------------


def _meeting_post(**overrides):
    data = {
        "title": "Defence ministers' talks",
        "slug": "2026-03-test-talks",
        "kind": "bilateral",
        "status": "held",
        "dates": "2026-03-02/2026-03-04",
        "city": "New Delhi",
        "country": Country.objects.get(iso2="IN").pk,
        "host": Country.objects.get(iso2="IN").pk,
        "countries": [Country.objects.get(iso2=c).pk for c in ("IN", "SG")],
        "grouping": "",
        "mechanism": "",
        "edition": "",
        "parent": "",
        "summary": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "agreement_links-TOTAL_FORMS": "0",
        "agreement_links-INITIAL_FORMS": "0",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
        # Every meeting cites a source: one row, its paragraph list.
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": Source.objects.get(key="002_e5b3391f3894ea28").pk,
        "citations-0-paragraphs": "1",
        "marks-TOTAL_FORMS": "0",
        "marks-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_editor_adds_meeting_with_three_participants_and_two_agreements(editor_client, staff):
    page = editor_client.get(url(Meeting, "add"))
    assert page.status_code == 200
    # Every relation on the page is picked by search, not by typing an id.
    html = page.content.decode()
    for name in ("country", "host", "countries", "participations-0-official"):
        assert f'name="{name}"' in html
    assert html.count("admin-autocomplete") >= 6
    officials = [
        Official.objects.get(slug=s) for s in ("rajnath-singh", "lawrence-wong", "narendra-modi")
    ]
    agreements = list(Agreement.objects.order_by("slug")[:2])
    data = _meeting_post()
    data["participations-TOTAL_FORMS"] = "3"
    for i, official in enumerate(officials):
        data[f"participations-{i}-official"] = official.pk
        data[f"participations-{i}-role"] = "head" if i == 0 else "participant"
    data["agreement_links-TOTAL_FORMS"] = "2"
    for i, agreement in enumerate(agreements):
        data[f"agreement_links-{i}-agreement"] = agreement.pk
        data[f"agreement_links-{i}-role"] = "signed"
    response = editor_client.post(url(Meeting, "add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting = Meeting.objects.get(slug="2026-03-test-talks")
    assert meeting.dates.isoformat() == "2026-03-02/2026-03-04"
    assert set(meeting.participations.values_list("official__slug", flat=True)) == {
        o.slug for o in officials
    }
    assert set(meeting.agreements.all()) == set(agreements)
    assert meeting.history.earliest().history_type == "+"
    assert {r.history_user.username for r in meeting.history.all()} == {"editors"}


@pytest.mark.parametrize(
    ("official", "post", "dates", "message"),
    [
        (
            "lawrence-wong",
            "in-minister-of-defence",
            "2026-03-02",
            "is not a post of Lawrence Wong&#x27;s country",
        ),
        (
            "rajnath-singh",
            "in-minister-of-defence",
            "1990-03-02",
            "No tenure of Rajnath Singh as Minister of Defence covers 2 March 1990",
        ),
    ],
)
def test_a_participant_post_is_checked_on_the_add_page(
    editor_client, official, post, dates, message
):
    """A new meeting has no id yet; the participant's post is still checked (issue item 5)."""
    data = _meeting_post(dates=dates)
    data["participations-TOTAL_FORMS"] = "1"
    data["participations-0-official"] = Official.objects.get(slug=official).pk
    data["participations-0-posts"] = [Post.objects.get(slug=post).pk]
    data["participations-0-role"] = "head"
    response = editor_client.post(url(Meeting, "add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(slug="2026-03-test-talks").exists()
    # The right post, within the tenure, saves.
    data["dates"] = "2024-03-02"
    data["participations-0-official"] = Official.objects.get(slug="rajnath-singh").pk
    assert editor_client.post(url(Meeting, "add"), data).status_code == 302


def test_undo_a_mistaken_edit_from_the_history(editor_client):
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    original_title = meeting.title
    page = editor_client.get(url(Meeting, "change", meeting.pk))
    data = form_data(page)
    data["title"] = "A mistaken title"
    assert editor_client.post(url(Meeting, "change", meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "A mistaken title"
    history = editor_client.get(url(Meeting, "history", meeting.pk))
    assert history.status_code == 200
    assert b"editors" in history.content  # who changed it
    before_mistake = meeting.history.filter(title=original_title).latest()
    revert_url = url(Meeting, "simple_history", meeting.pk, before_mistake.history_id)
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    response = editor_client.post(revert_url, form_data(page))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == original_title
    assert meeting.history.latest().history_user.username == "editors"


# --- validation in forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ("2026-03-04/2026-03-02", "the end date is before the start date"),
        ("2026-02-30", "is not a real date"),
        ("March 2026", "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2026-03/2026-03-05", "both ends of a span need the same precision"),
        ("2026-03-02/", "write START/.. when only the start is reported"),
        ("[2026-03-02..]", "one day within a span needs both ends"),
    ],
)
def test_meeting_form_explains_bad_dates(editor_client, dates, message):
    response = editor_client.post(url(Meeting, "add"), _meeting_post(dates=dates))
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["dates"])
    assert not Meeting.objects.filter(slug="2026-03-test-talks").exists()


@pytest.mark.parametrize(
    ("dates", "extent", "end"),
    [
        ("2026-03-02", "single", None),
        ("2026-03-02/2026-03-04", "span", dt.date(2026, 3, 4)),
        ("2026-03-02/..", "open", None),
        ("[2026-03-02..2026-03-04]", "within", dt.date(2026, 3, 4)),
    ],
)
def test_meeting_form_stores_each_date_extent_and_shows_it_again(editor_client, dates, extent, end):
    response = editor_client.post(url(Meeting, "add"), _meeting_post(dates=dates))
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="2026-03-test-talks")
    assert (meeting.start_date, meeting.end_date, meeting.date_extent) == (
        dt.date(2026, 3, 2),
        end,
        extent,
    )
    page = editor_client.get(url(Meeting, "change", meeting.pk)).content.decode()
    assert f'value="{dates}"' in page


def test_meeting_form_reports_database_rules_in_words(editor_client):
    # An edition needs a mechanism or grouping (a CHECK constraint in the database).
    response = editor_client.post(url(Meeting, "add"), _meeting_post(edition="3"))
    assert response.status_code == 200
    assert "An edition number needs a mechanism or a grouping." in response.content.decode()


def test_month_precision_is_stored_normalised(editor_client):
    response = editor_client.post(url(Meeting, "add"), _meeting_post(dates="2026-03"))
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="2026-03-test-talks")
    assert (meeting.start_date.isoformat(), meeting.date_precision) == ("2026-03-01", "month")
    page = editor_client.get(url(Meeting, "change", meeting.pk))
    assert 'value="2026-03"' in page.content.decode()


def test_tenure_end_before_start_is_refused(editor_client):
    official = Official.objects.get(slug="rajnath-singh")
    post = Post.objects.get(slug="in-minister-of-defence")
    response = editor_client.post(
        url(official.tenures.model, "add"),
        {
            "official": official.pk,
            "post": post.pk,
            "start": "2030-05-01",
            "end": "2030-04",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def _official_post(**overrides):
    data = {
        "name": "Rajnath Singh",
        "honorific": "",
        "country": Country.objects.get(iso2="IN").pk,
        "slug": "rajnath-singh-2",
        "notes": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "tenures-TOTAL_FORMS": "0",
        "tenures-INITIAL_FORMS": "0",
        "marks-TOTAL_FORMS": "0",
        "marks-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_likely_duplicate_official_is_flagged_until_confirmed(editor_client):
    response = editor_client.post(url(Official, "add"), _official_post())
    assert response.status_code == 200
    assert "Possible duplicate" in response.content.decode()
    assert "rajnath-singh" in response.content.decode()
    assert not Official.objects.filter(slug="rajnath-singh-2").exists()
    # Same name in another country is not a duplicate.
    other = editor_client.post(
        url(Official, "add"),
        _official_post(slug="rajnath-singh-sg", country=Country.objects.get(iso2="SG").pk),
    )
    assert other.status_code == 302
    # An alias counts as the name.
    austin = Official.objects.get(slug="lloyd-austin")
    OfficialAlias.objects.get_or_create(official=austin, name="Lloyd J. Austin III")
    response = editor_client.post(
        url(Official, "add"),
        _official_post(name="lloyd j. austin iii", slug="l-austin", country=austin.country_id),
    )
    assert "Possible duplicate" in response.content.decode()
    confirmed = editor_client.post(url(Official, "add"), _official_post(save_anyway="on"))
    assert confirmed.status_code == 302
    assert Official.objects.filter(slug="rajnath-singh-2").exists()


def test_source_form_takes_partial_publication_date(editor_client):
    source = Source.objects.first()
    page = editor_client.get(url(Source, "change", source.pk))
    data = form_data(page)
    data["published"] = "2024"
    assert editor_client.post(url(Source, "change", source.pk), data).status_code == 302
    source.refresh_from_db()
    assert source.published.isoformat() == "2024"
    assert source.published_on.isoformat() == "2024-01-01"
