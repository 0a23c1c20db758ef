"""The curation desk in a 1366 × 768 window, measured in Debian's headless Chromium.

An Editor opens the seed's fullest meetings (most participants, most citations) and the
meeting change list: nothing scrolls sideways and no inline table cuts a column. Skipped
where /usr/bin/chromium is missing; screenshots go to ``screenshots/`` (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections
from django.db.models import Count

from engagements.models import Meeting
from engagements.permissions import EDITORS
from tests.helpers import url

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
WINDOW = {"width": 1366, "height": 768}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

#: Every inline table, group and cell wider inside than it shows (a cut column or value).
CLIPPED = """() => {
    const out = [];
    const cut = (el, name) => {
        if (el.scrollWidth > el.clientWidth + 1) {
            out.push(`${name}: ${el.scrollWidth} > ${el.clientWidth}`);
        }
    };
    for (const group of document.querySelectorAll('.inline-group')) {
        cut(group, group.id);
        for (const table of group.querySelectorAll('table')) {
            cut(table, `${group.id} table`);
            for (const cell of table.querySelectorAll('tbody tr:not(.empty-form) td')) {
                cut(cell, `${group.id} ${cell.className}`);
            }
        }
    }
    return out;
}"""


@pytest.fixture
def desk(live_server, transactional_db, monkeypatch, django_user_model):
    """The live server with the seed data and an Editor's login (name, password)."""
    call_command("seed", verbosity=0)
    call_command("setup_groups", verbosity=0)
    user = django_user_model.objects.create_user(username="ed", password="ed-pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    # Playwright's sync API runs an event loop in this thread; Django checks for any loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return live_server.url


@pytest.fixture
def page(desk):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=WINDOW)
        page.goto(desk + "/admin/login/")
        page.get_by_label("Username").fill("ed")
        page.get_by_label("Password").fill("ed-pw")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        page.base = desk
        yield page
        browser.close()
        connections.close_all()  # the ORM's connection of Playwright's context (see reading room)


def fullest_meetings() -> list[Meeting]:
    """The seed meetings with the most participants and with the most citations."""
    counted = Meeting.objects.annotate(
        people=Count("participations", distinct=True), cited=Count("citations", distinct=True)
    )
    most_people = counted.order_by("-people", "-cited", "pk").first()
    most_cited = counted.order_by("-cited", "-people", "pk").first()
    assert most_people.people >= 3 and most_cited.cited >= 10  # the seed's, not empty ones
    return list({m.pk: m for m in (most_people, most_cited)}.values())


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_meeting_form_fits_1366_pixels_without_cutting_a_column(page):
    for meeting in fullest_meetings():
        response = page.goto(page.base + url(Meeting, "change", meeting.pk))
        assert response.status == 200
        page.wait_for_selector("#participations-group .select2-container")  # widgets drawn
        assert page.locator("#nav-sidebar").is_visible()  # measured with the sidebar open
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WINDOW["width"], meeting.slug
        assert page.evaluate(CLIPPED) == [], meeting.slug
        # Every participant and citation row is on the page, each inline in the window.
        rows = page.locator("#participations-group tbody tr.has_original").count()
        assert rows == meeting.participations.count()
        for group in ("participations", "agreement_links", "citations", "marks"):
            box = page.locator(f"#{group}-group").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WINDOW["width"], group
        shoot(page, f"admin-meeting-{meeting.pk}-1366")


def test_the_meeting_change_list_fits_and_no_title_runs_long(page):
    page.goto(page.base + url(Meeting, "changelist"))
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW["width"]
    # The results scroll sideways inside their box when too wide: they must not need to.
    overflow = page.evaluate(
        "() => { const r = document.querySelector('.results'); "
        "return r.scrollWidth - r.clientWidth; }"
    )
    assert overflow <= 1
    lines = page.evaluate(
        """() => [...document.querySelectorAll('#result_list tbody .field-title_short')]
             .map(cell => { const range = document.createRange();
                            range.selectNodeContents(cell);
                            return new Set([...range.getClientRects()].filter(r => r.width)
                                           .map(r => Math.round(r.top))).size; })"""
    )
    assert lines and max(lines) <= 4, lines
    shoot(page, "admin-meetings-1366")
