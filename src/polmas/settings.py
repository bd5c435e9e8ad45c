"""Django settings, read from environment variables through strict parsers (see env.py)."""

import os
import re
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from polmas.env import (
    SettingError,
    check_encryption_keys,
    deployment_secret,
    env_bool,
    env_int,
    env_list,
    env_tile_url,
    new_encryption_key,
    new_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("POLMAS_VAR_DIR") or PROJECT_DIR / "var")

DEBUG = env_bool("POLMAS_DEBUG", True)

# From the environment, from the file named by POLMAS_SECRET_KEY_FILE / POLMAS_ENCRYPTION_KEY_FILE,
# or (development) generated once under var/. *_FROM_ENV: the deployment gave it; *_FILE: the
# file it was read from (checked by `check --deploy`: not in the data directory, not readable
# by others).
SECRET_KEY, SECRET_KEY_FILE, SECRET_KEY_FROM_ENV = deployment_secret(
    "POLMAS_SECRET_KEY", VAR_DIR / "secret_key", new_secret_key)

_encryption_raw, ENCRYPTION_KEY_FILE, ENCRYPTION_KEY_FROM_ENV = deployment_secret(
    "POLMAS_ENCRYPTION_KEY", VAR_DIR / "encryption_key", new_encryption_key)
ENCRYPTION_KEYS = check_encryption_keys("POLMAS_ENCRYPTION_KEY", _encryption_raw)

ALLOWED_HOSTS = env_list("POLMAS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("POLMAS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",
    # Before django_tasks_db: its `db_worker` command is polmas.core's, which survives outages.
    "polmas.core",
    "django_tasks_db",
    "polmas.regions",
    "polmas.policing",
    "polmas.access",
    "polmas.forums",
    "polmas.reports",
    "polmas.partners",
    "polmas.cases",
    "polmas.activities",
    "polmas.field",
    "polmas.surveys",
    "polmas.analytics",
    "polmas.earlywarning",
    "polmas.evaluation",
    "polmas.planning",
    "polmas.simulation",
    "polmas.portal",
    "polmas.web",
    "polmas.privacy",
]

