"""Who held post X on date D: the posts page, a post's date box, the officials' filters."""

import datetime as dt

import pytest

from engagements.dates import DatePrecision
from engagements.models import Official, Post, Tenure
from tests.api.reading import get

pytestmark = pytest.mark.django_db


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row.slug for row in response.context["rows"]}


@pytest.fixture
def two_holders():
    """Malaysia's defence minister: Mohamad Hasan in July 2023, Khaled Nordin in Nov 2024."""
    post = Post.objects.get(slug="my-minister-of-defence")
    holders = {t.official.slug: t for t in post.tenures.select_related("official")}
    assert set(holders) == {"mohamad-hasan", "khaled-nordin"}
    return post


def test_the_posts_page_lists_every_post_and_links_to_each(client):
    response = client.get("/posts/")
    assert slugs(response) == set(Post.objects.values_list("slug", flat=True))
    html = response.content.decode()
    assert 'href="/posts/my-minister-of-defence/"' in html
    assert "Khaled Nordin" in html  # who held it, in the row
    malaysia = {"my-minister-of-defence", "my-prime-minister"}
    assert slugs(client.get("/posts/?country=MY")) == malaysia


def test_the_posts_page_is_linked_from_the_navigation_and_the_officials(client):
    assert 'href="/posts/"' in client.get("/").content.decode()
    assert 'href="/posts/"' in client.get("/officials/").content.decode()


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2024-11-20", {"Khaled Nordin"}),
        ("2023-07-10", {"Mohamad Hasan"}),
        ("2023-07", {"Mohamad Hasan"}),  # any day of the month
        ("2024", {"Khaled Nordin"}),  # any day of the year
        ("2021-01-01", set()),
    ],
)
def test_the_date_box_says_who_held_the_post(client, two_holders, on, expected):
    response = client.get("/posts/my-minister-of-defence/", {"on": on})
    assert response.status_code == 200
    assert {t.official.name for t in response.context["held_on"]} == expected
    html = response.content.decode()
    answer = html[html.index('class="answer"') :]
    answer = answer[: answer.index("</div>")]
    for name in expected:
        assert name in answer
    if not expected:
        assert "No holder of this post is recorded" in answer
    assert f'value="{on}"' in html  # the box keeps what was asked


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2024-13-01", "not a real date"),
        ("yesterday", "is not a date"),
        ("21/11/2024", "2024-11-21"),  # the ISO form of what was meant
        ("0001-01-01", "not a date covered here"),
        ("9" * 300, "at most 40 characters"),
    ],
)
def test_a_bad_date_is_a_clear_message(client, on, message):
    response = client.get("/posts/my-minister-of-defence/", {"on": on})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "held_on" not in response.context


def test_officials_by_post_and_date(client, two_holders):
    by_post = slugs(client.get("/officials/?post=my-minister-of-defence"))
    assert by_post == {"mohamad-hasan", "khaled-nordin"}
    on = slugs(client.get("/officials/?post=my-minister-of-defence&on=2024-11"))
    assert on == {"khaled-nordin"}
    # A date alone: everyone in some post then.
    day = dt.date(2024, 11, 21)
    in_post = set(
        Official.objects.filter(tenures__in=Tenure.objects.held_on(day)).values_list(
            "slug", flat=True
        )
    )
    assert slugs(client.get("/officials/?on=2024-11-21")) == in_post
    assert "lloyd-austin" in in_post and "mohamad-hasan" not in in_post


def test_post_and_date_hold_on_one_tenure(client):
    """An official who held post A in 2019 and post B in 2024 did not hold A in 2024."""
    official = Official.objects.get(slug="takeshi-iwaya")
    other = Post.objects.get(slug="jp-minister-of-defence")
    assert official.tenures.get().post == other
    assert slugs(client.get(f"/officials/?post={other.slug}&on=2019-09")) == {official.slug}
    assert slugs(client.get(f"/officials/?post={other.slug}&on=2024")) == set()


def test_bad_post_or_date_on_the_officials_list(client):
    response = client.get("/officials/?post=no-such-post")
    assert response.status_code == 400
    assert "No post has the identifier “no-such-post”" in response.content.decode()
    response = client.get("/officials/?on=2024-02-30")
    assert response.status_code == 400
    assert "not a real date" in response.content.decode()


def test_the_api_and_exports_take_the_same_filters(client, two_holders):
    found = get(client, "officials", {"post": "my-minister-of-defence", "on": "2024-11-20"})
    assert [o["slug"] for o in found["results"]] == ["khaled-nordin"]
    assert "soon" in str(get(client, "officials", {"on": "soon"}, status=400))
    csv = client.get("/officials/?post=my-minister-of-defence&on=2023&format=csv")
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert b"mohamad-hasan" in body and b"khaled-nordin" not in body


def test_a_coarse_end_covers_its_month(client):
    """A tenure ending "November 2024" covers 30 November."""
    tenure = Tenure.objects.get(official__slug="kim-yong-hyun")
    assert tenure.end_precision == DatePrecision.MONTH
    response = client.get(f"/posts/{tenure.post.slug}/", {"on": "2024-11-30"})
    assert [t.pk for t in response.context["held_on"]] == [tenure.pk]
