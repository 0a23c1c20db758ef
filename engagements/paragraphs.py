"""Paragraphs of a source, as citations count them, and lists of them typed by staff.

A paragraph is a non-empty block of text; blank lines (or lines of spaces) separate them;
they are counted from 1 (see ``seeds/README.md``). Staff type the paragraphs a source backs
as a list: ``2, 17–26`` (an en dash or a hyphen for a range); and the sources a record cites
with their paragraphs, ``KEY ¶ 2, 17–26; OTHER ¶ 4`` (``#`` for ``¶`` too, easier to type).
"""

from __future__ import annotations

import re

BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
RANGE = re.compile(r"^(\d+)\s*[-–—]\s*(\d+)$")
#: One source of a citation list: its key, ``¶`` or ``#``, its paragraphs.
CITED_SOURCE = re.compile(r"^(?P<key>[^¶#]*?)\s*[¶#]\s*(?P<paragraphs>.*)$")
#: Separates the sources of a citation list (a paragraph list separates with commas).
SOURCE_SEPARATOR = ";"
#: Most paragraphs one list may name (a typo such as ``1-30000`` is refused, not expanded).
MAX_LISTED = 500
#: Words of a paragraph shown to staff beside a citation.
FIRST_WORDS = 10


class ParagraphListError(ValueError):
    pass


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``, in order (paragraph 1 first)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [block.strip() for block in BLANK_LINE.split(text) if block.strip()]


def count_paragraphs(text: str) -> int:
    return len(split_paragraphs(text))


def first_words(paragraph: str, words: int = FIRST_WORDS) -> str:
    """The opening words of a paragraph, with "…" when it goes on."""
    parts = paragraph.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def parse_paragraphs(text: str) -> list[int]:
    """``"2, 17–26"`` → ``[2, 17, 18, …, 26]`` (sorted, each once).

    Raises :class:`ParagraphListError` in words naming the part that is wrong.
    """
    numbers: set[int] = set()
    parts = [part.strip() for part in re.split(r"[,;]", str(text or ""))]
    if not any(parts):
        raise ParagraphListError("Give at least one paragraph, e.g. 2, 17–26.")
    for part in parts:
        if not part:
            continue
        if part.isdigit():
            first = last = int(part)
        else:
            found = RANGE.match(part)
            if not found:
                raise ParagraphListError(
                    f"“{part}” is not a paragraph number or a range such as 17–26."
                )
            first, last = int(found[1]), int(found[2])
            if last < first:
                raise ParagraphListError(f"The range “{part}” ends before it starts.")
        if first < 1:
            raise ParagraphListError("Paragraphs are numbered from 1.")
        if last - first + len(numbers) >= MAX_LISTED:
            raise ParagraphListError(f"“{part}”: a list names at most {MAX_LISTED} paragraphs.")
        numbers.update(range(first, last + 1))
    return sorted(numbers)


def parse_citations(text: str) -> list[tuple[str, list[int]]]:
    """``"KEY ¶ 2, 17–26; OTHER ¶ 4"`` → ``[("KEY", [2, 17, …, 26]), ("OTHER", [4])]``.

    Each source is its key, ``¶`` (or ``#``), then its paragraphs as :func:`parse_paragraphs`
    reads them; sources are separated by ``;``, and one named twice has its lists merged.
    Empty text is no citation (``[]``). Raises :class:`ParagraphListError` in words naming
    every part that is wrong.
    """
    cited: dict[str, set[int]] = {}
    errors = []
    for part in (p.strip() for p in str(text or "").split(SOURCE_SEPARATOR)):
        if not part:
            continue
        found = CITED_SOURCE.match(part)
        if not found or not found["key"]:
            errors.append(
                f"“{part}” is not a source with its paragraphs: write the source's key, ¶ "
                "(or #), then its paragraphs, e.g. KEY ¶ 2, 17–26."
            )
            continue
        try:
            numbers = parse_paragraphs(found["paragraphs"])
        except ParagraphListError as exc:
            errors.append(f"{found['key']}: {exc}")
            continue
        cited.setdefault(found["key"], set()).update(numbers)
    if errors:
        raise ParagraphListError(" ".join(errors))
    return [(key, sorted(numbers)) for key, numbers in cited.items()]


def format_citations(cited) -> str:
    """``[("KEY", [2, 17, …, 26]), ("OTHER", [4])]`` → ``"KEY ¶ 2, 17–26; OTHER ¶ 4"``."""
    return f"{SOURCE_SEPARATOR} ".join(
        f"{key} ¶ {format_paragraphs(numbers)}" for key, numbers in cited
    )


def format_paragraphs(numbers) -> str:
    """``[2, 17, 18, …, 26]`` → ``"2, 17–26"`` (a run of three or more as a range)."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(
        f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs
    )


def beyond_count(numbers, count: int | None) -> list[int]:
    """The paragraphs of ``numbers`` past a source's ``count`` (none when it is unknown)."""
    if not count:
        return []
    return [n for n in numbers if n > count]


def not_in_source(numbers, source) -> str:
    """Why ``numbers`` are not all paragraphs of ``source``; "" when they are (or unknown)."""
    count = getattr(source, "paragraph_count", None)
    missing = beyond_count(numbers, count)
    if not missing:
        return ""
    listed = format_paragraphs(missing)
    noun = "Paragraph" if len(missing) == 1 else "Paragraphs"
    verb = "does" if len(missing) == 1 else "do"
    return f"{noun} {listed} {verb} not exist: the source {source.key} has {count} paragraphs."
