"""Tocsin settings: one module, every deployment-specific value read from the environment.

Defaults suit a laptop or a small association server: SQLite under DATA_DIR, the database task
queue, e-mails written to files. README.md lists every variable.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_json_object, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TOCSIN_DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("TOCSIN_HTTPS", False)
SITE_URL = env_str("TOCSIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _secret_key() -> str:
    """SECRET_KEY from the environment, or one generated once and kept in DATA_DIR."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if HTTPS:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()


def _care_keys() -> list[str]:
    """Fernet keys of the continuity-of-care register, newest first (comma-separated).

    On a laptop one is generated once in DATA_DIR; a production server must set it, and keep
    it away from the database and its backups (without it the register cannot be read).
    """
    keys = [key.strip() for key in env_str("TOCSIN_CARE_KEYS").split(",") if key.strip()]
    for key in keys:
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "TOCSIN_CARE_KEYS: each key must be 32 url-safe base64-encoded bytes, as printed "
                "by: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'."
            ) from exc
    if keys:
        return keys
    if HTTPS:
        raise ImproperlyConfigured("TOCSIN_CARE_KEYS (or TOCSIN_CARE_KEYS_FILE) must be set.")
    key_file = DATA_DIR / "care_key"
    if not key_file.exists():
        key_file.write_text(Fernet.generate_key().decode(), encoding="utf-8")
        key_file.chmod(0o600)
    return [key_file.read_text(encoding="utf-8").strip()]


CARE_KEYS = _care_keys()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "tocsin.core",
    "tocsin.territory",
    "tocsin.directory",
    "tocsin.resources",
    "tocsin.plans",
    "tocsin.watch",
    "tocsin.crises",
    "tocsin.alerts",
    "tocsin.surveys",
    "tocsin.retex",
    "tocsin.training",
    "tocsin.exercises",
    "tocsin.care",
    "tocsin.maps",
    # Only for the Leaflet files it ships (static/leaflet/): no widget or model of it is used.
    "leaflet",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tocsin.core.middleware.current_cpts_middleware",
    "tocsin.core.middleware.two_factor_required_middleware",
    # Axes must come last: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tocsin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tocsin.core.context_processors.tocsin",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tocsin.sqlite3",
            "OPTIONS": {
                # IMMEDIATE transactions avoid "database is locked" upgrades between the web
                # process and the task worker; WAL lets readers proceed during a write.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: the django.tasks API; "immediate" runs tasks inline (tests, scripts).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", {"database", "immediate"})
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}

# Authentication: e-mail login, argon2, TOTP for crisis roles, lockout after repeated failures.
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:login"
# Reset and invitation links share this lifetime: long enough for a GP to open an invitation
# the next morning, short enough not to linger.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
OTP_TOTP_ISSUER = "Tocsin"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Lock the account, not the address: health staff often share one public IP (hospital,
# maison de santé), and counting per username already ignores IP or User-Agent rotation.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form field, which holds the e-mail
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

# Sessions and cookies.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("TOCSIN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Crisis plan: after a real crisis is lifted, its update is due within this many days (the
# yearly date stays if it comes first). Three months leaves time for the RETEX.
PLAN_UPDATE_AFTER_CRISIS_DAYS = env_int("TOCSIN_PLAN_UPDATE_AFTER_CRISIS_DAYS", 90)
# How often an open crisis dashboard reloads its live part (seconds, 5 at least).
CRISIS_LIVE_REFRESH_SECONDS = max(5, env_int("TOCSIN_CRISIS_LIVE_REFRESH_SECONDS", 20))

# Continuity of care: a patient not verified for this many days is flagged to their
# professionals, then purged after the grace period; a crisis access reason lasts this long.
CARE_VERIFY_DAYS = env_int("TOCSIN_CARE_VERIFY_DAYS", 365)
CARE_PURGE_GRACE_DAYS = env_int("TOCSIN_CARE_PURGE_GRACE_DAYS", 60)
CARE_REASON_MINUTES = env_int("TOCSIN_CARE_REASON_MINUTES", 120)

# Map background tiles: any XYZ server; empty means no background (our own layers only).
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "© contributeurs OpenStreetMap")


