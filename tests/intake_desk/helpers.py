"""A report of our own, a draft of it built by hand, and the review screen's POST data."""

from __future__ import annotations

import copy

from django.apps import apps
from django.urls import reverse

from engagements.admin.intake import Review, sign_draft, with_matches

INTAKE = "admin:engagements_source_intake"

#: A report written for these tests (no source's words): four paragraphs.
REPORT = "\n\n".join(
    [
        (
            "NEW DELHI, 14 March 2025: Raksha Mantri Rajnath Singh hosted the Swedish Minister for "
            "Defence, Pål Jonson, for talks in New Delhi on Friday, with industry ties at the top "
            "of the list."
        ),
        (
            "Both ministers went over the training their armed forces carry out together and said "
            "their officials would sit down again before the year is out."
        ),
        (
            "A memorandum on defence research, which the two governments put their names to in May "
            "2019, was called the footing of the present work."
        ),
        (
            "They also welcomed the Nordic-Indian Defence Industry Forum, a new body that will "
            "bring firms of the two countries together."
        ),
    ]
)

KEY = "test-2025-03-14-swedish-talks"


def url() -> str:
    return reverse(INTAKE)


def counts() -> dict[str, int]:
    """Rows of every model of every app (history included), but the sessions table."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def hand_draft() -> dict:
    """The draft of :data:`REPORT` as the engine's interface shapes it, built by hand."""
    return copy.deepcopy(
        {
            "source": {"date": "2025-03-14", "paragraphs": 4, "dateline": "New Delhi"},
            "countries": [
                {"id": "c1", "iso2": "IN", "paragraphs": [1], "match": "IN"},
                {"id": "c2", "iso2": "SE", "paragraphs": [1, 4], "match": "SE"},
            ],
            "groupings": [],
            "officials": [
                {
                    "id": "o1",
                    "name": "Rajnath Singh",
                    "country": "IN",
                    "post": "Minister of Defence",
                    "match": "rajnath-singh",
                    "paragraphs": [1],
                },
                {
                    "id": "o2",
                    "name": "Pål Jonson",
                    "country": "SE",
                    "post": "Minister for Defence",
                    "match": None,
                    "paragraphs": [1],
                },
            ],
            "meetings": [
                {
                    "id": "m1",
                    "title": "Rajnath Singh and Pål Jonson talks",
                    "kind": "bilateral",
                    "dates": "2025-03-14",
                    "city": "New Delhi",
                    "country": "IN",
                    "status": "held",
                    "participants": ["Rajnath Singh", "Pål Jonson"],
                    "parent": None,
                    "parent_relation": "",
                    "mechanism": None,
                    "edition": None,
                    "countries": ["IN", "SE"],
                    "match": None,
                    "paragraphs": [1, 2],
                },
                {
                    "id": "m2",
                    "title": "Next India–Sweden officials' meeting",
                    "kind": "bilateral",
                    "dates": "2025",
                    "city": "",
                    "country": None,
                    "status": "scheduled",
                    "participants": [],
                    "parent": None,
                    "parent_relation": "",
                    "mechanism": None,
                    "edition": None,
                    "countries": ["IN", "SE"],
                    "match": None,
                    "paragraphs": [2],
                },
            ],
            "agreements": [
                {
                    "id": "a1",
                    "title": "India–Sweden memorandum on defence research",
                    "kind": "mou",
                    "status": "signed",
                    "dates": "2019-05",
                    "parties": ["IN", "SE"],
                    "match": None,
                    "paragraphs": [3],
                }
            ],
            "initiatives": [
                {
                    "id": "i1",
                    "title": "Nordic-Indian Defence Industry Forum",
                    "kind": "joint_effort",
                    "match": None,
                    "paragraphs": [4],
                }
            ],
        }
    )


SOURCE_FIELDS = {
    "key": KEY,
    "title": "Indian and Swedish defence ministers meet in New Delhi",
    "publisher": "Test Wire",
    "url": "https://example.org/test-swedish-talks",
    "published": "2025-03-14",
    "dateline": "New Delhi",
    "summary": "The two defence ministers met and spoke of industry and training.",
}


def form_data(form) -> dict:
    """What a browser posts for ``form`` as rendered (its initial or bound values)."""
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    return data


def review_data(review: Review, state: str, **edits) -> dict:
    """The review screen's POST as the page fills it, with ``edits`` ({html name: value})
    and *Accept*."""
    data = {"state": state, "accept": "Accept", **form_data(review.source_form)}
    for forms in review.forms.values():
        for form in forms:
            data.update(form_data(form))
    data.update(edits)
    return data


def hand_review(draft=None, text=REPORT, source=None, **edits) -> dict:
    """The POST of the review screen of a hand-built draft (signed as the page signs it)."""
    draft = with_matches(draft or hand_draft())
    review = Review(text, draft, source_initial=source or SOURCE_FIELDS)
    return review_data(review, sign_draft(text, draft), **edits)


def page_review(response, **edits) -> dict:
    """The POST of the review screen ``response`` shows."""
    return review_data(response.context["review"], response.context["state"], **edits)
