"""Settings for zone-portal, all overridable from the environment (see README, "Configuration")."""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zone_portal.api.enum_names import ENUM_NAMES
from zone_portal.config import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ZP_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV={DJANGO_ENV!r}: use development, production or test")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
_INSECURE_KEY = "dev-only-insecure-key-change-me-zone-portal-0000000000000000"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _INSECURE_KEY):
    raise ImproperlyConfigured("Production needs SECRET_KEY set to a long random value")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first: for a text translated by several apps, the first app listed wins.
    "zone_portal.org",
    "zone_portal.accounts",
    "zone_portal.events",
    "zone_portal.worktime",
    "zone_portal.notifications",
    "zone_portal.ratings",
    "zone_portal.api",
    "zone_portal.web",
    "zone_portal.dashboard",
    "enterprises",
    "services",
    "projects",
    "feedback",
    "supervision",
    "safety",
    "benefits",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zone_portal.web.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zone_portal.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zone_portal.web.middleware.TryAgainMiddleware",
    "zone_portal.web.middleware.DatabaseUnavailableMiddleware",
]

# Sent on every response (zone_portal/web/headers.py): scripts from our origin only, never inline.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()",
)

ROOT_URLCONF = "zone_portal.urls"
WSGI_APPLICATION = "zone_portal.wsgi.application"

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
                "zone_portal.web.context.portal",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zone_portal.sqlite3'}")
