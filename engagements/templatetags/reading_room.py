"""Template helpers of the researcher pages."""

from __future__ import annotations

from django import template
from django.db.models import TextChoices
from django.utils.html import format_html, format_html_join

from ..dates import PartialDate
from ..models import AgreementStatus, Country

register = template.Library()


@register.filter
def partial_date(value, precision: str = "day") -> str:
    """A stored date shown only as precisely as it is known: “November 2024”."""
    return PartialDate(value, precision).humanize()


@register.filter
def status_label(code: str | None) -> str:
    return _label(AgreementStatus, code)


def _label(choices: type[TextChoices], code: str | None) -> str:
    if not code:
        return ""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@register.simple_tag
def country_datalist() -> str:
    """The ``<datalist id="country-codes">`` behind every country filter box."""
    options = format_html_join(
        "", "<option value='{}'>{}</option>", Country.objects.values_list("iso2", "name")
    )
    return format_html("<datalist id='country-codes'>{}</datalist>", options)


@register.filter
def is_checkbox_group(field) -> bool:
    return field.widget_type in ("checkboxselectmultiple",)


@register.filter
def is_checkbox(field) -> bool:
    return field.widget_type == "checkbox"


@register.simple_tag(takes_context=True)
def nav_class(context, *names: str) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match else ""
    return "current" if any(current.startswith(n) for n in names) else ""
