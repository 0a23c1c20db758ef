"""One news report entered end to end as an Editor, in Debian's headless Chromium, counted.

The report: a new source with its text, a meeting in New Delhi of Rajnath Singh and a new
Swedish minister (named in the participant row: official, post and tenure are created with
the meeting), its citations as a paragraph list, and a new agreement signed at it (named in
the agreement row). Every page load (main frame and popups, a save's redirect included) and
every field typed or picked is counted; the desk must take at most 6 loads and 25 fields.
Skipped where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections

from engagements.models import Agreement, Meeting, Official, Source, Tenure
from engagements.permissions import EDITORS
from tests.curation.test_layout_browser import ARGS, CHROMIUM, WINDOW

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

MAX_LOADS, MAX_FIELDS = 6, 25

#: The report's text, written for this test: five paragraphs, as a pasted report has them.
TEXT = "\n\n".join(
    [
        "New Delhi, 5 March 2025: the defence ministers of two countries held talks today.",
        "Rajnath Singh received Ingrid Testbrowser, Sweden's newly named Minister for "
        "Civil Defence, at the ministry for a first round of discussions.",
        "Both sides looked at training, industry ties and maritime awareness.",
        "A memorandum on defence industry cooperation was signed by the two ministers.",
        "Officials said the pact sets up a working group to meet once a year.",
    ]
)


class Desk:
    """The Editor's browser, counting page loads and fields as the report is entered."""

    def __init__(self, context, page, base: str):
        self.page, self.base = page, base
        self.loads: list[str] = []
        self.navigations: list[str] = []
        self.popups: list[str] = []
        self.fields: list[str] = []
        page.on("load", lambda p: self.loads.append(p.url))
        page.on("framenavigated", self._navigated)
        context.on("page", self._popup)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigations.append(frame.url)

    def _popup(self, popup) -> None:
        self.popups.append(popup.url)
        popup.on("load", lambda p: self.loads.append(p.url))

    def goto(self, path: str) -> None:
        assert self.page.goto(self.base + path).status == 200

    def fill(self, name: str, value: str) -> None:
        self.fields.append(name)
        self.page.fill(f'[name="{name}"]', value)

    def select(self, name: str, value: str) -> None:
        self.fields.append(name)
        self.page.select_option(f'select[name="{name}"]', value)

    def pick(self, name: str, term: str, expected: str) -> None:
        """An autocomplete pick: type ``term``, check the first offer, press Enter."""
        self.fields.append(name)
        container = self.page.locator(f'select[name="{name}"] + .select2')
        inline = container.locator(".select2-search__field")  # a many-valued box's own
        if inline.count():
            inline.click()
            search = inline
        else:
            container.locator(".select2-selection").click()
            search = self.page.locator(".select2-container--open .select2-search__field")
        search.press_sequentially(term)  # keys, as typed: select2 searches on each
        options = self.page.locator(".select2-results__option:not(.loading-results)")
        options.first.wait_for()
        self.page.wait_for_function(
            "t => { const o = document.querySelector("
            "'.select2-results__option--highlighted'); return o && o.innerText.includes(t); }",
            arg=expected,
            timeout=10_000,
        )
        search.press("Enter")
        chosen = container.locator(".select2-selection__rendered")
        assert expected in chosen.inner_text(), (name, chosen.inner_text())

    def save(self, done: str) -> None:
        with self.page.expect_navigation(url=f"**{done}"):
            self.page.click('input[name="_save"]')
        errors = self.page.locator(".errornote, .errorlist").all_inner_texts()
        assert not errors, errors


@pytest.fixture
def desk(live_server, transactional_db, monkeypatch, django_user_model):
    call_command("seed", verbosity=0)
    call_command("setup_groups", verbosity=0)
    user = django_user_model.objects.create_user(username="ed", password="ed-pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop, this thread
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport=WINDOW)
        page = context.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "ed")
        page.fill("#id_password", "ed-pw")
        page.click('input[type="submit"]')
        page.wait_for_url("**/admin/")
        yield Desk(context, page, live_server.url)  # counting from here: the login is not
        browser.close()
        connections.close_all()


