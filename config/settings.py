"""Settings for every environment, read from environment variables with safe defaults.

The embedded default (no variables set) is a working single-machine installation: SQLite in
``var/``, files in ``var/private``, Celery on the ``filesystem://`` broker in ``var/broker``.
Production sets ``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (Redis or RabbitMQ),
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and ``PRIVATE_MEDIA_ROOT``. See docs/deployment.md
and docs/adr/0002-settings-from-environment.md.
"""

import os
import secrets
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0/1, true/false, yes/no or on/off, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The configured key, or one generated once per installation and kept in var/ (never in git)."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # backup codes (disputes/enrolment.py)
    "viewflow",
    "viewflow.workflow",
    "disputes",
    "simple_history",
    "disputes.history",  # who changed organisations, memberships, staff roles (docs/audit.md, ADR 0015)
    "workflow",
    "rest_framework",  # the API for connected systems (disputes/api/, docs/api.md)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/, served as our own static files (CSP)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # the acting user of a history row (disputes/history)
    "disputes.access_log.AccessLogMiddleware",  # records 403, 404 on case addresses, 429 (docs/audit.md)
    "disputes.api.middleware.ApiMiddleware",  # /api/: every call in the access log, every error problem+json
    "disputes.twofactor.StaffTwoFactorMiddleware",
    "disputes.auth.UploadRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "disputes.context_processors.session_timeout",
                "disputes.context_processors.login_security",
                "disputes.context_processors.staff_member",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server's threads and the worker share the file. Concurrent writers queue instead of failing
    # with "database is locked": every transaction takes the write lock when it begins (IMMEDIATE) and
    # waits up to `timeout` seconds for it; WAL lets readers go on while one writes. The one who waited
    # then reads the new state and gets the same 409 as on PostgreSQL (docs/adr/0005).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"}
    )
# Two database roles on PostgreSQL (docs/deployment.md "Database", ADR 0012): the application
# connects (DATABASE_URL) as a role that owns nothing, so it cannot disable the audit trail's trigger;
# `manage.py migrate` connects with the owner's credentials from DATABASE_MIGRATE_URL (same database),
# then grants the application's role what it needs (`manage.py grant_runtime_role`).
DATABASE_MIGRATE_URL = os.environ.get("DATABASE_MIGRATE_URL", "")
if DATABASE_MIGRATE_URL:
    _owner = dj_database_url.parse(DATABASE_MIGRATE_URL)
    if any(_owner.get(key) != DATABASES["default"].get(key) for key in ("ENGINE", "HOST", "PORT", "NAME")):
        raise ImproperlyConfigured("DATABASE_MIGRATE_URL must name the same database as DATABASE_URL, as its owner")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, worded in our catalogue (Django 5.2's Dutch one lacks the message): disputes/auth.py
    {"NAME": "disputes.auth.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The client's address (log-in brake, access log): REMOTE_ADDR, or behind this many reverse proxies
# that each append to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), the entry the nearest
# trusted proxy added. 0 (default): X-Forwarded-For is not read, a client could write it itself.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
# Log-in brake (disputes/auth.py): this many failures per user name or address lock it for a while.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
# Password reset for parties (disputes/password_reset.py, docs/accounts.md "Wachtwoord vergeten"): a link works this
# many seconds; at most this many requests per e-mail address and per client address in the window, beyond that
# the same page and no e-mail. Staff get no reset e-mail (they ask the secretariat).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(2 * 60 * 60)))
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "10"))
PASSWORD_RESET_WINDOW = int(os.environ.get("PASSWORD_RESET_WINDOW", str(60 * 60)))


def _oidc_route(prefix: str, **options: str) -> dict | None:
    """One OpenID Connect route from the environment (disputes/oidc.py, docs/accounts.md): None (off) without
    ``<prefix>CLIENT_ID``; with it, the issuer, the secret and the four endpoints are required."""
    def get(name: str, default: str = "") -> str:
        return os.environ.get(prefix + name, "").strip() or default

    if not get("CLIENT_ID"):
        return None
    required = ("ISSUER", "CLIENT_SECRET", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USERINFO_ENDPOINT",
                "JWKS_ENDPOINT")
    missing = [prefix + name for name in required if not get(name)]
    if missing:
        raise ImproperlyConfigured(f"{prefix}CLIENT_ID is set: OpenID Connect then needs {', '.join(missing)} too")
    route = {name.lower(): get(name) for name in ("CLIENT_ID", *required)}
    route["sign_algo"] = get("SIGN_ALGO", "RS256")
    route.update({key: get(key.upper(), default) for key, default in options.items()})
    return route


