"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Issue 20: the objects of a loaded Django (modules, URL patterns, settings) live as long
# as the worker, yet every full garbage collection walked them all again: about 60 of a
# busy pathway answer's milliseconds. Frozen, collections only look at what requests make.
gc.freeze()
