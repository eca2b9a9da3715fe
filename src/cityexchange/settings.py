"""Settings, all from environment variables (documented in docs/operations.md).

The defaults give a zero-set-up development site on SQLite (WAL); setting DATABASE_URL and REDIS_URL moves it to
PostgreSQL and Redis without any code change.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django.conf.locale

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CITYEXCHANGE_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is acceptable only while DEBUG is on: with DEBUG off the server refuses to start on it
# (core.secret_key), so production must set SECRET_KEY.
DEFAULT_SECRET_KEY = "django-insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105 - public on purpose
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own templates and static files: the API docs page serves Swagger UI locally, not from a CDN.
    "ninja",
    "cityexchange.core",
    "cityexchange.accounts",
    "cityexchange.registry",
    "cityexchange.practices",
    "cityexchange.challenges",
    # Before matching: its demo step indexes the demo's approved translations with the practices.
    "cityexchange.desk",
    "cityexchange.matching",
    "cityexchange.cooperation",
    "cityexchange.forum",
    "cityexchange.insights",
    "cityexchange.governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cityexchange.core.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cityexchange.accounts.time_zone_middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cityexchange.accounts.middleware.UnverifiedEmailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cityexchange.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "cityexchange.urls"
WSGI_APPLICATION = "cityexchange.wsgi.application"
ASGI_APPLICATION = "cityexchange.asgi.application"

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
                "cityexchange.core.context_processors.site",
            ],
            # Figures, dates and city names in the reader's locale, in every template without a {% load %}.
            "builtins": ["cityexchange.core.templatetags.local_format"],
        },
    }
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "cityexchange.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Form bodies (text fields, not files). Up to this size a page form is read and comes back with everything
# typed and a message on the too-long field; a larger body is refused with a page that says what happened (413,
# templates/413.html). URL-encoding triples every byte of non-Latin text, so a pasted 5 MB text (the case that
# used to end on Django's bare 400 at its 2.5 MB default) is up to 15 MB on the wire; 24 MB leaves room for the
# rest of the form and stays under UPLOAD_MAX_REQUEST_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(24 * 1024 * 1024)))


# --- Cache and sessions: Redis when REDIS_URL is set, local memory otherwise.
def redis_cache(url: str) -> dict[str, object]:
    """The cache on Redis. An outage degrades every cache call to a miss (logged), never to an error: the cache
    holds no only copy of anything (sessions and the task queue live in the database), so a write that committed
    is never answered with a 500 because Redis was restarting."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cityexchange"),
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "1")),
            "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "2")),
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    # Sessions are rows in the database with Redis in front: a Redis restart or flush signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Not cached_db here: a local-memory cache is per process, so a session ended in one app server process
    # would stay valid in the memory of the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks: the Django Tasks API. The database backend (the default) queues them for
# `cityexchange worker` processes (`serve --with-worker` runs one beside the development server); `immediate` runs
# them inline, in the caller, and is for tests only (a page request would do the task's work).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]}}
# A RUNNING task whose worker has sent no heartbeat for this long is returned to the queue (its worker died).
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "300"))
# A task taken up this many times without finishing (workers killed under it, database lost) is marked failed.
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))
# Suggested partnerships are recomputed at most once per this many seconds, however many changes arrive.
SUGGESTIONS_REFRESH_INTERVAL = float(os.environ.get("SUGGESTIONS_REFRESH_INTERVAL", "60"))

AUTH_USER_MODEL = "accounts.User"
# ModelBackend behind the sign-in throttle (accounts.throttle): failed passwords counted per account and per address.
AUTHENTICATION_BACKENDS = ["cityexchange.accounts.backends.ThrottledModelBackend"]
LOGIN_THROTTLE_ENABLED = env_bool("LOGIN_THROTTLE_ENABLED", True)
# That many failed passwords within the window lock the account (or the client address) for the window.
LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "10/15m")
LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "50/15m")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "registry:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- i18n: the UI languages. Content keeps its own language code, independent of these.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("pt-br", "Português (Brasil)"),
    ("zh-hans", "简体中文"),
    ("hi", "हिन्दी"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("id", "Bahasa Indonesia"),
    ("es", "Español"),
    ("th", "ไทย"),
    ("vi", "Tiếng Việt"),
    ("am", "አማርኛ"),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
# Django ships no locale data for Amharic; its name is registered here so the language menu can list it.
django.conf.locale.LANG_INFO.setdefault("am", {"bidi": False, "code": "am", "name": "Amharic", "name_local": "አማርኛ"})
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("CITYEXCHANGE_PLAIN_STATIC", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# --- Uploads: refused at the limit while streaming (core.uploads), answered 413 (JSON on the API).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_REQUEST_BYTES = int(os.environ.get("UPLOAD_MAX_REQUEST_BYTES", str(32 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "cityexchange.core.uploads.LimitedUploadHandler",
]

# --- E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cityexchange <noreply@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Content-Security-Policy on every answer (django-csp): scripts, styles, images and fonts from this site only;
# templates use no inline script, inline event handler or style attribute (static/js/actions.js does the little
# they need). data: images are Swagger UI's icons. The printable annual report, a self-contained document with
# its own <style>, widens style-src for itself (insights.views.report_download).
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

# --- Security: strict when DEBUG is off (passes `cityexchange check --deploy` behind TLS).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; the cookie stays readable for forms
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and env_bool("SECURE_SSL", False):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Product settings.
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
# The e-mail confirmation link sent at sign-up; password reset links expire after PASSWORD_RESET_TIMEOUT seconds.
EMAIL_VERIFICATION_VALID_DAYS = int(os.environ.get("EMAIL_VERIFICATION_VALID_DAYS", "3"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3 * 24 * 3600)))
API_PAGE_SIZE_MAX = 200
COOPERATION_REQUEST_EXPIRY_DAYS = int(os.environ.get("COOPERATION_REQUEST_EXPIRY_DAYS", "21"))
COOPERATION_STALLED_DAYS = int(os.environ.get("COOPERATION_STALLED_DAYS", "60"))

# --- Rate limits on costly requests, counted in the shared cache (see docs/operations.md). Per scope: the limit of a
# signed-in user and that of an anonymous client address, as "30/m", "10/h", "5/10m" or "off".
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
# How many reverse proxies in front of the app servers append to X-Forwarded-For; 0 trusts no header (REMOTE_ADDR).
RATE_LIMIT_TRUSTED_PROXIES = int(os.environ.get("RATE_LIMIT_TRUSTED_PROXIES", "0"))
RATE_LIMITS = {
    scope: (
        os.environ.get(f"RATE_LIMIT_{scope.upper()}_USER", per_user),
        os.environ.get(f"RATE_LIMIT_{scope.upper()}_IP", per_address),
    )
    for scope, (per_user, per_address) in {
        "search": ("30/m", "60/m"),
        "recommend": ("20/m", "30/m"),
        "export": ("20/m", "20/m"),
        "report": ("10/h", "10/h"),
        "schedule": ("10/h", "10/h"),
        # Account creation and password reset requests per client address; new API tokens per account.
        "signup": ("off", "10/h"),
        "password_reset": ("off", "10/h"),
        "token": ("10/h", "20/h"),
    }.items()
}
