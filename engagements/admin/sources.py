from django.contrib import admin

from ..models import Source
from .base import CurationAdmin, shortened_column, year_filter
from .forms import SourceForm


@admin.register(Source)
class SourceAdmin(CurationAdmin):
    form = SourceForm
    list_display = ["key", shortened_column("title"), "publisher", "published_display", "dateline"]
    list_filter = [year_filter("published_on"), "publisher"]
    search_fields = ["key", "title", "publisher", "summary"]
    autocomplete_exact = ("key", "title")
    autocomplete_prefix = ("key", "title")
    date_hierarchy = "published_on"
    fields = [
        "key",
        "title",
        "publisher",
        "url",
        "published",
        "dateline",
        "summary",
        "curation_notes",
    ]

    @admin.display(description="published", ordering="published_on")
    def published_display(self, obj):
        return obj.published.humanize()
