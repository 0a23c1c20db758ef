"""The API's answers: a page of an endpoint's records, or one record, as typed JSON.

A list reads the query string with its page's filterset (the same parameters, the same
messages), counts as far as ``caching.COUNT_LIMIT``, and reads one page by keyset cursor,
then its related rows in one query per relation. Every answer is checked against its
schema before it is sent, carries an ETag and Last-Modified (``conditional``), and is a
304 when the client's copy is current. Problems are JSON: 400 naming the parameter, 404.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from pydantic import Field as Declared
from pydantic import create_model

from .. import caching
from ..views.facets import kept_for
from ..views.pagination import CursorError, KeysetPaginator, RowsPaginator
from ..views.querystring import filter_params, with_params
from ..views.recordlist import small_number
from .conditional import conditional, data_changed_at
from .endpoints import Endpoint
from .params import PAGING, PER_PAGE_DEFAULT, PER_PAGE_MAX

JSON = "application/json"


class ApiError(Exception):
    """A request the API refuses: its status, a sentence, and problems by parameter."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}


class Links:
    """Absolute URLs for one request: of reading-room pages, and of the API's own."""

    def __init__(self, request):
        self.request = request
        self.root = reverse("api:index")

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def api(self, relative: str) -> str:
        return self.absolute(self.root + relative)

    def here(self, query: str) -> str:
        """This endpoint with the query string ``query`` (``?…``)."""
        return self.absolute(self.request.path) + ("" if query == "?" else query)


def page_schema(endpoint: Endpoint):
    """The envelope of a list: the bounded count, the links on, and the rows."""
    return create_model(
        f"{endpoint.shape.title}Page",
        count=(
            int,
            Declared(
                description=f"How many rows the filters choose, counted up to "
                f"{caching.COUNT_LIMIT} (see count_is_lower_bound).",
                ge=0,
                le=caching.COUNT_LIMIT,
            ),
        ),
        count_is_lower_bound=(
            bool,
            Declared(description=f"True when more than {caching.COUNT_LIMIT} rows match."),
        ),
        next=(str | None, Declared(description="The next page (absolute URL); null on the last.")),
        previous=(
            str | None,
            Declared(description="The previous page (absolute URL); null on the first."),
        ),
        results=(list[endpoint.shape.schema], Declared(description="This page's rows.")),
    )


def check_access(request, endpoint: Endpoint) -> None:
    """With DEFREL_PUBLIC off the API, like the pages, needs a login with view permission."""
    if settings.DEFREL_PUBLIC:
        return
    if not request.user.is_authenticated:
        raise ApiError(401, "Log in to read the data (DEFREL_PUBLIC is off).")
    opts = endpoint.shape.model._meta
    if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise ApiError(403, "You do not have permission to view these records.")


def respond(request, schema, data: dict) -> HttpResponse:
    """``data`` checked against ``schema``, as JSON with its validators (or a 304)."""
    body = schema.model_validate(data).model_dump_json()
    return conditional(request, HttpResponse(body, content_type=JSON), data_changed_at())


# --- lists ---------------------------------------------------------------------------------


