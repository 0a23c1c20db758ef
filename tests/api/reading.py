"""Reading the API as a script would: a page, or every page by following ``next``."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

API = "/api/v1/"


def get(client, path: str, params=None, status: int = 200, **headers):
    """The JSON of ``GET /api/v1/<path>`` (asserting its status and content type)."""
    response = client.get(API + path, params or {}, headers=headers)
    assert response.status_code == status, (path, params, response.content[:500])
    if status != 304:
        assert response["Content-Type"] == "application/json"
        return json.loads(response.content)
    return None


def follow(client, link: str, status: int = 200):
    """The JSON at an absolute link the API gave (``http://testserver/api/v1/…``)."""
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.netloc == "testserver", link
    response = client.get(parts.path + ("?" + parts.query if parts.query else ""))
    assert response.status_code == status, (link, response.content[:500])
    return json.loads(response.content)


def walk(client, path: str, params=None, direction: str = "next") -> tuple[list, list]:
    """Every row of a list, page by page along ``next``; and the pages' counts."""
    page = get(client, path, params)
    rows, counts = list(page["results"]), [page["count"]]
    while page[direction]:
        page = follow(client, page[direction])
        rows.extend(page["results"])
        counts.append(page["count"])
    return rows, counts
