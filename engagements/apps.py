from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate, pre_save

from defrel.caches import create_cache_table


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "India's defence engagements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import keptstatus
        from .columns import RECORDS
        from .permissions import setup_groups_after_migrate
        from .redirects import remember_old_slug

        # A mark names a public column of its record; the models learn the names here, once
        # the declarations (which import the models) can be read.
        for record in RECORDS.values():
            record.model.public_columns = tuple(c.name for c in record.markable)

        # Staff groups (Editors, Reviewers, Researchers) exist on every migrated database.
        post_migrate.connect(setup_groups_after_migrate, sender=self)
        # The database cache's table, made by migrate rather than a separate command.
        post_migrate.connect(create_cache_table, sender=self)
        # A renamed record keeps its old slug as a redirect (links and releases name it).
        pre_save.connect(remember_old_slug, dispatch_uid="defrel-old-slugs")
        # Each agreement's current status follows its steps (engagements.keptstatus).
        keptstatus.connect()


class DefrelAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the curation desk's site (its index in two sections) as
    ``admin.site``: listed in ``INSTALLED_APPS`` in place of ``django.contrib.admin``."""

    default = False  # "engagements" alone still means EngagementsConfig
    default_site = "engagements.admin_site.DefrelAdminSite"
