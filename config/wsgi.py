"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from config.garbage import collecting, collector_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = collecting(get_wsgi_application())

# Issue 20: the objects of a loaded Django live as long as the worker, yet every full
# collection walked them all again (about 60 of a busy pathway answer's milliseconds); and
# collections fell inside requests, now after each response. See config/garbage.py.
collector_setup()
