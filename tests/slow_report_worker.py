"""`python -m tests.slow_report_worker <celery arguments>`: a Celery worker whose report build pauses
after gathering its data and before laying out the PDF, having touched the file named by
LIANJIE_PAUSE_MARKER, so that a fault test can kill it in the middle of a report."""

import os
import sys
import time
from pathlib import Path

import django

django.setup()

from celery.bin.celery import main  # noqa: E402 - after django.setup(), as the worker's tasks need models

from reports import documents as reports  # noqa: E402

real_render_pdf = reports.render_pdf


def paused_render_pdf(html: str) -> bytes:
    Path(os.environ["LIANJIE_PAUSE_MARKER"]).touch()
    time.sleep(float(os.environ.get("LIANJIE_PAUSE_SECONDS", "120")))
    return real_render_pdf(html)


reports.render_pdf = paused_render_pdf

if __name__ == "__main__":
    sys.exit(main())
