"""Settings of the floor app: the product's own DATABASES (same engine, options, connection
lifetime, same database), nothing else — no middleware, no sessions, no auth."""

from __future__ import annotations

from lianluo.settings import DATABASES, SECRET_KEY, TIME_ZONE  # noqa: F401  (same database)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["floor"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "floor.urls"
WSGI_APPLICATION = "floor.wsgi.application"
USE_TZ = True
USE_I18N = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
