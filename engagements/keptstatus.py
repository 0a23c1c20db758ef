"""Keeping each agreement's current status (``Agreement.current_status`` and its date and
precision) equal to its latest step as steps are saved and deleted one by one.

Signals rather than ``save()``/``delete()`` overrides, so that the admin's inline, a history
revert, a queryset's ``delete()`` and the cascade from a deleted agreement or source all
count. Writes that bypass them (the bulk import's batches, ``synthesize``, ``clear``) call
``refresh_status`` themselves; ``manage.py audit`` reports any drift left.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from .models import Agreement, AgreementStatusChange
from .models.agreements import refresh_status


def remember_agreement(sender, instance, using, **kwargs) -> None:
    """pre_save: the agreement the step belongs to before this save, so that moving it
    refreshes both. Read on save (rare), not on every step loaded (the lists load many)."""
    stored = sender._base_manager.using(using).filter(pk=instance.pk) if instance.pk else None
    instance._left_agreement_id = (
        stored.values_list("agreement_id", flat=True).first() if stored is not None else None
    )


def step_written(sender, instance, using, **kwargs) -> None:
    """post_save and post_delete of a step: its agreement (and the one it left)."""
    ids = {instance.agreement_id, getattr(instance, "_left_agreement_id", None)}
    refresh_status(ids, using)


def agreement_saved(sender, instance, created, raw, using, **kwargs) -> None:
    """post_save of an agreement: a save (a form's, a revert's) writes back the kept
    columns it loaded, perhaps stale; a new one has no steps (but a fixture may say)."""
    if raw or not created:
        refresh_status([instance.pk], using)


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    pre_save.connect(remember_agreement, sender=AgreementStatusChange, dispatch_uid="kept-1")
    post_save.connect(step_written, sender=AgreementStatusChange, dispatch_uid="kept-2")
    post_delete.connect(step_written, sender=AgreementStatusChange, dispatch_uid="kept-3")
    post_save.connect(agreement_saved, sender=Agreement, dispatch_uid="kept-4")
