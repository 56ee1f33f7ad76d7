"""Settings shared by every environment; each value can be set from the environment."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.client_address import client_address_settings
from config.origins import origin_of

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
    "django.contrib.sitemaps",
    "leaflet",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # Owner accounts: sign-up with an e-mail confirmed by a link (django-allauth).
    "allauth",
    "allauth.account",
    "csp",
    # CORS on the public read API only (CORS_* below).
    "corsheaders",
    # Background jobs and the schedule, on PostgreSQL (importers/tasks.py, importers/schedule.py).
    "procrastinate.contrib.django",
    "directory",
    "cartography",
    "importers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks: answers preflights (CORS_* below).
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: its URL (/en/...), else the visitor's choice or browser (config/i18n.py).
    "config.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ETag, 304, Cache-Control and gzip on the API and the exports only (config/reuse_http.py).
    "config.reuse_http.ReuseHttpMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The browser policy of every page: Content-Security-Policy and Permissions-Policy.
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Who made a change, for the history of listings (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-allauth's sign-up and e-mail confirmation keep their state in the session.
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a login while a username is locked out on an IP address.
# django-allauth's backend then lets a person log in with their e-mail address as well.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
# Sign-in records (successes, failures, attempts being counted) are erased after this many
# days: `manage.py login_logs_purge`, nightly (CNIL recommends 6 months to a year of logs).
CARTESS_LOGIN_LOG_RETENTION_DAYS = env.int("CARTESS_LOGIN_LOG_RETENTION_DAYS", default=180)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The visitor's address, which the lockout and the per-address limits count: how many reverse
# proxies stand in front of the application server, each writing X-Forwarded-For
# (docker-compose: 1, its nginx). 0 (the default, `make demo`): the connection's address
# only, and an X-Forwarded-For sent by a client is ignored (config/client_address.py).
CARTESS_TRUSTED_PROXY_COUNT = env.int("CARTESS_TRUSTED_PROXY_COUNT", default=0)
_client_address = client_address_settings(trusted_proxies=CARTESS_TRUSTED_PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = "left-most"
# The right-most trusted address is taken even when a client wrote more to its left (strict
# mode would then fall back to the proxy's own address, shared by every visitor).
IPWARE_STRICT = False
# Where a person writes to the team (the lockout page); empty: the page names no address.
CARTESS_CONTACT_EMAIL = env("CARTESS_CONTACT_EMAIL", default="")
# The legal notice (/mentions-legales/): who publishes the site and who hosts it, as the
# operator writes them; empty: the page says the fact is missing (nothing is made up).
CARTESS_PUBLISHER_NAME = env("CARTESS_PUBLISHER_NAME", default="")
CARTESS_PUBLISHER_ADDRESS = env("CARTESS_PUBLISHER_ADDRESS", default="")
CARTESS_HOST = env("CARTESS_HOST", default="")

# Owner accounts (django-allauth, README "Comptes des structures"): a person signs up with an
# e-mail address and a password at /compte/inscription/ and must open the link e-mailed to
# them before logging in (mandatory verification). The login page stays Django's own, at
# /compte/connexion/; it accepts the e-mail address or the username (allauth's backend).
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# The link opens a page with a button: a mail scanner following links confirms nothing.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env.int("CARTESS_EMAIL_CONFIRMATION_DAYS", default=3)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Cartess : "
# allauth's rate limits (Django's cache; production shares a database cache): sign-ups per
# IP address, confirmation e-mails per address, logins and failed logins (its own views;
# Django's login page is guarded by django-axes and the login limit of the login form).
# The same visitor address as the lockout: allauth trusts as many X-Forwarded-For proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = CARTESS_TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    "signup": env("CARTESS_RATE_LIMIT_SIGNUP", default="5/h/ip"),
    "confirm_email": env("CARTESS_RATE_LIMIT_CONFIRM_EMAIL", default="1/3m/key"),
    "login": env("CARTESS_RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("CARTESS_RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.access.access_context",
                "config.i18n.language_switch",
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
# Statements of directory.prepared.prepared_cursor() are prepared at their first execution on a
# connection (psycopg's threshold); Django's own cursors bind on the client and never prepare.
# Never add `server_side_binding` here: every ORM query would then be prepared at its first
# run, a bounding box or a search word held to one generic plan (tests/test_prepared.py).
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A second connection to the same database: a background job writes its progress through it,
# outside the transaction of the import it runs, so the progress page sees the rows go by.
DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# English dates spelled out ("December 4, 2026"); French keeps Django's (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

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
# data·inclusion services, downloaded with a structures file read alone (the national CSV
# resource on data.gouv.fr); empty imports the structures only.
CARTESS_DATA_INCLUSION_SERVICES_URL = env(
    "CARTESS_DATA_INCLUSION_SERVICES_URL",
    default="https://www.data.gouv.fr/fr/datasets/r/5abc151a-5729-4055-b0a9-d5691276f461",
)
# The licence Cartess publishes its exports under (`datapackage.json` and the licence column
# of each export); each source keeps its own licence beside it.
CARTESS_EXPORT_LICENCE = env("CARTESS_EXPORT_LICENCE", default="Licence Ouverte 2.0 (Etalab)")
CARTESS_EXPORT_LICENCE_URL = env(
    "CARTESS_EXPORT_LICENCE_URL", default="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
)
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
# The longest one importer HTTP request may take (seconds), its attempts, waits and body
# included: a server that trickles its answer fails there.
CARTESS_HTTP_DEADLINE = env.float("CARTESS_HTTP_DEADLINE", default=300.0)
# The longest an import run may take (seconds; 0: no limit); past it the run stops, rolls
# back and is recorded "interrompu". CARTESS_IMPORT_DEADLINES gives some sources their own,
# e.g. "sirene=21600,rna=7200".
CARTESS_IMPORT_DEADLINE = env.float("CARTESS_IMPORT_DEADLINE", default=10800.0)
CARTESS_IMPORT_DEADLINES = env.dict("CARTESS_IMPORT_DEADLINES", default={})
# How long a run's statement waits for a lock another connection holds (seconds) before the
# run fails (PostgreSQL lock_timeout; 0 waits for ever).
CARTESS_IMPORT_LOCK_TIMEOUT = env.float("CARTESS_IMPORT_LOCK_TIMEOUT", default=60.0)
# Addresses sent to the BAN's bulk endpoint (/search/csv/) per request, and the lowest
# score of a match an import accepts as a point on the map.
CARTESS_BAN_BATCH_SIZE = env.int("CARTESS_BAN_BATCH_SIZE", default=1000)
CARTESS_BAN_MIN_SCORE = env.float("CARTESS_BAN_MIN_SCORE", default=0.5)
# Limits of every file an importer reads (importers.io.bounded): past one, the run fails
# with a French message and writes nothing. Bytes once decompressed (zip, gzip, lzma); the
# largest decompressed/compressed ratio (checked past the first MiB: zip bombs); the
# longest CSV cell, in characters; JSON nesting depth and size in bytes; rows per file.
CARTESS_IMPORT_MAX_BYTES = env.int("CARTESS_IMPORT_MAX_BYTES", default=16 * 2**30)
CARTESS_IMPORT_MAX_RATIO = env.int("CARTESS_IMPORT_MAX_RATIO", default=100)
CARTESS_IMPORT_MAX_CELL = env.int("CARTESS_IMPORT_MAX_CELL", default=16 * 2**20)
# Longest physical line of a CSV file, in characters (a row of millions of empty cells).
CARTESS_IMPORT_MAX_LINE = env.int("CARTESS_IMPORT_MAX_LINE", default=32 * 2**20)
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
# Requests to actors and places ("Mobiliser", "Demander un espace") accepted per IP address
# and hour; their personal data is erased this many months after the request was closed or
# referred (and at the latest twice as long after it was sent): `manage.py mobilisations_purge`.
CARTESS_MOBILISATIONS_PER_HOUR = env.int("CARTESS_MOBILISATIONS_PER_HOUR", default=5)
CARTESS_MOBILISATION_RETENTION_MONTHS = env.int("CARTESS_MOBILISATION_RETENTION_MONTHS", default=12)
# A premises need's contact and description are erased this many months after the city
# services met or closed it, and after twice as long without any change whatever its
# status: `manage.py needs_purge`.
CARTESS_NEED_RETENTION_MONTHS = env.int("CARTESS_NEED_RETENTION_MONTHS", default=12)
# Claims ("C'est mon organisation") one person may send in 24 hours.
CARTESS_CLAIMS_PER_DAY = env.int("CARTESS_CLAIMS_PER_DAY", default=3)
# Freshness cycle (directory.freshness): a reminder's signed links work for this many days;
CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS = env.int("CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS", default=30)
# a person hears about the same listing at most once in this many days;
CARTESS_FRESHNESS_REMIND_EVERY_DAYS = env.int("CARTESS_FRESHNESS_REMIND_EVERY_DAYS", default=30)
# one e-mail names this many listings at most, obsolete first (the others come next time);
CARTESS_FRESHNESS_LISTINGS_PER_EMAIL = env.int("CARTESS_FRESHNESS_LISTINGS_PER_EMAIL", default=50)
# a "modifier" link lets its visitor edit that one listing for this many minutes.
CARTESS_FRESHNESS_EDIT_VISIT_MINUTES = env.int("CARTESS_FRESHNESS_EDIT_VISIT_MINUTES", default=60)
# Saved searches and alerts (directory.alerts): requests to follow a search accepted per IP
# address and hour; an address not confirmed within this many days is deleted (with its
# request) by `manage.py alerts_digest`, and its confirmation link stops working.
CARTESS_ALERTS_PER_HOUR = env.int("CARTESS_ALERTS_PER_HOUR", default=5)
CARTESS_ALERTS_UNCONFIRMED_DAYS = env.int("CARTESS_ALERTS_UNCONFIRMED_DAYS", default=7)
# `manage.py check_links`: seconds to connect, and again to get the answer, per URL.
CARTESS_LINK_CHECK_TIMEOUT = env.float("CARTESS_LINK_CHECK_TIMEOUT", default=10.0)
# ... and how many URLs it asks at once, of which at most CARTESS_LINK_CHECK_PER_HOST of the
# same server (a small association's host is not to be hammered).
CARTESS_LINK_CHECK_WORKERS = env.int("CARTESS_LINK_CHECK_WORKERS", default=8)
CARTESS_LINK_CHECK_PER_HOST = env.int("CARTESS_LINK_CHECK_PER_HOST", default=2)

# Background jobs (procrastinate, importers/tasks.py): a network's member file with more lines
# or bytes than this, or a members API call with more rows, is checked and applied by a
# background job with a progress page (or a 202 and a status URL) instead of in the request.
CARTESS_JOB_ROWS = env.int("CARTESS_JOB_ROWS", default=500)
CARTESS_JOB_BYTES = env.int("CARTESS_JOB_BYTES", default=200_000)
# The schedule (importers/schedule.py): where a scheduled import reads when its source has no
# default, as "slug=path-or-URL" pairs (e.g. "rna=/data/rna.zip,sirene=/data/sirene/").
CARTESS_SCHEDULE_ORIGINS = env.dict("CARTESS_SCHEDULE_ORIGINS", default={})
# Scheduled imports and commands left out (their names, comma-separated), e.g. a source whose
# token is not configured: the job then only logs that it was skipped.
CARTESS_SCHEDULE_SKIP = env.list("CARTESS_SCHEDULE_SKIP", default=[])

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
    # Every API error in JSON with a French message (config/api_errors.py).
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "config.api_errors.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        # DRF's JSON through orjson, the same bytes (config/json_renderer.py).
        "config.json_renderer.ApiJsonRenderer",
        "config.api_errors.BrowsableApiRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cartess",
    "DESCRIPTION": "Acteurs, financements et locaux de l'ESS de Lille, Hellemmes et Lomme.",
    "VERSION": "1",
    # /api/docs/ serves Swagger UI's files from the project (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named enum per taxonomy (directory.vocabulary), whichever field lists it.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "directory.vocabulary.STAGES",
        "OrganisationKindEnum": "directory.vocabulary.ORGANISATION_KINDS",
        "LegalFamilyEnum": "directory.vocabulary.LEGAL_FAMILIES",
        "SectorEnum": "directory.vocabulary.SECTORS",
        "FundingInstrumentEnum": "directory.vocabulary.FUNDING_INSTRUMENTS",
        "SupportKindEnum": "directory.vocabulary.SUPPORT_KINDS",
        "ScaleUpStrategyEnum": "directory.vocabulary.SCALE_UP_STRATEGIES",
        "PreviewRowStatusEnum": "importers.web.api_schema.PREVIEW_ROW_STATUSES",
        "JobStatusEnum": "importers.web.api_schema.JOB_STATUSES",
    },
    # The schema itself is not an operation of the API.
    "SERVE_INCLUDE_SCHEMA": False,
    # /ogc/ and /tiles/ are plain Django views: their operations are added to the schema.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cartography.ogc.openapi.ogc_paths_add",
        # A browser gets DRF's browsable page of a JSON list: declared as text/html.
        "directory.api_schema.browsable_pages_add",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # procrastinate lists every periodic task it registers, at each start of every command:
    # its warnings and errors are enough (the worker's own log level is its --verbose).
    "loggers": {"procrastinate": {"level": env("PROCRASTINATE_LOG_LEVEL", default="WARNING")}},
}

# The browser policy (django-csp). No inline script or style anywhere: scripts and styles are
# files from this site, data reaches them through json_script or data- attributes. The nonce
# is for the admin's geometry widgets only (django-leaflet writes their start-up script inline
# and signs it with request.csp_nonce); a page that never reads the nonce gets none.
# Images: this site, data: URLs and the map tiles of LEAFLET_CONFIG; fetch(): this site and
# the BAN, which the map and the directory ask from the browser. A new origin goes in one of
# the lists below (README, "Sécurité du navigateur").
_TILE_ORIGINS = sorted({origin_of(tile[1]) for tile in LEAFLET_CONFIG["TILES"]})
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # data: is Leaflet's blank tile (it replaces a tile it drops): an image never runs.
        "img-src": [SELF, "data:", *_TILE_ORIGINS],
        "connect-src": [SELF, origin_of(CARTESS_BAN_BASE_URL)],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        # No site may show these pages in a frame; the embed pages, once they exist, say
        # otherwise with directory.browser_policy.frame_embeddable (and only they).
        "frame-ancestors": [NONE],
    }
}
# CORS (django-cors-headers): any site's JavaScript may read the public read API, the OGC
# API and the tiles, by GET only and without cookies (no credentials: staff answers stay on
# this site); the network API's token pushes are not for browsers of other sites.
CORS_URLS_REGEX = r"^/(api|ogc|tiles)/"
CORS_ALLOW_ALL_ORIGINS = env.bool("CARTESS_CORS_ALLOW_ALL_ORIGINS", default=True)
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag",)
# Who may show an embed page (frame_embeddable) in a frame: CSP frame-ancestors sources.
CARTESS_EMBED_FRAME_ANCESTORS = env.list("CARTESS_EMBED_FRAME_ANCESTORS", default=["https:"])
# Permissions-Policy (config.middleware): the browser features a page may use. Geolocation
# for "Autour de moi" (map, directory) on this site only; every other powerful feature off.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "midi": [],
    "display-capture": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "publickey-credentials-get": [],
    "browsing-topics": [],
}
