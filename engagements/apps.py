from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "India's defence engagements"
    default_auto_field = "django.db.models.BigAutoField"
