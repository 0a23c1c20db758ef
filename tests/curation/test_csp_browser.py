"""The Content-Security-Policy blocks nothing defrel's own pages need, in a real Chromium.

A superuser walks the reading room and the curation desk (change lists, change forms with
their autocomplete open, import, export, history) while the page records every
``securitypolicyviolation`` event: there must be none. Skipped where /usr/bin/chromium is
missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from engagements.models import Agreement, Country, Meeting, Source

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sample}`);
});
"""


@pytest.fixture
def walk(live_server, transactional_db, monkeypatch, django_user_model):
    call_command("seed", verbosity=0)
    django_user_model.objects.create_superuser("root", password="root-pw-for-csp")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        console = []
        page.on(
            "console",
            lambda message: (
                console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill("root")
        page.get_by_label("Password").fill("root-pw-for-csp")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")

        def visit(path: str, then=None) -> list[str]:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            if then:
                then(page)
                page.wait_for_timeout(300)
            return [*page.evaluate("window.__violations"), *console]

        yield visit
        browser.close()
        connections.close_all()


def open_first_autocomplete(page):
    page.locator(".select2-selection").first.click()
    page.keyboard.type("in")
    page.wait_for_timeout(500)


def test_no_page_of_the_site_breaks_the_policy(walk):
    meeting = Meeting.objects.order_by("pk").first()
    agreement = Agreement.objects.order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    country = Country.objects.get(iso2="IN")
    pages = [
        ("/", None),
        ("/meetings/", None),
        (f"/meetings/{meeting.slug}/", None),
        (f"/countries/{country.iso2.lower()}/", None),
        ("/agreements/", None),
        ("/admin/", None),
        ("/admin/engagements/meeting/", None),
        (f"/admin/engagements/meeting/{meeting.pk}/change/", open_first_autocomplete),
        ("/admin/engagements/meeting/add/", open_first_autocomplete),
        (f"/admin/engagements/meeting/{meeting.pk}/history/", None),
        (f"/admin/engagements/agreement/{agreement.pk}/change/", None),
        (f"/admin/engagements/source/{source.pk}/change/", None),
        ("/admin/engagements/meeting/import/", None),
        ("/admin/engagements/meeting/export/", None),
    ]
    seen = {}
    for path, then in pages:
        violations = walk(path, then)
        if violations:
            seen[path] = violations
    assert seen == {}