def _tiles_origin(url: str) -> list[str]:
    """The origin the CSP must allow images from, e.g. https://*.tile.example.org."""
    if not url:
        return []
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return [f"{scheme}://{host}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tiles_origin(MAP_TILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Watch (veille): reading CAP feeds and the Météo-France vigilance map. Any download or upload
# larger than WATCH_MAX_BYTES, or slower than WATCH_FETCH_TIMEOUT seconds, is refused and
# recorded as a failed reading; the API key is sent as the `apikey` header for vigilance.
WATCH_FETCH_TIMEOUT = env_int("WATCH_FETCH_TIMEOUT", 20)
WATCH_MAX_BYTES = env_int("WATCH_MAX_BYTES", 2_000_000)
WATCH_ATTACHMENT_MAX_BYTES = env_int("WATCH_ATTACHMENT_MAX_BYTES", 10_000_000)
METEOFRANCE_API_KEY = env_str("METEOFRANCE_API_KEY")

# E-mail: written to files under DATA_DIR by default, so a laptop never sends anything out.
EMAIL_MODE = env_choice("EMAIL_MODE", "file", {"file", "console", "smtp"})
EMAIL_BACKEND = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[EMAIL_MODE]
EMAIL_FILE_PATH = DATA_DIR / "mails"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tocsin <tocsin@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Alerts: the channels and their providers, the delivery worker and escalation.
# E-mail alerts use the site's e-mail backend unless ALERTS_EMAIL_BACKEND names another
# (e.g. an anymail provider's). SMS: "file" (data/sms, the default), "console", "ovh", or the
# dotted path of a backend class. MSSanté: SMTP with the CPTS's client certificate; without a
# host, messages are written to data/mssante.
ALERTS_EMAIL_BACKEND = env_str("TOCSIN_ALERTS_EMAIL_BACKEND")
SMS_BACKEND = env_str("TOCSIN_SMS_BACKEND", "file")
SMS_SENDER = env_str("TOCSIN_SMS_SENDER")
SMS_TIMEOUT = env_int("TOCSIN_SMS_TIMEOUT", 20)
SMS_OVH_ENDPOINT = env_str("TOCSIN_SMS_OVH_ENDPOINT", "ovh-eu")
SMS_OVH_SERVICE = env_str("TOCSIN_SMS_OVH_SERVICE")
SMS_OVH_APPLICATION_KEY = env_str("TOCSIN_SMS_OVH_APPLICATION_KEY")
SMS_OVH_APPLICATION_SECRET = env_str("TOCSIN_SMS_OVH_APPLICATION_SECRET")
SMS_OVH_CONSUMER_KEY = env_str("TOCSIN_SMS_OVH_CONSUMER_KEY")
SMS_OVH_SENDER_FOR_RESPONSE = env_bool("TOCSIN_SMS_OVH_SENDER_FOR_RESPONSE", False)
MSSANTE_HOST = env_str("TOCSIN_MSSANTE_HOST")
MSSANTE_PORT = env_int("TOCSIN_MSSANTE_PORT", 587)
MSSANTE_USER = env_str("TOCSIN_MSSANTE_USER")
MSSANTE_PASSWORD = env_str("TOCSIN_MSSANTE_PASSWORD")
MSSANTE_USE_SSL = env_bool("TOCSIN_MSSANTE_USE_SSL", False)
MSSANTE_CERTFILE = env_str("TOCSIN_MSSANTE_CERTFILE")
MSSANTE_KEYFILE = env_str("TOCSIN_MSSANTE_KEYFILE")
MSSANTE_FROM_EMAIL = env_str("TOCSIN_MSSANTE_FROM_EMAIL", "cpts@localhost")
# Messages per second per channel (a provider's contractual rate); 0 means no limit.
ALERTS_RATE_LIMITS = {
    "email": env_int("TOCSIN_ALERTS_EMAIL_RATE", 0),
    "sms": env_int("TOCSIN_ALERTS_SMS_RATE", 20),
    "mssante": env_int("TOCSIN_ALERTS_MSSANTE_RATE", 10),
}
# A claimed delivery not finished within the lease (a killed worker) is claimed again.
ALERTS_CLAIM_LEASE_SECONDS = env_int("TOCSIN_ALERTS_CLAIM_LEASE_SECONDS", 120)
ALERTS_BATCH_SIZE = env_int("TOCSIN_ALERTS_BATCH_SIZE", 50)
ALERTS_MAX_ATTEMPTS = env_int("TOCSIN_ALERTS_MAX_ATTEMPTS", 6)
ALERTS_ANSWER_LINK_HOURS = env_int("TOCSIN_ALERTS_ANSWER_LINK_HOURS", 72)
# E-mail providers through django-anymail (TOCSIN_ALERTS_EMAIL_BACKEND=
# "anymail.backends.brevo.EmailBackend", say): its settings as a JSON object, e.g.
# {"BREVO_API_KEY": "…"}; their delivery webhooks need TOCSIN_ANYMAIL_WEBHOOK_SECRET
# ("user:password", the basic auth the provider is given) and are off without it.
ANYMAIL = {
    **env_json_object("TOCSIN_ANYMAIL"),
    "WEBHOOK_SECRET": env_str("TOCSIN_ANYMAIL_WEBHOOK_SECRET"),
}
# Shared secret in the URL providers call back (delivery receipts, inbound SMS).
ALERTS_WEBHOOK_TOKEN = env_str("TOCSIN_ALERTS_WEBHOOK_TOKEN")

# Backups keep times to the microsecond (Django's JSON format cuts them to the millisecond).
SERIALIZATION_MODULES = {"exact_json": "tocsin.core.exact_json"}

PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("TOCSIN_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every font and stylesheet it loads at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