def test_one_report_is_entered_in_at_most_6_page_loads_and_25_fields(desk):
    # The source: its metadata and its pasted text.
    desk.goto("/admin/engagements/source/add/")
    desk.fill("key", "test-2025-03-05-sweden-talks")
    desk.fill("title", "Defence ministers of India and Sweden meet in New Delhi")
    desk.fill("publisher", "Test Wire")
    desk.fill("url", "https://example.org/2025/03/05/india-sweden-talks")
    desk.fill("published", "2025-03-05")
    desk.fill("dateline", "New Delhi")
    desk.fill("summary", "Talks of the two ministers, and an industry memorandum signed.")
    desk.fill("text", TEXT)
    desk.save("/admin/engagements/source/")

    # The meeting, its participants (one of them new), agreement (new) and citations.
    desk.goto("/admin/engagements/meeting/add/")
    desk.fill("title", "Rajnath Singh meets Sweden's civil defence minister")
    desk.select("kind", "bilateral")
    desk.fill("dates", "2025-03-05")
    desk.fill("city", "New Delhi")
    desk.pick("country", "IN", "India")
    desk.pick("countries", "IN", "India")
    desk.pick("countries", "SE", "Sweden")
    desk.pick("participations-0-official", "Rajnath", "Rajnath Singh")
    # A row naming an existing official no longer offers to name a new one.
    assert desk.page.locator('[name="participations-0-new_official_0"]').is_hidden()
    assert desk.page.locator('[name="participations-1-new_official_0"]').is_visible()
    desk.fill("participations-1-new_official_0", "Ingrid Testbrowser")
    desk.fill("participations-1-new_official_1", "Minister for Civil Defence")
    desk.pick("participations-1-country", "SE", "Sweden")
    desk.fill("agreement_links-0-new_title", "India–Sweden memorandum on defence industry")
    desk.select("agreement_links-0-new_kind", "mou")
    desk.select("agreement_links-0-role", "signed")
    desk.page.click("#citations-group .add-row a")  # a click, not a field
    desk.pick("citations-0-source", "test-2025-03-05", "Defence ministers of India and Sweden")
    desk.fill("citations-0-paragraphs", "2, 4–5")
    desk.save("/admin/engagements/meeting/")

    loads = max(len(desk.loads), len(desk.navigations))
    print(
        f"\nOne report entered: {loads} page loads ({len(desk.popups)} popups), "
        f"{len(desk.fields)} fields typed or picked"
    )
    for url in desk.loads:
        print("  load:", url)
    assert not desk.popups
    assert loads <= MAX_LOADS and len(desk.fields) <= MAX_FIELDS

    # What was written: the whole report, linked.
    source = Source.objects.get(key="test-2025-03-05-sweden-talks")
    assert source.paragraph_count == 5
    meeting = Meeting.objects.get(title__startswith="Rajnath Singh meets Sweden")
    assert meeting.start_date == dt.date(2025, 3, 5) and meeting.city == "New Delhi"
    assert sorted(meeting.countries.values_list("iso2", flat=True)) == ["IN", "SE"]
    assert sorted(meeting.citations.values_list("paragraph", flat=True)) == [2, 4, 5]
    official = Official.objects.get(name="Ingrid Testbrowser", country__iso2="SE")
    assert set(meeting.participations.values_list("official__slug", flat=True)) == {
        "rajnath-singh",
        official.slug,
    }
    tenure = Tenure.objects.get(official=official)
    assert tenure.post.title == "Minister for Civil Defence"
    assert tenure.citations.get().source == source
    agreement = Agreement.objects.get(title="India–Sweden memorandum on defence industry")
    assert agreement.meeting_links.get().meeting == meeting
    assert agreement.status_history.get().status == "signed"
    assert agreement.history.get().history_user.username == "ed"
