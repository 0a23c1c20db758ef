"""/about/: what the dataset covers, how it is curated, its licences, how to cite it."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from .. import dataset
from ..models import Meeting
from .base import ReadingRoomMixin

#: The lists whose full CSV export /about/ offers, as (URL name, label).
WHOLE_TABLES = (
    ("meeting_list", "Meetings"),
    ("outcome_list", "Outcomes"),
    ("agreement_list", "Agreements"),
    ("initiative_list", "Initiatives"),
    ("official_list", "Officials"),
    ("country_list", "Countries"),
    ("grouping_list", "Groupings"),
    ("source_list", "Sources (without their text)"),
)


def json_script_data(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&``
    escaped as JSON escapes, so no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class AboutView(ReadingRoomMixin, TemplateView):
    template_name = "engagements/about.html"
    model = Meeting  # the permission checked when the pages are not public

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        url = self.request.build_absolute_uri(reverse("engagements:about"))
        panel = reverse("engagements:panel_country_year")
        context.update(
            title="About, licence and citation",
            dataset=dataset,
            version=dataset.version(),
            release_date=dataset.release_date(),
            citation=dataset.citation_text(url),
            json_ld=mark_safe(json_script_data(dataset.json_ld(self.request))),
            downloads=[
                ("Country-year panel", f"{panel}?format=csv"),
                *(
                    (label, f"{reverse('engagements:' + name)}?format=csv")
                    for name, label in WHOLE_TABLES
                ),
            ],
            bibtex=_bibtex(url),
        )
        return context


def _bibtex(url: str) -> str:
    year = dataset.release_date().year
    return (
        f"@misc{{defrel_{dataset.version().replace('.', '_')},\n"
        f"  author = {{{{{dataset.PUBLISHER}}}}},\n"
        f"  title = {{{{{dataset.TITLE}}}}},\n"
        f"  year = {{{year}}},\n"
        f"  version = {{{dataset.version()}}},\n"
        f"  note = {{Data set, licensed under {dataset.DATA_LICENCE.spdx}}},\n"
        f"  url = {{{url}}}\n"
        "}"
    )
