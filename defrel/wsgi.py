"""WSGI entry point: ``gunicorn defrel.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "defrel.settings")

application = get_wsgi_application()
