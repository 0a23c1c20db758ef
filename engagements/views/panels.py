"""The country-year panel page: a filter by partner and years, a preview, CSV and JSON files.

``?format=csv`` or ``?format=json`` downloads what the page shows (``table=undated`` the
table of what the panel leaves out for want of a date). A bad filter value, format or table
is a 400 that names it, never a page a script would take for data.
"""

from __future__ import annotations

import json

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.generic import TemplateView

from .. import panels
from ..caching import kept, table_is_big
from ..models import Country, Meeting
from .base import ReadingRoomMixin

FORMATS = ("html", "csv", "json")
TABLES = ("panel", "undated")
PREVIEW_ROWS = 60


class PanelFilter(forms.Form):
    partner = forms.MultipleChoiceField(
        required=False,
        label="Partners",
        help_text="None chosen: every partner.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    first = forms.IntegerField(
        required=False, min_value=panels.EARLIEST, max_value=panels.LATEST, label="From year"
    )
    last = forms.IntegerField(
        required=False, min_value=panels.EARLIEST, max_value=panels.LATEST, label="To year"
    )

    def __init__(self, *args, partners: list[Country], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [(c.iso2, c.name) for c in partners]

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first is not None and last is not None and first > last:
            raise forms.ValidationError(f"The first year ({first}) is after the last ({last}).")
        return data


def _problem(text: str) -> HttpResponse:
    return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")


class CountryYearPanelView(ReadingRoomMixin, TemplateView):
    template_name = "engagements/panel_country_year.html"
    model = Meeting  # the permission checked when the pages are not public

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "html") or "html"
        table = request.GET.get("table", "panel") or "panel"
        if fmt not in FORMATS:
            return _problem(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
        if table not in TABLES:
            return _problem(f"Unknown table {table!r}: use one of {', '.join(TABLES)}.")
        partners = list(Country.objects.partners().order_by("name"))
        form = PanelFilter(request.GET or None, partners=partners)
        if request.GET and not form.is_valid():
            if fmt != "html":
                return _problem("; ".join(_errors(form)))
            return self.render_to_response(
                self.get_context_data(form=form, errors=_errors(form)), status=400
            )
        data = form.cleaned_data if form.is_bound else {}
        chosen = sorted(data.get("partner") or []) or None
        countries = [c for c in partners if c.iso2 in chosen] if chosen else partners
        first, last = data.get("first"), data.get("last")
        big = table_is_big(Meeting)
        params = (chosen, first, last)
        rows = kept(
            "panel:country-year",
            lambda: panels.country_year_panel(countries, first, last),
            params=params,
            big=big,
        )
        undated = kept(
            "panel:undated", lambda: panels.undated_counts(countries), params=chosen, big=big
        )
        years = (rows[0]["year"], rows[-1]["year"]) if rows else None
        if fmt == "html":
            return self.render_to_response(
                self.get_context_data(
                    form=form, rows=rows, undated=undated, years=years, chosen=chosen
                )
            )
        columns = panels.COLUMNS if table == "panel" else panels.UNDATED_COLUMNS
        data_rows = rows if table == "panel" else undated
        name = _filename(table, chosen, years)
        if fmt == "csv":
            response = HttpResponse(
                panels.as_csv(columns, data_rows), content_type="text/csv; charset=utf-8"
            )
        else:
            body = {
                "table": f"country-year {table}",
                "first_year": years[0] if years else None,
                "last_year": years[1] if years else None,
                "count": len(data_rows),
                "rules": list(panels.RULES),
                "columns": [
                    {"name": c.name, "type": c.type, "description": c.description} for c in columns
                ],
                "rows": data_rows,
            }
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False, indent=1),
                content_type="application/json; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context.get("rows") or []
        query = self.request.GET.copy()
        query.pop("format", None)
        query.pop("table", None)
        context.update(
            title="Country-year panel",
            preview=rows[:PREVIEW_ROWS],
            more=max(len(rows) - PREVIEW_ROWS, 0),
            columns=panels.COLUMNS,
            undated_columns=panels.UNDATED_COLUMNS,
            rules=panels.RULES,
            query=query.urlencode(),
            undated_total=sum(
                r["undated_meetings"] + r["undated_agreement_steps"] + r["undated_outcomes"]
                for r in context.get("undated") or []
            ),
        )
        return context


def _errors(form: forms.Form) -> list[str]:
    problems = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            problems.append(f"{label}: {error}" if label else error)
    return problems


def _filename(table: str, chosen, years) -> str:
    parts = ["defrel-country-year"]
    if table == "undated":
        parts.append("undated")
    if chosen:
        parts.append("-".join(sorted(code.lower() for code in chosen)))
    if years and table == "panel":
        parts.append(f"{years[0]}-{years[1]}")
    return "_".join(parts)
