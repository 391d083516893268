"""Lianluo settings: one module, driven by environment variables (see .env.example).

Zero configuration gives SQLite (WAL) and in-process tasks; DATABASE_URL, REDIS_URL and
CELERY_BROKER_URL switch to PostgreSQL, a shared cache and Celery workers.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
LIANLUO_DEV = env_bool("LIANLUO_DEV", False)  # development: dev key, demo seed (never production)
DEV_SECRET_KEY = "dev-insecure-key-only-for-local-use"
# A development key only when DEBUG is on; production must set SECRET_KEY (check --deploy).
SECRET_KEY = env_str("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG or LIANLUO_DEV else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG=1 / LIANLUO_DEV=1 for local use)")
# Outside development a weak key is fatal, not a warning: the same rule as Django's W009
# (at least 50 characters, 5 distinct, not Django's generated insecure key) plus ours.
if not (DEBUG or LIANLUO_DEV) and (
    SECRET_KEY == DEV_SECRET_KEY
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY is the development key or too weak for production (it needs at least 50 "
        "random characters): generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute URLs in QR codes and e-mails; set it to the public address in production.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Listed so django-ninja renders the API docs from its own static files, not from a CDN
    # (ninja.openapi.docs.render_template): the CSP allows scripts from 'self' only.
    "ninja",
    "lianluo.core",
    "lianluo.deputies",
    "lianluo.stations",
    "lianluo.voting",
    "lianluo.suggestions",
    "lianluo.cases",
    "lianluo.activities",
    "lianluo.projects",
    "lianluo.duty",
    "lianluo.onboarding",
    "lianluo.insights",
    "lianluo.portal",
    "lianluo.board",
    "lianluo.api",
    # The top floor: the demo seed imports every other app; no app imports it.
    "lianluo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "lianluo.core.middleware_headers.NoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Input checked as text, API writes as JSON, API errors as JSON: after Locale (messages in
    # the user's language), before anything that reads the input.
    "lianluo.core.edge.EdgeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lianluo.core.throttle.LoginThrottleMiddleware",
    # A NotFound/Forbidden that a page lets through becomes the 404/403 page.
    "lianluo.core.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "lianluo.urls"
WSGI_APPLICATION = "lianluo.wsgi.application"

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
                "lianluo.core.context_processors.navigation",
            ],
        },
    },
]

DATA_DIR = Path(env_str("LIANLUO_DATA_DIR", str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

_default_db = f"sqlite:///{DATA_DIR / 'lianluo.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions + WAL: several writer processes without "database is locked";
    # the backend waits for the write lock in short steps (lianluo.core.sqlite.base).
    DATABASES["default"]["ENGINE"] = "lianluo.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Kept open between requests as on PostgreSQL: opening a connection runs the PRAGMAs, and
    # closing the last one checkpoints and truncates the WAL (an fsync) — per request, that
    # was most of a submission's time.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "core.User"
# Django's username/password check behind the sign-in throttle (below).
AUTHENTICATION_BACKENDS = ["lianluo.core.throttle.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttles (lianluo.core.throttle): state shared by all workers (Redis with REDIS_URL, else
# the database), clients identified by lianluo.core.net.client_ip.
# Proxies of our own in front of the app (nginx, a load balancer): 0 = the socket's peer is the
# client and X-Forwarded-For is ignored; N = the Nth address from the right of X-Forwarded-For.
LIANLUO_TRUSTED_PROXIES = env_int("LIANLUO_TRUSTED_PROXIES", 0)
# Sign-in: a username waits LIANLUO_LOGIN_DELAY_SECONDS after this many wrong passwords (from
# any address), then twice as long after each further one, up to the maximum; never locked.
LIANLUO_LOGIN_USER_FAILURES = env_int("LIANLUO_LOGIN_USER_FAILURES", 5)
LIANLUO_LOGIN_DELAY_SECONDS = env_int("LIANLUO_LOGIN_DELAY_SECONDS", 60)
LIANLUO_LOGIN_DELAY_MAX_SECONDS = env_int("LIANLUO_LOGIN_DELAY_MAX_SECONDS", 15 * 60)
# ... and an address that failed this many times (any usernames) waits out the window.
LIANLUO_LOGIN_ADDRESS_FAILURES = env_int("LIANLUO_LOGIN_ADDRESS_FAILURES", 20)
LIANLUO_LOGIN_ADDRESS_WINDOW_SECONDS = env_int("LIANLUO_LOGIN_ADDRESS_WINDOW_SECONDS", 15 * 60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Citizens' photos are personal data: stored outside the static root, served by a view
    # that checks scope (cases.views.photo).
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private"), "base_url": None},
    },
    # No build step: whitenoise serves the vendored files straight from the finders. A manifest
    # storage would need `collectstatic` first; without it every page failed with a 500.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: photos only, each at most this many bytes, at most this many per case.
LIANLUO_PHOTO_MAX_BYTES = env_int("LIANLUO_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
LIANLUO_PHOTO_MAX_COUNT = env_int("LIANLUO_PHOTO_MAX_COUNT", 6)
# A citizen's message (web form, API, reception form): at most this many characters. Longer
# text is refused with the numbers and kept in the form, never cut (docs/security.md).
LIANLUO_TEXT_MAX_CHARS = env_int("LIANLUO_TEXT_MAX_CHARS", 10_000)
# Decompression bombs (lianluo.core.uploads reads the header / zip directory first). An image
# may decode to at most this many pixels: 25 MP holds a 12 MP phone photo twice over, and a
# 48-50 MP one is decoded at half size (JPEG scaling); decoded, 25 MP is ~100 MB of memory.
LIANLUO_IMAGE_MAX_PIXELS = env_int("LIANLUO_IMAGE_MAX_PIXELS", 25_000_000)
# A workbook may unpack to at most this many bytes (a 5,000-deputy roster, every column
# filled, is 8 MB; 50,000 rows, the import's row limit, ~80 MB), and its parts read whole
# into memory (shared strings, styles: all but the sheets) to at most the second.
LIANLUO_XLSX_MAX_UNCOMPRESSED = env_int("LIANLUO_XLSX_MAX_UNCOMPRESSED", 100 * 1024 * 1024)
LIANLUO_XLSX_MAX_SHARED_PARTS = env_int("LIANLUO_XLSX_MAX_SHARED_PARTS", 16 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Public intake rate per client (lianluo.core.throttle; the HTML form shares it, votes count
# separately at the same rate).
LIANLUO_INTAKE_RATE = env_str("LIANLUO_INTAKE_RATE", "20/m")
# 我也遇到 taps per client address (each device and phone counts once anyway).
LIANLUO_SUPPORT_RATE = env_str("LIANLUO_SUPPORT_RATE", "20/m")
# A citizen may rate the answer to their case (tracking page, public API) for this many days
# after it (lianluo.cases.tracking: rating_refusal); later, only staff record it at a follow-up.
LIANLUO_RATING_DAYS = env_int("LIANLUO_RATING_DAYS", 30)
# One-time ballot codes tried per client (the shared voting device's pages and the API's
# credential path, one counter): a deputy's ballot takes three requests at the device.
LIANLUO_BALLOT_CODE_RATE = env_str("LIANLUO_BALLOT_CODE_RATE", "60/m")
# Activity check-in QR codes expire after this many seconds.
LIANLUO_CHECKIN_TOKEN_SECONDS = env_int("LIANLUO_CHECKIN_TOKEN_SECONDS", 600)
# Deputies on duty are reminded this many days before their reception day.
LIANLUO_DUTY_REMINDER_DAYS = env_int("LIANLUO_DUTY_REMINDER_DAYS", 1)
# Field records (a deputy's visit, a reception, a staff entry) may be dated this many days
# back; older matters come in through the past-years import.
LIANLUO_RECORD_PAST_DAYS = env_int("LIANLUO_RECORD_PAST_DAYS", 30)
# Public API token lifetime (days).
LIANLUO_TOKEN_DAYS = env_int("LIANLUO_TOKEN_DAYS", 30)

# Tasks: in-process by default; Celery with Redis when CELERY_BROKER_URL is set.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
# "thread": deliver after commit in a background thread of the web process (embedded default);
# "celery": hand to a worker; "sync": deliver inline after commit (tests, commands).
LIANLUO_OUTBOX_MODE = env_str("LIANLUO_OUTBOX_MODE", "celery" if CELERY_BROKER_URL else "thread")

# SMS to citizens (lianluo.core.sms), sent like the outbox. The default only logs them.
LIANLUO_SMS_BACKEND = env_str("LIANLUO_SMS_BACKEND", "lianluo.core.sms.backends.LoggingBackend")
ALIYUN_SMS_ACCESS_KEY_ID = env_str("ALIYUN_SMS_ACCESS_KEY_ID")
ALIYUN_SMS_ACCESS_KEY_SECRET = env_str("ALIYUN_SMS_ACCESS_KEY_SECRET")
ALIYUN_SMS_SIGN_NAME = env_str("ALIYUN_SMS_SIGN_NAME")
ALIYUN_SMS_TEMPLATE_ACCEPTED = env_str("ALIYUN_SMS_TEMPLATE_ACCEPTED")
ALIYUN_SMS_TEMPLATE_ANSWERED = env_str("ALIYUN_SMS_TEMPLATE_ANSWERED")
ALIYUN_SMS_TEMPLATE_CLOSED = env_str("ALIYUN_SMS_TEMPLATE_CLOSED")
ALIYUN_SMS_ENDPOINT = env_str("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
ALIYUN_SMS_PROTOCOL = env_str("ALIYUN_SMS_PROTOCOL", "https")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lianluo@localhost")

# Production hardening: everything `manage.py check --deploy` asks for, unless DEBUG.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
if SECURE_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles and everything else only from our own
# origin. No inline script, no inline style, no eval: an injected <script> or style= does
# nothing. img-src also allows data: URIs, which the API docs' stylesheet (swagger-ui.css) uses
# for its icons. Templates are checked for inline script/style by tests/core/test_headers.py, and
# the browser tests fail on any violation the browser reports (tests/browser/conftest.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # The logging SMS backend's messages ("SMS to 138****5678: …") show in the console.
    "loggers": {"lianluo.core.sms.backends": {"level": "INFO"}},
}
