"""/about/, CITATION.cff and the citation meta tags of record pages."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import tomllib
from pathlib import Path

import jsonschema_rs
import pytest
import yaml
from django.conf import settings

from engagements.models import (
    Agreement,
    Country,
    Grouping,
    Initiative,
    Meeting,
    Official,
    Post,
    Source,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]

#: The parts of the Citation File Format 1.2.0 schema a dataset's CITATION.cff uses.
CFF_SCHEMA = {
    "type": "object",
    "required": ["cff-version", "message", "title", "authors"],
    "additionalProperties": False,
    "properties": {
        "cff-version": {"const": "1.2.0"},
        "message": {"type": "string", "minLength": 1},
        "type": {"enum": ["dataset", "software"]},
        "title": {"type": "string", "minLength": 1},
        "abstract": {"type": "string", "minLength": 1},
        "authors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "anyOf": [
                    {"type": "object", "required": ["name"]},
                    {"type": "object", "required": ["family-names"]},
                    {"type": "object", "required": ["given-names"]},
                ]
            },
        },
        "version": {"type": ["string", "number"]},
        "date-released": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "license": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "url": {"type": "string"},
        "repository-code": {"type": "string"},
    },
}


def json_ld(body: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_about_says_what_how_under_which_licences_and_how_to_cite(client):
    response = client.get("/about/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "What it covers",
        "How it is curated",
        "Creative Commons Attribution 4.0 International",
        "CC-BY-4.0",
        "MIT License",
        f"version {VERSION}",
        "CITATION.cff",
        "@misc{defrel_",
    ):
        assert text in body, text
    assert PYPROJECT["project"]["license"] == "MIT"


def test_about_carries_a_schema_org_dataset(client):
    data = json_ld(client.get("/about/").content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["version"] == VERSION == settings.DEFREL_VERSION
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["datePublished"] == settings.DEFREL_RELEASE_DATE
    assert data["name"] and len(data["description"]) > 50
    assert {d["encodingFormat"] for d in data["distribution"]} == {"text/csv", "application/json"}
    assert all(d["contentUrl"].startswith("http://testserver/") for d in data["distribution"])


def test_the_json_ld_cannot_close_its_element():
    from engagements.views.about import json_script_data

    text = json_script_data({"x": "</script><script>alert(1)</script> & more"})
    assert "</script" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["x"].startswith("</script>")


def test_about_has_no_inline_code_and_the_policy_forbids_it(client):
    response = client.get("/about/")
    body = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert 'type="application/ld+json"' in tag or " src=" in tag, tag
    assert " style=" not in body and "<style" not in body
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src and "'unsafe-inline'" not in script_src


def test_every_whole_table_download_on_about_answers_csv(client):
    body = client.get("/about/").content.decode()
    section = body.split('id="download-h"', 1)[1].split("</section>", 1)[0]
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+format=csv[^"]*)"', section)]
    assert "/panels/country-year/?format=csv" in links
    assert {"/meetings/?format=csv", "/agreements/?format=csv", "/outcomes/?format=csv"} <= set(
        links
    )
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"].startswith("text/csv"), link


def test_citation_cff_is_valid_and_agrees_with_pyproject():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema_rs.validate(CFF_SCHEMA, json.loads(json.dumps(cff, default=str)))
    assert cff["version"] == VERSION
    assert str(cff["date-released"]) == settings.DEFREL_RELEASE_DATE
    dt.date.fromisoformat(str(cff["date-released"]))
    assert cff["license"] == "CC-BY-4.0" and cff["type"] == "dataset"


def test_a_bad_citation_file_would_fail_the_schema():
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validate(CFF_SCHEMA, {"cff-version": "1.1.0", "message": "x", "title": "t"})


def meta(body: str) -> dict[str, str]:
    return {
        name: html.unescape(content)
        for name, content in re.findall(r'<meta name="([^"]+)" content="([^"]*)">', body)
    }


@pytest.mark.parametrize(
    ("model", "heading"),
    [
        (Meeting, "title"),
        (Agreement, "title"),
        (Initiative, "name"),
        (Official, "name"),
        (Post, "title"),
        (Country, "name"),
        (Grouping, "name"),  # the full name, not the short one the page heads it with
        (Source, "title"),
    ],
)
def test_record_pages_carry_citation_meta_tags(client, model, heading):
    record = model.objects.filter(**({"iso2": "SG"} if model is Country else {})).first()
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    tags = meta(response.content.decode())
    assert getattr(record, heading) in tags["citation_title"]
    assert tags["citation_title"] == tags["DC.title"]
    assert tags["citation_publication_date"] == settings.DEFREL_RELEASE_DATE.replace("-", "/")
    assert tags["DC.date"] == settings.DEFREL_RELEASE_DATE
    assert tags["citation_public_url"] == f"http://testserver{record.get_absolute_url()}"
    assert tags["DC.rights"] == "https://creativecommons.org/licenses/by/4.0/"
    assert VERSION in tags["DC.relation.ispartof"]


def test_list_pages_carry_no_record_citation_tags(client):
    assert "citation_title" not in client.get("/meetings/").content.decode()
