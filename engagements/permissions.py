"""Staff groups and what each may do in the admin.

- **Editors** enter data: view, add and change every record, and import CSV files (importing
  needs the add permission, see ``IMPORT_EXPORT_IMPORT_PERMISSION_CODE``); they cannot delete
  a record, only remove rows on the page of a record they may change (an admin inline's
  *Delete* box follows the record's change permission: ``CurationAdmin.get_inline_instances``).
- **Reviewers** correct and prune: view, change and delete, but not add or import.
- **Researchers** read: view only (in the admin, and export).

Reviewers also lift login lockouts (django-axes' access attempts: view and delete).

The groups are kept in step after every ``migrate`` (a ``post_migrate`` handler) and by
``manage.py setup_groups``; both only ever set these three groups' permissions.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

EDITORS, REVIEWERS, RESEARCHERS = "Editors", "Reviewers", "Researchers"

#: Permission actions per group, applied to every model of the engagements app.
GROUP_ACTIONS: dict[str, tuple[str, ...]] = {
    EDITORS: ("view", "add", "change"),
    REVIEWERS: ("view", "change", "delete"),
    RESEARCHERS: ("view",),
}

#: Permissions outside the engagements app, as ``app_label.codename``.
EXTRA_PERMISSIONS: dict[str, tuple[str, ...]] = {
    REVIEWERS: ("axes.view_accessattempt", "axes.delete_accessattempt"),
}


def curated_models():
    """The engagements models staff work on (their historical twins are read via the
    record's own permissions, so they are left out)."""
    return [
        model
        for model in apps.get_app_config("engagements").get_models()
        if not model.__name__.startswith("Historical")
    ]


def setup_groups(using: str = "default") -> dict[str, int]:
    """Create or update the three groups; returns how many permissions each has."""
    models = curated_models()
    content_types = ContentType.objects.db_manager(using).get_for_models(*models)
    counts = {}
    for name, actions in GROUP_ACTIONS.items():
        codenames = [f"{action}_{model._meta.model_name}" for model in models for action in actions]
        permissions = Permission.objects.using(using).filter(
            content_type__in=content_types.values(), codename__in=codenames
        )
        extra = Q(pk__in=[])
        for label in EXTRA_PERMISSIONS.get(name, ()):
            app_label, codename = label.split(".")
            extra |= Q(content_type__app_label=app_label, codename=codename)
        permissions = permissions | Permission.objects.using(using).filter(extra)
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = permissions.count()
    return counts


def setup_groups_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate`` handler: runs after Django has created the permissions."""
    if not apps.is_installed("django.contrib.auth"):
        return
    setup_groups(using=using)
