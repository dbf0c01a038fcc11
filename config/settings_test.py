"""With these settings, tests run faster and always against PostgreSQL and Redis.

Tests never fall back to SQLite: DATABASE_URL must name a PostgreSQL database (the Makefile passes
the local default).
"""

from config.settings import *  # noqa: F403
from config.settings import DATABASES, env

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("Tests run against PostgreSQL: set DATABASE_URL=postgres://...")

SECRET_KEY = "tests-only-secret-key-not-used-anywhere-else-0123456789"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

# Most tests run jobs in-process; the tests that need a real worker start one against REDIS_URL.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True

# Each test process keeps its own cache, so throttling never carries over between tests or runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files come straight from the apps and static/ folders; nothing is collected for tests.
STATIC_ROOT = None
