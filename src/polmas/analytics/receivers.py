"""Keep the rollups current: every save or delete of a counted record queues a recount of
its village (and of the village it was in when loaded, should it have moved)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db.models.signals import post_delete, post_init, post_save

from polmas.analytics.tasks import facts_after_commit, refresh_after_commit

# Models whose rows carry a village (region_code) and feed a rollup.
VILLAGE_MODELS = ["reports.Report", "cases.Case", "activities.Activity", "forums.Meeting",
                  "forums.Forum", "policing.Assignment"]


def _remember(sender, instance, **kwargs) -> None:
    instance._rollup_village = instance.__dict__.get("village_id")


def _changed(sender, instance, **kwargs) -> None:
    refresh_after_commit(instance.village_id, getattr(instance, "_rollup_village", None))
    instance._rollup_village = instance.village_id


def _officer_changed(sender, instance, **kwargs) -> None:
    """Officers count by their unit's region; their postings' villages count them too."""
    from polmas.policing.models import Assignment, PoliceUnit

    region = PoliceUnit.objects.filter(pk=instance.unit_id).values_list("region_id", flat=True).first()
    villages = Assignment.objects.filter(officer_id=instance.pk).values_list("village_id", flat=True)
    refresh_after_commit(region, *villages)


def _reports_routed(sender, villages, **kwargs) -> None:
    """A batch of reports was routed (their rows were written without model signals):
    coverage does not count reports, only their monthly figures need recounting."""
    facts_after_commit(*villages)


def connect() -> None:
    from polmas.reports.signals import reports_routed

    reports_routed.connect(_reports_routed, dispatch_uid="analytics-reports-routed", weak=False)
    for label in VILLAGE_MODELS:
        model = apps.get_model(label)
        uid = f"analytics-rollup-{label}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid, weak=False)
        post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
    officer = apps.get_model("policing.Officer")
    post_save.connect(_officer_changed, sender=officer, dispatch_uid="analytics-officer", weak=False)


def disconnect() -> None:
    from polmas.reports.signals import reports_routed

    reports_routed.disconnect(dispatch_uid="analytics-reports-routed")
    for label in VILLAGE_MODELS:
        model = apps.get_model(label)
        uid = f"analytics-rollup-{label}"
        for signal in (post_init, post_save, post_delete):
            signal.disconnect(sender=model, dispatch_uid=uid)
    post_save.disconnect(sender=apps.get_model("policing.Officer"), dispatch_uid="analytics-officer")


@contextmanager
def paused() -> Iterator[None]:
    """No rollup upkeep while bulk writers run (rebuild the rollups once afterwards)."""
    disconnect()
    try:
        yield
    finally:
        connect()
