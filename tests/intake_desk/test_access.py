"""Only Editors use the intake desk; it is linked where they start; CSRF as everywhere."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from engagements.permissions import EDITORS, RESEARCHERS, REVIEWERS

from .helpers import KEY, REPORT, counts, hand_review, url

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login(client):
    before = counts()
    for response in (client.get(url()), client.post(url(), hand_review())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert counts() == before


@pytest.mark.parametrize("group", [RESEARCHERS, REVIEWERS])
def test_staff_who_may_not_add_records_are_refused(login, group):
    client = login(group)
    before = counts()
    assert client.get(url()).status_code == 403
    assert client.post(url(), {"text": REPORT, "key": KEY}).status_code == 403
    assert client.post(url(), hand_review()).status_code == 403
    assert counts() == before
    assert "New from a report" not in client.get(reverse("admin:index")).content.decode()


def test_editors_find_it_on_the_index_and_the_sources_list(login):
    client = login(EDITORS)
    assert client.get(url()).status_code == 200
    for page in (reverse("admin:index"), reverse("admin:engagements_source_changelist")):
        html = client.get(page).content.decode()
        assert f'href="{url()}"' in html, page
        assert "New from a report" in html


def test_a_post_without_the_csrf_token_is_refused(django_user_model):
    user = django_user_model.objects.create_user("csrf-editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = counts()
    assert client.post(url(), hand_review()).status_code == 403
    assert client.post(url(), {"text": REPORT, "key": KEY}).status_code == 403
    assert counts() == before
    # The pages carry the token their forms post.
    assert 'name="csrfmiddlewaretoken"' in client.get(url()).content.decode()
