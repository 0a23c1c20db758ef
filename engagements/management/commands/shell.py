"""Django's ``shell``, without django-simple-history's models in its automatic imports.

Each ``Historical*`` model says it lives in the ``engagements`` package, where no such name
exists, so Django 5.2's shell could not import any of them and began every session with
"27 objects could not be automatically imported". Their history is reached from the
records anyway (``Meeting.history``).
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.commands import shell
from simple_history.models import HistoricalChanges


class Command(shell.Command):
    def get_auto_imports(self):
        history = {
            f"{model.__module__}.{model.__name__}"
            for model in apps.get_models()
            if issubclass(model, HistoricalChanges)
        }
        return [path for path in super().get_auto_imports() if path not in history]
