"""Background upkeep of the rollups: after a commit that changed reports, cases,
activities, meetings, postings or forums, recount the places touched."""

import threading

from django.db import transaction
from django.tasks import task

from polmas.analytics.services import rollups_refresh

_pending = threading.local()


@task()
def rollups_refresh_task(places: list[str]) -> list[int]:
    """Recount `places` (village codes, or region codes of a police unit) up their chain."""
    return sorted(rollups_refresh(places=places))


def refresh_after_commit(*places: str | None) -> None:
    """Queue a recount of `places` once the current transaction commits; the places of one
    transaction go out in a single task."""
    wanted = {p for p in places if p}
    if not wanted:
        return
    connection = transaction.get_connection()
    send = getattr(_pending, "send", None)
    # A rolled-back transaction drops its callbacks: then start a new batch.
    if send is not None and any(entry[1] is send for entry in connection.run_on_commit):
        _pending.batch.update(wanted)
        return
    _pending.batch = set(wanted)

    def send() -> None:
        sent, _pending.batch, _pending.send = _pending.batch, set(), None
        rollups_refresh_task.enqueue(sorted(sent))

    _pending.send = send
    transaction.on_commit(send)
