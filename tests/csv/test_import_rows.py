"""What an import knows of each row lives in one place (``ImportRow``) and is worked out once:
each row is normalized once, its key and many-to-many cells cleaned once, and nothing of the
import is left on the records it wrote."""

from __future__ import annotations

import pytest

from engagements.models import Country, Meeting
from engagements.resources import CountryResource, MeetingResource
from engagements.resources.base import DefrelResource
from engagements.resources.files import read_csv

pytestmark = pytest.mark.django_db

MEETINGS = (
    "slug,title,kind,status,dates,city,country,countries,parent,citations\n"
    "rows-a,'=Talks A,bilateral,held,2025-01,Delhi,IN,IN; SG,,002_e5b3391f3894ea28 ¶ 1\n"
    ",Talks B,bilateral,held,2025-02,Delhi,IN,IN; SG,rows-a,002_e5b3391f3894ea28 ¶ 2\n"
)


def test_each_row_is_normalized_once_and_its_cells_cleaned_once(monkeypatch):
    normalized = []
    original = DefrelResource.normalize_row
    monkeypatch.setattr(
        DefrelResource,
        "normalize_row",
        lambda self, row: normalized.append(1) or original(self, row),
    )
    resource = MeetingResource()
    cleaned = []
    for name in ("slug", "countries", "citations"):
        field = resource.fields[name]
        monkeypatch.setattr(
            field, "clean", lambda row, f=field.clean, **kw: cleaned.append(1) or f(row, **kw)
        )
    result = resource.import_data(read_csv(MEETINGS), dry_run=False, use_transactions=True)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert len(normalized) == 2
    # Per row: the slug for the key (once for the preload, the duplicate check and the
    # lookup) and when it is set; the countries and the citations when checked (the batch
    # writes them as kept).
    assert len(cleaned) == 2 * 4
    b = Meeting.objects.get(slug="2025-02-talks-b")  # the empty slug was filled, once
    assert b.parent.slug == "rows-a" and Meeting.objects.get(slug="rows-a").title == "=Talks A"
    assert sorted(b.countries.values_list("iso2", flat=True)) == ["IN", "SG"]
    assert list(b.citations.values_list("paragraph", flat=True)) == [2]


def test_the_records_an_import_wrote_carry_none_of_its_state():
    for resource, text in (
        (MeetingResource(), MEETINGS),
        (CountryResource(), "iso2,iso3,name,aliases\nXR,XRR,Rowland,Rowlandia; Row\n"),
    ):
        result = resource.import_data(
            read_csv(text), dry_run=False, use_transactions=True, retain_instance_in_row_result=True
        )
        assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
        for row in result.rows:
            private = {name for name in vars(row.instance) if name.startswith("_")}
            # Django's own (_state, caches) and simple-history's (_change_reason) only.
            assert not {n for n in private if "import" in n or n.startswith("_row")}, private
    assert sorted(Country.objects.get(iso2="XR").aliases.values_list("name", flat=True)) == [
        "Row",
        "Rowlandia",
    ]
