import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
application = get_wsgi_application()

# Every view module loaded now rather than by the first request: under `gunicorn --preload`
# (deploy/systemd/polmas-web@.service) the workers fork with them in memory, so the first
# request of each worker does not wait for the statistics libraries to import (seconds).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
