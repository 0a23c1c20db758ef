from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "India's defence engagements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .permissions import setup_groups_after_migrate

        # Staff groups (Editors, Reviewers, Researchers) exist on every migrated database.
        post_migrate.connect(setup_groups_after_migrate, sender=self)
