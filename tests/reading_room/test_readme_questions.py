"""The README's sample questions are answered by the pages it names, as it says."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"


def readme_questions() -> dict[str, str]:
    """Question → the address in its row of the README's table."""
    rows = re.findall(r"^\| (.+?\?) \| `(/[^`]*)`", README.read_text(), flags=re.M)
    return dict(rows)


def page_text(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    return unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Whom did Rajnath Singh meet in November 2024?", ["Kim Yong Hyun", "Khaled Nordin"]),
        (
            "What did India offer, request or invite in 2024, and of whom?",
            ["Defence Cooperation Agreement", "corridors"],
        ),
        (
            "Which agreement statuses are inferred rather than reported?",
            ["india-new-zealand-defence-cooperation-agreement,under_negotiation"],
        ),
        (
            "Who was Malaysia's Minister of Defence in November 2024?",
            ["(at some time in it), the post was held by:", "Khaled Nordin"],
        ),
        ("Which meetings were held in Vientiane?", ["ADMM-Plus", "Lloyd J. Austin"]),
        ("Who belonged to ADMM-Plus in November 2024?", ["Timor-Leste", "12 October 2010"]),
        (
            "How much trade did India and Singapore report, and for which years?",
            ["6.7", "35"],
        ),
    ],
)
def test_each_readme_question_is_answered_where_it_says(client, question, expected):
    address = readme_questions()[question]
    text = page_text(client, address)
    for phrase in expected:
        assert phrase in text, (address, phrase)


def test_the_outcomes_question_lists_only_2024s_offers_requests_and_invitations(client):
    text = page_text(
        client, readme_questions()["What did India offer, request or invite in 2024, and of whom?"]
    )
    assert "DefExpo" not in text  # 2019
    assert "modernise" not in text  # 2023, Malaysia
