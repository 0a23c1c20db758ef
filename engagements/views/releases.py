"""The releases page (``/releases/``) and each release's files, served read-only.

Only a file a release's manifest lists is served (or its ``SHA256SUMS``), so a name that
is not one (``../``, an absolute path, a file added on disk later) is a 404 whatever it is.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from ..models import Meeting, Release
from ..releases.storage import CHECKSUMS, file_of
from .base import ReadingRoomMixin

#: What each kind of file is, for the list (by the start of its path).
KINDS = (
    ("csv/", "CSV"),
    ("parquet/", "Parquet"),
    ("release.sqlite", "SQLite"),
    ("metadata.json", "Datasette metadata"),
    ("datapackage.json", "Data Package"),
    ("codebook.md", "Codebook"),
    ("changelog", "Changelog"),
)


def kind_of(name: str) -> str:
    return next((label for start, label in KINDS if name.startswith(start)), "File")


class ReleaseListView(ReadingRoomMixin, TemplateView):
    template_name = "engagements/releases.html"
    model = Meeting  # the permission checked when the pages are not public

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        releases = []
        for release in Release.objects.all():
            files = [
                {"name": name, "kind": kind_of(name), **entry}
                for name, entry in release.files.items()
            ]
            rows = sum(release.counts.values())
            releases.append({"release": release, "files": files, "rows": rows})
        context.update(title="Releases", releases=releases, checksums=CHECKSUMS)
        return context


class ReleaseFileView(ReadingRoomMixin, View):
    model = Meeting

    def get(self, request, version: str, name: str):
        release = get_object_or_404(Release, version=version)
        path = file_of(release.version, name, release.files)
        if path is None:
            raise Http404("No such file in this release.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in (".md", ".csv") or path.name == CHECKSUMS:
            content_type = f"{'text/plain' if path.suffix != '.csv' else 'text/csv'}; charset=utf-8"
        response = FileResponse(path.open("rb"), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="defrel-{version}-{path.name}"'
        return response
