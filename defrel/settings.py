"""Settings for defrel, read from the environment (one module, as healthchecks does it).

Out of the box it runs on a SQLite file beside ``manage.py`` with debug on; production sets
``DEFREL_DEBUG=0``, a ``DEFREL_SECRET_KEY`` and ``DATABASE_URL=postgres://…``.
"""

import base64
import hashlib
import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from defrel.caches import DEFAULT_URL as DEFAULT_CACHE_URL
from defrel.caches import cache_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEFREL_DEBUG", "1")

#: The key a development checkout runs with; refused whenever debug is off.
DEVELOPMENT_SECRET_KEY = "defrel-insecure-development-key-do-not-use-in-production"


def weak_secret_key(key: str) -> str:
    """Why ``key`` is unfit for production ("" if it is fit): Django's own W009 rule."""
    if key == DEVELOPMENT_SECRET_KEY:
        return "it is the development key from the repository"
    if key.startswith("django-insecure"):
        return "it is a key startproject generated for development"
    if len(key) < 50 or len(set(key)) < 5:
        return "it has fewer than 50 characters or fewer than 5 different ones"
    return ""


SECRET_KEY = os.environ.get("DEFREL_SECRET_KEY", "")
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DEFREL_SECRET_KEY is not set. With DEFREL_DEBUG=0 defrel refuses to start without "
            "a secret key: set DEFREL_SECRET_KEY to a long random string."
        )
    if reason := weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            f"DEFREL_SECRET_KEY is refused with DEFREL_DEBUG=0: {reason}. Generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
elif not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = envlist("DEFREL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("DEFREL_CSRF_TRUSTED_ORIGINS", "")

# Researcher pages are public unless DEFREL_PUBLIC=0, which requires a login with view rights.
DEFREL_PUBLIC = envbool("DEFREL_PUBLIC", "1")


def project_version() -> str:
    """The version in pyproject.toml (the one source of it), else the installed package's."""
    pyproject = BASE_DIR / "pyproject.toml"
    if pyproject.exists():
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    return metadata.version("defrel")


# The dataset's version and the day it was released, as cited (/about/, CITATION.cff, the
# citation meta tags of record pages). Bump both with pyproject.toml's version.
DEFREL_VERSION = project_version()
DEFREL_RELEASE_DATE = "2026-12-01"
# Frozen releases of the public data (``manage.py release VERSION``, docs/releases.md).
DEFREL_RELEASES_DIR = Path(os.environ.get("DEFREL_RELEASES_DIR", BASE_DIR / "var" / "releases"))

INSTALLED_APPS = [
    "engagements.apps.DefrelAdminConfig",  # django.contrib.admin, with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "ninja",  # the API's docs page: Swagger UI from ninja's static files, not a CDN
    "engagements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "defrel.urls"
WSGI_APPLICATION = "defrel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One variable switches the database: DATABASE_URL=postgres://user@host:5432/defrel.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'defrel.sqlite3'}",
        conn_max_age=int(os.environ.get("DEFREL_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DEFREL_TEST_DB_NAME") or None}

# One variable switches the cache (defrel/caches.py): by default a table of the database, so
# every worker shares the facet counts it keeps; DEFREL_CACHE_URL=redis://… for a busy site.
CACHES = {"default": cache_from_url(os.environ.get("DEFREL_CACHE_URL") or DEFAULT_CACHE_URL)}

# Django's widget templates, the commonest written in Python (engagements/widgetmarkup.py).
FORM_RENDERER = "engagements.widgetmarkup.PythonWidgets"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DEFREL_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The reading room's own login (researchers have no staff status); the admin keeps its own.
LOGIN_URL = "engagements:login"

# Password guessing (django-axes): after DEFREL_LOGIN_FAILURES wrong passwords for one
# username, or from one address, logins from it are refused for DEFREL_LOCKOUT_MINUTES.
# A Reviewer lifts a lockout in the admin (Axes › Access attempts: delete), or a command:
# ``manage.py axes_reset_username NAME`` / ``axes_reset_ip ADDRESS`` / ``axes_reset``.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DEFREL_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DEFREL_LOCKOUT_MINUTES", "60")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address: REMOTE_ADDR, unless DEFREL_PROXY_COUNT trusted proxies set
# X-Forwarded-For (trusting it without a proxy would let a guesser pick their own address).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DEFREL_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# django-import-export: record imports in the change history, all-or-nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# Production hardening: active whenever debug is off, so `check --deploy` is clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DEFREL_SSL_REDIRECT", "1")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DEFREL_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Staff sessions end after DEFREL_SESSION_IDLE_MINUTES without a request (each request
# renews the cookie; researchers browsing anonymously have no session to save).
SESSION_COOKIE_AGE = int(float(os.environ.get("DEFREL_SESSION_IDLE_MINUTES", "120")) * 60)
SESSION_SAVE_EVERY_REQUEST = True


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# Content-Security-Policy (django-csp): every script and style comes from the site itself
# (no CDN, no inline code). The exceptions are hashes of exact inline text: the 500 page's
# own <style> (it must render when all else fails), and a few attributes in the templates of
# django-import-export and django-simple-history, allowed by hash ('unsafe-hashes' admits
# only the listed attribute values, not inline <script>).
ERROR_PAGE_STYLE = re.search(
    r"<style>(.*?)</style>",
    (BASE_DIR / "engagements" / "templates" / "500.html").read_text(encoding="utf-8"),
    re.DOTALL,
)[1]
THIRD_PARTY_STYLE_ATTRIBUTES = ("padding: 0;", "font-weight: bold;", "border-top: 0")
THIRD_PARTY_SCRIPT_ATTRIBUTES = ("onSelectToggleChange(event)",)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_HASHES, *map(csp_hash, THIRD_PARTY_SCRIPT_ATTRIBUTES)],
        "style-src": [
            SELF,
            UNSAFE_HASHES,
            csp_hash(ERROR_PAGE_STYLE),
            *map(csp_hash, THIRD_PARTY_STYLE_ATTRIBUTES),
        ],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs any of these features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEFREL_LOG_LEVEL", "WARNING")},
}

