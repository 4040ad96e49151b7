"""One environment-driven settings module.

With no environment at all the app runs on embedded defaults (SQLite under ``var/``, Celery
tasks executed in-process, e-mail printed to the console) so that ``make run`` works on a bare
machine. ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` switch to PostgreSQL, Redis and SMTP.
``DJANGO_ENV=production`` refuses to start on an insecure configuration instead of warning,
because a leaked minutes file can put a human-rights defender at risk.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vpswg.crypto import KeyConfigurationError, parse_ring, ring_from_file
from vpswg.storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VPSWG_VAR_DIR", BASE_DIR / "var"))

# Only the process environment counts (compose passes its env_file to the containers): a
# production .env lying in a development checkout must not take over `make run` or the tests.
env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

INSECURE_SECRET_KEY = "django-insecure-vpswg-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base for links in e-mails and ICS files (tasks have no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Secretariat and Coordination accounts must use TOTP. The demo may switch it off; production
# refuses to (see the checks at the end of this module).
ENFORCE_MFA = env.bool("VPSWG_ENFORCE_MFA", default=DJANGO_ENV != "development")
# Accounts are created by invitation (membership acceptance) or by the platform operator.
OPEN_SIGNUP = env.bool("VPSWG_OPEN_SIGNUP", default=False)

INSTALLED_APPS = [
    # The admin site refuses operators without a second factor (vpswg.admin_site).
    "vpswg.admin_site.VpswgAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "template_partials",
    "csp",
    "vpswg",
    "members",
    "meetings",
    "workplan",
    "activities",
    # Above the domain: the site's URLs and pages that compose the apps, the demo data.
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vpswg.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vpswg.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "vpswg.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the group's: what the group middleware answers (a 404 for a mistyped group) is
    # in the reader's language too.
    "vpswg.middleware.LanguageMiddleware",
    "vpswg.middleware.WorkingGroupMiddleware",
    "vpswg.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "vpswg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vpswg.context_processors.vpswg",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# Every form's fields name their help text and errors in aria-describedby (vpswg.forms).
FORM_RENDERER = "vpswg.forms.FormRenderer"

# --- Keys kept outside the database (vpswg.crypto) -----------------------------------------
# Who said what (envelope encryption of the minutes' attribution) and the second factors'
# secrets are encrypted with keys from the environment: a dump of the database alone reads
# neither. Outside production, a key ring that is not in the environment lives in var/keys/
# (made on the first start); production refuses to start without both variables.


def _key_ring(variable: str) -> str:
    value = env.str(variable, default="").strip()
    if not value and not PRODUCTION:
        value = ring_from_file(variable, VAR_DIR / "keys" / f"{variable.lower()}.txt")
    if value:
        try:
            parse_ring(variable, value)
        except KeyConfigurationError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
    return value


VPSWG_ATTRIBUTION_KEYS = _key_ring("VPSWG_ATTRIBUTION_KEYS")
VPSWG_MFA_KEYS = _key_ring("VPSWG_MFA_KEYS")

# --- Data stores ---------------------------------------------------------------------------

if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vpswg.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for reports (docs/scaling.md): the report pages, the CSV and the annual
# report read from it (vpswg.db); everything else, and every write, goes to the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url("DATABASE_REPLICA_URL"),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["vpswg.db.ReportsRouter"]
# How far behind the replica a report shown on a page may be (it then says so); beyond it, and
# for what is handed out as a file, reports read the primary (vpswg.db.choose_source).
DATABASE_REPLICA_MAX_LAG = env.int("DATABASE_REPLICA_MAX_LAG", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
#: Entries of each process's own cache (``caches["local"]``): permissions, rendered versions.
LOCAL_CACHE_ENTRIES = env.int("LOCAL_CACHE_ENTRIES", default=2000)
#: The Initiative's view across groups (activities.initiative) withholds a count under this.
INITIATIVE_MIN_COUNT = env.int("INITIATIVE_MIN_COUNT", default=3)
# The cache may live in another Redis database than the broker: the test suite flushes it.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "vpswg",
        },
        # Per process, no round trip: for values whose key changes when they do (see
        # vpswg.permissions.group_permissions). The tests run it as production does (each
        # test starts with it empty: tests/conftest.py).
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vpswg",
            # Django's default of 300 entries is less than one entry per person of a busy
            # hour (the permissions of 600 people alone, bench/results: mixed), and a full
            # LocMemCache drops a third of itself at random: kept renderings were drawn again
            # for nothing. Entries are small (a permission set) to about 28 kB (a members'
            # minutes page), so 2,000 is at most about 60 MB per worker (docs/scaling.md).
            "OPTIONS": {"MAX_ENTRIES": LOCAL_CACHE_ENTRIES},
        },
    }
    # The cache store, but Redis unreachable is an error, not a signed-out person (vpswg.sessions).
    SESSION_ENGINE = "vpswg.sessions"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vpswg",
            "OPTIONS": {"MAX_ENTRIES": LOCAL_CACHE_ENTRIES},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Sessions expire: after SESSION_AGE seconds of inactivity and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_AGE", default=8 * 60 * 60)
# The inactivity clock is reset by saving the session, at most once every
# SESSION_REFRESH_SECONDS (vpswg.middleware.SessionRefreshMiddleware), not on every request:
# a write per page view was a sixth of a page's time under load.
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Mail ------------------------------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="vpswg <no-reply@vpswg.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# --- Accounts --------------------------------------------------------------------------------

AUTH_USER_MODEL = "vpswg.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing dominates the run time of a suite that signs in thousands of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "vpswg.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[vpswg] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# How many reverse proxies in front of the application append the client's address to
# X-Forwarded-For (1 behind the TLS proxy of docker-compose.yml). Every rate limit, ours
# (vpswg.ratelimit.client_ip) and allauth's, counts by the address the outermost one saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Login rate limits live in the default cache: Redis in production and in the tests.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "vpswg"
MFA_RECOVERY_CODE_COUNT = 10
MFA_PASSKEY_LOGIN_ENABLED = False
# TOTP secrets and recovery-code seeds are encrypted with VPSWG_MFA_KEYS.
MFA_ADAPTER = "vpswg.adapters.MFAAdapter"
# Confirming who you are again (before adding a second factor, and before every change on the
# admin site) is by password or second factor, not by a code sent by e-mail: a mailbox is a
# weaker proof than either, and for the operator a stolen one must not be enough.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
# A confirmation (on the admin site, a sign-in too) is recent for five minutes (allauth's default).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Guardian's anonymous user needs a username field; vpswg never grants anything to anonymous.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "vpswg" / "locale"]
# Figures grouped as each language writes them (vpswg/formats/); grouped only where a figure
# asks for it: USE_THOUSAND_SEPARATOR stays off, or ids and years would be grouped too.
FORMAT_MODULE_PATH = ["vpswg.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "vpswg_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# The largest request body taken (vpswg.middleware.RequestSizeMiddleware): one document of
# vpswg.uploads.MAX_DOCUMENT_BYTES (10 MiB) and the form around it.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=12 * 1024 * 1024)

# --- Static and media ------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (application letters, evidence) are private: never under STATIC_ROOT, never
# served by a URL of their own, only through views that check permission.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Several web nodes share uploads through S3-compatible storage (docs/scaling.md).
if env.str("S3_BUCKET", default=""):
    STORAGES["default"] = s3_storage(
        bucket=env.str("S3_BUCKET"),
        endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
        region=env.str("S3_REGION", default=""),
        access_key=env.str("S3_ACCESS_KEY", default=""),
        secret_key=env.str("S3_SECRET_KEY", default=""),
        prefix=env.str("S3_PREFIX", default="vpswg"),
    )

# --- Celery ----------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Without a broker, tasks run in-process (the embedded default used by `make run`).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup would close every database connection around every task; set, it
# leaves them to vpswg.celery.close_old_connections, which closes them as a request would
# (CONN_MAX_AGE, health checks).
CELERY_DB_REUSE_MAX = 10**9
# Longer than the longest retry countdown (see vpswg.notifications.MAX_BACKOFF_SECONDS), so
# Redis never redelivers a message that is merely waiting for its ETA.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="vpswg")
# Queues by kind (docs/scaling.md): set them, and start workers with -Q for each.
VPSWG_QUEUE_MAIL = env.str("CELERY_QUEUE_MAIL", default="")
VPSWG_QUEUE_REPORTS = env.str("CELERY_QUEUE_REPORTS", default="")
CELERY_TASK_ROUTES = ("vpswg.celery.route",)
CELERY_TIMEZONE = "UTC"
# The outbox: first retry after this many seconds (doubling up to an hour); rows not sent
# within the grace period are picked up by the periodic sweep.
NOTIFICATION_BACKOFF_SECONDS = env.int("NOTIFICATION_BACKOFF_SECONDS", default=30)
NOTIFICATION_SWEEP_GRACE_SECONDS = env.int("NOTIFICATION_SWEEP_GRACE_SECONDS", default=120)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "vpswg.sweep_outbox", "schedule": 60.0},
    "membership-daily": {"task": "members.daily", "schedule": 6 * 60 * 60.0},
    # The Secretariat handed over on its date (members.services.secretariat).
    "secretariat-handovers": {"task": "members.handovers", "schedule": 60 * 60.0},
    # Every hour: the job is idempotent, and a reminder a day before should not wait a day.
    "convening": {"task": "meetings.daily", "schedule": 60 * 60.0},
    # Who said what, destroyed once a group's retention period after adoption has passed.
    "attribution-retention": {"task": "meetings.retention_daily", "schedule": 6 * 60 * 60.0},
}

# --- Security --------------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Only safe behind a proxy that sets the header: the app must not be reachable directly.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-vpswg_session"
    CSRF_COOKIE_NAME = "__Host-vpswg_csrf"

# No inline scripts or styles anywhere: every script and stylesheet is a vendored static file.
# img-src allows data: for the TOTP QR code that allauth renders as a data URI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Logging ---------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Request bodies may carry minutes text: never log them.
        "django.request": {"level": "WARNING"},
        # In-process tasks (the embedded default) would log every notice sent to the terminal.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Refuse an insecure production -----------------------------------------------------------

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG is on")
    if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY is the development default or shorter than 50 characters")
    if not ENFORCE_MFA:
        problems.append("VPSWG_ENFORCE_MFA is off")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    for name in ("VPSWG_ATTRIBUTION_KEYS", "VPSWG_MFA_KEYS"):
        if not globals()[name]:
            problems.append(
                f"{name} is not set (make a key with `python -m vpswg.crypto`; "
                "docs/keys.md says how to keep it)"
            )
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL"):
        # The embedded defaults (SQLite, in-process tasks, console mail, a localhost link base)
        # would lose data, mail and links silently.
        if not env.str(name, default=""):
            problems.append(f"{name} is not set")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")
