"""Helpers shared by the admin tests."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

ENGAGEMENT_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label == "engagements"
}


def url(model, action, *args) -> str:
    """An admin address of ``model``: ``url(Meeting, "change", pk)``."""
    return reverse(f"admin:engagements_{model._meta.model_name}_{action}", args=args)
