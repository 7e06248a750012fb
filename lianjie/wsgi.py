import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianjie.settings")
application = get_wsgi_application()

# Fail at start, not at the first request, when the deployment lacks its keys.
from lianjie.checks import missing_keys  # noqa: E402

if missing_keys():
    raise RuntimeError(" ".join(missing_keys()))
