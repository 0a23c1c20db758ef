"""Frozen releases of the public data, and the old slugs that keep their links working.

A release's files live on disk (``engagements.releases``); the database holds what pages ask
of them cheaply: the release itself (version, counts, the checksums of its files) and which
records it holds (``ReleaseRecord``, one row per record with a one-column key, bulk written),
so a record's page can say in which releases it appears with one indexed query.

``SlugRedirect`` keeps a renamed record's old slug (filled on save, see ``redirects``): a
link or a release file naming the old slug still finds the record.
"""

from __future__ import annotations

from django.db import models


class Release(models.Model):
    """One frozen release: never changed once made."""

    version = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField()
    previous = models.CharField(
        max_length=40, blank=True, help_text="The release its changelog compares against."
    )
    #: Table name → rows.
    counts = models.JSONField(default=dict)
    #: File path within the release → {"sha256": …, "bytes": …}.
    files = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.version


class ReleaseRecord(models.Model):
    """A record a release holds, by table and key (a slug, a source key, an ISO code)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="records")
    table = models.CharField(max_length=60)
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["table", "key"], name="release_record_lookup")]

    def __str__(self) -> str:
        return f"{self.release}: {self.table} {self.key}"


class SlugRedirect(models.Model):
    """A slug a record no longer has, pointing at the record (by id, so chained renames
    still resolve)."""

    model = models.CharField(max_length=60)
    old_slug = models.CharField(max_length=200)
    target_id = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "old_slug"], name="slug_redirect_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.old_slug} → #{self.target_id}"
