"""``manage.py release`` on the seed (issue 14 §5): every file readable and consistent with
the database, the Data Package valid, the release frozen, the changelog of a second release,
/releases/ and its downloads, a record's releases and its old slugs."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3

import frictionless
import pandas as pd
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse

from engagements import copy, panels
from engagements.models import (
    Country,
    Meeting,
    Official,
    OfficialAlias,
    Release,
    ReleaseRecord,
    Source,
    Topic,
)
from engagements.redirects import keep_slug
from engagements.releases import formats
from engagements.releases.tables import PANEL

pytestmark = pytest.mark.django_db


@pytest.fixture
def releases(settings, tmp_path):
    settings.DEFREL_RELEASES_DIR = tmp_path / "releases"
    return settings.DEFREL_RELEASES_DIR


def release(version: str):
    out = io.StringIO()
    call_command("release", version, stdout=out)
    return out.getvalue()


@pytest.fixture
def first(releases):
    release("1.0.0")
    return releases / "1.0.0"


def descriptor(folder) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def model_of(name: str):
    return apps.get_model("engagements", name)


def test_the_data_package_validates_with_no_errors(first):
    report = frictionless.validate(str(first / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "message"])[:10]
    package = descriptor(first)
    assert package["version"] == "1.0.0"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    meeting = next(r for r in package["resources"] if r["name"] == "meeting")
    assert meeting["schema"]["primaryKey"] == ["slug"]
    types = {f["name"]: f["type"] for f in meeting["schema"]["fields"]}
    assert types["start_date"] == "date" and types["edition"] == "integer"
    references = {fk["fields"]: fk["reference"] for fk in meeting["schema"]["foreignKeys"]}
    assert references["country"] == {"resource": "country", "fields": "iso2"}


def test_every_csv_and_parquet_file_has_the_database_rows(first):
    names = [r["name"] for r in descriptor(first)["resources"]]
    assert PANEL in names and "meeting_countries" in names
    for name in names:
        expected = (
            len(panels.country_year_panel())
            if name == PANEL
            else model_of(name)._default_manager.count()
        )
        frame = pd.read_csv(first / "csv" / f"{name}.csv", keep_default_na=False)
        assert len(frame) == expected, name
        parquet = pd.read_parquet(first / "parquet" / f"{name}.parquet")
        assert len(parquet) == expected, name
        assert list(parquet.columns) == list(frame.columns), name
    meetings = pd.read_parquet(first / "parquet" / "meeting.parquet")
    assert str(meetings["start_date"].dtype).startswith(("datetime64", "object"))
    assert set(meetings["slug"]) == set(Meeting.objects.values_list("slug", flat=True))


def test_the_sqlite_file_holds_the_public_tables_only(releases):
    secret = "Body of the source kept for curators only, marker zq-4471."
    Source.objects.filter(pk=Source.objects.order_by("pk").first().pk).update(text=secret)
    release("1.0.0")
    first = releases / "1.0.0"
    names = {r["name"] for r in descriptor(first)["resources"]}
    with sqlite3.connect(first / "release.sqlite") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        source_columns = {row[1] for row in db.execute("PRAGMA table_info(source)")}
        (count,) = db.execute("SELECT count(*) FROM meeting").fetchone()
    assert tables == names
    assert not {t for t in tables if t.startswith(("auth", "django", "historical", "axes"))}
    assert "text" not in source_columns
    assert count == Meeting.objects.count()
    for path in first.rglob("*"):
        if path.is_file():
            assert b"zq-4471" not in path.read_bytes(), path


def test_datasette_metadata_names_every_table(first):
    metadata = json.loads((first / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["license"] == "CC-BY-4.0" and metadata["license_url"].startswith("https://")
    tables = metadata["databases"]["release"]["tables"]
    with sqlite3.connect(first / "release.sqlite") as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        meeting_columns = [row[1] for row in db.execute("PRAGMA table_info(meeting)")]
    assert set(tables) == names
    assert all(t["title"] and t["description"] for t in tables.values())
    assert set(tables["meeting"]["columns"]) == set(meeting_columns)


def test_checksums_match_the_files(first):
    lines = (first / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    on_disk = {
        p.relative_to(first).as_posix()
        for p in first.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((first / name).read_bytes()).hexdigest() == digest, name
    stored = Release.objects.get(version="1.0.0").files
    assert {name: entry["sha256"] for name, entry in stored.items()} == listed


def test_a_second_release_lists_what_changed(releases):
    Topic.objects.create(slug="to-be-removed", name="To be removed", description="Temporary.")
    release("1.0.0")
    edited, renamed = Meeting.objects.order_by("pk")[:2]
    edited.title = "A new title for the changelog"
    edited.save()
    old_slug = renamed.slug
    renamed.slug = f"{old_slug}-renamed"
    renamed.save()
    Topic.objects.filter(slug="to-be-removed").delete()
    Topic.objects.create(slug="newly-added", name="Newly added", description="New.")
    release("1.0.1")
    log = json.loads((releases / "1.0.1" / "changelog.json").read_text(encoding="utf-8"))
    assert log["previous"] == "1.0.0"
    topics, meetings = log["tables"]["topic"], log["tables"]["meeting"]
    assert topics["added"] == ["newly-added"] and topics["removed"] == ["to-be-removed"]
    assert meetings["renamed"] == {old_slug: renamed.slug}
    assert meetings["added"] == [] and meetings["removed"] == []
    assert "title" in meetings["changed"][edited.slug]
    text = (releases / "1.0.1" / "changelog.md").read_text(encoding="utf-8")
    assert "newly-added" in text and f"{old_slug} → {renamed.slug}" in text


def test_an_existing_version_is_refused_and_nothing_is_left(first, releases):
    before = sorted(p.name for p in releases.iterdir())
    with pytest.raises(CommandError, match="already exists"):
        release("1.0.0")
    with pytest.raises(CommandError, match="not a release version"):
        release("../escape")
    assert sorted(p.name for p in releases.iterdir()) == before == ["1.0.0"]
    assert Release.objects.count() == 1


def test_a_failed_build_leaves_no_directory_and_no_release(releases, monkeypatch):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(formats, "write_parquet", broken)
    with pytest.raises(OSError, match="disk full"):
        release("2.0.0")
    assert list(releases.iterdir()) == []
    assert not Release.objects.exists() and not ReleaseRecord.objects.exists()


def test_the_releases_page_lists_and_serves_the_files(client, first):
    page = client.get(reverse("engagements:releases"))
    assert page.status_code == 200
    url = reverse("engagements:release_file", args=["1.0.0", "csv/meeting.csv"])
    assert url in page.content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == (first / "csv" / "meeting.csv").read_bytes()
    sums = client.get(reverse("engagements:release_file", args=["1.0.0", "SHA256SUMS"]))
    assert sums.status_code == 200
    for name in ("csv/nothing.csv", "../1.0.0/release.sqlite", "csv/../../../settings.py"):
        assert client.get(f"/releases/1.0.0/{name}").status_code == 404, name
    assert client.get("/releases/9.9.9/release.sqlite").status_code == 404
    assert client.post(url).status_code == 405


def test_a_record_page_says_in_which_releases_it_appears(client, releases):
    meeting = Meeting.objects.order_by("pk").first()
    assert "none yet" in client.get(meeting.get_absolute_url()).content.decode()
    release("1.0.0")
    meeting.slug = f"{meeting.slug}-x"
    meeting.save()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "In releases" in page and "1.0.0" in page  # under its old slug


def test_an_old_slug_redirects_permanently(client):
    meeting = Meeting.objects.order_by("pk").first()
    old = meeting.get_absolute_url()
    meeting.slug = f"{meeting.slug}-renamed"
    meeting.save()
    meeting.slug = f"{meeting.slug}-again"
    meeting.save()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == meeting.get_absolute_url()
    assert client.get("/meetings/never-was-a-meeting/").status_code == 404


def test_every_slug_of_a_release_still_resolves_after_a_rename(client, releases):
    release("1.0.0")
    meeting = Meeting.objects.order_by("pk")[3]
    meeting.slug = f"{meeting.slug}-renamed"
    meeting.save()
    release("1.0.1")
    first = Release.objects.get(version="1.0.0")
    checked = 0
    for table, key in first.records.values_list("table", "key"):
        try:
            url = reverse(f"engagements:{table}_detail", kwargs={"slug": key})
        except NoReverseMatch:
            continue  # a table without slug pages (aliases, countries, sources)
        assert client.get(url, follow=True).status_code == 200, url
        checked += 1
    assert checked > Meeting.objects.count()


def test_a_merged_record_keeps_the_duplicates_slug(client):
    kept = Meeting.objects.order_by("pk").first()
    row = ("dup-talks", "Duplicate talks", "bilateral", "2020-01-01", "")
    copy.write(Meeting, ["slug", "title", "kind", "start_date", "summary"], [row], "default")
    duplicate = Meeting.objects.get(slug="dup-talks")
    keep_slug(Meeting, duplicate.slug, kept)
    duplicate.delete()
    response = client.get("/meetings/dup-talks/")
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()


def test_officials_sharing_a_name_across_countries_still_make_a_valid_release(releases):
    """An official is written by name where the name with the country is unambiguous, so
    two officials of different countries may share a name and an alias: their alias rows
    are not a key, and the package still validates."""
    countries = list(Country.objects.exclude(iso2="IN").order_by("iso2")[:2])
    for country in countries:
        official = Official.objects.create(
            slug=f"shared-name-{country.iso2.lower()}", name="Shared Name", country=country
        )
        OfficialAlias.objects.create(official=official, name="S. Name")
    release("1.0.0")
    report = frictionless.validate(str(releases / "1.0.0" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "type", "message"])[:10]
