"""Old slugs kept as redirects: a record renamed on save leaves its old slug behind.

Slugs are the records' public identifiers (URLs, CSV files, releases), so a rename must not
break what cites the old one. ``remember_old_slug`` runs before every save of a slug-keyed
record and, when the slug changes, stores the old one (``SlugRedirect``); a detail page
asked for a slug no record has looks it up (``redirect_target``) and answers 301.

A merge is a rename of what is kept plus ``keep_slug(duplicate_slug, kept)`` for the record
removed. Bulk writes (COPY, ``update()``) bypass ``save()`` and so leave no redirect.
"""

from __future__ import annotations

from django.db import models

from .models import SlugRedirect
from .models.base import SlugKeyed


def keep_slug(model: type[models.Model], old_slug: str, target: models.Model) -> None:
    """Make ``old_slug`` of ``model`` lead to ``target`` (a rename, or a merged record)."""
    name = model._meta.model_name
    SlugRedirect.objects.update_or_create(
        model=name, old_slug=old_slug, defaults={"target_id": target.pk}
    )


def remember_old_slug(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """pre_save: keep the stored slug as a redirect when the save changes it."""
    if raw or not isinstance(instance, SlugKeyed) or instance.pk is None:
        return
    if update_fields is not None and "slug" not in update_fields:
        return
    model = type(instance)
    manager = model._base_manager.using(kwargs.get("using") or "default")
    old = manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old is None or old == instance.slug:
        return
    keep_slug(model, old, instance)
    # The new slug is live again: a redirect from it would never be reached, and would
    # mislead a later lookup.
    SlugRedirect.objects.filter(model=model._meta.model_name, old_slug=instance.slug).delete()


def redirect_target(model: type[models.Model], slug: str) -> models.Model | None:
    """The record ``slug`` used to name, if it still exists."""
    if "\x00" in slug or len(slug) > SlugRedirect._meta.get_field("old_slug").max_length:
        return None  # never an old slug (and PostgreSQL refuses NUL in text)
    target = (
        SlugRedirect.objects.filter(model=model._meta.model_name, old_slug=slug)
        .values_list("target_id", flat=True)
        .first()
    )
    if target is None:
        return None
    return model._default_manager.filter(pk=target).first()


def old_slugs(record: models.Model) -> list[str]:
    """The slugs ``record`` had before (for the releases that name it by them)."""
    return list(
        SlugRedirect.objects.filter(model=record._meta.model_name, target_id=record.pk).values_list(
            "old_slug", flat=True
        )
    )
