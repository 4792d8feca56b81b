"""Celery app for standalone mode: ``celery -A saleor_segments.standalone.celery worker``.
Inside Saleor, Saleor's own Celery app discovers ``saleor_segments.worker.tasks``
(``apps.SegmentsConfig.ready`` imports it)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_segments.standalone.settings")

app = Celery("saleor_segments")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["saleor_segments.worker"])
