"""The query parameters of a list endpoint: its page's filters, described for OpenAPI.

The filters themselves are the reading room's (``engagements.views.filters``): the API reads
the query string with the page's filterset, so a parameter means the same on both, and bad
values get the same messages. Here each filter's form field is described as an OpenAPI
parameter (type, allowed values, bounds), with the paging parameters.
"""

from __future__ import annotations

from django import forms

from ..views.filterfields import CountryCodesField
from ..views.filters import ReadingRoomFilterSet

PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200
#: Parameters that position or size a page (not filters).
PAGING = ("per_page", "after", "before")


def _schema(field: forms.Field) -> dict:
    """The JSON schema of the values one form field accepts."""
    if isinstance(field, CountryCodesField):
        code = {"type": "string", "pattern": "^[A-Za-z]{2}$"}
        return {"type": "array", "items": code}
    if isinstance(field, forms.MultipleChoiceField):
        values = [str(value) for value, _ in field.choices]
        return {"type": "array", "items": {"type": "string", "enum": values}}
    if isinstance(field, forms.ModelChoiceField):
        return {"type": "string", "minLength": 1, "maxLength": 200}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _ in field.choices if value]}
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, forms.IntegerField):
        # The bounds the form's number box shows (min_value/max_value, or a YearField's).
        bounds = {
            "minimum": field.widget.attrs.get("min"),
            "maximum": field.widget.attrs.get("max"),
        }
        return {"type": "integer", **{k: int(v) for k, v in bounds.items() if v is not None}}
    schema = {"type": "string"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def filter_parameters(filterset_class: type[ReadingRoomFilterSet], *, sort: bool = True) -> list:
    """OpenAPI parameters of ``filterset_class``'s filters (without ``sort`` when not
    ``sort``), each described by its label on the page."""
    parameters = []
    for name, flt in filterset_class.base_filters.items():
        if name == "sort" and not sort:
            continue
        field = flt.field
        schema = _schema(field)
        description = str(field.label or name)
        if name == "sort":
            description = "The order of the rows (the page's Sort by); the first is the default"
            schema["default"] = filterset_class.default_sort
        elif schema["type"] == "array":
            description += " (repeat the parameter for several: any of them)"
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description + ".",
                "schema": schema,
                **({"style": "form", "explode": True} if schema["type"] == "array" else {}),
            }
        )
    return parameters


PAGING_PARAMETERS = [
    {
        "name": "per_page",
        "in": "query",
        "required": False,
        "description": f"Rows per page, 1 to {PER_PAGE_MAX}.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": PER_PAGE_MAX,
            "default": PER_PAGE_DEFAULT,
        },
    },
    {
        "name": "after",
        "in": "query",
        "required": False,
        "description": "A cursor: the page after it (follow the response's next link).",
        "schema": {"type": "string"},
    },
    {
        "name": "before",
        "in": "query",
        "required": False,
        "description": "A cursor: the page before it (follow the response's previous link).",
        "schema": {"type": "string"},
    },
]
