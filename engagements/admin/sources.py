from django.contrib import admin
from django.utils.html import format_html_join

from ..models import Source
from ..paragraphs import first_words
from .base import CurationAdmin, shortened_column
from .forms import SourceForm
from .intake import IntakeMixin
from .listfilters import year_filter


@admin.register(Source)
class SourceAdmin(IntakeMixin, CurationAdmin):
    form = SourceForm
    import_export_change_list_template = "admin/engagements/intake/source_change_list.html"
    list_display = [
        "key",
        shortened_column("title"),
        "publisher",
        "published_display",
        "dateline",
        "paragraphs",
    ]
    list_filter = [year_filter("published_on"), "publisher"]
    search_fields = ["key", "title", "publisher", "summary"]
    autocomplete_exact = ("key", "title")
    autocomplete_prefix = ("key", "title")
    date_hierarchy = "published_on"
    readonly_fields = ["numbered_paragraphs"]
    fieldsets = [
        (None, {"fields": ["key", "title", "publisher", "url", "published", "dateline"]}),
        (None, {"fields": ["summary", "curation_notes"]}),
        (
            "The report's text (staff only)",
            {
                "fields": ["text", "text_file", "paragraph_count", "numbered_paragraphs"],
                "description": "Paste the text or upload it: defrel numbers its paragraphs "
                "as citations count them (blocks of text separated by blank lines, from 1) "
                "and checks every citation against the count. The text is never shown to "
                "researchers, exported or released.",
            },
        ),
    ]

    @admin.display(description="published", ordering="published_on")
    def published_display(self, obj):
        return obj.published.humanize()

    @admin.display(description="paragraphs", ordering="paragraph_count")
    def paragraphs(self, obj):
        return obj.paragraph_count or "—"

    @admin.display(description="paragraphs as numbered")
    def numbered_paragraphs(self, obj):
        if obj is None or not obj.pk or not obj.text.strip():
            return "—"
        return format_html_join(
            "",
            "<div>¶ {} {}</div>",
            ((n, first_words(p)) for n, p in enumerate(obj.paragraphs(), start=1)),
        )