# Log-in through OpenID Connect (mozilla-django-oidc; disputes/oidc.py, docs/accounts.md), off unless configured:
# OIDC_PARTY_* for parties through an eHerkenning broker (the organisation's KvK number in the claim KVK_CLAIM),
# OIDC_STAFF_* for staff through the ministry's identity provider (CLAIM matched against MATCH, email or username).
OIDC_ROUTES = {name: route for name, route in (
    ("party", _oidc_route("OIDC_PARTY_", scopes="openid", kvk_claim="urn:etoegang:1.9:EntityConcernedID:KvKnr")),
    ("staff", _oidc_route("OIDC_STAFF_", scopes="openid email", claim="email", match="email")),
) if route is not None}
if OIDC_ROUTES.get("staff", {}).get("match", "email") not in {"email", "username"}:
    raise ImproperlyConfigured("OIDC_STAFF_MATCH is email or username")
OIDC_TIMEOUT_SECONDS = float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
# The cache holds the log-in and upload brakes' counters, so every web process must share it (ADR 0014):
# by default a table in the database (created by `migrate`, disputes/apps.py); DJANGO_CACHE_URL=redis://...
# for Redis; locmem:// keeps it in each process's memory (one process only, e.g. a load test).
# Many entries before culling: culling would forget counters, and a guesser can make entries at will.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
elif CACHE_URL in ("", "db://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
else:
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL must start with redis://, rediss://, locmem:// or db://, "
                               f"not {CACHE_URL.split('://')[0]!r}")
# Staff log in with a second factor (TOTP, disputes/twofactor.py); off in debug mode for the demo.
STAFF_TWO_FACTOR = env_bool("DJANGO_STAFF_TWO_FACTOR", not DEBUG)
# The authenticator app is bound only through a set-up link from the secretariat, valid this long.
TWO_FACTOR_ENROLMENT_HOURS = int(os.environ.get("TWO_FACTOR_ENROLMENT_HOURS", "72"))
OTP_TOTP_ISSUER = "Geschilbeslechting prestatieafspraken"
# An invitation into a party organisation (disputes/invitations.py, docs/accounts.md) works this many days.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
# Upload brake (disputes/auth.py): at most this many upload requests per user in the window.
UPLOAD_RATE_LIMIT = int(os.environ.get("UPLOAD_RATE_LIMIT", "120"))
UPLOAD_RATE_WINDOW = int(os.environ.get("UPLOAD_RATE_WINDOW", str(10 * 60)))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))

# Case documents never live under a web-served path: they are read only by authorising views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# Bounds on the work one PDF may cause, at upload and in the dossier build (disputes/uploads.py,
# docs/deployment.md "Hostile PDFs"): bytes one decoded stream may reach, bytes all streams of a file
# may reach together, objects in a file, seconds the upload check may take.
PDF_MAX_STREAM_BYTES = int(os.environ.get("PDF_MAX_STREAM_BYTES", str(64 * 1024 * 1024)))
PDF_MAX_DECODED_BYTES = int(os.environ.get("PDF_MAX_DECODED_BYTES", str(1024 * 1024 * 1024)))
PDF_MAX_OBJECTS = int(os.environ.get("PDF_MAX_OBJECTS", "250000"))
PDF_CHECK_SECONDS = float(os.environ.get("PDF_CHECK_SECONDS", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Staff search (disputes/search.py, docs/search.md): the worker reads each document's text once, up to these bounds
# (characters a document and a page keep, seconds one document may take); a query keeps its first characters.
SEARCH_MAX_DOCUMENT_CHARACTERS = int(os.environ.get("SEARCH_MAX_DOCUMENT_CHARACTERS", "1000000"))
SEARCH_MAX_PAGE_CHARACTERS = int(os.environ.get("SEARCH_MAX_PAGE_CHARACTERS", "20000"))
SEARCH_EXTRACT_SECONDS = float(os.environ.get("SEARCH_EXTRACT_SECONDS", "60"))
SEARCH_MAX_QUERY_LENGTH = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With the file backend (`make run` uses it) each message is a file in this folder, not a page of console output.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "geschilbeslechting@example.nl")

# Celery. The embedded default needs no broker server: kombu's filesystem transport in var/broker.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Extra public holidays (Algemene termijnenwet art. 3 lid 3), ISO dates separated by commas.
ATW_EXTRA_HOLIDAYS = env_list("ATW_EXTRA_HOLIDAYS", "")
# The date the provisional nakoming rule set (Wet versterking regie volkshuisvesting, Kamerstuk 36 512) takes
# effect, ISO (2026-01-01). NO default: the law has no commencement date we can cite, so unset means no rule set
# covers nakoming and a nakoming request is inadmissible (A4). The demo (make run) sets one; every screen that
# relies on the rule set then says the rules are provisional (disputes/rules.py).
NAKOMING_EFFECTIVE_FROM = os.environ.get("NAKOMING_EFFECTIVE_FROM", "").strip() or None
if NAKOMING_EFFECTIVE_FROM is not None:
    try:
        date.fromisoformat(NAKOMING_EFFECTIVE_FROM)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"NAKOMING_EFFECTIVE_FROM is a date like 2026-01-01, not {NAKOMING_EFFECTIVE_FROM!r}"
        ) from exc
