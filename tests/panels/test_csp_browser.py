"""/about/ and the panel page break no part of the Content-Security-Policy, in a real Chromium.

The JSON-LD block on /about/ is a data block (``type="application/ld+json"``), which the
browser neither runs nor checks against ``script-src``; the page records every
``securitypolicyviolation`` event, and there must be none. Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from tests.curation.test_csp_browser import ARGS, CHROMIUM, RECORD_VIOLATIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def test_about_and_the_panel_page_break_no_policy(live_server, transactional_db, monkeypatch):
    call_command("seed", verbosity=0)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api")
    seen = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(120_000)  # a loaded machine is slow, not wrong
        page.add_init_script(RECORD_VIOLATIONS)
        console = []
        page.on(
            "console",
            lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        for path in ("/about/", "/panels/country-year/", "/panels/country-year/?partner=SG"):
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            found = [*page.evaluate("window.__violations"), *console]
            if found:
                seen[path] = found
            console.clear()
            if path == "/about/":
                text = page.locator('script[type="application/ld+json"]').text_content()
                assert json.loads(text)["@type"] == "Dataset"
        browser.close()
    connections.close_all()
    assert seen == {}