# --- Scale (issues 5, 17): read replicas, PgBouncer ---------------------------------------
# With DATABASE_REPLICA_URL (one or more streaming replicas of DATABASE_URL, comma-separated),
# researcher pages and exports read the data model from a healthy replica ("replica",
# "replica_2"…, taken in turn); the admin, sessions and every write use "default". A replica
# is checked at most every DEFREL_REPLICA_CHECK_SECONDS and skipped while it does not answer
# or is more than DEFREL_REPLICA_MAX_LAG_SECONDS behind; with none left, reads go to the
# primary. After a write, the browser reads from the primary for DEFREL_REPLICA_PIN_SECONDS
# (default: the lag limit plus the check interval). See defrel/routers.py, defrel/replicas.py.
DEFREL_REPLICA_CHECK_SECONDS = float(os.environ.get("DEFREL_REPLICA_CHECK_SECONDS", "2"))
DEFREL_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DEFREL_REPLICA_MAX_LAG_SECONDS", "5"))
DEFREL_REPLICA_PIN_SECONDS = (
    float(os.environ["DEFREL_REPLICA_PIN_SECONDS"])
    if os.environ.get("DEFREL_REPLICA_PIN_SECONDS")
    else None
)
DEFREL_REPLICA_DATABASES = []
for number, replica_url in enumerate(envlist("DATABASE_REPLICA_URL", ""), start=1):
    alias = "replica" if number == 1 else f"replica_{number}"
    DATABASES[alias] = dj_database_url.parse(
        replica_url,
        conn_max_age=int(os.environ.get("DEFREL_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A stopped replica must not hold a request for long: it is skipped, not waited for.
    if DATABASES[alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[alias].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DEFREL_REPLICA_CONNECT_TIMEOUT", "2")
        )
    # Tests run against one database: a replica mirrors the test copy of "default".
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    DEFREL_REPLICA_DATABASES.append(alias)
DEFREL_REPLICA_DATABASE = DEFREL_REPLICA_DATABASES[0] if DEFREL_REPLICA_DATABASES else None

# Behind PgBouncer in transaction pooling mode (DEFREL_PGBOUNCER=1), consecutive statements
# outside a transaction may run on different server connections: a cursor declared WITH HOLD
# (Django's .iterator() outside a transaction) would be lost, so server-side cursors are off.
# Prepared statements are already off (Django's psycopg default, prepare_threshold=None).
DEFREL_PGBOUNCER = envbool("DEFREL_PGBOUNCER", "0")
if DEFREL_PGBOUNCER:
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True

DATABASE_ROUTERS = ["defrel.routers.ReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "defrel.routers.ReplicaReadsMiddleware",
)
