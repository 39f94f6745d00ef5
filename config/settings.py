"""Lookbook settings: one module, configured from the environment.

Embedded defaults need no server (SQLite, kombu's filesystem broker, local media under var/).
Production takes the same code with DJANGO_ENV=production and the variables listed in
docs/configuration.md.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("LOOKBOOK_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    sys.exit(
        "Configuration error: environment variable DJANGO_ENV must be "
        f"development, test or production, not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"


def required(name: str, cast=str):
    """Read a variable that production must set; stop start-up with one clear line if it is bad."""
    try:
        value = cast(name) if cast is not str else env.str(name)
    except Exception:
        sys.exit(f"Configuration error: environment variable {name} is missing or invalid")
    if value in ("", None, []):
        sys.exit(f"Configuration error: environment variable {name} is missing or invalid")
    return value


def setting(name: str, default, cast=str):
    """Required in production, with an embedded default elsewhere."""
    if PRODUCTION:
        return required(name, cast)
    return cast(name, default=default) if cast is not str else env.str(name, default=default)


SECRET_KEY = setting("SECRET_KEY", "insecure-development-key-never-use-in-production")
if PRODUCTION and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # The same bar as `check --deploy`, enforced: a short key makes sessions and links forgeable.
    sys.exit(
        "Configuration error: environment variable SECRET_KEY must be at least 50 random characters"
    )
DEBUG = env.bool("DJANGO_DEBUG", default=DJANGO_ENV == "development")
ALLOWED_HOSTS = setting("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"], env.list)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "core",
    "jobs",
    "accounts",
    "styles",
    "generation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ApiSpeaksJson",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if PRODUCTION and "DATABASE_URL" not in env:
    required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process in the tests sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache (throttles, rate limits) -----------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if PRODUCTION and not REDIS_URL:
    required("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_PREFIX", "lookbook"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lookbook <noreply@lookbook.local>")
if "EMAIL_URL" in env:  # e.g. smtp+tls://user:password@smtp.example.com:587
    globals().update(env.email_url("EMAIL_URL"))

# --- i18n ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Outside production, serve static files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL_EXPIRY = env.int("MEDIA_URL_EXPIRY", default=600)
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    AWS_STORAGE_BUCKET_NAME = required("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
    AWS_ACCESS_KEY_ID = required("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = required("AWS_SECRET_ACCESS_KEY")
    from botocore.config import Config as S3ClientConfig

    media_storage = {
        "BACKEND": "core.storage.PrivateS3Storage",
        "OPTIONS": {
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": MEDIA_URL_EXPIRY,
            "file_overwrite": False,
            # Short connect timeouts so an unreachable endpoint fails a request (and /healthz)
            # in seconds instead of hanging a web worker.
            "client_config": S3ClientConfig(
                signature_version="s3v4",
                s3={"addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="auto")},
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }
elif STORAGE_BACKEND == "local":
    media_storage = {"BACKEND": "core.storage.PrivateFileSystemStorage"}
else:
    sys.exit("Configuration error: environment variable STORAGE_BACKEND must be local or s3")
STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if PRODUCTION and CELERY_BROKER_URL.startswith("filesystem"):
    required("CELERY_BROKER_URL")
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        data_folder_in=str(BROKER_DIR / "queue"),
        data_folder_out=str(BROKER_DIR / "queue"),
        processed_folder=str(BROKER_DIR / "processed"),
        control_folder=str(BROKER_DIR / "control"),  # kombu's default is ./control
        store_processed=False,
    )
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'broker' / 'results'}"
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SOFT_TIME_LIMIT = 30 * 60
CELERY_TASK_TIME_LIMIT = 35 * 60
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- API --------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous request 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: uploads name their multipart parser themselves. One body type per operation
    # keeps generated clients to one request model each.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Applies only to views that name a `throttle_scope` (rates below).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ScopedRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "uploads": env.str("THROTTLE_UPLOADS", default="120/hour"),
        "jobs": env.str("THROTTLE_JOBS", default="60/hour"),
        "auth": env.str("THROTTLE_AUTH", default="20/minute"),
        "auth_user": env.str("THROTTLE_AUTH_USER", default="30/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Per-device API tokens (docs/api.md): a token expires API_TOKEN_TTL_DAYS after its last use
# (renewed at most hourly) and a year after sign-in at the latest.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations create its default token table even when the model is swapped; that
# orphan table's foreign key to users then blocks every TRUNCATE of accounts_user (PostgreSQL).
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=365),
    "MIN_REFRESH_INTERVAL": 60 * 60,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lookbook API",
    "DESCRIPTION": "Give your photos an influencer's look. Authenticate with a token: "
    "`Authorization: Token <key>` from POST /api/v1/auth/token/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the sidecar package: the CSP allows no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "jobs.models.JobStatus",
        "AdapterStatusEnum": "generation.models.AdapterStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_common_errors",
        "config.schema.name_integer_enums",
    ],
}

# --- Lookbook ---------------------------------------------------------------------
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
MAX_UPLOAD_PIXELS = env.int("MAX_UPLOAD_PIXELS", default=50_000_000)
QUOTA_CONCURRENT_JOBS = env.int("QUOTA_CONCURRENT_JOBS", default=3)
QUOTA_PHOTOS_PER_JOB = env.int("QUOTA_PHOTOS_PER_JOB", default=20)
QUOTA_DAILY_COMPUTE_SECONDS = env.int("QUOTA_DAILY_COMPUTE_SECONDS", default=3600)
QUOTA_DAILY_EXPORTS = env.int("QUOTA_DAILY_EXPORTS", default=3)
JOB_STALE_AFTER = timedelta(seconds=env.int("JOB_STALE_AFTER_SECONDS", default=180))
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
EXPORT_RETENTION = timedelta(days=env.int("EXPORT_RETENTION_DAYS", default=7))
ML_DEVICE = env.str("ML_DEVICE", default="cpu")
ML_THREADS = env.int("ML_THREADS", default=2)
ML_CACHE_SIZE = env.int("ML_CACHE_SIZE", default=8)

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
