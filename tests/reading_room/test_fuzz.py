"""Property-based fuzz of every public URL: whatever the parameters, never a 5xx.

Each list page is sent random combinations of its own filters, its position and format
parameters and some it does not know, with values drawn from valid choices, odd numbers,
arbitrary text and bytes, and page links holding arbitrary JSON. Detail pages get random
addresses. ``DEFREL_FUZZ_EXAMPLES`` sets the examples per URL (default 40).
"""

from __future__ import annotations

import base64
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagements import views
from engagements.views.querystring import NOT_FILTERS

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("DEFREL_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

LISTS = {
    "/meetings/": views.MeetingListView,
    "/agreements/": views.AgreementListView,
    "/initiatives/": views.InitiativeListView,
    "/outcomes/": views.OutcomeListView,
    "/officials/": views.OfficialListView,
    "/groupings/": views.GroupingListView,
    "/sources/": views.SourceListView,
    "/countries/": views.CountryListView,
}
DETAILS = [
    "/meetings/",
    "/agreements/",
    "/initiatives/",
    "/officials/",
    "/posts/",
    "/countries/",
    "/groupings/",
    "/sources/",
]
# Values the pages know, so that fuzzed combinations also reach past validation.
KNOWN = [
    "IN",
    "US",
    "au",
    "2019",
    "2024",
    "held",
    "signed",
    "mechanism",
    "csv",
    "json",
    "marks",
    "title",
    "-date",
    "1",
    "10",
    "100",
    "quad",
    "asean",
    "rajnath-singh",
]


def percent(data: bytes) -> str:
    return "".join(f"%{byte:02X}" for byte in data)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates().map(str)
    | st.sampled_from(["\\ud800", "\u0000", 1e400])
)
# Mostly a list of scalars as long as a sort's keys (what a real link holds), some deeper.
json_values = st.lists(scalars, min_size=1, max_size=4) | st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@st.composite
def cursors(draw) -> str:
    text = json.dumps(draw(json_values), allow_nan=True)
    # A lone surrogate can only arrive as a JSON escape: write it back unescaped-once.
    text = text.replace("\\\\ud800", "\\ud800")
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


values = st.one_of(
    st.sampled_from(KNOWN),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30).map(lambda text: percent(text.encode())),
    st.binary(max_size=30).map(percent),
    cursors(),
)


def queries(view) -> st.SearchStrategy[str]:
    names = sorted({*view.filterset_class.base_filters, *NOT_FILTERS, "table", "q", "bogus", "%00"})
    pairs = st.lists(st.tuples(st.sampled_from(names), values), min_size=1, max_size=5)
    return pairs.map(lambda items: "&".join(f"{name}={value}" for name, value in items))


def assert_no_server_error(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, url


@pytest.mark.parametrize("url", LISTS)
def test_no_parameters_give_a_server_error(client, url):
    @FUZZ
    @given(query=queries(LISTS[url]))
    def fuzz(query):
        assert_no_server_error(client, f"{url}?{query}")

    fuzz()


@pytest.mark.parametrize("prefix", DETAILS)
def test_no_record_address_gives_a_server_error(client, prefix):
    segment = st.one_of(
        st.text(min_size=1, max_size=40).map(lambda text: percent(text.encode())),
        st.binary(min_size=1, max_size=20).map(percent),
        st.sampled_from(KNOWN),
    )

    @FUZZ
    @given(segment=segment, query=st.one_of(st.just(""), values.map(lambda v: f"?format={v}")))
    def fuzz(segment, query):
        assert_no_server_error(client, f"{prefix}{segment}/{query}")

    fuzz()


# Page links shaped like real ones (a sort's keys then the id), with odd values in them.
key_values = st.one_of(
    st.dates().map(str),
    st.integers(min_value=1, max_value=100),
    st.text(max_size=10),
    st.none(),
    scalars,
)


@st.composite
def page_links(draw, view) -> str:
    sort = draw(st.sampled_from(["", *view.filterset_class.sorts]))
    values = draw(st.lists(key_values, min_size=2, max_size=3))
    text = json.dumps(values, allow_nan=True).replace("\\\\ud800", "\\ud800")
    token = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    direction = draw(st.sampled_from(["after", "before"]))
    return f"sort={sort}&{direction}={token}"


@pytest.mark.parametrize("url", [url for url in LISTS if url != "/countries/"])
def test_no_page_link_gives_a_server_error(client, url):
    @FUZZ
    @given(query=page_links(LISTS[url]))
    def fuzz(query):
        assert_no_server_error(client, f"{url}?{query}")

    fuzz()
