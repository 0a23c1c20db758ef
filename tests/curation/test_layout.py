"""The curation desk's layout, as the pages' HTML gives it: the index in two sections, long
change-list titles shortened, the desk's stylesheet served by the app.

How the pages fit a 1366 px window is measured in a real browser: ``test_layout_browser.py``.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import resolve, reverse

from engagements.admin_site import MAIN_RECORDS, ROWS_SECTION
from engagements.models import Meeting, MeetingMark
from engagements.permissions import EDITORS
from tests.helpers import ENGAGEMENT_ADMINS, url

pytestmark = pytest.mark.django_db

SECTION = re.compile(r'<div class="app-[\w-]+ module[^"]*">(.*?)</table>', re.S)
CAPTION = re.compile(r'<a href="[^"]*" class="section"[^>]*>([^<]*)</a>')
MODEL = re.compile(r'<tr class="model-(\w+)')


def sections(html: str) -> list[tuple[str, list[str]]]:
    """The index's modules in page order: (caption, model names)."""
    found = []
    for body in SECTION.findall(html):
        found.append((unescape(CAPTION.search(body).group(1)), MODEL.findall(body)))
    return found


def test_index_lists_main_records_first_and_inline_rows_apart(login):
    html = login(EDITORS).get("/admin/").content.decode()
    (first, main), (second, rows), *others = sections(html)
    assert first == "India's defence engagements"
    assert main == list(MAIN_RECORDS)  # in the order staff use them, not alphabetical
    assert second == ROWS_SECTION
    expected_rows = {
        model._meta.model_name
        for model in ENGAGEMENT_ADMINS
        if model._meta.model_name not in MAIN_RECORDS
    }
    assert set(rows) == expected_rows
    for row in ("meetingcitation", "participation", "agreementstatuschange", "officialalias"):
        assert row in rows
    assert {"meetingmark", "tenurecitation", "amount"} <= set(rows)
    assert others == []  # an Editor has no other app (users and groups are the admin's)


def test_the_navigation_sidebar_has_the_same_two_sections(login):
    html = login(EDITORS).get(url(Meeting, "changelist")).content.decode()
    sidebar = html[html.index('id="nav-sidebar"') :]
    (_, main), (second, rows), *_ = sections(sidebar)
    assert main == list(MAIN_RECORDS) and second == ROWS_SECTION
    assert "meetingcitation" in rows and "meeting" not in rows


def test_a_superuser_sees_the_other_apps_after_the_two_sections(admin_client):
    captions = [caption for caption, _ in sections(admin_client.get("/admin/").content.decode())]
    assert captions[:2] == ["India's defence engagements", ROWS_SECTION]
    assert "Authentication and Authorization" in captions[2:]


def test_the_app_index_is_split_the_same_way(login):
    html = login(EDITORS).get("/admin/engagements/").content.decode()
    assert [caption for caption, _ in sections(html)] == [
        "India's defence engagements",
        ROWS_SECTION,
    ]


def test_the_main_records_urls_are_tried_first_and_every_url_still_resolves():
    # A change list resolves each row's link again (when it keeps filters): the meetings'
    # prefix comes first among the models', not after the marks and outcomes.
    prefixes = [str(u.pattern) for u in admin.site.get_urls() if str(u.pattern).count("/") == 2]
    models = [p for p in prefixes if p.startswith(("engagements/", "auth/"))]
    assert models[: len(MAIN_RECORDS)] == [f"engagements/{name}/" for name in MAIN_RECORDS]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert resolve(changelist).func.model_admin is model_admin, changelist
        assert resolve(f"/admin/{opts.app_label}/{opts.model_name}/1/change/").url_name == (
            f"{opts.app_label}_{opts.model_name}_change"
        )


def cell(html: str, css_class: str, pk: int) -> str:
    """The change list's cell of class ``css_class`` in the row of record ``pk``."""
    row = re.search(rf'<tr>(?:(?!</tr>).)*value="{pk}"(?:(?!</tr>).)*</tr>', html, re.S)
    if row is None:  # no action checkbox: find the row by its change link
        row = re.search(rf"<tr>(?:(?!</tr>).)*/{pk}/change/(?:(?!</tr>).)*</tr>", html, re.S)
    match = re.search(rf'<t[hd] class="{css_class}[^"]*">(.*?)</t[hd]>', row.group(0), re.S)
    return match.group(1)


def test_a_long_meeting_title_is_shortened_with_its_full_text_in_title(login):
    meeting = Meeting.objects.order_by("pk").first()
    long_title = (
        "Joint meeting of the defence ministers and chiefs of staff on maritime security, "
        "industrial cooperation & the training of officers <in> the region"
    )
    Meeting.objects.filter(pk=meeting.pk).update(title=long_title)
    html = login(EDITORS).get(url(Meeting, "changelist")).content.decode()
    shown = cell(html, "field-title_short", meeting.pk)
    span = re.search(r'<span class="shortened" title="([^"]*)">([^<]*)</span>', shown)
    assert span, shown
    full, short = unescape(span.group(1)), unescape(span.group(2))
    assert full == long_title
    assert short.endswith("…") and len(short) <= 70
    assert long_title.startswith(short[:-1])  # cut at a word, nothing rewritten
    assert not short[:-1].endswith(" ")
    assert f'href="{url(Meeting, "change", meeting.pk)}' in shown  # still the row's link
    assert "&lt;in&gt;" in html and "<in>" not in html  # escaped, in title and text alike


def test_a_short_title_is_shown_whole(login):
    meeting = Meeting.objects.exclude(title__regex=r"^.{71,}").order_by("pk").first()
    html = login(EDITORS).get(url(Meeting, "changelist")).content.decode()
    shown = cell(html, "field-title_short", meeting.pk)
    assert "shortened" not in shown
    assert unescape(re.sub(r"<[^>]+>", "", shown)).strip() == meeting.title


def test_a_long_mark_note_is_shortened(login):
    mark = MeetingMark.objects.order_by("pk").first()
    note = "Inferred from the programme of the visit; " * 5
    MeetingMark.objects.filter(pk=mark.pk).update(note=note.strip())
    html = login(EDITORS).get(url(MeetingMark, "changelist")).content.decode()
    shown = cell(html, "field-note_short", mark.pk)
    assert f'title="{note.strip()}"' in shown and "…</span>" in shown


def test_every_admin_page_loads_the_desks_stylesheet(login):
    client = login(EDITORS)
    meeting = Meeting.objects.order_by("pk").first()
    assert finders.find("engagements/admin.css")
    for page in (url(Meeting, "changelist"), url(Meeting, "change", meeting.pk)):
        html = client.get(page).content.decode()
        assert re.search(r'<link href="/static/engagements/admin\.css[^"]*"', html), page