MIDDLEWARE = [
    "polmas.core.middleware.SecurityHeadersMiddleware",  # outermost: sees every answer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "polmas.urls"
WSGI_APPLICATION = "polmas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'polmas.sqlite3'}",
            # Reusing connections saves a connect per request (14 ms on PostgreSQL here).
            conn_max_age=env_int("POLMAS_DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise SettingError(f"DATABASE_URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that reads the socket before it asks the server.
    DATABASES["default"]["ENGINE"] = "polmas.core.db.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # temp_store=MEMORY: the statement journal of a write inside a transaction (report
        # intake's INSERT into a table with unique indexes) is kept in memory, not created
        # and deleted as a file in /var/tmp. wal_autocheckpoint=4000 pages (16 MB of WAL,
        # SQLite's default is 1000): a quarter of the checkpoints, each with its two fsyncs
        # made by whichever commit crosses the mark while the other writers wait, and a page
        # written again and again (an index's last leaf) copied once per checkpoint. Under
        # the intake bench: a quarter of the fdatasyncs, a tenth fewer page writes and reads.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=4000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica for the heavy reads (dashboards, /statistik/, exports): the
# views that say so read there while it is at most POLMAS_REPLICA_MAX_LAG_SECONDS behind,
# asked at most every POLMAS_REPLICA_CHECK_SECONDS; a browser that wrote reads from the
# primary for POLMAS_REPLICA_PIN_SECONDS after. Unset: everything on DATABASE_URL (ADR 30).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
POLMAS_REPLICA_MAX_LAG_SECONDS = env_int("POLMAS_REPLICA_MAX_LAG_SECONDS", 30)
POLMAS_REPLICA_CHECK_SECONDS = env_int("POLMAS_REPLICA_CHECK_SECONDS", 5)
POLMAS_REPLICA_PIN_SECONDS = env_int("POLMAS_REPLICA_PIN_SECONDS", 15)
if DATABASE_REPLICA_URL:
    try:
        _replica = dj_database_url.parse(DATABASE_REPLICA_URL,
                                         conn_max_age=env_int("POLMAS_DB_CONN_MAX_AGE", 60),
                                         conn_health_checks=True)
    except ValueError as exc:
        raise SettingError(f"DATABASE_REPLICA_URL: {exc}") from None
    if (_replica["ENGINE"] != "django.db.backends.postgresql"
            or DATABASES["default"]["ENGINE"] != "polmas.core.db.postgresql"):
        raise SettingError("DATABASE_REPLICA_URL: a replica needs PostgreSQL, in it and in DATABASE_URL "
                           "(postgres://user:password@host:port/name)")
    _replica["ENGINE"] = "polmas.core.db.postgresql"
    # A replica that does not answer must not hold a request for long: it falls back.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Tests read the replica alias from the test database itself (Django's test mirrors).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["polmas.core.db.replica.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "polmas.core.db.replica.PinMiddleware")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, refusing the published demo password where demo accounts are not allowed.
    "polmas.access.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# E-mail sent by Django itself (password reset; e-mail replies with the real message backend):
# POLMAS_EMAIL_BACKEND "smtp" (POLMAS_EMAIL_HOST, _PORT, _USER, _PASSWORD, _TLS; the default
# with POLMAS_DEBUG=0), "file" (var/mail; the default while debugging) or a backend's path.
_SMTP = {"host": os.environ.get("POLMAS_EMAIL_HOST", "localhost"),
         "port": env_int("POLMAS_EMAIL_PORT", 25, minimum=1),
         "username": os.environ.get("POLMAS_EMAIL_USER", ""),
         "password": os.environ.get("POLMAS_EMAIL_PASSWORD", ""),
         "use_tls": env_bool("POLMAS_EMAIL_TLS", False)}
_MAIL_BACKEND = os.environ.get("POLMAS_EMAIL_BACKEND", "file" if DEBUG else "smtp")
if _MAIL_BACKEND == "file":
    _MAILER = {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "OPTIONS": {"file_path": str(VAR_DIR / "mail")}}
elif _MAIL_BACKEND == "smtp":
    _MAILER = {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _SMTP}
else:
    _MAILER = {"BACKEND": _MAIL_BACKEND}
MAILERS = {"default": _MAILER}
DEFAULT_FROM_EMAIL = os.environ.get("POLMAS_EMAIL_FROM", "polmas@localhost")
# A password-reset link works this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("POLMAS_PASSWORD_RESET_HOURS", 24, minimum=1) * 3600

# Lockout after repeated failed logins, per username and client address.
AXES_FAILURE_LIMIT = env_int("POLMAS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("POLMAS_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address as intake computes it: behind POLMAS_BEHIND_PROXY, the hop our proxy
# added to X-Forwarded-For, so that a lockout is not shared by everyone behind the proxy.
AXES_CLIENT_IP_CALLABLE = "polmas.core.http.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

# Demo accounts with a published password: never where POLMAS_DEBUG=0 unless asked for.
POLMAS_ALLOW_DEMO = env_bool("POLMAS_ALLOW_DEMO", DEBUG)

# Anonymous intake: reports accepted per client address per hour.
POLMAS_REPORTS_PER_HOUR = env_int("POLMAS_REPORTS_PER_HOUR", 20, minimum=1)
# Residents' photos: the most pixels taken, read from the image's header before decoding
# (PNG and WebP at most 16 megapixels whatever this says: core/photos.py).
POLMAS_PHOTO_MAX_PIXELS = env_int("POLMAS_PHOTO_MAX_PIXELS", 40_000_000, minimum=1_000_000)
MEDIA_URL = "media/"

# Outbound messages (SMS, WhatsApp, e-mail) and the webhook secrets of the gateways.
POLMAS_MESSAGE_BACKEND = os.environ.get(
    "POLMAS_MESSAGE_BACKEND", "polmas.reports.messaging.FileBackend"
)
POLMAS_OUTBOX_DIR = VAR_DIR / "outbox"
POLMAS_SMS_FROM = os.environ.get("POLMAS_SMS_FROM", "")
POLMAS_TWILIO_API_URL = os.environ.get("POLMAS_TWILIO_API_URL", "https://api.twilio.com")
POLMAS_TWILIO_ACCOUNT_SID = os.environ.get("POLMAS_TWILIO_ACCOUNT_SID", "")
POLMAS_TWILIO_AUTH_TOKEN = os.environ.get("POLMAS_TWILIO_AUTH_TOKEN", "")
POLMAS_WHATSAPP_API_URL = os.environ.get("POLMAS_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
POLMAS_WHATSAPP_PHONE_ID = os.environ.get("POLMAS_WHATSAPP_PHONE_ID", "")
POLMAS_WHATSAPP_TOKEN = os.environ.get("POLMAS_WHATSAPP_TOKEN", "")
POLMAS_WHATSAPP_APP_SECRET = os.environ.get("POLMAS_WHATSAPP_APP_SECRET", "")
POLMAS_WHATSAPP_VERIFY_TOKEN = os.environ.get("POLMAS_WHATSAPP_VERIFY_TOKEN", "")
# An approved template ("Laporan Anda {{1}} {{2}}.") for status updates more than 24 hours
# after the resident's last WhatsApp message; without one they go out as plain text.
POLMAS_WHATSAPP_TEMPLATE = os.environ.get("POLMAS_WHATSAPP_TEMPLATE", "")
POLMAS_WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("POLMAS_WHATSAPP_TEMPLATE_LANGUAGE", "id")

# Web push to officers' devices (VAPID, RFC 8292): the key pair made by `polmas push_keys`.
# Without them no push is sent and the settings page says so.
POLMAS_VAPID_PRIVATE_KEY = os.environ.get("POLMAS_VAPID_PRIVATE_KEY", "")
POLMAS_VAPID_PUBLIC_KEY = os.environ.get("POLMAS_VAPID_PUBLIC_KEY", "")
POLMAS_VAPID_SUBJECT = os.environ.get("POLMAS_VAPID_SUBJECT", "mailto:admin@polmas.invalid")
# Push endpoints must be https; a test's own push service on 127.0.0.1 may be plain http.
POLMAS_PUSH_ALLOW_LOOPBACK_HTTP = env_bool("POLMAS_PUSH_ALLOW_LOOPBACK_HTTP", False)

# Background tasks: a database queue worked by `polmas db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get(
    "POLMAS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A task RUNNING for longer than this was left by a worker that died (kill -9, out of memory):
# a live worker puts it back in the queue. Longer than the longest task (routing: 30 s).
POLMAS_TASK_STALE_SECONDS = env_int("POLMAS_TASK_STALE_SECONDS", 300, minimum=1)
# A task claimed this many times and never finished is marked failed, not run again.
POLMAS_TASK_MAX_CLAIMS = env_int("POLMAS_TASK_MAX_CLAIMS", 5, minimum=1)

# Months after a report is closed or resolved before `polmas retention_anonymise` removes its
# reporter's contact details (UU 27/2022: kept no longer than needed).
POLMAS_RETENTION_MONTHS = env_int("POLMAS_RETENTION_MONTHS", 24, minimum=1)

# API tokens (ADR 13): an access token lives a working day and a shift; the refresh token
# the field app keeps offline gets it a new one, and lives on while used at least this often.
# POLMAS_API_TOKEN_TTL_DAYS, the old setting, still counts (as whole days) when given alone.
if os.environ.get("POLMAS_API_TOKEN_TTL_DAYS") and os.environ.get("POLMAS_API_TOKEN_TTL_HOURS"):
    raise SettingError("POLMAS_API_TOKEN_TTL_DAYS and POLMAS_API_TOKEN_TTL_HOURS: give only one "
                       "(POLMAS_API_TOKEN_TTL_DAYS is the old name)")
API_TOKEN_TTL_HOURS = (env_int("POLMAS_API_TOKEN_TTL_DAYS", 1, minimum=1) * 24
                       if os.environ.get("POLMAS_API_TOKEN_TTL_DAYS")
                       else env_int("POLMAS_API_TOKEN_TTL_HOURS", 24, minimum=1))
API_REFRESH_TTL_DAYS = env_int("POLMAS_API_REFRESH_TTL_DAYS", 30, minimum=1)

# Category codes that may never be mediated, on top of the catalogue's own "may be mediated" flag
# and every sensitive category (comma-separated, e.g. "narkoba,perjudian").
POLMAS_NON_MEDIABLE_CATEGORIES = env_list("POLMAS_NON_MEDIABLE_CATEGORIES", [])

# Open311: the jurisdiction_id this endpoint serves, declared in discovery; a request naming
# another is refused (404, as GeoReport v2 says). Letters, digits, dots, dashes.
POLMAS_OPEN311_JURISDICTION = os.environ.get("POLMAS_OPEN311_JURISDICTION", "polmas.id").strip()
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", POLMAS_OPEN311_JURISDICTION):
    raise SettingError("POLMAS_OPEN311_JURISDICTION: use letters, digits, dots and dashes "
                       "(at most 100), like polmas.example.go.id")

# The country this deployment serves (ISO 3166-1 alpha-2, polmas/regions/countries.py): where
# `load_regions` takes the regions from, and the default time zone and language. "ID" (the
# default) or "TL" (Timor-Leste: regions from a CSV under the prefix 00, Tetum, Asia/Dili).
from polmas.regions.countries import COUNTRIES  # noqa: E402

POLMAS_COUNTRY = os.environ.get("POLMAS_COUNTRY", "ID").strip().upper()
if POLMAS_COUNTRY not in COUNTRIES:
    raise SettingError(f"POLMAS_COUNTRY: {POLMAS_COUNTRY!r} is not one of "
                       f"{', '.join(sorted(COUNTRIES))}")
LANGUAGE_CODE = COUNTRIES[POLMAS_COUNTRY].language
LANGUAGES = [("id", _("Indonesian")), ("en", _("English")), ("tet", _("Tetum"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Tetum (Timor-Leste, ISO 639-2 `tet`) is not among Django's languages: its name for the
# language switcher and `get_language_info` goes into Django's public table of languages
# (django.conf.locale.LANG_INFO, read by get_language_info()), and its date and number
# formats come from polmas/core/formats/tet/formats.py (FORMAT_MODULE_PATH; Django's own
# formats still serve id and en). Its translations, Django's own messages that our pages show
# among them, are in locale/tet (ADR 29).
EXTRA_LANG_INFO = {
    "tet": {"bidi": False, "code": "tet", "name": "Tetum", "name_local": "Tetun"},
}
import django.conf.locale  # noqa: E402

django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
FORMAT_MODULE_PATH = ["polmas.core.formats"]
TIME_ZONE = COUNTRIES[POLMAS_COUNTRY].time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
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
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when unused
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
_secure = not DEBUG
SECURE_SSL_REDIRECT = env_bool("POLMAS_SSL_REDIRECT", _secure)
SESSION_COOKIE_SECURE = env_bool("POLMAS_SECURE_COOKIES", _secure)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("POLMAS_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
POLMAS_BEHIND_PROXY = env_bool("POLMAS_BEHIND_PROXY", False)
if POLMAS_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS: list[str] = []

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# A tile server for the dashboards' maps, for deployments that run one (e.g.
# https://tiles.example.org/{z}/{x}/{y}.png) and the attribution its licence asks for.
# Unset (the default), the maps draw no tiles and work offline.
POLMAS_MAP_TILES_URL, _tiles_origin = env_tile_url("POLMAS_MAP_TILES_URL")
POLMAS_MAP_TILES_ATTRIBUTION = os.environ.get("POLMAS_MAP_TILES_ATTRIBUTION", "").strip()
if _tiles_origin:
    SECURE_CSP["img-src"].append(_tiles_origin)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("POLMAS_LOG_LEVEL", "WARNING")},
}

# The field app's sync refuses a record dated further back than this many days.
POLMAS_FIELD_WINDOW_DAYS = int(os.environ.get("POLMAS_FIELD_WINDOW_DAYS") or 92)
# Part of the field app's version: a new value makes phones install a new service worker.
POLMAS_FIELD_RELEASE = os.environ.get("POLMAS_FIELD_RELEASE", "")

# --- Operations at scale (docs/deploy.md, ADR 31) --------------------------------------------
# The shared cache: redis://, rediss:// or unix:// of a Redis or Valkey server, shared by all
# app servers (the kept dashboard pages, ADR 10). Unset: each process keeps its own (Django's
# local memory cache). A server that stops answering costs the pages their shortcut, never an
# answer (core/cache.py).
POLMAS_CACHE_URL = os.environ.get("POLMAS_CACHE_URL", "").strip()
if POLMAS_CACHE_URL:
    if not re.match(r"(rediss?|unix)://[^\s]+$", POLMAS_CACHE_URL):
        raise SettingError("POLMAS_CACHE_URL: give redis://host:port/db, rediss://... or "
                           "unix:///path/to/socket")
    CACHES = {"default": {
        "BACKEND": "polmas.core.cache.SharedCache",
        "LOCATION": POLMAS_CACHE_URL,
        "KEY_PREFIX": "polmas",
        # A page waits at most this long for a cache that went away (then 5 s without trying).
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }}

# Uploaded files (residents' and officers' photos) go through STORAGES["default"]: a dotted
# storage class and its options as JSON, e.g. a shared mount or an S3-compatible store. They
# are read back only through the views that check permission (never a public media URL).
_media_storage = os.environ.get("POLMAS_MEDIA_STORAGE", "").strip()
if _media_storage:
    import json as _json

    try:
        _media_options = _json.loads(os.environ.get("POLMAS_MEDIA_STORAGE_OPTIONS") or "{}")
    except ValueError as exc:
        raise SettingError(f"POLMAS_MEDIA_STORAGE_OPTIONS: not JSON ({exc})") from None
    if not isinstance(_media_options, dict):
        raise SettingError("POLMAS_MEDIA_STORAGE_OPTIONS: give a JSON object")
    STORAGES["default"] = {"BACKEND": _media_storage, "OPTIONS": _media_options}

# /metrics answers only a request carrying `Authorization: Bearer <this>`; unset: 404.
POLMAS_METRICS_TOKEN = os.environ.get("POLMAS_METRICS_TOKEN", "").strip()
if POLMAS_METRICS_TOKEN and len(POLMAS_METRICS_TOKEN) < 16:
    raise SettingError("POLMAS_METRICS_TOKEN: use at least 16 characters")
# /readyz calls the worker missing when no worker has beaten for this long (0: not checked,
# e.g. where tasks run in the request).
POLMAS_WORKER_HEARTBEAT_SECONDS = env_int(
    "POLMAS_WORKER_HEARTBEAT_SECONDS",
    0 if TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend" else 120)
# Logs as one JSON object a line, each with the request id (json), or plain text (text).
POLMAS_LOG_FORMAT = os.environ.get("POLMAS_LOG_FORMAT", "text").strip()
if POLMAS_LOG_FORMAT not in ("json", "text"):
    raise SettingError("POLMAS_LOG_FORMAT: json or text")
LOGGING["filters"] = {"request_id": {"()": "polmas.core.observe.RequestIdFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
if POLMAS_LOG_FORMAT == "json":
    LOGGING["formatters"] = {"json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    }}
    LOGGING["handlers"]["console"]["formatter"] = "json"
MIDDLEWARE.insert(0, "polmas.core.observe.ObserveMiddleware")
