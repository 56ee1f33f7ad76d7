"""Test settings: the real PostGIS cluster, fast password hashing, no outside network."""

from .base import *
from .base import env, origin_of

DEBUG = False
# The benchmarks' commands (bench/), as in local.py; production never lists them.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["progress"]["CONN_MAX_AGE"] = 0
# Tests never reach the internet: any HTTP source points at a local server by default.
CARTESS_BAN_BASE_URL = env("CARTESS_BAN_BASE_URL", default="http://127.0.0.1:9/ban")
CARTESS_DATA_INCLUSION_SERVICES_URL = ""  # a test that reads services serves them itself
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"
# Several test runs can share one cluster (e.g. two checkouts) with distinct test databases.
DATABASES["default"]["TEST"] = {"NAME": env("CARTESS_TEST_DB_NAME", default="test_cartess")}
# Static files come from the finders, not from a collectstatic folder the tests never build.
WHITENOISE_AUTOREFRESH = True
# The browser may fetch() the BAN the tests point at (the policy of base.py names the default).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] = ["'self'", origin_of(CARTESS_BAN_BASE_URL)]
