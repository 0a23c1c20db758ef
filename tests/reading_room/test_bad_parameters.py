"""Bad parameters on every list page: a 400 naming the value, or a 200 with a note; never a 500."""

import pytest

pytestmark = pytest.mark.django_db

# Which filters each list has (the others are noted as not being filters of the page).
LISTS = {
    "/meetings/": {"country", "year_from", "kind", "sort"},
    "/agreements/": {"country", "year_from", "kind", "sort"},
    "/initiatives/": {"country", "year_from", "kind", "sort"},
    "/officials/": {"country", "year_from", "sort"},
    "/groupings/": {"country", "kind", "sort"},
    "/sources/": {"year_from", "sort"},
    "/countries/": {"sort"},
}
PAGINATED = {url for url in LISTS if url != "/countries/"}

# parameter, value, (400 message naming the value | note on a 200 page)
FILTERS = [
    ("country", "xx", "No country has the ISO code XX"),
    ("year_from", "abc", "“abc” is not a year"),
    ("kind", "bogus", "bogus is not one of the available choices"),
    ("sort", "bogus", "bogus is not one of the available choices"),
]
POSITION = [
    ("page", "%C2%B2", "“²” is not a page number"),
    ("per_page", "abc", "“abc” rows per page is not offered"),
    ("after", "garbage", "The page link is damaged"),
]
# parameter, value, the 400's message (naming the values that exist)
EXPORTS = [
    ("format", "xml", "“xml” is not an export format: use format=csv or format=json."),
    ("table", "bogus", "“bogus” is not a table of the {noun} list: "),
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("param", "value", "message"), FILTERS)
def test_a_bad_filter_value_is_named(client, url, param, value, message):
    response = client.get(f"{url}?{param}={value}")
    body = response.content.decode()
    if param in LISTS[url]:
        assert response.status_code == 400
        assert message in body
        assert response.context["rows"] == []
    else:
        assert response.status_code == 200
        assert f"“{param}” is not a filter of this page" in body


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("param", "value", "message"), POSITION)
def test_a_bad_page_parameter_gives_a_note(client, url, param, value, message):
    response = client.get(f"{url}?{param}={value}")
    assert response.status_code == 200
    body = response.content.decode()
    if url in PAGINATED:
        assert message in body
    assert response.context["rows"]  # the first page is shown


def test_several_bad_values_are_each_named(client):
    response = client.get("/meetings/?country=xx&year_from=abc&kind=bogus&page=%C2%B2")
    assert response.status_code == 400
    body = response.content.decode()
    for message in ("XX", "“abc”", "bogus"):
        assert message in body


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("param", "value", "message"), EXPORTS)
def test_a_bad_export_parameter_is_a_400_naming_the_values_that_exist(
    client, url, param, value, message
):
    """A script asking for a format or table that does not exist gets no page to mistake
    for data: a plain 400 that says what it may ask for."""
    params = {"format": "csv", param: value}
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    noun = url.strip("/")
    assert message.format(noun=noun) in body
    assert "Nothing was exported." in body
    if param == "table" and "one of" in body:
        offered = body.split("one of ", 1)[1].split(", or leave", 1)[0].split(", ")
        for key in offered:  # each value named is one that works
            assert client.get(url, {"format": "csv", "table": key}).status_code == 200
