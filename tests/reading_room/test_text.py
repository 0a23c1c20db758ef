"""Curated text written hard-wrapped is shown as paragraphs, not lines."""

import re

import pytest

from engagements.models import Source
from engagements.templatetags.reading_room import paragraphs

pytestmark = pytest.mark.django_db


def test_paragraphs_join_wrapped_lines_and_split_on_blank_lines():
    text = "One sentence that\nwraps here.\n\n  Second   paragraph\r\nalso wraps.\n \n\n"
    assert (
        paragraphs(text)
        == "<p>One sentence that wraps here.</p>\n<p>Second   paragraph also wraps.</p>"
    )


def test_paragraphs_escape_and_keep_lists():
    assert paragraphs("<script>x</script>\nand") == "<p>&lt;script&gt;x&lt;/script&gt; and</p>"
    assert (
        paragraphs("Notes:\n\n- one\n- two") == "<p>Notes:</p>\n<ul><li>one</li><li>two</li></ul>"
    )
    assert paragraphs("") == "" and paragraphs(None) == ""


def test_source_summary_and_notes_have_no_line_breaks_mid_sentence(client):
    source = Source.objects.get(key="002_e5b3391f3894ea28")
    assert "\n" in source.summary.strip() and "\n" in source.curation_notes.strip()
    body = client.get(source.get_absolute_url()).content.decode()
    article = body.split('<div class="summary">', 1)[1].split("</dl>", 1)[0]
    assert "<br>" not in article
    blocks = [b for b in re.split(r"\n\s*\n", source.summary.strip()) if b.strip()]
    summary = article.split("</div>", 1)[0]
    assert summary.count("<p>") == len(blocks)
    first_line, second_line = source.summary.strip().splitlines()[:2]
    assert f"{first_line.strip()} {second_line.strip()}".replace("'", "&#x27;") in summary
