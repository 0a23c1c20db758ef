"""Every model as one CSV file, and the order that imports them into an empty database.

``export_csv --all FOLDER`` writes one file per resource; ``import_csv --all FOLDER`` reads
them back in :data:`ORDER`, so every record a cell names is already there when its row is
read: countries before the officials of a country, sources before citations, a meeting
before its participants.

One link goes both ways: a meeting names its standing mechanism (an initiative) and an
initiative lists its meetings. Initiatives are therefore imported twice: first without the
columns of :data:`SECOND_PASS` (its meetings do not exist yet), then, after the meetings,
whole, which adds those links. Within the meetings file a meeting may name a parent meeting
written further down (the export is newest first): :func:`parents_first` reorders the rows.

Records that must cite a source are imported before their citations file (the import's
``citations_follow``). What the files do not hold: the sources' texts (never exported), the
change history, staff accounts: the database backup has those (docs/backup.md).
"""

from __future__ import annotations

from .files import CSVDataset

#: The files in the order an import reads them (``initiative`` twice, see SECOND_PASS).
ORDER: tuple[str, ...] = (
    "country",
    "countryalias",
    "grouping",
    "membership",
    "groupingmark",
    "topic",
    "source",
    "post",
    "postalias",
    "postmark",
    "official",
    "officialalias",
    "officialmark",
    "tenure",
    "tenurecitation",
    "agreement",
    "agreementalias",
    "agreementstatuschange",
    "agreementrelation",
    "agreementcitation",
    "agreementmark",
    "initiative",
    "initiativealias",
    "partnershiplevel",
    "initiativecitation",
    "initiativemark",
    "meeting",
    "participation",
    "meetingcitation",
    "meetingmark",
    "agreementmeeting",
    "initiative",
    "outcome",
    "amount",
    "outcomecitation",
)

#: Columns left out of a model's first import (they name records of a later file); the
#: model's second place in ORDER imports them.
SECOND_PASS: dict[str, tuple[str, ...]] = {"initiative": ("meetings",)}


def file_name(model: str) -> str:
    return f"{model}.csv"


def first_pass(model: str, dataset: CSVDataset) -> CSVDataset:
    """``dataset`` without the columns its model imports on its second pass."""
    later = [c for c in SECOND_PASS.get(model, ()) if c in (dataset.headers or ())]
    if not later:
        return dataset
    keep = [i for i, name in enumerate(dataset.headers) if name not in later]
    trimmed = CSVDataset(headers=[dataset.headers[i] for i in keep])
    trimmed.header_line = dataset.header_line
    trimmed.line_numbers = list(dataset.line_numbers)
    for row in dataset:
        trimmed.append([row[i] for i in keep])
    return trimmed


def parents_first(dataset: CSVDataset, key: str = "slug", parent: str = "parent") -> CSVDataset:
    """``dataset`` with every row after the row of the parent it names (when the parent is in
    the file), rows otherwise in file order; line numbers follow their rows."""
    headers = dataset.headers or []
    if key not in headers or parent not in headers:
        return dataset
    k, p = headers.index(key), headers.index(parent)
    rows = list(zip(dataset, dataset.line_numbers or [None] * len(dataset), strict=True))
    index = {str(row[k]).strip(): i for i, (row, _) in enumerate(rows)}
    placed: set[int] = set()
    order: list[int] = []
    for start in range(len(rows)):
        chain, i = [], start
        # Walk up to the first ancestor already placed (or not in the file); a loop of
        # parents stops where it closes, and the database reports it on import.
        while i is not None and i not in placed and i not in chain:
            chain.append(i)
            named = str(rows[i][0][p] or "").strip()
            i = index.get(named) if named else None
        for i in reversed(chain):
            placed.add(i)
            order.append(i)
    ordered = CSVDataset(headers=headers)
    ordered.header_line = dataset.header_line
    for i in order:
        ordered.append(rows[i][0])
        if dataset.line_numbers:
            ordered.line_numbers.append(rows[i][1])
    return ordered
