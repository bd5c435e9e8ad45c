"""The task worker's heartbeat: a row per worker process, written by the worker itself (a
periodic job, core/periodic.py) and only read by /readyz and /metrics (a GET never writes)."""

import datetime as dt
import os
import socket

from django.utils import timezone

from polmas.core.models import WorkerBeat

BEAT_SECONDS = 15.0
# Rows of workers silent for this long are gone for good (restarted under another pid).
FORGET_AFTER = dt.timedelta(days=1)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def heartbeat_beat() -> str:
    """Say this worker process is alive now; forget workers silent for a day."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker=worker_name(), defaults={"beat_at": now})
    WorkerBeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
    return worker_name()


def last_beat() -> dt.datetime | None:
    """When any worker last beat (None: never)."""
    beat = WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    return beat


def live_workers(*, within: float) -> int:
    """How many worker processes beat in the last `within` seconds."""
    return WorkerBeat.objects.filter(beat_at__gte=timezone.now() - dt.timedelta(seconds=within)).count()
