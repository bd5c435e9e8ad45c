"""Settings for the served floor of bench/dashboards.py: the project's own settings, with a
URLconf that adds one view (floor_urls.py). Used only by the benchmark's gunicorn."""

from polmas.settings import *  # noqa: F403  the very same settings, but for the URLconf

ROOT_URLCONF = "floor_urls"
