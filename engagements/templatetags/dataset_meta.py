"""``{% citation_meta record as meta %}``: what a record page's citation meta tags say."""

from __future__ import annotations

from django import template

from .. import dataset
from ..models import Country, Post

register = template.Library()


def record_title(record) -> str:
    """The record's name as its page heads it (a post with its country, a country with India)."""
    if isinstance(record, Post):
        return f"{record.title}, {record.country.name}"
    if isinstance(record, Country):
        return f"{record.name} and India"
    for attribute in ("title", "name", "short_name"):
        value = getattr(record, attribute, "")
        if value:
            return str(value)
    return str(record)


@register.simple_tag(takes_context=True)
def citation_meta(context, record) -> dict:
    request = context.get("request")
    path = record.get_absolute_url()
    return {
        "title": f"{record_title(record)} — {dataset.TITLE}",
        "publisher": dataset.PUBLISHER,
        "date": dataset.release_date(),
        "url": request.build_absolute_uri(path) if request else path,
        "dataset": dataset.TITLE,
        "version": dataset.version(),
        "licence": dataset.DATA_LICENCE.url,
    }
