"""The Celery application.

Configuration comes from Django settings (``CELERY_*``). With ``REDIS_URL`` set the broker
and result backend are Redis; without it they are kombu's filesystem transport and a
file result backend under ``var/celery/``, so a worker and beat run on one machine with
no server at all (the embedded default).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Tasks enqueue through the transactional outbox (core/outbox.py).
app = Celery("ascend", task_cls="core.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
