"""Security headers on every page: a Content-Security-Policy with no inline code, a
Permissions-Policy, and staff sessions that end when left idle."""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/meetings/", "/agreements/?format=csv", "/countries/in/", "/admin/login/"]


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_carries_a_policy_without_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[name]
        assert "'unsafe-eval'" not in policy[name]
        # Only the site itself and hashes of exact inline text: no other host, no CDN.
        assert all(
            v in ("'self'", "'unsafe-hashes'") or v.startswith("'sha256-") for v in policy[name]
        )
    features = response.headers["Permissions-Policy"]
    assert "camera=()" in features and "geolocation=()" in features


def test_the_error_page_style_is_allowed_by_its_hash(client):
    """The 500 page's inline <style> is allowed by the hash of what the page renders."""
    style = re.search(r"<style>(.*?)</style>", render_to_string("500.html"), re.DOTALL)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in directives(client.get("/"))["style-src"]


def test_a_staff_session_is_renewed_by_each_request_and_ends_when_idle(admin_client):
    response = admin_client.get("/admin/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    # An anonymous researcher gets no session cookie at all.
    assert settings.SESSION_COOKIE_NAME not in Client().get("/meetings/").cookies
