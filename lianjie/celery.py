"""The Celery application. Its settings are the CELERY_* names in lianjie.settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianjie.settings")

app = Celery("lianjie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
