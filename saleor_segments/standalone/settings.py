"""Django settings for standalone mode (demo, tests, benchmarks, or a Saleor replica)."""

import os

from .database import database_settings, embedded_url

SECRET_KEY = os.environ.get("SECRET_KEY", "standalone-not-secret")
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
ALLOWED_HOSTS = ["*"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "saleor_segments.standalone",  # Saleor-compatible tables; leave out against a Saleor DB
    "saleor_segments",
    "graphene_django",  # GraphiQL for the standalone /graphql/ view
]
ROOT_URLCONF = "saleor_segments.standalone.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

# bearer tokens of the standalone GraphQL API and what they may do (Saleor permission names)
SEGMENTS_API_TOKENS = ({os.environ["SEGMENTS_API_TOKEN"]: ["MANAGE_USERS", "MANAGE_DISCOUNTS"]}
                       if os.environ.get("SEGMENTS_API_TOKEN") else {})
if os.environ.get("SEGMENTS_SALEOR_DATABASE"):  # the database is Saleor's own: don't create
    INSTALLED_APPS.remove("saleor_segments.standalone")

DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL") or embedded_url())}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "") == "1"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True  # a part whose worker dies is delivered again (tasks are idempotent)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {}  # the app adds its periodic tasks (saleor_segments.worker.schedule)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saleor_segments": {"handlers": ["console"], "level": "WARNING"}},
}
