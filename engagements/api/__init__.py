"""defrel's read-only JSON API (``/api/v1/``), derived from the public column declarations.

``endpoints`` says what it serves, ``shapes`` and ``fields`` how a record becomes typed JSON,
``params`` its query parameters (the reading room's filters), ``views`` the answers,
``conditional`` the ETags and 304s, and ``site`` the django-ninja API that serves them.
"""
