"""The OpenAPI document, the docs page (served locally, no CDN), the index, and the reading
room's link to them."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders

from engagements.api.endpoints import ENDPOINTS

from .reading import API, get

pytestmark = pytest.mark.django_db


def openapi(client) -> dict:
    response = client.get(API + "openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_document_is_openapi_3_with_every_endpoint(client):
    document = openapi(client)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for endpoint in ENDPOINTS:
        assert f"/api/v1/{endpoint.name}" in paths
        if endpoint.key:
            assert f"/api/v1/{endpoint.name}/{{{endpoint.key_name}}}" in paths
    assert set(paths["/api/v1/meetings"]) == {"get"}  # read-only: no write is documented


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_lists_parameters_are_its_pages_filters(client, endpoint):
    operation = openapi(client)["paths"][f"/api/v1/{endpoint.name}"]["get"]
    names = [p["name"] for p in operation["parameters"]]
    filters = [n for n in endpoint.filterset_class.base_filters if n != "sort" or endpoint.sorted]
    assert names == [*filters, "per_page", "after", "before"]
    assert {"200", "400"} <= set(operation["responses"])


def test_choices_and_bounds_are_declared(client):
    parameters = {
        p["name"]: p["schema"]
        for p in openapi(client)["paths"]["/api/v1/meetings"]["get"]["parameters"]
    }
    assert "summit" in parameters["kind"]["items"]["enum"]
    assert (parameters["year_from"]["minimum"], parameters["year_from"]["maximum"]) == (1900, 2100)
    assert parameters["sort"]["enum"] == ["-date", "date", "title", "-title"]
    assert parameters["per_page"]["maximum"] == 200


def test_the_docs_page_fetches_nothing_from_another_host(client):
    response = client.get(API + "docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
    assert '"//' not in html  # nor a protocol-relative //cdn… address
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not in the app's static files"
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["url"] == API + "openapi.json"
    assert settings["validatorUrl"] is None  # Swagger UI would ask validator.swagger.io


def test_the_index_names_every_endpoint(client):
    index = get(client, "")
    assert set(index["endpoints"]) == {e.name for e in ENDPOINTS}
    assert index["endpoints"]["meetings"] == "http://testserver/api/v1/meetings"
    assert index["docs"] == "http://testserver/api/v1/docs"


@pytest.mark.parametrize("page", ["/", "/meetings/", "/countries/kr/"])
def test_the_reading_room_links_the_api(client, page):
    html = client.get(page).content.decode()
    assert 'href="/api/v1/docs"' in html and 'href="/api/v1/openapi.json"' in html
