"""The repository's files hold no leftover merge-conflict markers."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_file_holds_a_conflict_marker():
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    files = [ROOT / name for name in listed] or [
        path for path in ROOT.rglob("*") if path.is_file() and ".venv" not in path.parts
    ]
    marked = []
    for path in files:
        if path.suffix in {".py", ".html", ".md", ".toml", ".yaml", ".json", ".css", ".js", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if MARKER.search(text):
                marked.append(str(path.relative_to(ROOT)))
    assert marked == []
