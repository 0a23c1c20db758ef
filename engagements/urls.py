"""Researcher pages (read-only). Detail routes are named ``<model>_detail``."""

app_name = "engagements"

urlpatterns: list = []
