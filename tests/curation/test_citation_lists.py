"""The desk's citations: a source's text kept for staff, paragraph lists, a citation required.

Texts here are made up for the tests (``PARA``), never a source's own sentences.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engagements.columns.sources import SOURCE
from engagements.models import (
    Country,
    Meeting,
    MeetingCitation,
    Official,
    Post,
    Source,
    Tenure,
    TenureCitation,
)
from engagements.permissions import EDITORS, REVIEWERS
from engagements.resources import SourceResource
from engagements.resources.files import DefrelCSV
from tests.curation.test_admin import _meeting_post, form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db

KEY = "002_e5b3391f3894ea28"  # 26 paragraphs in the register
MARKER = "Zebrafinch"


def made_up_text(paragraphs: int) -> str:
    """A text of ``paragraphs`` paragraphs, some wrapped over two lines, some blank lines
    holding spaces (still separators)."""
    blocks = [
        f"{MARKER} block {n} opens here\nand goes on a second line."
        for n in range(1, 1 + paragraphs)
    ]
    return "\n\n".join(blocks[:2]) + "\n   \n" + "\n\n\n".join(blocks[2:]) + "\n"


def source_post(source: Source, **overrides) -> dict:
    data = {
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published.isoformat(),
        "dateline": source.dateline,
        "summary": source.summary,
        "curation_notes": source.curation_notes,
        "text": "",
        "paragraph_count": source.paragraph_count or "",
    }
    data.update(overrides)
    return data


def store_text(paragraphs: int = 26) -> Source:
    source = Source.objects.get(key=KEY)
    source.text = made_up_text(paragraphs)
    source.save()
    return source


# --- the source's text ------------------------------------------------------------------------


def test_the_seed_stores_each_sources_paragraph_count():
    assert Source.objects.get(key=KEY).paragraph_count == 26
    assert not Source.objects.exclude(paragraph_count__gte=1).exists()


def test_an_editor_pastes_a_text_and_its_paragraphs_are_counted(login):
    editor = login(EDITORS)
    source = Source.objects.get(key=KEY)
    page = editor.get(url(Source, "change", source.pk)).content.decode()
    # The form explains its fields for a news report.
    for words in ("publisher-date-subject", "not the reporter", "filed from", "canonical page"):
        assert words in page
    response = editor.post(
        url(Source, "change", source.pk), source_post(source, text=made_up_text(26))
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    source = Source.objects.get(key=KEY)
    assert source.paragraph_count == 26
    assert source.paragraphs()[2].startswith(f"{MARKER} block 3")
    # Staff see the paragraphs as numbered.
    page = editor.get(url(Source, "change", source.pk)).content.decode()
    assert f"¶ 26 {MARKER} block 26 opens here and goes on a second …" in page


def test_an_uploaded_text_file_is_stored_and_counted(login):
    editor = login(EDITORS)
    source = Source.objects.get(key="000_ea8d4ddbce561651")
    count = source.paragraph_count
    upload = SimpleUploadedFile("report.txt", made_up_text(count).encode(), "text/plain")
    response = editor.post(
        url(Source, "change", source.pk), {**source_post(source), "text_file": upload}
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    source.refresh_from_db()
    assert MARKER in source.text and source.paragraph_count == count
    bad = SimpleUploadedFile("report.txt", b"\xff\xfe not utf-8", "text/plain")
    response = editor.post(
        url(Source, "change", source.pk), {**source_post(source), "text_file": bad}
    )
    assert "The file is not UTF-8 text" in response.content.decode()


def test_a_text_with_fewer_paragraphs_than_the_citations_name_is_refused(login):
    editor = login(EDITORS)
    source = Source.objects.get(key=KEY)
    response = editor.post(
        url(Source, "change", source.pk), source_post(source, text=made_up_text(3))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This source would have 3 paragraphs, but" in page
    assert "meeting citations cite paragraphs 4" in page
    assert Source.objects.get(key=KEY).text == ""


def test_the_text_never_reaches_the_reading_room(client):
    store_text()
    for address in (f"/sources/{KEY}/", "/sources/", f"/sources/?q={KEY}"):
        response = client.get(address)
        assert response.status_code == 200
        assert MARKER not in response.content.decode(), address
    for format_ in ("csv", "json"):
        response = client.get("/sources/", {"format": format_})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        assert KEY in body and MARKER not in body, format_
        assert "paragraph_count" not in body and "text" not in body.splitlines()[0]


def test_the_source_csv_of_the_admin_and_the_api_leaves_the_text_out():
    store_text()
    body = DefrelCSV().export_data(SourceResource().export())
    assert KEY in body and MARKER not in body
    assert body.splitlines()[0].split(",") == [c.name for c in SOURCE.columns]


# --- paragraph lists in the citation inlines -----------------------------------------------


def test_a_paragraph_list_saves_one_row_per_paragraph_and_is_shown_grouped(login):
    editor = login(EDITORS)
    store_text()
    source = Source.objects.get(key=KEY)
    response = editor.post(
        url(Meeting, "add"),
        _meeting_post(**{"citations-0-paragraphs": "2, 17–26", "citations-0-note": "talks"}),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting = Meeting.objects.get(slug="2026-03-test-talks")
    rows = meeting.citations.filter(source=source)
    assert sorted(rows.values_list("paragraph", flat=True)) == [2, *range(17, 27)]
    assert set(rows.values_list("note", flat=True)) == {"talks"}
    page = editor.get(url(Meeting, "change", meeting.pk))
    html = page.content.decode()
    assert 'value="2, 17–26"' in html
    # Staff see the first words of each cited paragraph.
    assert f"¶ 17 {MARKER} block 17 opens here and goes on a second …" in html
    # The ASCII hyphen too; dropping paragraphs removes their rows, with history.
    data = form_data(page)
    data["citations-0-paragraphs"] = "2, 17-19"
    response = editor.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert sorted(rows.values_list("paragraph", flat=True)) == [2, 17, 18, 19]
    removed = MeetingCitation.history.filter(meeting_id=meeting.pk, history_type="-")
    assert sorted(removed.values_list("paragraph", flat=True)) == list(range(20, 27))
    assert {h.history_user.username for h in removed} == {"editors"}


def test_a_paragraph_beyond_the_count_is_refused_naming_it(login):
    editor = login(EDITORS)
    response = editor.post(
        url(Meeting, "add"), _meeting_post(**{"citations-0-paragraphs": "2, 26–30"})
    )
    assert response.status_code == 200
    assert (
        f"Paragraphs 27–30 do not exist: the source {KEY} has 26 paragraphs."
        in response.content.decode()
    )
    for typed, message in (
        ("2, x", "“x” is not a paragraph number"),
        ("9–4", "ends before it starts"),
    ):
        response = editor.post(
            url(Meeting, "add"), _meeting_post(**{"citations-0-paragraphs": typed})
        )
        assert message in response.content.decode(), typed
    assert not Meeting.objects.filter(slug="2026-03-test-talks").exists()


def test_a_paragraph_listed_in_two_rows_is_refused(login):
    editor = login(EDITORS)
    data = _meeting_post(
        **{
            "citations-TOTAL_FORMS": "2",
            "citations-0-paragraphs": "1-3",
            "citations-1-source": Source.objects.get(key=KEY).pk,
            "citations-1-paragraphs": "3",
            "citations-1-note": "other",
        }
    )
    response = editor.post(url(Meeting, "add"), data)
    assert response.status_code == 200
    assert f"Paragraph 3 of {KEY} is cited in another row too" in response.content.decode()


def test_a_single_citations_own_page_refuses_a_paragraph_beyond_the_count(login):
    editor = login(EDITORS)
    store_text()
    citation = MeetingCitation.objects.filter(source__key=KEY).first()
    page = editor.get(url(MeetingCitation, "change", citation.pk)).content.decode()
    assert f"¶ {citation.paragraph} {MARKER} block {citation.paragraph} opens" in page
    response = editor.post(
        url(MeetingCitation, "change", citation.pk),
        {
            "meeting": citation.meeting_id,
            "source": citation.source_id,
            "paragraph": "27",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert f"Paragraph 27 does not exist: the source {KEY} has 26 paragraphs." in (
        response.content.decode()
    )


# --- every record cites a source ----------------------------------------------------------


def test_a_meeting_saved_with_no_citation_is_refused(login):
    editor = login(EDITORS)
    data = _meeting_post(**{"citations-TOTAL_FORMS": "0"})
    response = editor.post(url(Meeting, "add"), data)
    assert response.status_code == 200
    assert "Cite at least one source paragraph: every meeting rests on a source." in (
        response.content.decode()
    )
    assert not Meeting.objects.filter(slug="2026-03-test-talks").exists()


def test_removing_a_records_last_citation_is_refused(login):
    reviewer = login(REVIEWERS)  # may delete citation rows
    meeting = Meeting.objects.get(slug="2024-11-rajnath-singh-kim-yong-hyun-talks")
    data = form_data(reviewer.get(url(Meeting, "change", meeting.pk)))
    groups = int(data["citations-INITIAL_FORMS"])
    assert groups >= 1
    for i in range(groups):
        data[f"citations-{i}-DELETE"] = "on"
    response = reviewer.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 200
    assert "every meeting rests on a source" in response.content.decode()
    assert meeting.citations.exists()


def test_a_tenure_added_on_an_officials_page_needs_its_paragraphs(login):
    editor = login(EDITORS)
    official = Official.objects.get(slug="rajnath-singh")
    post = Post.objects.get(slug="in-minister-of-defence")
    page = editor.get(url(Official, "change", official.pk))
    data = form_data(page)
    n = int(data["tenures-TOTAL_FORMS"])
    data["tenures-TOTAL_FORMS"] = n + 1
    data.update(
        {
            f"tenures-{n}-post": post.pk,
            f"tenures-{n}-start": "1999-01-01",
            f"tenures-{n}-end": "1999-06",
        }
    )
    response = editor.post(url(Official, "change", official.pk), data)
    assert response.status_code == 200
    assert "every tenure rests on a source" in response.content.decode()
    data[f"tenures-{n}-cite_source"] = Source.objects.get(key=KEY).pk
    data[f"tenures-{n}-cite_paragraphs"] = "3–4"
    response = editor.post(url(Official, "change", official.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    tenure = Tenure.objects.get(official=official, post=post, start_date="1999-01-01")
    cited = TenureCitation.objects.filter(tenure=tenure)
    assert sorted(cited.values_list("paragraph", flat=True)) == [3, 4]
    assert cited.first().history.get().history_user.username == "editors"


def test_an_outcome_added_on_a_meetings_page_needs_its_paragraphs(login):
    editor = login(EDITORS)
    meeting = Meeting.objects.get(slug="2024-11-rajnath-singh-kim-yong-hyun-talks")
    data = form_data(editor.get(url(Meeting, "change", meeting.pk)))
    n = int(data["outcomes-TOTAL_FORMS"])
    data["outcomes-TOTAL_FORMS"] = n + 1
    data.update(
        {
            f"outcomes-{n}-slug": "kr-test-outcome",
            f"outcomes-{n}-kind": "pledge",
            f"outcomes-{n}-actors": [Country.objects.get(iso2="KR").pk],
            f"outcomes-{n}-summary": "A made-up pledge.",
        }
    )
    response = editor.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 200
    assert "every outcome rests on a source" in response.content.decode()
    data[f"outcomes-{n}-cite_source"] = Source.objects.get(key=KEY).pk
    data[f"outcomes-{n}-cite_paragraphs"] = "4"
    response = editor.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert meeting.outcomes.get(slug="kr-test-outcome").citations.get().paragraph == 4
