"""Settings shared by every environment; each value can be set from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Each environment sets SECRET_KEY: local.py and test.py a fixed one, production.py the env.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "leaflet",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "simple_history",
    "axes",
    "directory",
    "cartography",
    "importers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who made a change, for the history of listings (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a login while a username is locked out on an IP address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "accounts:login"
# Login attempts: after AXES_FAILURE_LIMIT failures for one username from one IP address,
# that pair waits AXES_COOLOFF_HOURS; a success resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "directory.access.access_context",
            ],
        },
    },
]

# postgis://user:password@host:port/name; the default is the cluster `make` starts.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://cartess@127.0.0.1:55432/cartess",
        engine="django.contrib.gis.db.backends.postgis",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Installed from the npm registry by `npm ci` (package-lock.json), never copied by hand.
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules/leaflet.markercluster/dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# Debian 12 ships GDAL 3.6; Django's gis.W001 warns that GDAL < 3.9 cannot stop a spatial
# reference definition from reading files or URLs. Cartess never lets input choose a spatial
# reference: mappers build geometries with a fixed SRID and refuse any other one they are
# given (importers/engine/mapping.py; EPSG:4326 today, EPSG:2154 with SIRENE), so the warning is
# silenced on purpose.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# The territory Cartess covers: INSEE commune codes kept by the importers. Lille (59350) with
# its communes associées Hellemmes (59298) and Lomme (59355) by default.
CARTESS_TERRITORY_INSEE_CODES = env.list(
    "CARTESS_TERRITORY_INSEE_CODES", default=["59350", "59298", "59355"]
)
# data·inclusion structures kept by their `source` column (e.g. emplois-de-linclusion for
# current SIAE); empty keeps every source.
CARTESS_DATA_INCLUSION_SOURCES = env.list("CARTESS_DATA_INCLUSION_SOURCES", default=[])
# The public address of the site, for links in emails sent outside a request (reminders).
CARTESS_SITE_URL = env("CARTESS_SITE_URL", default="http://127.0.0.1:8000")
# The BAN geocoder (Base Adresse Nationale) used by importers and the pathway page.
CARTESS_BAN_BASE_URL = env("CARTESS_BAN_BASE_URL", default="https://api-adresse.data.gouv.fr")
# What places an address a visitor typed (the pathway): a dotted path to a function
# `(*, address) -> object with label, lat, lon | None` that never raises. The directory
# names it here instead of importing the importers' BAN client (docs/architecture.md).
CARTESS_ADDRESS_LOCATOR = env(
    "CARTESS_ADDRESS_LOCATOR", default="importers.io.geocoding.address_locate"
)
# The User-Agent every importer HTTP request sends, so data providers know who asks.
CARTESS_HTTP_USER_AGENT = env(
    "CARTESS_HTTP_USER_AGENT",
    default="Cartess/0.1 (carte de l'ESS de Lille; +https://github.com/cartess)",
)
# Importer HTTP timeouts in seconds, "connect,read".
CARTESS_HTTP_TIMEOUT = env.tuple("CARTESS_HTTP_TIMEOUT", cast=float, default=(10.0, 60.0))
# Importer HTTP attempts per request (the first one included) before the run fails.
CARTESS_HTTP_RETRIES = env.int("CARTESS_HTTP_RETRIES", default=4)
# The first backoff wait (seconds) after a failed HTTP attempt; it doubles at each attempt.
CARTESS_HTTP_RETRY_DELAY = env.float("CARTESS_HTTP_RETRY_DELAY", default=1.0)
# The cap (seconds) of any wait between HTTP attempts, backoff or 429 Retry-After.
CARTESS_HTTP_MAX_DELAY = env.float("CARTESS_HTTP_MAX_DELAY", default=60.0)
# Limits of every file an importer reads (importers.io.bounded): past one, the run fails
# with a French message and writes nothing. Bytes once decompressed (zip, gzip, lzma); the
# largest decompressed/compressed ratio (checked past the first MiB: zip bombs); the
# longest CSV cell, in characters; JSON nesting depth and size in bytes; rows per file.
CARTESS_IMPORT_MAX_BYTES = env.int("CARTESS_IMPORT_MAX_BYTES", default=16 * 2**30)
CARTESS_IMPORT_MAX_RATIO = env.int("CARTESS_IMPORT_MAX_RATIO", default=100)
CARTESS_IMPORT_MAX_CELL = env.int("CARTESS_IMPORT_MAX_CELL", default=16 * 2**20)
CARTESS_IMPORT_MAX_JSON_DEPTH = env.int("CARTESS_IMPORT_MAX_JSON_DEPTH", default=64)
CARTESS_IMPORT_MAX_JSON_BYTES = env.int("CARTESS_IMPORT_MAX_JSON_BYTES", default=256 * 2**20)
CARTESS_IMPORT_MAX_ROWS = env.int("CARTESS_IMPORT_MAX_ROWS", default=100_000_000)
# Encodings tried, in order, for a file that is not UTF-8 as a whole (and has no UTF-8 text
# at all: a mix is read as UTF-8 and its non-UTF-8 rows rejected).
CARTESS_IMPORT_FALLBACK_ENCODINGS = env.list(
    "CARTESS_IMPORT_FALLBACK_ENCODINGS", default=["cp1252", "latin-1"]
)
# The longest value (characters) of a raw record kept in provenance and rejections; a longer
# one is cut and marked (importers.engine.cells.RAW_CUT_MARK).
CARTESS_IMPORT_RAW_VALUE_MAX = env.int("CARTESS_IMPORT_RAW_VALUE_MAX", default=10_000)
# The account token of the Aides-territoires API (import aides-territoires without --file).
AIDES_TERRITOIRES_API_TOKEN = env("AIDES_TERRITOIRES_API_TOKEN", default="")
# Beyond this many organisations in the bounding box, the map endpoint returns clusters.
CARTESS_MAP_POINT_CAP = env.int("CARTESS_MAP_POINT_CAP", default=2000)
# Suggestions (contribution form) accepted per IP address and hour.
CARTESS_SUGGESTIONS_PER_HOUR = env.int("CARTESS_SUGGESTIONS_PER_HOUR", default=5)

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (50.6310, 3.0570),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "RESET_VIEW": False,
    "TILES": [
        (
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            {
                "attribution": "&copy; les contributeurs d'OpenStreetMap",
                "maxZoom": 19,
            },
        )
    ],
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cartess",
    "DESCRIPTION": "Acteurs, financements et locaux de l'ESS de Lille, Hellemmes et Lomme.",
    "VERSION": "1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
