"""With these settings, tests run faster and against PostgreSQL and Redis.

Tests never fall back to SQLite by accident: DATABASE_URL must name a PostgreSQL database (the
Makefile passes the local default). The one exception is asked for by name: with
``TEST_ON_SQLITE=true`` and a ``sqlite://`` DATABASE_URL, the page tests (``tests/*/pages``) run a
second time on SQLite, the database ``make run`` uses, so what people see is checked on both.
"""

from config.settings import *  # noqa: F403
from config.settings import DATABASES, env

TEST_ON_SQLITE = env.bool("TEST_ON_SQLITE", default=False)
ENGINE = DATABASES["default"]["ENGINE"]
if TEST_ON_SQLITE and ENGINE != "django.db.backends.sqlite3":
    raise RuntimeError("TEST_ON_SQLITE=true needs DATABASE_URL=sqlite:///...")
if not TEST_ON_SQLITE and ENGINE != "django.db.backends.postgresql":
    raise RuntimeError("Tests run against PostgreSQL: set DATABASE_URL=postgres://... (or TEST_ON_SQLITE=true)")

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
