"""The seed's outcomes, amounts and topics: cited, in range, in our words, answering questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from engagements.models import Amount, Meeting, Outcome, OutcomeCitation, Topic
from engagements.models.topics import VOCABULARY_NOTE
from engagements.register import read_register
from tests.helpers import source_texts_dir

pytestmark = pytest.mark.django_db

SHARED_SEEDS = source_texts_dir()
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MINE = ["02_topics.yaml", "09_outcomes.yaml"]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def test_every_outcome_cites_a_real_paragraph():
    assert Outcome.objects.count() >= 35
    assert not Outcome.objects.filter(citations__isnull=True).exists()
    sizes = {e.key: e.paragraphs for e in read_register()}
    for key, paragraph in OutcomeCitation.objects.values_list("source__key", "paragraph"):
        assert 1 <= paragraph <= sizes[key], (key, paragraph)
    for amount in Amount.objects.select_related("source"):
        assert amount.source and 1 <= amount.paragraph <= sizes[amount.source.key], amount


def test_every_meeting_with_an_outcome_cites_the_outcomes_source():
    for outcome in Outcome.objects.select_related("meeting").prefetch_related("citations"):
        cited = set(outcome.meeting.citations.values_list("source_id", flat=True))
        assert {c.source_id for c in outcome.citations.all()} <= cited, outcome.slug


def test_topics_are_marked_as_our_vocabulary():
    assert Topic.objects.count() >= 20
    assert set(Topic.objects.values_list("source_note", flat=True)) == {VOCABULARY_NOTE}
    assert Topic.objects.filter(slug="disaster-relief", description__contains="HADR").exists()


def test_the_sources_outcomes_and_figures_are_coded():
    talks = Meeting.objects.get(slug="2025-09-narendra-modi-lawrence-wong-talks")
    trade = talks.outcomes.get(amounts__period="2024-25")
    assert {(a.period, a.qualifier, a.currency) for a in trade.amounts.all()} == {
        ("2004-05", "about", "USD"),
        ("2024-25", "nearly", "USD"),
    }
    aitiga = Outcome.objects.get(agreements__slug="aitiga", targets__iso2="IN")
    assert list(aitiga.actors.values_list("iso2", flat=True)) == ["SG"]
    deals = Amount.objects.get(currency="EUR").outcome
    assert (deals.kind, deals.meeting.slug) == (
        "announce",
        "india-uk-economic-and-financial-dialogue-13",
    )
    assert Outcome.objects.get(kind="request").targets.get().iso2 == "NZ"
    malaysia = Meeting.objects.get(slug="2023-07-10-rajnath-singh-mohamad-hasan-talks")
    assert set(malaysia.outcomes.values_list("kind", flat=True)) >= {"offer", "conclude"}


def test_no_run_of_eight_words_of_a_source_is_in_these_fixtures():
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} is not here to compare with")
    span = 8
    runs = set()
    for path in SHARED_SEEDS.glob("*.txt"):
        w = words(path.read_text(encoding="utf-8"))
        runs |= {tuple(w[i : i + span]) for i in range(len(w) - span + 1)}
    for name in MINE:
        w = words((FIXTURES / name).read_text(encoding="utf-8"))
        copied = [" ".join(w[i : i + span]) for i in range(len(w) - span + 1)]
        assert not [run for run in copied if tuple(run.split()) in runs], name
