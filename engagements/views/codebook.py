"""The codebook: every exported table and column, generated from the column declarations.

For each list of the reading room, each table it exports (its own rows and every
``table=``): the columns with their type, meaning and allowed values (the model's choices
with their labels; outcome kinds with their PLOVER and CAMEO counterparts), and, once, how
files are written, how dates and their precision work, and what the inferred and reference
marks say. ``/codebook/`` shows it; ``manage.py codebook`` writes it as Markdown (the same
text, for a release).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import TemplateView

from ..columns.base import Column
from ..columns.typed import Typed, typed
from ..dates import DateExtent, DatePrecision
from ..models import MarkBasis, Meeting, Outcome, OutcomeKind
from ..models.outcomes import OUTCOME_KINDS
from .base import ReadingRoomMixin
from .exports import permalink_fields
from .lists import LIST_VIEWS
from .tables import ExportTable

# --- the entries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """An allowed code, its label, and a note (an outcome kind's PLOVER/CAMEO counterpart)."""

    code: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Entry:
    """One column of one table."""

    name: str
    label: str
    type: str
    description: str
    values: tuple[Value, ...] = ()
    #: The section that lists its values, when they are shared (precisions, extents…).
    see: str = ""
    derived_from: str = ""


@dataclass(frozen=True)
class Table:
    anchor: str
    title: str
    url: str  # the export's address, without a format
    description: str
    key: tuple[str, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Listing:
    """One list page and the tables it exports."""

    anchor: str
    title: str
    url: str
    tables: tuple[Table, ...]


#: Vocabularies described once (in a section) rather than with every column using them.
SHARED = {
    tuple(DatePrecision.values): "dates",
    tuple(DateExtent.values): "dates",
    tuple(MarkBasis.values): "marks",
}

TYPE_NAMES = {
    "string": "text",
    "code": "code",
    "integer": "integer",
    "number": "number",
    "boolean": "yes/no",
    "date": "date (ISO day)",
    "array": "list",
}


def type_name(value: Typed) -> str:
    """The type as the codebook names it: ``code (ISO 3166-1 alpha-2)``, ``list of codes``."""
    if value.type == "array":
        return f"list of {value.form}" if value.form else "list"
    name = TYPE_NAMES[value.type]
    return f"{name} ({value.form})" if value.form and value.type != "date" else name


def counterpart(code: str) -> str:
    found = OUTCOME_KINDS.get(OutcomeKind(code))
    if found is None:
        return ""
    note = f" {found.note}" if found.note else ""
    return f"PLOVER {found.plover}; CAMEO {found.cameo}.{note}"


def entry(column: Column, model) -> Entry:
    value = typed(column, model)
    codes = tuple(code for code, _ in value.choices)
    see = SHARED.get(codes, "")
    values = ()
    if value.choices and not see:
        outcome_kind = model is Outcome and column.kind.attribute == "kind"
        values = tuple(
            Value(code, label, counterpart(code) if outcome_kind else "")
            for code, label in value.choices
        )
    return Entry(
        column.name,
        column.label,
        type_name(value),
        column.description,
        values,
        see,
        column.derived_from,
    )


def table_entry(listing_anchor: str, path: str, key: str, table: ExportTable) -> Table:
    record = table.record
    entries = [entry(column, record.model) for column in record.exported]
    for name, relation in permalink_fields(record.model):
        about = (
            "The address of the row's page on this site (JSON only)."
            if not relation
            else f"The address of the {relation}'s page on this site (JSON only)."
        )
        entries.append(Entry(name, "Permalink", "text (URL)", about))
    title = table.label if not key else f"{table.label} (table={key})"
    return Table(
        f"{listing_anchor}-{key}" if key else listing_anchor,
        title,
        f"{path}?table={key}" if key else path,
        record.description,
        record.key,
        tuple(entries),
    )


def listings() -> list[Listing]:
    """Every list page and its tables, in the order of the site's navigation."""
    found = []
    for view in LIST_VIEWS:
        name = view.model._meta.model_name
        path = reverse(f"engagements:{name}_list")
        anchor = str(view.model._meta.verbose_name_plural).replace(" ", "-")
        tables = tuple(
            table_entry(anchor, path, key, table) for key, table in view.export_tables().items()
        )
        found.append(Listing(anchor, view.title, path, tables))
    return found


# --- the text around the tables (written once, rendered as HTML and as Markdown) ------------

#: (anchor, title, blocks): a block is a paragraph, or a tuple of list items. Inline
#: ``code`` is the only markup.
SECTIONS: tuple[tuple[str, str, tuple], ...] = (
    (
        "files",
        "Files and formats",
        (
            "Add `format=csv` or `format=json` to the address of any list, with its filters: "
            "the file holds every row the filters choose (all pages), in the list's order. "
            "`table=` picks a related table of the same rows instead (each is described "
            "below); an unknown format or table is answered with status 400 naming the ones "
            "that exist. The file name records the filters: "
            "`meetings_country-IN_year_from-2019.csv`.",
            (
                "CSV: UTF-8 with a byte-order mark, comma-separated, lines ending in LF; a "
                "value holding a comma, a quote or a line break is quoted. Several values in "
                "one cell are separated by `; ` and sorted. A text starting with `=`, `+`, "
                "`-`, `@`, a tab or a carriage return is written with a leading `'` so that "
                "spreadsheets show it rather than run it (the import removes it again). An "
                "empty cell is a missing value.",
                "JSON: one document, `meta` (where it comes from and when), `schema` (a Table "
                "Schema: each column's name, type, title, description and allowed codes), "
                "`data` (the rows) and `count`. Values are typed: numbers are numbers, yes/no "
                "is true/false, several values are an array, a missing value is null (never "
                "an empty string), and each row carries the permalinks of its pages. It is "
                "the whole set, never a page: `count` is the number of rows in `data`.",
                "pandas reads the JSON with its types as "
                '`pd.read_json(url, orient="table")`, and the CSV with '
                '`pd.read_csv(url, parse_dates=["start_date", "end_date"], '
                'dtype={"edition": "Int64"})` (name every date and integer column the '
                "table has: the types are below).",
                "The CSV files are the ones staff import in the admin: exporting and "
                "importing a file changes nothing. Columns derived for analysis (marked "
                "*derived* below) are ignored on import.",
            ),
        ),
    ),
    (
        "types",
        "Types",
        (
            (
                "text: any text; in JSON a string, null when empty.",
                "code: one of a fixed set of values, listed with the column (their labels "
                "are what the pages show); in JSON a string.",
                "integer, number: in CSV written in full (`6700000000`, never `6.7e9`); in "
                "JSON a number. A missing integer makes pandas read a CSV column as floats "
                "unless it is read as `Int64`.",
                "yes/no: `yes` or `no` in CSV, true or false in JSON.",
                "date (ISO day): `YYYY-MM-DD`, see Dates below; in JSON a string, which "
                '`orient="table"` reads as a date.',
                "list: several values, `IN; KR` in CSV, an array in JSON (empty, never "
                "null, when there are none).",
                "identifier: a record's stable identifier (its slug; a source's key; a "
                "country's ISO 3166-1 alpha-2 code), the join key between tables and the "
                "last part of its page's address.",
            ),
        ),
    ),
    (
        "dates",
        "Dates and their precision",
        (
            "Sources date events to the day, the month or the year, give a span of days, or "
            "no date at all; nothing is made more precise than its source. Each date column "
            "is written in EDTF (ISO 8601-2), as the import reads it: `2024` (a year), "
            "`2024-11` (a month), `2024-11-21` (a day), empty when unknown; a meeting's "
            "`dates` can also be a span `2019-09-02/2019-09-06`, a start whose end is not "
            "reported `2023-07-10/..`, or one day, not known which, within a span "
            "`[2019-09-02..2019-09-06]`.",
            "Because EDTF mixes forms no spreadsheet reads as dates, each date column is "
            "followed by derived columns: its ISO day (`start_date` and `end_date` for a "
            "meeting's `dates`; `X_date` for another column `X`, `X_iso` where `X` already "
            "ends in `date`) and its precision (`date_precision`, `X_precision`). A month or "
            "a year is written as its first day, so `2024-11` is `2024-11-01` with precision "
            "`month`: read the day with its precision, and never as the day the event "
            "happened. A span of months ends on the first day of its last month.",
            (
                "precision `day`: the day is known;",
                "precision `month`: the month is known, not the day;",
                "precision `year`: only the year is known;",
                "precision `unknown`: no date is given (the date columns are empty).",
            ),
            "A meeting's `date_extent` says what its start and end mean together:",
            (
                "`single`: one day, month or year (no end_date);",
                "`span`: it lasted from start_date to end_date;",
                "`open`: it began on start_date; the end is not reported (no end_date);",
                "`within`: it took one day, not known which, between start_date and end_date.",
            ),
            "Lists filter and count by the start's year, which every precision but unknown "
            "gives; a meeting with an unknown date is never in a year's count.",
        ),
    ),
    (
        "marks",
        "Inferred and reference values",
        (
            "Every value is either supported by one of its record's citations (the "
            "`citations` table of each list: a source's key and a paragraph number), or "
            "marked. A mark (the `marks` table of a list) names the record, the column it is "
            "on (`column`, as the files name it), its basis and a note:",
            (
                "`inferred`: read from the sources' wording without being stated; the note "
                "gives the reasoning and the paragraphs it rests on;",
                "`reference`: knowledge from outside the sources (a standard, a grouping's "
                "own member list); the note says where it comes from.",
            ),
            "A mark on a date column covers its derived columns too. Two facts carry their "
            "basis on the row itself: an agreement's status step (`basis`: `reported` or "
            "`inferred`, and `date_exact`: whether the step happened on its date or a source "
            "only shows the agreement at that step then), and a partnership's level "
            "(`attested`, and `reference` where no paragraph gives it). Countries' codes and "
            "names are reference data as a whole (ISO 3166-1).",
        ),
    ),
)

_CODE = re.compile(r"`([^`]+)`")
_EMPHASIS = re.compile(r"\*([^*]+)\*")


def inline_html(text: str) -> SafeString:
    """``code`` and *emphasis* of the codebook's own text as HTML (everything else escaped)."""
    html = _CODE.sub(r"<code>\1</code>", str(escape(text)))
    return mark_safe(_EMPHASIS.sub(r"<em>\1</em>", html))


def sections_html() -> list[tuple[str, str, list]]:
    """The sections with each block as ("p", html) or ("ul", [html…])."""
    return [
        (
            anchor,
            title,
            [
                ("ul", [inline_html(item) for item in block])
                if isinstance(block, tuple)
                else ("p", inline_html(block))
                for block in blocks
            ],
        )
        for anchor, title, blocks in SECTIONS
    ]


# --- Markdown -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _values_text(item: Entry) -> str:
    if item.see:
        return f"see [{item.see}](#{item.see})"
    if any(v.note for v in item.values):
        return "see the list below the table"
    return "; ".join(f"`{v.code}` {v.label}" for v in item.values)


def markdown() -> str:
    """The whole codebook as Markdown."""
    lines = [
        "# defrel codebook",
        "",
        "What every table and column of defrel's exports holds. Generated from the column "
        "declarations (`engagements/columns/`) by `manage.py codebook`; the site shows the "
        "same at `/codebook/`.",
        "",
    ]
    for anchor, title, blocks in SECTIONS:
        lines += [f'<a id="{anchor}"></a>', "", f"## {title}", ""]
        for block in blocks:
            if isinstance(block, tuple):
                lines += [f"- {item}" for item in block]
            else:
                lines.append(block)
            lines.append("")
    for listing in listings():
        lines += [f'<a id="{listing.anchor}"></a>', "", f"## {listing.title}", ""]
        for table in listing.tables:
            lines += [
                f'<a id="{table.anchor}"></a>',
                "",
                f"### {table.title}",
                "",
                f"{table.description} `{table.url}` with `format=csv` or `format=json`; "
                f"one row per {', '.join(f'`{k}`' for k in table.key)}.",
                "",
                "| column | type | meaning | values |",
                "| --- | --- | --- | --- |",
            ]
            for item in table.entries:
                derived = f" *Derived from `{item.derived_from}`.*" if item.derived_from else ""
                lines.append(
                    f"| `{item.name}` | {_cell(item.type)} | "
                    f"{_cell(item.description)}{derived} | {_cell(_values_text(item))} |"
                )
            notes = [item for item in table.entries if any(v.note for v in item.values)]
            for item in notes:
                lines += ["", f"Values of `{item.name}`:", ""]
                lines += [f"- `{v.code}` {v.label}: {v.note}" for v in item.values]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- the page -------------------------------------------------------------------------------


class CodebookView(ReadingRoomMixin, TemplateView):
    """``/codebook/``: the codebook as a page of the reading room."""

    template_name = "engagements/codebook.html"
    model = Meeting  # with DEFREL_PUBLIC off, readers need to view meetings

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Codebook", sections=sections_html(), listings=listings(), **kwargs
        )