# Persistent connections are checked before each request reuses them (CONN_HEALTH_CHECKS): after a
# PostgreSQL restart or failover the next request reconnects, no process needs a restart.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker, beat and web share one SQLite file: wait for locks instead of failing at once,
    # and let the test database be a file so that a real worker process can see it.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_zone_portal.sqlite3")}
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # The dashboard's aggregate queries lose ~0.3 s each to JIT compilation and gain nothing.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A streaming read replica (zone_portal/replica.py): the dashboards, the public page and the exports
# read from it; a person who just wrote reads the primary for REPLICA_PIN_SECONDS.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the replica alias is the test database
DATABASE_ROUTERS = ["zone_portal.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
# Views an operator also sends to the replica (URL names); the code marks its own @replica_view.
REPLICA_VIEWS = env_list("REPLICA_VIEWS", [])

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))  # uploads: never under static files
# Uploads: the file system under MEDIA_ROOT (one host, or a shared mount), or an S3-compatible object
# store shared by every host (STORAGE_BACKEND=s3; `pip install .[s3]` for django-storages).
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "filesystem":
    _uploads = {"BACKEND": "zone_portal.storage.PortalFileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    _uploads = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", ""),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,  # MinIO, Ceph, a cloud's S3 API
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY", ""),
            "secret_key": env_str("S3_SECRET_KEY", ""),
            "location": env_str("S3_PREFIX", "media"),
            "default_acl": None,  # private objects: downloads go through the portal's own view
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _uploads["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured(
            "STORAGE_BACKEND=s3 needs S3_BUCKET (and S3_ENDPOINT_URL, S3_ACCESS_KEY, …)"
        )
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND={STORAGE_BACKEND!r}: use filesystem or s3")
STORAGES = {
    "default": _uploads,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Files one case may hold (a request's materials, a ticket's attachments, a project's ledger photos).
UPLOAD_MAX_FILES_PER_CASE = env_int("UPLOAD_MAX_FILES_PER_CASE", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest JSON body the API decodes (zone_portal/api/parsers.py); larger ones are a 400.
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", 1024 * 1024)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email: outside production, written as files under var/mail/ (one file per sending connection) rather
# than printed whole on the worker's console; set EMAIL_BACKEND and the EMAIL_* pieces for a real server.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zone-portal <noreply@zone-portal.local>")
# The portal's address as people reach it: the links in e-mails are absolute from it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Login throttling (zone_portal/accounts/throttle.py): failures in a window per username at one
# address, per username anywhere, and per address (far higher: many people share one NAT address).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_USER_LIMIT = env_int("LOGIN_FAILURE_USER_LIMIT", 10)
LOGIN_FAILURE_ADDRESS_LIMIT = env_int("LOGIN_FAILURE_ADDRESS_LIMIT", 100)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# The public account-request page: at most this many requests per address per window.
ACCOUNT_REQUEST_LIMIT = env_int("ACCOUNT_REQUEST_LIMIT", 5)
ACCOUNT_REQUEST_WINDOW_SECONDS = env_int("ACCOUNT_REQUEST_WINDOW_SECONDS", 60 * 60)
# How long an enterprise's owner or registered contact may take to confirm an account asked for it.
ACCOUNT_LINK_MAX_AGE_SECONDS = env_int("ACCOUNT_LINK_MAX_AGE_SECONDS", 14 * 24 * 3600)

# API tokens (POST /api/v1/auth/token/) expire after this many days; DELETE revokes one sooner.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
# Database sessions that know their user, so that people can see and end their sessions.
SESSION_ENGINE = "zone_portal.accounts.sessions"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request is told 401 with a WWW-Authenticate header.
        "zone_portal.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in, and a person: machine clients (the hotline) only reach the endpoint made for them.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "zone_portal.api.permissions.PeopleOnly",
    ],
    # JSON bodies are bounded in size and nesting (a hostile body is a 400, not a 500).
    "DEFAULT_PARSER_CLASSES": [
        "zone_portal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "zone_portal.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "zone_portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# django-filter: an empty choice reads "All" (全部) rather than a row of dashes.
FILTERS_EMPTY_CHOICE_LABEL = _("All")

SPECTACULAR_SETTINGS = {
    "TITLE": "zone-portal API",
    "DESCRIPTION": "One-stop service requests, problem tickets and key projects of the high-tech zone.",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # The Swagger UI must never send our schema to validator.swagger.io (nor call any outside host).
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    # Every operation's error answers (400/401/403/404/409) in the one error shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "zone_portal.api.schema.document_errors",
    ],
    # Several models have a `status`: give each choice set its own schema name.
    # Each app names its own enums (its AppConfig's `api_enum_names`): zone_portal/api/enum_names.py.
    "ENUM_NAME_OVERRIDES": ENUM_NAMES,
}

# Celery. Without REDIS_URL the broker is kombu's filesystem transport under var/, so a real
# worker and beat run as their own processes with no server to install.
# The test suite (and the worker processes it starts, with DJANGO_ENV=test) use a broker folder and a
# queue of their own, so that a running `dev.py up` never takes the tests' tasks, nor they its.
TESTING = DJANGO_ENV == "test" or "pytest" in sys.modules
# Seconds a user's dashboard summary (API and page) is kept for every process (0: always computed),
# and how much longer the previous copy is served while one process computes the next
# (zone_portal/keeping.py). The suite computes every summary, so that a test sees its own
# writes; tests of the keeping set them.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 0 if TESTING else 10)
DASHBOARD_STALE_SECONDS = env_int("DASHBOARD_STALE_SECONDS", 50)
# Seconds the home panels' register figures (100,000 enterprises counted) are kept for every process
# (enterprises.selectors.register_figures); the suite counts them every time.
REGISTER_FIGURES_SECONDS = env_int("REGISTER_FIGURES_SECONDS", 0 if TESTING else 30)
REDIS_URL = env_str("REDIS_URL", "")
# A task taken by a worker that died (kill -9, host lost) goes back to the queue after this many
# seconds (tasks are acknowledged late). Longer than the longest task: a task still running when it
# expires is delivered twice, which every task here survives (claims), but wastes the work.
BROKER_VISIBILITY_TIMEOUT = env_int("BROKER_VISIBILITY_TIMEOUT", 3600)
# How often a worker looks for such tasks. kombu 5.7 looks every `unacked_restore_interval` (10 s)
# times `unacked_restore_throttle` (10) seconds by default: 100 s on top of the timeout. One look
# every BROKER_RESTORE_SECONDS (one cheap Redis query) keeps the delay to the timeout.
BROKER_RESTORE_SECONDS = env_int("BROKER_RESTORE_SECONDS", 10)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": BROKER_RESTORE_SECONDS,
        "unacked_restore_throttle": 1,
    }
    if REDIS_URL.startswith("sentinel://"):
        # Redis Sentinel: REDIS_URL lists the sentinels, `sentinel://h1:26379/0;sentinel://h2:26379/0`;
        # the worker asks them for the master of this name and follows a failover.
        CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = env_str("REDIS_SENTINEL_MASTER", "zone-portal")
        CELERY_BROKER_TRANSPORT_OPTIONS["sentinel_kwargs"] = {"socket_timeout": 2}
    # A broker that is away is noticed within seconds, not after the default's minutes.
    CELERY_BROKER_TRANSPORT_OPTIONS.update({"socket_timeout": 5, "socket_connect_timeout": 3})
else:
    BROKER_DIR = VAR_DIR / ("test-broker" if TESTING else "broker")
    for _sub in ("out", "processed", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # kombu's default is ./control, relative to wherever the process was started
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = "zone-portal-tests" if TESTING else "celery"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How long beat may sleep between looks at its schedule (celery's default: 5 minutes).
CELERY_BEAT_MAX_LOOP_INTERVAL = env_int("BEAT_MAX_LOOP_INTERVAL", 300)
# How often the beat empties the notifications outbox (e-mail): the catch-up for a delivery task that
# could not be queued (broker down) or was lost.
OUTBOX_INTERVAL_SECONDS = env_int("OUTBOX_INTERVAL_SECONDS", 60)
# /healthz keeps the broker's answer this many seconds per process (a balancer probes several times a
# second; asking Redis each time cost more than the rest of the check). 0 asks every time.
HEALTHZ_BROKER_SECONDS = env_int("HEALTHZ_BROKER_SECONDS", 5)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for the broker to come back, for ever
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 60)
# An enterprise import whose worker stopped reporting progress for this long was lost: it is claimed
# again (enterprises.actions._claim_import) and queued again by the beat (`enterprises-resume-imports`).
IMPORT_STALE_SECONDS = env_int("IMPORT_STALE_SECONDS", 600)
# How often the dashboard's daily rollups take in the day's changes (zone_portal/dashboard/rollup.py).
ROLLUP_INTERVAL_SECONDS = env_int("ROLLUP_INTERVAL_SECONDS", 15)
# Each app adds its sweeps to this schedule in its own `schedule.py` (collected in celery.py).
CELERY_BEAT_SCHEDULE: dict = {}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Figures kept for every server process at once (zone_portal/keeping.py): in Redis when
    # REDIS_URL names one (the broker's database; the keys are prefixed, and nothing may ever call
    # `clear()` on this cache, which would empty the broker's queues too), in the process otherwise.
    # The suite keeps its own copies in memory; the tests of the sharing point it at Redis.
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"},
}
if REDIS_URL and not REDIS_URL.startswith("sentinel://") and not TESTING:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Per database: two portals (or a benchmark's databases) sharing one Redis never share figures.
        "KEY_PREFIX": f"zp-shared:{DATABASES['default']['NAME']}",
        # A Redis that stops answering costs a request one second, then the figures are computed.
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
