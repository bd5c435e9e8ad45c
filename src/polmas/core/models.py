"""The one table of core: the task workers' heartbeats, read by /readyz and /metrics."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A worker process (host:pid) and when it last said it was alive (every BEAT_SECONDS)."""

    worker = models.CharField(_("worker"), max_length=200, primary_key=True)
    beat_at = models.DateTimeField(_("last heartbeat"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"
