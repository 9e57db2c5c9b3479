"""Settings shared by every environment; everything is read from the environment here.

With no environment at all the project runs on the embedded default: SQLite, local file
storage under ``media/``, console e-mail and a Celery broker that needs no server. The
same code runs in production once ``DATABASE_URL``, ``REDIS_URL``,
``AWS_STORAGE_BUCKET_NAME`` and ``EMAIL_URL`` are set (see README.md).
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Run-time state of the embedded default: the Celery broker's folders, logs, mail summary.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-change-me-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Ascend"
# `make bench` serves an extra floor endpoint (config/urls.py); never set it in production.
ASCEND_BENCH = env.bool("ASCEND_BENCH", default=False)

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.headless",
    "auditlog",
    "csp",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "learning",
    "mentorship",
    "growth",
    "therapy",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.AuditMiddleware",
    "core.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.ClearSiteDataMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, recording a session's activity at most every five
    # minutes unless its address or browser changes (not on every request).
    "core.middleware.UserSessionsMiddleware",
]

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
                "core.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The navigation's one query per page (core/person_facts.py) is a server-side prepared
# statement on PostgreSQL: planned once per connection instead of on every page. Turn it
# off behind a pooler that hands one client several server connections (pgbouncer in
# transaction mode), where a statement prepared on one may be missing on the next.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people at once (gunicorn's threads and processes,
    # the Celery worker and beat on the same file): a writer waits for the lock instead of
    # failing with "database is locked" — transactions take the write lock when they begin
    # (IMMEDIATE: no deadlock of two readers upgrading), a busy writer is waited for up to
    # 20 s, WAL lets readers go on beside a writer, and synchronous=NORMAL (safe with WAL: a
    # power cut may lose the last commits, never corrupt the file) keeps each commit cheap.
    # tests/test_embedded_default.py drives 16 members writing at once through it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.PooledRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ascend",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Identity ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Leads new members to the welcome after signing in (accounts/adapters.py).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# "Send the code again" on the code page (allauth allows two resends per verification).
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ascend] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
USERSESSIONS_TRACK_ACTIVITY = True
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_ONLY = False
HEADLESS_SERVE_SPECIFICATION = True

# --- Audit log (django-auditlog, entries in accounts.AuditLogEntry) ---------------------
AUDITLOG_LOGENTRY_MODEL = "accounts.AuditLogEntry"
# django-auditlog 3.4's migrations create its own auditlog_logentry table even though our
# model replaces it; that table's key to django_content_type then breaks `flush` (and every
# transactional test) on PostgreSQL (jazzband/django-auditlog#804). Without migrations the
# app creates no table: its swapped model is skipped.
MIGRATION_MODULES = {"auditlog": None}
# What is audited, and what never is (secrets, therapy content): accounts/audit.py.
AUDITLOG_STORE_JSON_CHANGES = True  # values keep their JSON type (true, 3, null), not "True"
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # loaddata is not somebody's change
# How many reverse proxies of ours append to X-Forwarded-For; 0 trusts the socket's address only.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Security headers and rate limits ---------------------------------------------------
# Content-Security-Policy (django-csp): scripts and styles only from this site — no inline
# scripts, styles or event handlers anywhere; images also from HTTPS hosts (S3 and
# presigned URLs) and data: URIs (Pico's icons); lesson videos from the two embed hosts;
# forms post here or go on to Stripe Checkout; the service worker and the web app manifest
# come from this site (core/pwa.py). Pages that need more (the API docs) widen it with
# csp_update on that view alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# allauth's limits on the doors people knock on (per address "ip", per account or e-mail
# "key"); allauth's defaults hold for the rest. A refused request is a 429 page
# (templates/429.html) or, headless, a 429 JSON answer.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": env("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "reset_password_from_key": env("RATE_LIMIT_RESET_PASSWORD_FROM_KEY", default="20/m/ip"),
}

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Writes (POST, PUT, PATCH, DELETE) are rate-limited per user (or per address when
    # anonymous); reads are not. A refused request is a 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"write": env("API_WRITE_RATE", default="120/min")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # anonymous clients by their real address, unspoofable
}
# Public certificate verifications (page and API) per client address (learning.throttling).
CERTIFICATE_VERIFY_RATE = env("CERTIFICATE_VERIFY_RATE", default="20/min")
# Lesson time reports per user (the player sends 2 a minute per open lesson; learning.throttling).
LESSON_TIME_RATE = env("LESSON_TIME_RATE", default="12/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Ascend API",
    "DESCRIPTION": (
        "JSON API for the Ascend mobile apps. Authenticate through django-allauth headless "
        "(`/_allauth/app/v1/auth/login`) and send the session token as `X-Session-Token`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "NotificationTypeEnum": "core.registry.notification_type_choices",
        "ProfileTypeEnum": "accounts.models.profiles.Profile.Type",
        "EnrollmentStatusEnum": "learning.models.progress.Enrollment.Status",
        "EnrollmentSourceEnum": "learning.models.progress.Enrollment.Source",
        "ChatSessionTypeEnum": "learning.models.chat.ChatMessage.SessionType",
        "ChatRoleEnum": "learning.models.chat.ChatMessage.Role",
        "AssessmentStatusEnum": "learning.models.careers.Assessment.Status",
        "LessonVideoKindEnum": ["youtube", "vimeo", "link"],
        "TherapySessionStatusEnum": "therapy.models.sessions.TherapySession.Status",
        "TherapistProfileStatusEnum": "therapy.models.profiles.TherapistProfile.Status",
        "TherapyRelationshipStatusEnum": "therapy.models.relationships.TherapyRelationship.Status",
        "EventTypeEnum": "mentorship.models.events.Event.Type",
        "VenueTypeEnum": "mentorship.models.venues.Venue.Type",
        "VenuePartnershipTierEnum": "mentorship.models.venues.Venue.Tier",
        "MentorProfileStatusEnum": "mentorship.models.profiles.MentorProfile.Status",
        "EventStatusEnum": "mentorship.models.events.Event.Status",
        "EventAttendanceStatusEnum": "mentorship.models.events.EventAttendance.Status",
        "BadgeTypeEnum": "growth.models.badges.Badge.Type",
        "ReflectionKindEnum": "growth.models.reflections.Reflection.Kind",
        "ReflectionMoodEnum": "growth.models.reflections.Reflection.Mood",
        "TodoPriorityEnum": "growth.models.todos.Todo.Priority",
        "GoalStatusEnum": "growth.models.goals.Goal.Status",
        "HabitStatusEnum": "growth.models.habits.Habit.Status",
        "MentorshipSessionTypeEnum": "mentorship.models.sessions.MentorshipSession.Type",
        "MentorshipSessionStatusEnum": "mentorship.models.sessions.MentorshipSession.Status",
    },
}

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        # Look for new messages every 0.1 s, not every second: a worker takes one message
        # per look, so the default would deliver a newcomer's verification e-mail only
        # after the demo data's hundred-odd queued tasks, minutes later.
        "polling_interval": 0.1,
    }
    for _folder in ("broker", "control", "results"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}")
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Tasks are idempotent: acknowledge after running, give a task back when its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request never waits long for a broker that is down: after about a second the message
# stays in the outbox (core/outbox.py) and the relay sends it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The outbox stores a call's arguments (e-mails with codes and reset links) encrypted with
# these Fernet keys: the first encrypts, all decrypt (rotation: README, "Security"). Unset,
# they are derived from SECRET_KEY and SECRET_KEY_FALLBACKS.
OUTBOX_ENCRYPTION_KEYS = env.list("OUTBOX_ENCRYPTION_KEYS", default=[])
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into django-celery-beat's tables by the DatabaseScheduler on start; staff may
# change the timing in admin.
# Certificate numbers: PREFIX-YYYY-NNNNNN.
CERTIFICATE_NUMBER_PREFIX = env("CERTIFICATE_NUMBER_PREFIX", default="ASC")
CERTIFICATE_VALIDITY_DAYS = env.int("CERTIFICATE_VALIDITY_DAYS", default=0)  # 0: never expires
# /health/: everybody gets the cheap liveness check; staff and callers sending this token
# (Authorization: Bearer … or X-Health-Token) get the deep check of every service, whose
# report is cached for HEALTH_CHECK_CACHE_SECONDS (0: run on every call).
HEALTH_CHECK_TOKEN = env("HEALTH_CHECK_TOKEN", default="")
HEALTH_CHECK_CACHE_SECONDS = env.int("HEALTH_CHECK_CACHE_SECONDS", default=5)
# The career assessment's engine (learning.assessment_engine.AssessmentEngine).
ASSESSMENT_ENGINE = env("ASSESSMENT_ENGINE", default="learning.assessment_engine.KeywordEngine")
# `migrate` installs the assessment's shipped question bank, taxonomy and keywords into a bank
# without questions (learning/migrations/0013_assessment_bank_data.py); false leaves it empty.
ASSESSMENT_BANK_ON_MIGRATE = env.bool("ASSESSMENT_BANK_ON_MIGRATE", default=True)
# The reflection insights engine (a dotted path to a class; see growth/insights_engine.py).
GROWTH_INSIGHTS_ENGINE = env("GROWTH_INSIGHTS_ENGINE", default="growth.insights_engine.TrendEngine")
# A language model speaking the OpenAI-compatible chat-completions API (core/llm.py; README,
# "Language models"): OpenAI, Azure OpenAI, or a self-hosted vLLM, llama.cpp server or Ollama.
# Set LLM_BASE_URL and LLM_MODEL to switch it on (LLM_API_KEY may stay empty for a local
# server). Each attempt waits LLM_TIMEOUT_SECONDS; LLM_MAX_RETRIES more attempts follow with
# backoff. LLM_PROVIDER_NAME names the provider on the consent and privacy pages (else the
# base URL's host).
LLM_BASE_URL = env("LLM_BASE_URL", default="")
LLM_API_KEY = env("LLM_API_KEY", default="")
LLM_MODEL = env("LLM_MODEL", default="")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=20.0)
LLM_MAX_RETRIES = env.int("LLM_MAX_RETRIES", default=2)
LLM_PROVIDER_NAME = env("LLM_PROVIDER_NAME", default="")
# Support for a person in distress (core.support): a journal entry at
# THERAPY_CRISIS_MIN_INTENSITY or above with a distressing feeling (one of
# THERAPY_CRISIS_FEELINGS, or a free-text feeling naming one), or a low mood in the wellness
# check, shows THERAPY_CRISIS_RESOURCES above the support lines of the person's country
# (core.support.SUPPORT_LINES, by their time zone; the international ones otherwise).
THERAPY_CRISIS_RESOURCES = env(
    "THERAPY_CRISIS_RESOURCES",
    default=(
        "If you are in danger or thinking about harming yourself, call your local emergency number now. "
        "You do not have to go through this alone: the lines below listen for free and in confidence."
    ),
)
THERAPY_CRISIS_MIN_INTENSITY = env.int("THERAPY_CRISIS_MIN_INTENSITY", default=8)
THERAPY_CRISIS_FEELINGS = env.list(
    "THERAPY_CRISIS_FEELINGS",
    default=[
        "sad", "anxious", "angry", "afraid", "lonely", "ashamed", "overwhelmed", "hopeless",
        "depressed", "desperate", "empty", "guilty", "helpless", "numb", "panicked", "panic",
        "scared", "suicidal", "terrified", "worthless", "grieving", "hurt", "miserable", "trapped",
    ],
)  # fmt: skip

CELERY_BEAT_SCHEDULE = {
    "accounts.outbox_relay": {
        "task": "accounts.tasks.outbox_relay_task",
        "schedule": timedelta(minutes=1),
    },
    "accounts.sessions_clear_expired": {
        "task": "accounts.tasks.sessions_clear_expired_task",
        "schedule": timedelta(hours=24),
    },
    "accounts.files_delete_expired": {
        "task": "accounts.tasks.files_delete_expired_task",
        "schedule": timedelta(hours=1),
    },
    "learning.certificates_reconcile": {
        "task": "learning.tasks.certificates_reconcile_task",
        "schedule": timedelta(hours=1),
    },
    "learning.receipts_reconcile": {
        "task": "learning.tasks.receipts_reconcile_task",
        "schedule": timedelta(hours=1),
    },
    "learning.payments_holds_expire": {
        "task": "learning.tasks.payments_holds_expire_task",
        "schedule": timedelta(minutes=1),  # unpaid holds of slots and seats let go on time
    },
    "learning.chat_replies_reconcile": {
        "task": "learning.tasks.chat_replies_reconcile_task",
        "schedule": timedelta(minutes=2),  # a chat message whose reply task was lost is answered
    },
    # Reminders: one entry per source of core.registry.reminder_sources, each running
    # core.tasks.reminders_send_task with its key at the cadence its shortest lead needs.
    # The entries keep their names, so the DatabaseScheduler rewrites a database's rows of
    # the former per-app tasks on start (migration mentorship/0009 rewrites the rest).
    "mentorship.session_reminders_send": {
        "task": "core.tasks.reminders_send_task",
        "schedule": timedelta(minutes=5),
        "args": ("mentorship-sessions",),  # 24 h and 1 h before
    },
    "mentorship.session_requests_lapse": {
        "task": "mentorship.tasks.session_requests_lapse_task",
        "schedule": timedelta(minutes=5),  # requests never confirmed lapse at their start, paid ones refunded
    },
    "mentorship.event_reminders_send": {
        "task": "core.tasks.reminders_send_task",
        "schedule": timedelta(minutes=15),
        "args": ("mentorship-events",),  # 24 h before
    },
    "mentorship.event_seat_holds_expire": {
        "task": "mentorship.tasks.event_seat_holds_expire_task",
        "schedule": timedelta(minutes=1),  # unpaid event seats (and waitlist offers) move on
    },
    "mentorship.feedback_anonymous_release": {
        "task": "mentorship.tasks.feedback_anonymous_release_task",
        "schedule": crontab(day_of_week="mon", hour=6, minute=7),  # weekly (UTC): anonymous feedback batches
    },
    "therapy.session_reminders_send": {
        "task": "core.tasks.reminders_send_task",
        "schedule": timedelta(minutes=5),
        "args": ("therapy-sessions",),  # core.registry.reminder_sources: 24 h and 1 h before
    },
    "growth.badges_sweep": {
        "task": "growth.tasks.badges_sweep_task",
        "schedule": crontab(hour=3, minute=17),  # nightly (UTC): badges whose task was lost
    },
    "growth.reflection_reminders": {
        "task": "growth.tasks.reflection_reminders_task",
        "schedule": timedelta(minutes=15),  # Sunday 18:00 in each user's zone
    },
    "growth.habit_reminders": {
        "task": "growth.tasks.habit_reminders_task",
        "schedule": timedelta(minutes=15),  # each user's reminder time in their zone
    },
    "growth.habits_refresh": {
        "task": "growth.tasks.habits_refresh_task",
        "schedule": crontab(hour=2, minute=41),  # nightly (UTC): stored streaks and rates
    },
}

# --- Files ------------------------------------------------------------------------------
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
PRIVATE_FILE_URL_MAX_AGE = env.int("PRIVATE_FILE_URL_MAX_AGE", default=300)

# Uploads (accounts.services.files). The type is detected from the content, never from the
# name. Text has no signature: a file with no recognisable signature counts as text/plain
# (text/csv when its name ends in .csv) only when it is valid UTF-8 without NUL bytes.
FILE_UPLOAD_MAX_BYTES = env.int("FILE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Uploaded images are decoded once to prove they are intact: at most this many pixels.
FILE_IMAGE_MAX_PIXELS = env.int("FILE_IMAGE_MAX_PIXELS", default=40_000_000)
FILE_UPLOAD_ALLOWED_TYPES = env.list(
    "FILE_UPLOAD_ALLOWED_TYPES",
    default=[
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/pdf",
        "text/plain",
        "text/csv",
    ],
)
# Avatars: a JPEG, PNG, GIF or WebP image, turned upright, resized to fit AVATAR_SIZE
# pixels square and stored as a JPEG without metadata.
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
AVATAR_SIZE = env.int("AVATAR_SIZE", default=512)
# Uploaded files above this size are spooled to a temporary file, never held in memory;
# the size limits above are checked by the service, which answers a clear 400. Form
# fields other than files stay limited to DATA_UPLOAD_MAX_MEMORY_SIZE. The reverse proxy
# in front of the app should refuse bodies well above FILE_UPLOAD_MAX_BYTES.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as BotoConfig

    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
        "signature_version": "s3v4",
        "file_overwrite": False,
        # An unreachable S3 fails a request within seconds (a clear error), not minutes.
        "client_config": BotoConfig(
            connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
        ),
    }
    _public_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "location": "public",
            "querystring_auth": False,
            "default_acl": env("AWS_PUBLIC_ACL", default=None),
        },
    }
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "location": "private",
            "querystring_auth": True,
            "querystring_expire": PRIVATE_FILE_URL_MAX_AGE,
            "default_acl": "private",
        },
    }
else:
    _public_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "public", "base_url": f"{MEDIA_URL}public/"},
    }
    _private_storage = {
        "BACKEND": "core.storage.SignedFileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "private"},
    }
STORAGES: dict[str, dict[str, Any]] = {
    # Private by default: a file is public only when it is saved to the public storage.
    "default": _private_storage,
    "private": _private_storage,
    "public": _public_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail -----------------------------------------------------------------------------
# Every message goes through a Celery task; the task hands it to the delivery backend.
EMAIL_BACKEND = "core.mail.TaskEmailBackend"
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT")
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
# Where core.mail.ConsoleSummaryEmailBackend (local settings only) writes one line per e-mail.
EMAIL_SUMMARY_FILE = env("EMAIL_SUMMARY_FILE", default=str(VAR_DIR / "log" / "mail.log"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Ascend <no-reply@ascend.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
# The currency of every price on the site (ISO 4217), formatted by language (core.money).
SITE_CURRENCY = env("SITE_CURRENCY", default="USD").upper()
TIME_ZONE = "UTC"
USE_I18N = True
# Dates and times in one style per kind and language (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

ADMINS = [("Ascend admins", a) for a in env.list("DJANGO_ADMINS", default=[])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint tells every step of every PDF at INFO; its warnings still show.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Payments (Stripe Checkout) ---------------------------------------------------------
# Without keys, buying a paid course says payments are not configured; staff can still
# grant enrolments in admin.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Where Stripe's API is reached: empty for Stripe's own; tests point it at a local fake
# (learning/tests/stripe_fake.py).
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Mentorship sessions: a mentee who cancels a confirmed paid session at least this many
# hours before its start gets a full refund, later none (mentorship.selectors.sessions).
MENTEE_CANCEL_FULL_REFUND_HOURS = env.int("MENTEE_CANCEL_FULL_REFUND_HOURS", default=24)
# Paid events: an attendee who gives up a paid seat at least this many hours before the
# start gets a full refund, later none (seats can be given up until 24 h before the start).
EVENT_CANCEL_FULL_REFUND_HOURS = env.int("EVENT_CANCEL_FULL_REFUND_HOURS", default=24)
