"""Two staff edit the same record: a save from a page someone else's save made stale is
refused, with the other's changes shown and the refused values kept (issue 15, item 4).

Each scenario uses two test clients, each logged in as its own Editor.
"""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test import Client

from engagements.admin.versions import FIELD
from engagements.models import Meeting, Participation
from engagements.permissions import EDITORS
from tests.helpers import ENGAGEMENT_ADMINS, url

from .test_admin import form_data
from .test_history import history_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(django_user_model):
    """Clients of two Editors, alice and bob."""
    clients = []
    for name in ("alice", "bob"):
        user = django_user_model.objects.create_user(username=name, password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS))
        editor = Client()
        editor.force_login(user)
        clients.append(editor)
    return clients


@pytest.fixture
def meeting():
    return Meeting.objects.filter(participations__isnull=False).order_by("pk").first()


def _open(client, obj):
    page = client.get(url(type(obj), "change", obj.pk))
    assert page.status_code == 200
    return form_data(page)


def test_a_stale_save_is_refused_and_shows_what_changed(editors, meeting):
    alice, bob = editors
    change = url(Meeting, "change", meeting.pk)
    old_city = meeting.city
    alices, bobs = _open(alice, meeting), _open(bob, meeting)
    assert bobs[FIELD]  # the page carries the version it was opened on

    alices["city"] = "Port Blair"
    assert alice.post(change, alices).status_code == 302
    rows = history_rows()

    bobs["summary"] = "Bob's summary, typed on a page opened before Alice saved."
    refused = bob.post(change, bobs)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "alice changed this meeting after you opened this page (City)" in html
    # The change, old → new, in the box above the form; Bob's values still in the form.
    assert "Port Blair" in html and (old_city or "—") in html
    assert "Bob&#x27;s summary, typed on a page opened before Alice saved." in html
    meeting.refresh_from_db()
    assert (meeting.city, meeting.summary) != (old_city, bobs["summary"])
    assert meeting.city == "Port Blair"
    assert history_rows() == rows  # the refused save wrote nothing

    # Saving the redisplayed form again is deliberate: it carries the version now current.
    again = {**bobs, FIELD: refused.context["adminform"].form[FIELD].value()}
    assert again[FIELD] != bobs[FIELD]
    assert f'name="{FIELD}" value="{again[FIELD]}"' in html
    assert bob.post(change, again).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.city, meeting.summary) == (old_city, bobs["summary"])


def test_a_page_opened_after_the_other_save_saves(editors, meeting):
    alice, bob = editors
    change = url(Meeting, "change", meeting.pk)
    alices = _open(alice, meeting)
    alices["city"] = "Port Blair"
    assert alice.post(change, alices).status_code == 302
    bobs = _open(bob, meeting)  # opened after Alice's save
    bobs["summary"] = "A fresh summary."
    assert bob.post(change, bobs).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.city, meeting.summary) == ("Port Blair", "A fresh summary.")


def test_a_save_that_changed_nothing_does_not_block(editors, meeting):
    alice, bob = editors
    change = url(Meeting, "change", meeting.pk)
    alices, bobs = _open(alice, meeting), _open(bob, meeting)
    assert alice.post(change, alices).status_code == 302  # saved as it was: a history row
    bobs["summary"] = "Bob's summary."
    assert bob.post(change, bobs).status_code == 302
    meeting.refresh_from_db()
    assert meeting.summary == "Bob's summary."


def test_a_change_to_an_inline_row_counts(editors, meeting):
    """Alice changes a participant (on the participant's own page); Bob's meeting page is
    stale, though the meeting's own fields did not change."""
    alice, bob = editors
    bobs = _open(bob, meeting)
    participant = meeting.participations.order_by("pk").first()
    page = alice.get(url(Participation, "change", participant.pk))
    alices = form_data(page)
    alices["note"] = "Led the delegation's second day."
    assert alice.post(url(Participation, "change", participant.pk), alices).status_code == 302

    bobs["summary"] = "Bob's summary."
    rows = history_rows()
    refused = bob.post(url(Meeting, "change", meeting.pk), bobs)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "after you opened this page (participants)" in html
    assert "changed: " in html
    assert history_rows() == rows


def test_an_inline_row_saved_unchanged_does_not_block(editors, meeting):
    alice, bob = editors
    bobs = _open(bob, meeting)
    participant = meeting.participations.order_by("pk").first()
    change = url(Participation, "change", participant.pk)
    assert alice.post(change, form_data(alice.get(change))).status_code == 302
    bobs["summary"] = "Bob's summary."
    assert bob.post(url(Meeting, "change", meeting.pk), bobs).status_code == 302


def _text_field(form_class, model):
    """A free-text field of the change form that a save can change (not unique)."""
    preferred = ("note", "notes", "summary", "description", "curation_notes", "source_note")
    fields = form_class.base_fields
    for name in preferred:
        if name in fields:
            return name
    for name, field in fields.items():
        if name == FIELD or not isinstance(field, forms.CharField):
            continue
        if isinstance(field, forms.SlugField | forms.URLField | forms.TypedChoiceField):
            continue
        try:
            model_field = model._meta.get_field(name)
        except Exception:
            continue
        if model_field.unique or model_field.choices or not model_field.editable:
            continue
        return name
    return None


def test_every_change_form_refuses_a_stale_save(editors):
    """Every model: Bob opens a record, it changes (Alice's save, a history row), Bob's save
    is refused naming the changed field and writes nothing."""
    alice, bob = editors
    checked = []
    for model in ENGAGEMENT_ADMINS:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        change = url(model, "change", obj.pk)
        page = alice.get(change)
        name = _text_field(type(page.context["adminform"].form), model)
        if name is None:
            continue
        alices, bobs = form_data(page), _open(bob, obj)
        alices[name] = (alices[name] or "") + " (checked)"
        response = alice.post(change, alices)
        assert response.status_code == 302, (model, response.context and response.context["errors"])
        rows = history_rows()
        refused = bob.post(change, bobs)
        assert refused.status_code == 200, model
        label = str(model._meta.get_field(name).verbose_name)
        assert "alice changed this" in refused.content.decode(), model
        assert label[0].upper() + label[1:] in refused.content.decode(), (model, label)
        assert history_rows() == rows, model
        checked.append(model)
    assert len(checked) >= 30, checked  # all but two (links and dates only)
