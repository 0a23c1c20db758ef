"""The reading room in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skipped where /usr/bin/chromium is missing. Screenshots of the main pages (desktop and phone
width) go to ``screenshots/`` (git-ignored) for a person to look at.
"""

import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from engagements.columns import record_for
from engagements.models import Meeting

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def site(live_server, transactional_db, monkeypatch):
    """The live server with the seed data (transactional tests start and end empty-handed)."""
    call_command("seed", verbosity=0)
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # (fixtures, expected values) happen outside it but Django checks for any loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return live_server.url


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
        # While Playwright runs, the ORM calls of a test see other context variables (Django
        # keeps connections per context): close that connection here, or it outlives the
        # test and PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_filter_follow_a_link_and_download_a_csv(site, browser):
    expected = list(
        Meeting.objects.filter(countries__iso2="KR", start_date__year__gte=2019)
        .order_by("-start_date", "-id")
        .values_list("slug", "title")
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page.goto(site + "/meetings/")
    page.get_by_label("Country", exact=True).fill("KR")
    page.get_by_label("From year").fill("2019")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/meetings/?*country=KR*")
    assert "year_from=2019" in page.url
    titles = page.locator("table.records tbody th a").all_inner_texts()
    assert titles == [title for _, title in expected]
    assert page.get_by_role("heading", name=f"{len(expected)} meetings matching").is_visible()
    shoot(page, "meetings-filtered-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("list", name="Export exactly these rows").get_by_role(
            "link", name="CSV"
        ).first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("meetings_country-KR")
    body = Path(download.path()).read_text(encoding="utf-8-sig")
    assert [row["slug"] for row in csv.DictReader(io.StringIO(body))] == [s for s, _ in expected]

    page.get_by_role("link", name="Rajnath Singh – Kim Yong Hyun talks").click()
    page.wait_for_url("**/meetings/2024-11-rajnath-singh-kim-yong-hyun-talks/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Rajnath Singh – Kim Yong Hyun talks"
    )
    assert page.get_by_role("heading", name="Who attended").is_visible()
    assert page.get_by_text("November 2024").first.is_visible()
    page.get_by_role("link", name="Kim Yong Hyun").first.click()
    page.wait_for_url("**/officials/kim-yong-hyun/")
    assert page.get_by_role("heading", name="Posts held").is_visible()


def test_facets_and_pages(site, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(site + "/meetings/?per_page=25")
    facet = page.get_by_role("region", name="Kind").get_by_role("link").first
    label = facet.locator(".facet-label").inner_text()
    count = int(facet.locator(".count").inner_text())
    facet.click()
    page.wait_for_url("**kind=*")
    assert page.locator("table.records tbody tr").count() == count
    assert page.get_by_role("list", name="Filters in use").inner_text().count("Kind") == 1
    assert label in page.get_by_role("list", name="Filters in use").inner_text()
    page.get_by_role("link", name="Remove filter").first.click()
    page.wait_for_load_state()
    assert "kind=" not in page.url


def test_every_filter_has_a_label_and_charts_need_no_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("/meetings/", "/agreements/", "/initiatives/", "/officials/", "/countries/"):
        page.goto(site + path)
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('form.filters input, form.filters select')]
                 .filter(el => el.type !== 'hidden' && el.labels.length === 0)
                 .map(el => el.name)"""
        )
        assert unlabelled == [], path
    page.goto(site + "/")
    charts = page.locator("svg.chart.wide")  # the phone's drawings are hidden here
    assert charts.count() == 3
    # Their bars are links: named links in a group, not focusable links inside an image.
    assert page.locator("svg.chart[role=img] a").count() == 0
    assert page.get_by_role("link", name="South Korea:").count() == 1
    titles = {charts.nth(i).locator("title").first.text_content() for i in range(3)}
    assert titles == {
        "Engagements per year",
        "India's partners by number of meetings",
        "Meetings by kind",
    }
    context.close()


def test_phone_width_has_no_sideways_scrolling(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    for path in ("/", "/meetings/?country=KR", "/countries/kr/", "/meetings/admm-plus-11/"):
        page.goto(site + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, path


def test_phone_table_cells_keep_their_headings(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(site + "/meetings/?country=KR")
    labels = page.evaluate(
        """() => [...document.querySelectorAll('table.records tbody tr:first-child td')]
             .map(td => getComputedStyle(td, '::before').content)"""
    )
    # Every data cell (not the row's heading) shows its column's heading on a phone.
    expected = [f'"{cell.label}: "' for cell in record_for(Meeting).table if not cell.heading]
    assert labels == expected and len(expected) >= 4
    shoot(page, "meetings-cells-phone")


@pytest.mark.parametrize(("width", "suffix"), [(1366, "desktop"), (390, "phone")])
def test_screenshots_of_the_main_pages(site, browser, width, suffix):
    page = browser.new_page(viewport={"width": width, "height": 900})
    pages = {
        "overview": "/",
        "meetings": "/meetings/",
        "agreements-us": "/agreements/?country=US",
        "initiatives-quad": "/initiatives/?grouping=quad",
        "officials": "/officials/",
        "countries": "/countries/?engaged=on",
        "country-kr": "/countries/kr/",
        "meeting": "/meetings/admm-plus-11/",
        "agreement": "/agreements/india-malaysia-defence-cooperation-mou-1993/",
        "official": "/officials/rajnath-singh/",
        "source": "/sources/002_e5b3391f3894ea28/",
        "bad-filter": "/meetings/?country=XX&year_from=abc",
    }
    for name, path in pages.items():
        response = page.goto(site + path)
        assert response.status == (400 if name == "bad-filter" else 200), path
        shoot(page, f"{name}-{suffix}")
    page.emulate_media(media="print")
    page.goto(site + "/meetings/?country=KR")
    assert not page.locator(".sidebar").is_visible()  # print shows the records, not the filters
    shoot(page, f"meetings-print-{suffix}")
    assert os.listdir(SCREENSHOTS)
