"""Academy settings, read from the environment.

With nothing set the Academy runs embedded: SQLite in the project folder, e-mail to the console,
background tasks in process and Microsoft Teams through the dry-run backend. Debug is off unless asked
for (``DJANGO_DEBUG=1``, as ``make run`` does) and, without ``SECRET_KEY``, a random key is kept in a
local file. Production sets ``ACADEMY_ENV=production`` (or the older ``DJANGO_DEBUG=0``) plus the
variables documented in README.md and docs/deployment-safety.md; it refuses to start without its own key.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from academy.core.secretkey import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production is asked for explicitly (ACADEMY_ENV=production; an explicit DJANGO_DEBUG=0 keeps meaning
# it, as the README said before); debug only with DJANGO_DEBUG=1, so forgetting a variable is safe.
PRODUCTION = (os.environ.get("ACADEMY_ENV", "").strip().lower() == "production"
              or (os.environ.get("ACADEMY_ENV", "") == "" and not env_bool("DJANGO_DEBUG", True)))
DEBUG = env_bool("DJANGO_DEBUG", False) and not PRODUCTION
SECRET_KEY = secret_key(os.environ.get("SECRET_KEY", ""), production=PRODUCTION,
                        key_file=Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key")))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
# Error reports (and the debug page, when asked for) hide URLs and locations too: they carry passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "academy.core.errors.ReporterFilter"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Academy
    "academy.core",
    "academy.network",
    "academy.courses",
    "academy.registrations",
    "academy.attendance",
    "academy.obligations",
    "academy.evaluation",
    "academy.funding",
    "academy.competences",
    "cms",
    "academy.api",
    "webinars",
    "masterclass",
    "academy.materials",
    "certificates",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "django_tasks",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Sign-in with Microsoft and second factors (academy.network.sso, academy.core.second_factor)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django.contrib.humanize",  # allauth's passkey list ("added 3 days ago")
    "django_prometheus",  # request metrics at /metrics (academy.core.metrics_view: token or staff only)
]
# The demo's emulators (tests/fakes/demo: `manage.py oidc_emulator`) are test doubles: installed only when
# asked for, and never in production, so forgetting the variable leaves them out.
if env_bool("ACADEMY_DEMO_EMULATORS", False) and not PRODUCTION:
    INSTALLED_APPS.append("tests.fakes.demo")

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "academy.core.logging.RequestIdMiddleware",  # X-Request-ID in and out, on every log record
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "academy.api.middleware.LocaleMiddlewareOutsideApi",  # LocaleMiddleware without redirects under /api/
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "academy.core.csp.AcademyCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "academy.network.login_ceiling.LoginCeilingMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: staff, HR officers and inspectors prove a second factor before their areas.
    "academy.core.second_factor.SecondFactorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.navigation",
                "cms.context_processors.roles",
                "academy.network.sso.context.sso",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection the server killed (restart, idle timeout) is replaced, not a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer rather than failing at once; transactions take the write lock up front so
    # registrations serialise on SQLite as they do on PostgreSQL with the advisory lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # Server-side parameter binding: psycopg sends values apart from the SQL instead of quoting them
    # into it in Python, and PostgreSQL can then keep a plan for a statement a connection repeats
    # (prepared after DATABASE_PREPARE_THRESHOLD runs). Together they cut the CPU of a registration by
    # about a third (benchmarks/registration_rush.py). Behind a pooler in transaction mode that does not
    # track prepared statements (PgBouncer < 1.21), set DATABASE_PREPARE_THRESHOLD=off.
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")
    # DATABASE_POOLER=pgbouncer (transaction pooling, docs/operations.md): consecutive transactions of one
    # Django connection may run on different server connections, so nothing may outlive a transaction.
    # Named prepared statements would (PgBouncer < 1.21 does not track them): off. Server-side cursors
    # (QuerySet.iterator) would too: off, as Django's docs advise. The "options" startup parameter is
    # refused by PgBouncer: statement_timeout is then set by its connect_query (deploy/pgbouncer).
    # Advisory locks are transaction-level (academy.core.locking) and lock_timeout is SET LOCAL: fine.
    _pgbouncer = os.environ.get("DATABASE_POOLER", "").strip().lower() == "pgbouncer"
    if _pgbouncer:
        _prepare = "off"
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "server_side_binding": os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1",
        "prepare_threshold": None if _prepare.lower() in ("off", "none", "") else int(_prepare),
        "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),  # libpq, seconds
    })
    if not _pgbouncer:
        # A runaway query is cancelled instead of holding a worker and its locks (docs/database.md).
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(os.environ.get('DATABASE_STATEMENT_TIMEOUT_MS', '30000'))}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, shared between app servers in production) ----------------------------------
# Also the scheduler's leader lease (academy.core.locking.Lease) and the task queues below.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every key the Academy writes to Redis (cache, leases) starts with this, so two instances, or a test run
# beside a running instance, can share one Redis database without seeing each other's keys.
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "academy")
# Sessions stay in the database (Django's default): Redis down never signs anyone out, and a logout
# while it is down cannot be undone by a stale cached copy when it comes back.
if os.environ.get("REDIS_URL"):
    # Degrades instead of failing when Redis is down (academy.core.cache); short timeouts for a dead host.
    CACHES = {"default": {"BACKEND": "academy.core.cache.DegradingRedisCache",
                          "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": REDIS_KEY_PREFIX,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------------
# django-axes first: it refuses a locked-out client before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "academy.network.login_ceiling.AddressCeilingBackend",  # failures per address
                           "academy.network.auth.MemberBackend"]  # the model backend, person preloaded
# --- Abuse limits (docs/abuse-limits.md) -----------------------------------------------------------------
# How many reverse proxies of ours append to X-Forwarded-For; 0 = believe only REMOTE_ADDR.
ACADEMY_TRUSTED_PROXIES = int(os.environ.get("ACADEMY_TRUSTED_PROXIES", "0") or 0)
RATELIMIT_IP_META_KEY = "academy.core.clientip.client_ip"
# A failing cache gives "no usage" rather than limiting everything; each endpoint chooses what to do then
# (academy.core.ratelimits.over_limit, docs/reliability.md).
RATELIMIT_FAIL_OPEN = True
AXES_CLIENT_IP_CALLABLE = "academy.core.clientip.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("ACADEMY_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out address and username may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one office behind one address is not locked out
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
ACCOUNTS_RATE_LIMITS = {"signup": "10/h", "password_reset_ip": "10/h", "password_reset_address": "3/h",
                        "login_failures_ip": "30/h"}  # failed log-ins per address, any username
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "academy.network.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "landing"  # cms.areas: each role lands where their work is
LOGOUT_REDIRECT_URL = "/"

# --- Sign in with Microsoft, second factors (django-allauth; docs/operations.md) ------------------------
# The e-mail sign-up and password login stay Django's own views (academy.network.views); allauth brings
# the OpenID Connect client (socialaccount) and the second factors (mfa). Its own password pages are not
# mounted (academy.network.sso.urls).
ACCOUNT_ADAPTER = "academy.network.sso.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "academy.network.sso.adapters.SocialAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"  # addresses are verified by academy.network.services
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*"]
ACCOUNT_UNIQUE_EMAIL = False  # Person.email is the unique address; allauth's EmailAddress rows are unused
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# allauth's own limits (its defaults, cache-backed): second-factor codes 5 wrong per account per 5 minutes
# and 10 a minute per address ("login_failed"), password reauthentication 10 a minute per account.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key", "reauthenticate": "10/m/user"}
# Never sign anybody in, nor connect an account, by the e-mail claim ("nOAuth"): identities are tid+oid.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (CSRF): no sign-in started by a third-party link
SOCIALACCOUNT_STORE_TOKENS = False  # Microsoft's access tokens are not needed after sign-in: not kept
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MICROSOFT_SSO = {
    "CLIENT_ID": os.environ.get("MICROSOFT_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("MICROSOFT_CLIENT_SECRET", ""),
    # Multi-tenant, work and school accounts only (no personal Microsoft accounts).
    "AUTHORITY": os.environ.get("MICROSOFT_AUTHORITY",
                                "https://login.microsoftonline.com/organizations/v2.0").rstrip("/"),
}
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {
    "provider_class": "academy.network.sso.provider.EntraProvider",
    "OAUTH_PKCE_ENABLED": True,
    "APPS": [{"provider_id": "microsoft", "name": "Microsoft", "client_id": MICROSOFT_SSO["CLIENT_ID"],
              "secret": MICROSOFT_SSO["CLIENT_SECRET"],
              "settings": {"server_url": MICROSOFT_SSO["AUTHORITY"], "fetch_userinfo": False,
                           "token_auth_method": "client_secret_post",
                           "scope": ["openid", "profile", "email"]}}]
    if MICROSOFT_SSO["CLIENT_ID"] else [],
}}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Academy"
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is a second factor after the password or Microsoft
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION  # http://localhost during development and tests
MFA_ADAPTER = "academy.core.second_factor.MFAAdapter"
# Off only in tests that are not about it (tests/conftest.py), like django-axes.
ACADEMY_SECOND_FACTOR_ENFORCED = env_bool("ACADEMY_SECOND_FACTOR_ENFORCED", True)

# --- Internationalisation: Italian first, English second; times in Europe/Rome -------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static and media (shared storage in production: point MEDIA_ROOT at a shared volume) --------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Funded training (academy.funding): years a plan's course file is kept after the plan ends.
ACADEMY_COURSE_FILE_YEARS = int(os.environ.get("ACADEMY_COURSE_FILE_YEARS", "10"))
# Mandatory training: the day the State-Regions Agreement of 17/04/2025 came into force (ISO date), from
# which its transitions run. Default 19/05/2025, publication on the Ministry's site (FAQ 2026 q. 11, L.
# 69/2009 art. 32); the Gazzetta date 24/05/2025 (Part VII, FAQ 2025 n. 17) gives deadlines five days later.
# The earlier date is the conservative one: see docs/mandatory-training.md, "Entry into force".
ASR_2025_ENTRY_INTO_FORCE = os.environ.get("ASR_2025_ENTRY_INTO_FORCE", "2025-05-19")

# Trainers' materials and certificates never sit under MEDIA_ROOT: they are served through views
# that check permissions.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not PRODUCTION
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Object storage (docs/operations.md): with a bucket set, private files (materials, certificates, HR
# attachments, registers) go to it through django-storages (academy.core.storage.PrivateStorage), under
# PRIVATE_S3_PREFIX, never public; AWS_* are django-storages' own settings. The folder stays the default.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # MinIO, Ceph, a provider's S3
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
PRIVATE_S3_PREFIX = os.environ.get("PRIVATE_S3_PREFIX", "private")
# Seconds to connect to the bucket and to wait for each reply (academy.core.storage, botocore's Config).
PRIVATE_S3_TIMEOUTS = (float(os.environ.get("AWS_S3_CONNECT_TIMEOUT", "5")),
                       float(os.environ.get("AWS_S3_READ_TIMEOUT", "30")))
# A permitted download of a bucket object redirects to a signed URL valid this long (0: streamed by the app).
PRIVATE_SIGNED_URL_SECONDS = int(os.environ.get("PRIVATE_SIGNED_URL_SECONDS", "60"))
# Behind nginx with the local folder: the internal location serving PRIVATE_ROOT ("" = the app streams).
PRIVATE_ACCEL_REDIRECT = os.environ.get("PRIVATE_ACCEL_REDIRECT", "")

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds any one SMTP step (connect, each command, the data) may wait: a server that accepts the
# connection and never answers costs this long once per scheduler pass, not a worker for ever.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Academy <academy@example.coop>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (django-tasks; Wagtail's own tasks share this setting) ------------------------
# ``immediate`` runs tasks in process (embedded default); ``rq`` hands them to Redis workers started
# with ``manage.py academy_worker`` (see README).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
# E-mail delivery has its own queue, which workers serve before the bulk "default" one (search index,
# certificates); on Redis, jobs are pushed only when the transaction that asked for them commits.
TASK_QUEUES = ["email", "default"]


def redis_url_with_timeouts(url: str) -> str:
    """The URL with redis-py's connect and reply timeouts (query arguments of ``Redis.from_url``), so an
    enqueue never hangs on a dead or silent Redis; timeouts already in the URL win. RQ's worker raises
    the reply timeout of its own connection above its blocking wait."""
    return f"{url}{'&' if '?' in url else '?'}socket_connect_timeout=1&socket_timeout=5"


RQ_QUEUES = {name: {"URL": redis_url_with_timeouts(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))}
             for name in TASK_QUEUES}
if TASKS_BACKEND == "rq":
    # Workers: ``manage.py academy_worker`` (RQ with django-tasks' job class).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "academy.core.task_backends.OnCommitRQBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND == "dummy":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Academy"
# The one public address for links that leave the site (academy.core.urls.absolute_url). Unset, it is
# runserver's default address in development; in production a system check (core.W001) asks for it.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or "http://localhost:8000"
SITE_URL_IS_SET = bool(os.environ.get("SITE_URL"))
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always served through Wagtail's serve view, which checks collection restrictions. Behind
# nginx, DOCUMENTS_ACCEL_REDIRECT (e.g. /media/documents/, an "internal" location: deploy/nginx) hands the
# bytes to nginx after that check (academy.core.sendfile); unset, the view streams them itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DOCUMENTS_ACCEL_REDIRECT = os.environ.get("DOCUMENTS_ACCEL_REDIRECT", "")
if DOCUMENTS_ACCEL_REDIRECT:
    SENDFILE_BACKEND = "academy.core.sendfile"  # Wagtail's setting (django-sendfile's protocol)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "xlsx", "xls", "odt", "odp", "ods", "txt", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True

# --- Academy --------------------------------------------------------------------------------------
ACADEMY = {
    "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-12"),
    # Personal data of registrations for courses that ended longer ago than this are purged.
    "RETENTION_DAYS": int(os.environ.get("RETENTION_DAYS", str(365 * 5))),
    "CONTACT_EMAIL": os.environ.get("ACADEMY_CONTACT_EMAIL", "academy@example.coop"),
}

# Check-in is accepted from this long before a session starts until this long after it ends.
CHECKIN_OPENS_MINUTES_BEFORE = int(os.environ.get("CHECKIN_OPENS_MINUTES_BEFORE", "60"))
CHECKIN_CLOSES_MINUTES_AFTER = int(os.environ.get("CHECKIN_CLOSES_MINUTES_AFTER", "0"))

# Trainers' materials (academy.materials): upload limit; files live under PRIVATE_ROOT/materials.
MATERIALS_MAX_UPLOAD_MB = int(os.environ.get("MATERIALS_MAX_UPLOAD_MB", "25"))
# CSV/XLSX imports (academy.core.tabular): larger files are refused before they are parsed.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "5000"))
# HR imports with more rows than this run as a background job with a progress page
# (academy.competences.import_jobs); smaller ones are imported inside the request.
IMPORT_INLINE_MAX_ROWS = int(os.environ.get("IMPORT_INLINE_MAX_ROWS", "500"))
# django-import-export: cells that start like a formula are escaped in its exports too.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Microsoft Teams ------------------------------------------------------------------------------
TEAMS = {
    "BACKEND": os.environ.get("TEAMS_BACKEND", "dry-run"),  # "dry-run" | "graph"
    "TENANT_ID": os.environ.get("TEAMS_TENANT_ID", ""),
    "CLIENT_ID": os.environ.get("TEAMS_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("TEAMS_CLIENT_SECRET", ""),
    "CLIENT_CERTIFICATE_PATH": os.environ.get("TEAMS_CLIENT_CERTIFICATE_PATH", ""),
    "CLIENT_CERTIFICATE_THUMBPRINT": os.environ.get("TEAMS_CLIENT_CERTIFICATE_THUMBPRINT", ""),
    "ORGANIZER_USER_ID": os.environ.get("TEAMS_ORGANIZER_USER_ID", ""),
    "AUTHORITY_URL": os.environ.get("TEAMS_AUTHORITY_URL", "https://login.microsoftonline.com"),
    "GRAPH_BASE_URL": os.environ.get("TEAMS_GRAPH_BASE_URL", "https://graph.microsoft.com/v1.0"),
    "CA_BUNDLE": os.environ.get("TEAMS_CA_BUNDLE", ""),
    "TIMEOUT": os.environ.get("TEAMS_TIMEOUT", ""),  # seconds per Graph call; empty: 30 (webinars.graph.config)
    # Who skips the lobby (lobbyBypassScope) and whether phone callers do; see docs/teams.md.
    "LOBBY_SCOPE": os.environ.get("TEAMS_LOBBY_SCOPE", "organization"),
    "DIAL_IN_BYPASS_LOBBY": env_bool("TEAMS_DIAL_IN_BYPASS_LOBBY", False),
    # Staff producers: Entra object ids, comma-separated, co-organizers of every meeting.
    "PRODUCERS": os.environ.get("TEAMS_PRODUCERS", ""),
}

# --- Certificates ---------------------------------------------------------------------------------
CERTIFICATES = {
    # Optional Ed25519 private key (PEM) used to sign Open Badges 3.0 credentials.
    "SIGNING_KEY_PATH": os.environ.get("CERTIFICATE_SIGNING_KEY_PATH", ""),
    "VERIFY_RATE_LIMIT": os.environ.get("CERTIFICATE_VERIFY_RATE_LIMIT", "20/m"),
    # The legal attestato's items (Agreement 59/CSR of 17/04/2025, Part I, point 6): a) the training body
    # (default "Academy — Rete delle cooperative sociali"), e) the legal representative's name under the
    # signature, f) the place of issue.
    "TRAINING_BODY": os.environ.get("CERTIFICATE_TRAINING_BODY", ""),
    "LEGAL_REPRESENTATIVE": os.environ.get("CERTIFICATE_LEGAL_REPRESENTATIVE", ""),
    "PLACE": os.environ.get("CERTIFICATE_PLACE", "Milano"),
}
# PAdES signature of the PDFs (academy.core.signing): the Academy's PKCS#12 file and its passphrase.
# Unset: a self-made test certificate, created once in the private storage (the verify page says so).
PDF_SIGNING = {
    "PKCS12_PATH": os.environ.get("PDF_SIGNING_PKCS12", ""),
    "PKCS12_PASSPHRASE": os.environ.get("PDF_SIGNING_PASSPHRASE", ""),
    "TRUST_ROOTS": os.environ.get("PDF_SIGNING_TRUST_ROOTS", ""),
}

# --- Security (production) --------------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Content-Security-Policy (django-csp; docs/content-security-policy.md) --------------------------------
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF, NONCE], "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"], "font-src": [SELF, "data:"], "connect-src": [SELF],
    "object-src": [NONE], "base-uri": [SELF], "form-action": [SELF], "frame-ancestors": [SELF],
}}
if MICROSOFT_SSO["CLIENT_ID"]:
    # The "Sign in with Microsoft" form posts here and is redirected to the authority's authorize
    # endpoint: browsers apply form-action to that redirect too.
    _authority = urlsplit(MICROSOFT_SSO["AUTHORITY"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_authority.scheme}://{_authority.netloc}")

# No Gravatar in the admin: it would send a hash of each staff e-mail to a third party (and need a CSP exception).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Operations: metrics, logs, error reports (docs/operations.md) ----------------------------------
# /metrics answers a scraper sending "Authorization: Bearer $METRICS_TOKEN"; unset, staff only.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# /readyz reports an outbox backlog (pending or failed older than this) without failing readiness.
OUTBOX_BACKLOG_MINUTES = int(os.environ.get("OUTBOX_BACKLOG_MINUTES", "15"))

if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    # No personal data (no user, no cookies, no bodies); the Django integration is enabled by itself.
    sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], send_default_pii=False,
                    environment=os.environ.get("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "development"),
                    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")))

# LOG_FORMAT=json: one JSON object per line; either way every record carries the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_without_traceback": {"()": "academy.core.logging.ForbiddenWithoutTraceback"},
                "request_id": {"()": "academy.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "academy.core.logging.JsonFormatter"},
                   "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["forbidden_without_traceback"]},
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- REST API v1 (academy.api; docs/api.md) ------------------------------------------------------------
# Token authentication only (no session: the API is for other systems, and writes need no CSRF then).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["academy.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["academy.api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["academy.api.throttling.TokenRateThrottle",
                                 "academy.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_TOKEN_RATE", "600/minute"),
                               "anon": os.environ.get("API_ANON_RATE", "120/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "academy.api.problems.handle",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Academy API",
    "DESCRIPTION": "Catalogue, registrations, certificates, HR training records. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["academy.api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "academy.api.schema.problem_responses"],
    # ids in paths (academy.api.urls.IdConverter): at most 18 digits
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 999_999_999_999_999_999}},
}
# Webhooks to loopback/private addresses or plain http: the embedded demo, tests and the webhook benchmark only.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = os.environ.get("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "1" if DEBUG else "0") == "1"
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
API_ACCESS_LOG_DAYS = int(os.environ.get("API_ACCESS_LOG_DAYS", "365"))