# The remedy against the binding decision (docs/adr/0016-choices-the-law-leaves-open.md): "bezwaar" at the
# Minister first (Awb 7:1, the default), or "beroep" directly at DECISION_APPEAL_BODY.
DECISION_REMEDY = os.environ.get("DECISION_REMEDY", "bezwaar")
if DECISION_REMEDY not in {"bezwaar", "beroep"}:
    raise ImproperlyConfigured("DECISION_REMEDY is bezwaar or beroep")
DECISION_APPEAL_BODY = os.environ.get("DECISION_APPEAL_BODY", "de rechtbank")
# The Minister's letters (binding decision, extension notice) are signed "<MINISTER_TITLE>, namens deze,
# <MINISTER_MANDATE_FUNCTION>" (disputes/letters.py): the function under which the officials sign by mandate.
MINISTER_TITLE = os.environ.get("MINISTER_TITLE", "de Minister van Volkshuisvesting en Ruimtelijke Ordening")
MINISTER_MANDATE_FUNCTION = os.environ.get("MINISTER_MANDATE_FUNCTION", "de directeur Woningmarkt")
# The commission seats a chair and this many members per case (docs/adr/0017-the-commission-per-case.md).
COMMISSION_MEMBERS_PER_CASE = int(os.environ.get("COMMISSION_MEMBERS_PER_CASE", "2"))
# The public address of the site, for links in e-mails (no request there to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# -- connected systems (docs/api.md, docs/zgw.md) ------------------------------------------------------------------
#: webhooks to http:// and loopback addresses (tests and a local receiver only; never in production: SSRF)
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)
#: the ministry's RSIN as bronorganisatie of the ZGW export; 000000000 is a placeholder (docs/zgw.md)
ZGW_RSIN = os.environ.get("ZGW_RSIN", "000000000")
#: the address of the ZGW catalogue holding the zaaktypen of docs/zgw.md (empty: the product's own address)
ZGW_CATALOGI_URL = os.environ.get("ZGW_CATALOGI_URL", "")
# Uploads through the portal: at most this many files and bytes in one request.
PORTAL_MAX_FILES_PER_REQUEST = int(os.environ.get("PORTAL_MAX_FILES_PER_REQUEST", "20"))
PORTAL_MAX_UPLOAD_REQUEST_BYTES = int(os.environ.get("PORTAL_MAX_UPLOAD_REQUEST_BYTES", str(200 * 1024 * 1024)))
# Prefix of case numbers: GPA-2026-0007.
CASE_NUMBER_PREFIX = os.environ.get("CASE_NUMBER_PREFIX", "GPA")
# Dossier exports: per case and version (full / party) the newest this many keep their PDF and ZIP.
DOSSIER_EXPORTS_KEPT = int(os.environ.get("DOSSIER_EXPORTS_KEPT", "2"))

# Security headers and cookies (quality.md; docs/deployment.md). Outside debug mode production is the
# default: HTTPS redirect, a year of HSTS and Secure `__Host-` cookies, each switched off only explicitly
# (DJANGO_SECURE_SSL_REDIRECT=0, DJANGO_HSTS_SECONDS=0, DJANGO_SECURE_COOKIES=0). `make run` sets DJANGO_DEBUG=1.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # the hour counts from the last request, not from the log-in
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", str(5 * 60)))  # warn this long before
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # ASVS 5.0 3.3.1: a `__Host-` cookie is accepted by the browser only with Secure, Path=/ and no Domain,
    # so neither a sibling subdomain nor plain HTTP can set or overwrite it. Without Secure the browser
    # would refuse the cookie, hence the plain names then.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # the reverse proxy (nginx) terminates TLS and says so in this header; without it, behind a proxy
    # every request looks like plain HTTP and is redirected to HTTPS again and again
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The API for connected systems (disputes/api/, docs/api.md): only an application's key opens it (no sessions), JSON
# only, errors as application/problem+json (RFC 9457), cursor pagination, a rate limit per application.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["disputes.api.authentication.ApplicationKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["disputes.api.permissions.ScopePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["disputes.api.throttling.ApplicationRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "disputes.api.pagination.IdCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "disputes.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "PAGE_SIZE": 50,
}
#: requests per application (all its keys together) per minute before a 429
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Geschilbeslechting prestatieafspraken API",
    "DESCRIPTION": "Zaken, documenten, advies en uitspraak per geschilpunt en dossierexports voor gekoppelde "
                   "systemen van het ministerie (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: no CDN, no inline script (CSP)
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"DisputeKindEnum": "disputes.models.DisputeKind",
                            "DeadlineKindEnum": "disputes.models.DeadlineKind"},
}

# Content Security Policy without inline script or style (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint (letters, disputes/letterpress.py) tells every rendering step at INFO; its warnings still show
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
