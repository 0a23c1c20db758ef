"""The release's descriptors: a Frictionless Data Package (``datapackage.json``) and
Datasette's ``metadata.json``, both from the table specs (``tables``)."""

from __future__ import annotations

from .. import dataset
from .tables import Spec

#: Each declared type as a Table Schema type (an array is its ``;``-separated cell).
FIELD_TYPES = {
    "string": "string",
    "code": "string",
    "array": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
}
ARRAY_NOTE = "Several values in one cell, separated by ';' (sorted)."


def csv_path(name: str) -> str:
    return f"csv/{name}.csv"


def _field(field) -> dict:
    described = field.description
    if field.type == "array":
        described = f"{described} {ARRAY_NOTE}"
    out = {
        "name": field.name,
        "title": field.title,
        "description": described,
        "type": FIELD_TYPES[field.type],
    }
    if field.type == "boolean":
        out["trueValues"], out["falseValues"] = ["yes"], ["no"]
    if field.type == "date":
        out["format"] = "default"  # ISO 8601, YYYY-MM-DD
    if field.choices:
        out["constraints"] = {"enum": list(field.choices)}
    return out


def _licence() -> dict:
    licence = dataset.DATA_LICENCE
    return {"name": licence.spdx, "path": licence.url, "title": licence.name}


def datapackage(specs: list[Spec], version: str, created: str) -> dict:
    """The Data Package descriptor: a Table Schema per CSV file (types, keys), the licence,
    the version."""
    resources = []
    for spec in specs:
        schema = {"fields": [_field(f) for f in spec.fields], "missingValues": [""]}
        if spec.primary_key:
            schema["primaryKey"] = list(spec.primary_key)
        foreign = [
            {"fields": f.name, "reference": {"resource": table, "fields": column}}
            for f in spec.fields
            if f.references
            for table, column in [f.references]
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": spec.name,
                "path": csv_path(spec.name),
                "profile": "tabular-data-resource",
                "title": spec.title,
                "description": spec.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "defrel",
        "title": dataset.TITLE,
        "description": dataset.DESCRIPTION,
        "version": version,
        "created": created,
        "keywords": list(dataset.KEYWORDS),
        "licenses": [_licence()],
        "contributors": [{"title": dataset.PUBLISHER, "role": "publisher"}],
        "resources": resources,
    }


def datasette_metadata(specs: list[Spec], database: str, version: str) -> dict:
    """Datasette's metadata: the title, description and licence of the whole, and each
    table's title, description and column descriptions (``datasette FILE -m metadata.json``).
    ``database``: the SQLite file's name without its suffix."""
    licence = dataset.DATA_LICENCE
    tables = {
        spec.name: {
            "title": spec.title,
            "description": spec.description,
            "columns": {
                f.name: f"{f.description} {ARRAY_NOTE}" if f.type == "array" else f.description
                for f in spec.fields
            },
        }
        for spec in specs
    }
    return {
        "title": f"{dataset.TITLE}, release {version}",
        "description": dataset.DESCRIPTION,
        "license": licence.spdx,
        "license_url": licence.url,
        "source": dataset.PUBLISHER,
        "databases": {database: {"tables": tables}},
    }
