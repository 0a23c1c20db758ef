"""The API itself (django-ninja): its operations, errors, OpenAPI document and local docs.

Mounted at ``/api/v1/`` (``defrel/urls.py``). For each endpoint of ``endpoints.ENDPOINTS``:
``GET <name>`` (a page of records) and, for records with a key, ``GET <name>/<key>``.
Every path answers HEAD like GET, and POST, PUT, PATCH, DELETE and OPTIONS with a JSON 405:
the API only reads. The OpenAPI document is at ``openapi.json`` and the docs page (Swagger
UI) at ``docs``, its scripts and styles served from the app's static files (ninja's own
copy, with ``ninja`` in INSTALLED_APPS): nothing is fetched from another host.
"""

from __future__ import annotations

import functools
import inspect

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Path, Router, Schema
from ninja.openapi.docs import Swagger
from ninja.openapi.views import openapi_view
from pydantic import Field as Declared

from .endpoints import ENDPOINTS, Endpoint
from .params import PAGING_PARAMETERS, filter_parameters
from .views import ApiError, Links, list_records, one_record, page_schema

READ = ["GET"]
WRITES = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
ALLOWED = "GET, HEAD"


class Problem(Schema):
    """What an error answer holds."""

    status: int = Declared(description="The HTTP status.")
    detail: str = Declared(description="What is wrong, in a sentence.")
    errors: dict[str, list[str]] = Declared(
        description="Problems by parameter: each names the value and what is allowed."
    )


def problem(status: int, detail: str, errors: dict | None = None, **headers) -> JsonResponse:
    response = JsonResponse({"status": status, "detail": detail, "errors": errors or {}})
    response.status_code = status
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def reads_only(view):
    """The OpenAPI document and the docs page answer GET and HEAD; anything else a 405.

    With DEFREL_PUBLIC off they need a login, as the data does: the docs page sends a
    visitor to the reading room's login, the document answers a JSON 401.
    """
    is_page = getattr(view, "func", view) is openapi_view

    @functools.wraps(view)
    def read(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return problem(405, f"{request.method} is not allowed here.", Allow=ALLOWED)
        if not settings.DEFREL_PUBLIC and not request.user.is_authenticated:
            if is_page:
                return redirect_to_login(request.get_full_path())
            return problem(401, "Log in to read the API's description (DEFREL_PUBLIC is off).")
        return view(request, *args, **kwargs)

    return csrf_exempt(read)


api = NinjaAPI(
    title="defrel API",
    version="1",
    description=(
        "Read-only JSON for every public record of defrel, India's defence diplomacy: typed "
        "values (ISO dates with their precision, arrays, numbers, null for missing), the "
        "reading room's filters, cursor pages with a bounded count, ETag and Last-Modified. "
        "Source texts are not published."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=reads_only,
)


@api.exception_handler(ApiError)
def refused(request, exc: ApiError):
    return problem(exc.status, exc.detail, exc.errors)


def not_allowed(view):
    """The 405 answer of ``view``'s path (with its path parameters, as ninja passes them)."""

    def refuse(request, **path):
        return problem(
            405,
            f"{request.method} is not allowed: the API only reads (GET and HEAD).",
            Allow=ALLOWED,
        )

    refuse.__name__ = f"{view.__name__}_405"
    refuse.__signature__ = inspect.signature(view)
    return refuse


ERRORS = {400: Problem, 401: Problem, 403: Problem}


def register(router: Router, endpoint: Endpoint) -> None:
    """The list and (with a key) one-record operations of ``endpoint``."""
    schema = page_schema(endpoint)
    name = endpoint.name
    noun = endpoint.shape.model._meta.verbose_name

    def listing(request):
        return list_records(request, endpoint, schema)

    listing.__name__ = f"list_{name}"
    filters = filter_parameters(endpoint.filterset_class, sort=endpoint.sorted)
    page = "the list page" if endpoint.page else "the list"
    about = (
        f"{endpoint.summary}. The filters are those of {page} in the reading room; pages are "
        "read by cursor (follow next and previous)."
    )
    operation(
        router,
        f"/{name}",
        listing,
        response={200: schema, 304: None, **ERRORS},
        operation_id=f"list_{name}",
        summary=endpoint.summary,
        description=about,
        tags=[name],
        openapi_extra={"parameters": filters + PAGING_PARAMETERS},
    )
    if not endpoint.key:
        return
    parameter = endpoint.key_name

    def record(request, **path):
        return one_record(request, endpoint, path[parameter])

    record.__name__ = f"get_{name}"
    record.__signature__ = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                parameter,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=str,
                default=Path(..., description=endpoint.key_about),
            ),
        ]
    )
    operation(
        router,
        f"/{name}/{{path:{parameter}}}",
        record,
        response={200: endpoint.shape.schema, 304: None, 404: Problem, **ERRORS},
        operation_id=f"get_{name}",
        summary=f"One {noun}",
        description=f"One {noun}, by {parameter}: {endpoint.key_about}",
        tags=[name],
    )


def operation(router: Router, path: str, view, **options) -> None:
    """``view`` at ``path`` for GET (documented), HEAD (the same), and a 405 for writes."""
    router.add_api_operation(path, READ, view, **options)
    router.add_api_operation(path, ["HEAD"], view, include_in_schema=False)
    router.add_api_operation(path, WRITES, not_allowed(view), include_in_schema=False)


class Index(Schema):
    """Where everything is."""

    endpoints: dict[str, str] = Declared(description="Each list endpoint (absolute URLs).")
    openapi: str = Declared(description="The OpenAPI document.")
    docs: str = Declared(description="The documentation page.")


router = Router()


def index(request):
    links = Links(request)
    data = {
        "endpoints": {e.name: links.api(e.name) for e in ENDPOINTS},
        "openapi": links.api("openapi.json"),
        "docs": links.api("docs"),
    }
    return JsonResponse(Index(**data).model_dump())


operation(
    router,
    "/",
    index,
    response={200: Index},
    operation_id="index",
    summary="The endpoints",
    url_name="index",
)
for _endpoint in ENDPOINTS:
    register(router, _endpoint)


def unknown(request, rest: str):
    return problem(404, f"There is no API endpoint at “{request.path[:100]}”.")


router.add_api_operation("/{path:rest}", [*READ, "HEAD", *WRITES], unknown, include_in_schema=False)
api.add_router("", router)