def list_records(request, endpoint: Endpoint, schema) -> HttpResponse:
    check_access(request, endpoint)
    query = request.GET
    _refuse_unknown(query, endpoint)
    per_page = _per_page(query)
    after, before = query.get("after") or None, query.get("before") or None
    if after and before:
        raise ApiError(400, "Give after or before, not both.", {"before": ["Give one cursor."]})

    page_view = endpoint.page() if endpoint.page else None
    if page_view is not None:
        page_view.setup(request)  # the page's own queryset (an agreement's current status)
    base = page_view.base_queryset() if page_view else endpoint.shape.model._default_manager.all()
    filterset = endpoint.filterset_class(query, queryset=base, request=request)
    if not filterset.is_valid():
        errors = {name: [str(e) for e in problems] for name, problems in filterset.errors.items()}
        raise ApiError(400, "The filters are not valid.", errors)
    sort = filterset.form.cleaned_data.get("sort") or filterset.default_sort
    rows = endpoint.rows(filterset.qs) if endpoint.rows else filterset.qs
    count, more = _bounded_count(endpoint, rows, query, filterset)

    rows = endpoint.shape.select(rows)
    if endpoint.rows:  # a derived table: in the order its rows were recorded
        paginator = KeysetPaginator(rows, [], per_page)
    elif page_view is not None and not page_view.paginated:  # one page on the site
        paginator = RowsPaginator(page_view.paginate(rows, sort, per_page, query)["rows"], per_page)
    else:
        paginator = KeysetPaginator(rows, filterset.sorts[sort].keys, per_page)
    try:
        page = paginator.page(after=after, before=before)
    except CursorError as exc:
        where = "after" if after else "before"
        raise ApiError(400, "The page cursor is not valid.", {where: [str(exc)]}) from None
    endpoint.shape.load(page.rows)

    links = Links(request)
    onwards = with_params(query, after=page.next_cursor) if page.next_cursor else None
    back = with_params(query, before=page.previous_cursor) if page.previous_cursor else None
    data = {
        "count": count,
        "count_is_lower_bound": more,
        "next": links.here(onwards) if onwards else None,
        "previous": links.here(back) if back else None,
        "results": [endpoint.shape.dump(row, links) for row in page.rows],
    }
    return respond(request, schema, data)


def _refuse_unknown(query, endpoint: Endpoint) -> None:
    """A parameter the list does not take is refused, not ignored (a typo would otherwise
    answer with every row)."""
    offered = [n for n in endpoint.filterset_class.base_filters if n != "sort" or endpoint.sorted]
    offered += PAGING
    unknown = [key for key in query if key not in offered]
    if unknown:
        message = f"Not a parameter of {endpoint.name}: use {', '.join(offered)}."
        raise ApiError(400, "Unknown parameters.", {key[:40]: [message] for key in unknown})


def _per_page(query) -> int:
    raw = query.get("per_page")
    if raw is None or raw == "":
        return PER_PAGE_DEFAULT
    number = small_number(raw)
    if number is None or not 1 <= number <= PER_PAGE_MAX:
        raise ApiError(
            400,
            "The page size is not valid.",
            {"per_page": [f"“{raw[:20]}” is not a number of rows from 1 to {PER_PAGE_MAX}."]},
        )
    return number


def _bounded_count(endpoint: Endpoint, rows: QuerySet, query, filterset) -> tuple[int, bool]:
    """The rows, counted no further than COUNT_LIMIT; over a big table kept a few minutes
    under the filters, as the list pages keep theirs (the same figure for the same rows)."""
    model = rows.model
    n = kept_for(
        model,
        "count" if endpoint.rows is None else f"api:{endpoint.name}:count",
        lambda: caching.bounded_count(rows),
        params=filter_params(query, filterset.filters),
        big=caching.table_is_big(model),
    )
    return min(n, caching.COUNT_LIMIT), n > caching.COUNT_LIMIT


# --- one record ------------------------------------------------------------------------------


def one_record(request, endpoint: Endpoint, key: str) -> HttpResponse:
    check_access(request, endpoint)
    shape = endpoint.shape
    field = shape.model._meta.get_field(endpoint.key)
    noun = shape.model._meta.verbose_name
    missing = ApiError(404, f"No {noun} has the {endpoint.key_name} “{key[:60]}”.")
    # Never sent to the database: a NUL (PostgreSQL refuses it) or more than the column holds.
    if "\x00" in key or len(key) > field.max_length:
        raise missing
    if endpoint.key == "iso2":
        key = key.upper()
    found = list(shape.select(shape.model._default_manager.filter(**{endpoint.key: key})))
    if not found:
        raise missing
    shape.load(found)
    return respond(request, shape.schema, shape.dump(found[0], Links(request)))
