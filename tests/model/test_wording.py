"""No run of eight words of a source document appears anywhere in the repository.

The sources are news articles: their facts go into the data, their sentences do not. The check
reads every tracked (or new, unignored) text file once and compares its eight-word runs with a
set of the sources' runs, after a normalisation that a copy cannot hide behind: lower case,
Unicode compatibility forms, and words split at anything that is not a letter or digit (so
curly and straight apostrophes, hyphens and signs all separate words alike). A run may only
stand when it lies inside a phrase of ``allowed_runs.txt``: a proper name or an official title.
"""

import html
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import source_texts_dir

SPAN = 8
ROOT = Path(settings.BASE_DIR)
SHARED_SEEDS = source_texts_dir()
ALLOWED_RUNS = Path(__file__).with_name("allowed_runs.txt")
SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules", "staticfiles"}
WORD = re.compile(r"[^\W_]+")
ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
# An allowlist entry is a name or a title, not a passage.
LONGEST_ALLOWED = 16


def words(text: str) -> list[tuple[str, int]]:
    """Each word of ``text`` normalised, with the line it starts on.

    HTML entities and ``\\uXXXX`` escapes (JSON, Python) are read as the characters they stand
    for, each within its line, so that ``India&rsquo;s`` is ``India’s`` is ``India's``.
    """
    text = ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), html.unescape(text))
    text = unicodedata.normalize("NFKC", text).casefold()
    starts = [m.start() for m in re.finditer(r"^", text, re.MULTILINE)]
    found, line = [], 0
    for match in WORD.finditer(text):
        while line + 1 < len(starts) and starts[line + 1] <= match.start():
            line += 1
        found.append((match.group(), line + 1))
    return found


def tokens(text: str) -> list[str]:
    return [word for word, _ in words(text)]


def runs(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + SPAN]) for i in range(len(tokens) - SPAN + 1)}


def project_files() -> list[Path]:
    """The repository's files: git's tracked and new unignored ones, or a walk of the tree."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        paths = [ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        paths = [
            path
            for path in ROOT.rglob("*")
            if not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts)
        ]
    return sorted(path for path in paths if path.is_file())


def text_of(path: Path) -> str | None:
    """The file's text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def allowed_phrases() -> list[tuple[str, ...]]:
    lines = ALLOWED_RUNS.read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [tuple(tokens(entry)) for entry in entries]


def copied_runs(text: str, sources: set, allowed: list[tuple[str, ...]]) -> list[tuple[int, str]]:
    """The (line, run) of each source run in ``text`` that no allowed phrase covers."""
    found = words(text)
    ours = [word for word, _ in found]
    hits = [i for i in range(len(ours) - SPAN + 1) if tuple(ours[i : i + SPAN]) in sources]
    if not hits:
        return []
    covered = [  # (start, end) of each place an allowed phrase occurs in the text
        (i, i + len(phrase))
        for phrase in allowed
        for i in range(len(ours) - len(phrase) + 1)
        if tuple(ours[i : i + len(phrase)]) == phrase
    ]
    return [
        (found[i][1], " ".join(ours[i : i + SPAN]))
        for i in hits
        if not any(start <= i and i + SPAN <= end for start, end in covered)
    ]


@pytest.fixture(scope="module")
def source_runs() -> set[tuple[str, ...]]:
    documents = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
    if not documents:
        pytest.skip(f"the source documents ({SHARED_SEEDS}/*.txt) are not here to compare with")
    found = set()
    for path in documents:
        found |= runs(tokens(path.read_text(encoding="utf-8")))
    return found


def test_no_run_of_eight_words_of_a_source_is_in_the_repository(source_runs):
    allowed = allowed_phrases()
    files = project_files()
    assert ROOT / "fixtures" / "06_meetings.yaml" in files  # the listing found the tree
    problems = []
    for path in files:
        text = text_of(path)
        if text is None:
            continue
        for line, run in copied_runs(text, source_runs, allowed):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {run}")
    assert not problems, (
        f"{len(problems)} runs of {SPAN} words copied from a source; reword them in our words, "
        f"or list a name or title in {ALLOWED_RUNS.name}:\n" + "\n".join(problems)
    )


def test_each_allowed_phrase_is_a_short_run_of_a_source(source_runs):
    """An entry must be worth having: long enough to contain a run, short, and in a source."""
    for phrase in allowed_phrases():
        assert SPAN <= len(phrase) <= LONGEST_ALLOWED, " ".join(phrase)
        assert runs(list(phrase)) <= source_runs, " ".join(phrase)


def test_a_copy_is_found_behind_changed_case_and_punctuation():
    source = "The Minister’s three-day visit to New Delhi ended"
    sources = runs(tokens(source))
    text = "Intro line.\nTHE minister's three day visit -- to new-delhi, ended\n"
    found = [
        (2, "the minister s three day visit to new"),
        (2, "minister s three day visit to new delhi"),
        (2, "s three day visit to new delhi ended"),
    ]
    assert copied_runs(text, sources, []) == found
    for hidden in ("minister&rsquo;s", "minister\\u2019s", "MINISTER\u2019S"):
        assert copied_runs(text.replace("minister's", hidden), sources, []) == found, hidden
    assert copied_runs("the minister met the press in new delhi", sources, []) == []


def test_only_a_run_inside_an_allowed_phrase_is_tolerated():
    sources = runs(tokens("The Minister’s three-day visit to New Delhi ended"))
    text = "the minister's three-day visit to New Delhi ended"
    middle = tuple(tokens("Minister’s three-day visit to New Delhi"))
    assert [run for _, run in copied_runs(text, sources, [middle])] == [
        "the minister s three day visit to new",
        "s three day visit to new delhi ended",
    ]
    whole = tuple(tokens(text))
    assert copied_runs(text, sources, [whole]) == []
