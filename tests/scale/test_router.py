"""The read-replica router, tested with two database aliases.

``replica`` is a second connection to the test database (a test mirror of ``default``, which
is how ``DATABASE_REPLICA_URL`` sets it up), so each query shows up on the alias that ran it.
The alias is registered when this module is collected, before the test databases are set up;
the router ignores it unless ``DEFREL_REPLICA_DATABASE`` names it, so other tests are not
affected.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from defrel import replicas
from defrel.routers import ReplicaReadsMiddleware, ReplicaRouter, replica_reads
from engagements.models import Country, Meeting, Source

if "replica" not in connections.settings:
    _default = connections.settings["default"]
    connections.settings["replica"] = {
        **_default,
        "TEST": {**_default.get("TEST", {}), "MIRROR": "default"},
    }
    connections.configure_settings(connections.settings)

BOTH = pytest.mark.django_db(databases=["default", "replica"])


@pytest.fixture(autouse=True, scope="module")
def close_the_replica():
    """Close the second connection after this module: PostgreSQL would not drop the test
    database while it is open."""
    yield
    connections["replica"].close()


@pytest.fixture
def replica(settings):
    settings.DEFREL_REPLICA_DATABASES = ["replica"]
    replicas.forget()
    yield connections["replica"]
    replicas.forget()


def engagement_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "engagements_" in q["sql"]]


@BOTH
def test_researcher_page_reads_from_the_replica(client, replica):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as secondary,
    ):
        response = client.get(reverse("engagements:country_detail", args=["in"]))
    assert response.status_code == 200
    assert engagement_queries(secondary.captured_queries)
    assert not engagement_queries(primary.captured_queries)


@BOTH
def test_streamed_export_reads_from_the_replica(client, replica):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as secondary,
    ):
        response = client.get(reverse("engagements:country_list"), {"format": "csv"})
        body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "India" in body
    assert engagement_queries(secondary.captured_queries)
    assert not engagement_queries(primary.captured_queries)


# Only "default" is allowed here: a query on the replica would fail the test outright (and
# SQLite's shared-cache test database would lock the replica out of rows written here).
@pytest.mark.django_db
def test_admin_reads_and_writes_go_to_the_primary(client, replica):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-123456789")
    client.force_login(user)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(replica) as secondary,
    ):
        page = client.get(reverse("admin:engagements_source_add"))
        response = client.post(
            reverse("admin:engagements_source_add"),
            {
                "key": "router-test",
                "title": "Router test",
                "published_on": "2024-05",
                "summary": "Written through the admin.",
            },
        )
    assert page.status_code == 200
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Source.objects.using("default").filter(key="router-test").exists()
    assert any(q["sql"].startswith("INSERT") for q in primary.captured_queries)
    assert secondary.captured_queries == []


@BOTH
def test_router_decisions(replica):
    r = ReplicaRouter()
    assert r.db_for_read(Meeting) is None  # outside a researcher read: default
    with replica_reads():
        assert router.db_for_read(Meeting) == "replica"
        assert router.db_for_write(Meeting) == "default"
        # Users and sessions never lag: they stay on the primary.
        assert router.db_for_read(get_user_model()) == "default"
        with CaptureQueriesContext(replica) as secondary:
            assert Country.objects.get(iso2="IN").name == "India"
        assert len(secondary.captured_queries) == 1
    assert r.allow_migrate("default", "engagements") is True
    assert r.allow_migrate("replica", "engagements") is False


@pytest.mark.django_db  # the replica may not be queried here
def test_writes_during_a_researcher_read_go_to_the_primary(replica):
    with replica_reads(), CaptureQueriesContext(connections["default"]) as primary:
        Country.objects.filter(iso2="IN").update(official_name="Republic of India")
    assert primary.captured_queries[0]["sql"].startswith("UPDATE")
    assert Country.objects.get(iso2="IN").official_name == "Republic of India"


@BOTH
def test_without_a_replica_everything_uses_default(settings):
    settings.DEFREL_REPLICA_DATABASE = None
    with replica_reads():
        assert router.db_for_read(Meeting) == "default"
    assert ReplicaRouter().allow_migrate("default", "engagements") is True


@BOTH
def test_middleware_marks_only_researcher_reads(replica):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Meeting))
        return StreamingHttpResponse(iter_db())

    def iter_db():
        for _ in range(2):
            yield router.db_for_read(Meeting)

    middleware = ReplicaReadsMiddleware(view)
    factory = RequestFactory()
    response = middleware(factory.get("/meetings/"))
    # Chunks are produced while the response streams, after the middleware returned.
    assert [c.decode() for c in response.streaming_content] == ["replica", "replica"]
    middleware(factory.post("/meetings/"))
    middleware(factory.get(reverse("admin:index")))
    assert seen == ["replica", "default", "default"]
    assert router.db_for_read(Meeting) == "default"
