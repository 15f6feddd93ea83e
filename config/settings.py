"""One settings module, driven by the environment (as Healthchecks does).

SQLite in ``data/`` by default; set ``DATABASE_URL=postgres://…`` for PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CASCADA_DATA_DIR", BASE_DIR / "data"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# CASCADA_ENV=production: a real deployment behind HTTPS (see "Security" at the end). Anything
# else is development: `make demo` on http://127.0.0.1:8000, DEBUG off, no HTTPS.
CASCADA_ENV = os.environ.get("CASCADA_ENV", "development").strip().lower()
PRODUCTION = CASCADA_ENV == "production"

DEBUG = _env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("CASCADA_ENV=production no admite DEBUG=true.")
if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "CASCADA_ENV=production requiere SECRET_KEY en el entorno: una clave aleatoria de "
            "al menos 50 caracteres, p. ej. python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'."
        )
else:  # a development-only key
    SECRET_KEY = os.environ.get("SECRET_KEY", "cascada-dev-key-not-for-production")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # login throttling
    "django_tasks",
    "django_tasks_db",
    "cascada.plans",
    "cascada.accounts",
    "cascada.tracking",
    "cascada.imports",
    "cascada.reports",
    "cascada.backoffice",
    "cascada.web",
    "cascada.api",
    "cascada.opendata",
    "cascada.bench",
    "cascada.synth",
    "cascada.workflow",
    "ninja",  # django-ninja renders /api/docs with its bundled Swagger UI files, not a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cascada.web.middleware.ContentSecurityPolicyMiddleware",  # before WhiteNoise: static too
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files without a separate server
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cascada.web.middleware.ChosenLanguageMiddleware",  # es-CO unless chosen
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns lockouts into a page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'cascada.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: rendered public pages of published cuts (cascada/web/pagecache.py). By default in
# the database (a table created by `migrate`): shared by every app server, no other service to
# run. CASCADA_CACHE_URL=redis://host:6379/0 for Redis (needs the `redis` package installed),
# locmem:// for one process only, dummy:// for none. CASCADA_PAGE_CACHE_SECONDS=0 turns the page
# cache off; a page is never stale (its key changes with every change to its plan), this only
# bounds how long an unused page is kept.
CASCADA_CACHE_URL = os.environ.get("CASCADA_CACHE_URL", "db://").strip()
CASCADA_PAGE_CACHE_SECONDS = int(os.environ.get("CASCADA_PAGE_CACHE_SECONDS", str(7 * 24 * 3600)))


def _cache(url: str) -> dict[str, object]:
    scheme = url.split("://", 1)[0].lower()
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cascada_cache",
            # A district has ~10.000 pages per language; culling counts the table on every write.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CASCADA_CACHE_MAX_ENTRIES", "50000"))},
        }
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CASCADA_CACHE_URL={url!r}: se esperaba db://, redis://…, locmem:// o dummy://."
    )


CACHES = {"default": _cache(CASCADA_CACHE_URL)}

# Authentication. Roles are data (cascada.accounts: Membership), read by accounts/policy.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify, and are rehashed with Argon2 at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:plan_list"
LOGOUT_REDIRECT_URL = "web:plan_list"

# django-axes: five failed logins for one username from one address lock that pair out for
# 30 minutes (a Spanish page, HTTP 429); a successful login clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Reverse proxies in front of the app (each appends to X-Forwarded-For and sets
# X-Forwarded-Proto); 0 = none, the client is REMOTE_ADDR.
CASCADA_PROXIES = int(os.environ.get("CASCADA_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "cascada.accounts.security.client_ip"

LANGUAGE_CODE = "es-co"
LANGUAGES = [("es", "Español"), ("en", "English")]
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"  # uploaded logos; reports rendered in the background (reports/)

# Background work (django-tasks): the queue lives in the database; `cascada db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Plans with more indicators than this get their report rendered in the background (web).
CASCADA_REPORT_SYNC_MAX_INDICATORS = int(
    os.environ.get("CASCADA_REPORT_SYNC_MAX_INDICATORS", "100")
)

# E-mail (reminders to reporters). The console by default (development prints them); SMTP when
# EMAIL_HOST is set, e.g. EMAIL_HOST=smtp.example.gov.co EMAIL_PORT=587 EMAIL_USE_TLS=true.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if EMAIL_HOST else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", bool(EMAIL_HOST) and not EMAIL_USE_SSL)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cascada <no-responder@localhost>")
# Deadline reminders go this many days (or fewer) before a cut's deadline (`cascada remind`).
CASCADA_REMINDER_DAYS = int(os.environ.get("CASCADA_REMINDER_DAYS", "3"))
# The site's address as reporters reach it, for the links in e-mails.
CASCADA_BASE_URL = os.environ.get("CASCADA_BASE_URL", "http://127.0.0.1:8000")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve straight from the apps' static folders, so `runserver` and gunicorn work without a
# collectstatic step (the demo and the tests); production may collectstatic as usual.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it

# Security. Served over HTTPS in production (or with CASCADA_HTTPS=true and DEBUG off): cookies
# only over HTTPS, HTTP redirected to HTTPS, HSTS. Development serves plain HTTP.
HTTPS = PRODUCTION or (not DEBUG and _env_bool("CASCADA_HTTPS", False))
SECURE_SSL_REDIRECT = HTTPS and _env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and _env_bool("SECURE_HSTS_PRELOAD", True)
if CASCADA_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# e.g. CSRF_TRUSTED_ORIGINS=https://cascada.example.gov.co (comma-separated)
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
