"""Development settings: `make demo` and `manage.py` on a developer's machine."""

from .base import *
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The benchmarks' commands (bench/): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
