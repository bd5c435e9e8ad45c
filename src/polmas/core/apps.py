from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polmas.core"
    label = "core"

    def ready(self) -> None:
        from polmas.core import checks  # noqa: F401  (registers deploy checks)
        from polmas.core.db import replica

        if replica.configured():
            replica.startup_probe()
