from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polmas.core"
    label = "core"

    def ready(self) -> None:
        from polmas.core import (
            checks,  # noqa: F401  (registers deploy checks)
            periodic,
        )
        from polmas.core.db import replica
        from polmas.core.heartbeat import BEAT_SECONDS, heartbeat_beat

        if replica.configured():
            replica.startup_probe()
        periodic.register("worker_heartbeat", every=BEAT_SECONDS, run=heartbeat_beat)
