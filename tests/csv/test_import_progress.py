"""A long import or export says what it is doing: the admin's forms show a status line and
disable their buttons on submit (a small script the app serves); ``import_csv`` prints
progress to stderr every N rows."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.templatetags.static import static

from engagements.models import Meeting
from engagements.permissions import EDITORS
from tests.helpers import url

pytestmark = pytest.mark.django_db

SCRIPT = static("engagements/import-progress.js")


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def meetings_csv(count: int) -> str:
    rows = [f"2026-08-{n:04d}-talks,Talks {n},bilateral,held,2026-08,IN,IN" for n in range(count)]
    return "slug,title,kind,status,dates,country,countries\n" + "\n".join(rows) + "\n"


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
