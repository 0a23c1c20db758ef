"""A long import or export says what it is doing: the admin's forms show a status line and
disable their buttons on submit (a small script the app serves); ``import_csv`` prints
progress to stderr every N rows."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.templatetags.static import static

from engagements.models import Meeting
from tests.helpers import url

pytestmark = pytest.mark.django_db

SCRIPT = static("engagements/import-progress.js")
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
#: A made-up origin whose every request the browser test answers itself (no server, no network).
ORIGIN = "http://import-progress.test"


def meetings_csv(count: int) -> str:
    cite = "002_e5b3391f3894ea28 ¶ 1"  # each new meeting cites a source
    rows = [
        f"2026-08-{n:04d}-talks,Talks {n},bilateral,held,2026-08,IN,IN,{cite}" for n in range(count)
    ]
    return "slug,title,kind,status,dates,country,countries,citations\n" + "\n".join(rows) + "\n"


def progress_line(html: str) -> str:
    (line,) = re.findall(r'<p class="import-progress[^>]*>', html)
    return line


def test_the_import_pages_show_a_status_line_while_they_work(editor):
    form = editor.get(url(Meeting, "import")).content.decode()
    assert 'data-message="Uploading and checking the file… this may take a minute."' in (
        progress_line(form)
    )
    assert f'<script src="{SCRIPT}" defer></script>' in form
    upload = SimpleUploadedFile("m.csv", meetings_csv(3).encode(), "text/csv")
    preview = editor.post(url(Meeting, "import"), {"format": "0", "import_file": upload})
    html = preview.content.decode()
    confirm = html.split('name="confirm"', 1)[1]
    assert 'data-message="Importing 3 rows… this may take a minute."' in progress_line(confirm)
    export = editor.get(url(Meeting, "export")).content.decode()
    line = progress_line(export)
    assert 'data-download="1"' in line and 'data-form="#content form"' in line


def test_the_script_is_served_by_the_app(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get(SCRIPT)
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    body = b"".join(response.streaming_content).decode()
    assert "button.disabled = true" in body and "line.dataset.message" in body
    assert "http" not in body  # nothing fetched from elsewhere


def run(tmp_path, text: str, *args) -> tuple[str, str]:
    path = tmp_path / "meetings.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", "meeting", str(path), "--dry-run", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_csv_prints_progress_every_n_rows(tmp_path):
    _, err = run(tmp_path, meetings_csv(5), "--progress-every", "2")
    assert err.splitlines() == ["2 of 5 rows read…", "4 of 5 rows read…"]
    _, err = run(tmp_path, meetings_csv(5))  # the default: every 1,000 rows
    assert err == ""
    _, err = run(tmp_path, meetings_csv(1_001))
    assert err.splitlines() == ["1,000 of 1,001 rows read…"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_in_a_browser_the_submit_shows_the_line_and_disables_the_button():
    """The script on a page of its own: while the POST goes unanswered the line is shown,
    the button is disabled and a second submit is refused; the button's name was sent."""
    sync_api = pytest.importorskip("playwright.sync_api")
    script = Path(finders.find("engagements/import-progress.js")).read_text()
    page_html = (
        # The answer goes to a frame, so the page stays and can be asked while it waits.
        '<iframe name="answer"></iframe>'
        '<form action="/import" method="post" target="answer">'
        '<input type="submit" name="confirm" value="Go">'
        '<p class="import-progress" hidden data-message="Importing 3 rows…"></p>'
        '<script src="/progress.js" defer></script></form>'
    )
    posts = []

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path == "/form":
            route.fulfill(body=page_html, content_type="text/html; charset=utf-8")
        elif path == "/progress.js":
            route.fulfill(body=script, content_type="text/javascript")
        else:
            posts.append(route)  # the import "runs": answered at the end

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page()
        page.route(f"{ORIGIN}/**", answer)
        page.goto(f"{ORIGIN}/form")
        line = page.locator(".import-progress")
        assert line.is_hidden()
        page.evaluate("document.querySelector('[type=submit]').click()")  # no wait for the page
        page.wait_for_function("document.querySelector('[type=submit]').disabled")
        assert line.is_visible() and line.inner_text() == "Importing 3 rows…"
        assert len(posts) == 1 and posts[0].request.post_data == "confirm=Go"
        page.evaluate("document.querySelector('form').requestSubmit()")
        page.wait_for_timeout(200)
        assert len(posts) == 1  # not submitted twice
        posts[0].fulfill(body="done", content_type="text/html")
        browser.close()
