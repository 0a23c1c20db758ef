"""Citation files with paragraph lists (new records without citations: test_citing_import)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from engagements.models import Meeting, MeetingCitation, Official, Post, Source, Tenure
from engagements.resources import MeetingCitationResource, TenureCitationResource
from engagements.resources.files import DefrelCSV, read_csv
from tests.helpers import upload, url

pytestmark = pytest.mark.django_db

KEY = "002_e5b3391f3894ea28"  # 26 paragraphs


def uncited_meeting() -> Meeting:
    return Meeting.objects.exclude(citations__source__key=KEY).order_by("slug").first()


def import_text(resource_class, text: str, **kwargs):
    resource = resource_class()
    result = resource.import_data(
        read_csv(text.encode()), dry_run=False, use_transactions=True, **kwargs
    )
    return resource, result


def confirmation(preview) -> dict:
    form = preview.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def test_a_paragraph_list_imports_one_row_per_paragraph():
    meeting = uncited_meeting()
    text = (
        "meeting,source,paragraph,note\n"
        f'{meeting.slug},{KEY},"2, 17–26",listed\n'
        f"{meeting.slug},{KEY},1-1,\n"
    )
    resource, result = import_text(MeetingCitationResource, text)
    assert not resource.problems(result), resource.problems(result)
    assert result.totals["new"] == 12
    cited = MeetingCitation.objects.filter(meeting=meeting, source__key=KEY)
    assert sorted(cited.values_list("paragraph", flat=True)) == [1, 2, *range(17, 27)]
    assert cited.get(paragraph=20).note == "listed"
    # Export stays tidy: one row per paragraph.
    body = DefrelCSV().export_data(MeetingCitationResource().export(cited))
    assert body.count(f"{meeting.slug},{KEY},") == 12


def test_a_paragraph_beyond_the_count_or_a_bad_list_is_refused_on_its_line():
    meeting = uncited_meeting()
    before = MeetingCitation.objects.count()
    text = (
        "meeting,source,paragraph,note\n"
        f"{meeting.slug},{KEY},3,\n"
        f'{meeting.slug},{KEY},"25–27",\n'
        f'{meeting.slug},{KEY},"4, x",\n'
        f"{meeting.slug},{KEY},3,\n"
    )
    resource, result = import_text(MeetingCitationResource, text)
    problems = [str(p) for p in resource.problems(result)]
    assert any(
        p.startswith("Line 3") and f"Paragraph 27 does not exist: the source {KEY} has 26" in p
        for p in problems
    ), problems
    assert any(p.startswith("Line 4") and "“x” is not a paragraph number" in p for p in problems)
    assert any(p.startswith("Line 5") and "Duplicate of line 2" in p for p in problems), problems
    assert MeetingCitation.objects.count() == before


def test_tenure_citations_take_a_list_too():
    tenure = Tenure.objects.select_related("official", "post").first()
    text = (
        "official,post,start,source,paragraph,note\n"
        f'{tenure.official.slug},{tenure.post.slug},{tenure.start.isoformat()},{KEY},"20-22",\n'
    )
    resource, result = import_text(TenureCitationResource, text)
    assert not resource.problems(result), resource.problems(result)
    cited = tenure.citations.filter(source__key=KEY, paragraph__in=[20, 21, 22])
    assert cited.count() == 3
    assert Official.objects.exists() and Post.objects.exists()


def test_the_admin_imports_a_citation_list(editor):
    meeting = uncited_meeting()
    content = f'meeting,source,paragraph,note\n{meeting.slug},{KEY},"2, 17–26",\n'
    preview = upload(editor, MeetingCitation, content)
    assert preview.status_code == 200
    assert preview.context["totals"]["new"] == 11
    assert not preview.context["problems"]
    response = editor.post(url(MeetingCitation, "process_import"), confirmation(preview))
    assert response.status_code == 302
    assert meeting.citations.filter(source__key=KEY).count() == 11


def test_the_seed_loads_the_texts_from_a_folder_outside_the_repository(tmp_path):
    from tests.helpers import source_texts_dir

    folder = source_texts_dir()
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    out = io.StringIO()
    call_command("seed", source_texts=folder, stdout=out)
    assert "Stored the texts of 5 sources" in out.getvalue()
    for source in Source.objects.all():
        assert source.text.strip() and source.paragraph_count == len(source.paragraphs())
    # Seeding again (without the folder) keeps the texts and writes no history.
    versions = Source.history.count()
    call_command("seed", stdout=io.StringIO())
    assert Source.history.count() == versions
    assert all(s.text.strip() for s in Source.objects.all())
    # A text whose paragraphs differ from the register's count is refused, naming both.
    (tmp_path / f"{KEY}.txt").write_text("One.\n\nTwo.\n", encoding="utf-8")
    with pytest.raises(Exception, match=f"{KEY}.txt has 2 paragraphs; the register"):
        call_command("seed", source_texts=tmp_path, stdout=io.StringIO())
