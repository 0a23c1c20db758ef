"""A database that cannot be reached answers 503 (try again shortly), not a 500.

When PostgreSQL is down or restarting, every request that needs it fails with Django's
``OperationalError`` or ``InterfaceError``. That is not a bug in the page: the site says the
service is briefly unavailable, with ``Retry-After``, so clients, proxies and monitors can
tell an outage from an error. ``handler500`` is called inside Django's exception handler,
so the failure is still logged as before; any other exception keeps the plain 500 page.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import Context, loader
from django.views.defaults import server_error as plain_server_error

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def server_error(request, template_name: str = "500.html"):
    """Django's 500 view, except that a database failure is a 503 with Retry-After."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        # No context, no context processor: nothing in it may need the database.
        body = loader.get_template("503.html").template.render(Context())
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return plain_server_error(request, template_name)
