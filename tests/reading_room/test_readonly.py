"""No researcher page writes: anything but GET and HEAD is 405, and nothing changes."""

import pytest

from engagements.models import Meeting

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/meetings/",
    "/meetings/?format=csv",
    "/meetings/admm-plus-11/",
    "/agreements/",
    "/agreements/india-us-security-of-supply-arrangement/",
    "/initiatives/",
    "/initiatives/maitri/",
    "/officials/",
    "/officials/rajnath-singh/",
    "/posts/in-minister-of-defence/",
    "/countries/",
    "/countries/kr/",
    "/groupings/",
    "/groupings/quad/",
    "/sources/",
    "/sources/002_e5b3391f3894ea28/",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_writing_methods_are_not_allowed(client, url, method):
    before = Meeting.objects.count()
    response = getattr(client, method)(url, data={"title": "x"})
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]
    assert Meeting.objects.count() == before


def test_post_is_405_even_with_csrf_checks_on(url="/meetings/"):
    """A real browser POST (CSRF enforced) is answered 405 too, not a CSRF failure."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", URLS)
def test_head_works(client, url):
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("url", ["/meetings/", "/meetings/admm-plus-11/", "/countries/kr/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_writing_methods_are_405_before_the_login_check(client, settings, url, method):
    settings.DEFREL_PUBLIC = False
    response = getattr(client, method)(url, data={"title": "x"})
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD"]
    assert client.get(url).status_code == 302  # reading still asks for a login
