"""Helpers shared by the admin tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

ENGAGEMENT_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label == "engagements"
}

#: Models defrel fills itself, not curated records: no admin, no fixture. The releases
#: (``manage.py release``, slug redirects) and the meeting tally its triggers keep.
DERIVED_MODELS = {"Release", "ReleaseRecord", "SlugRedirect", "MeetingTally"}


def url(model, action, *args) -> str:
    """An admin address of ``model``: ``url(Meeting, "change", pk)``."""
    return reverse(f"admin:engagements_{model._meta.model_name}_{action}", args=args)


def upload(client, model, content: str | bytes, name="upload.csv"):
    """Post ``content`` as a CSV file to ``model``'s admin import page (its preview)."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        url(model, "import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, data, "text/csv")},
    )


def source_texts_dir():
    """The folder of the source documents' texts (``shared/seeds`` beside the checkout).

    ``DEFREL_SOURCE_TEXTS`` names it outright; otherwise it is looked for beside the checkout
    and beside each folder above it, then beside the repository a clone was made from (CI
    tests a fresh clone elsewhere), so the checks against the sources run wherever they can.
    """
    named = os.environ.get("DEFREL_SOURCE_TEXTS")
    if named:
        return Path(named)
    roots = [Path(settings.BASE_DIR)]
    try:
        origin = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and Path(origin).is_dir():  # a clone of a local repository
        roots.append(Path(origin).resolve())
    for root in roots:
        for folder in root.parents:
            if (folder / "shared" / "seeds").is_dir():
                return folder / "shared" / "seeds"
    return Path(settings.BASE_DIR).parent / "shared" / "seeds"
