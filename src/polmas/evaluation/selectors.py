"""Reads, filtered by the caller's scope: an intervention is visible when one of its places
is inside the scope; a run when every area it read is inside the scope."""

from django.db.models import QuerySet

from polmas.access.models import Role
from polmas.access.scope import Scope, scope_for
from polmas.core.scope import any_covers
from polmas.evaluation.models import EvaluationRun, Intervention, InterventionPlace

EVALUATORS = (Role.PLANNER, Role.SUPERVISOR, Role.ADMIN)


def may_evaluate(user) -> bool:
    return scope_for(user).has(*EVALUATORS)


def interventions_visible(*, user) -> QuerySet[Intervention]:
    scope = scope_for(user)
    if not scope.has(*EVALUATORS):
        return Intervention.objects.none()
    places = InterventionPlace.objects.filter(scope.q("region_code"))
    return Intervention.objects.filter(pk__in=places.values("intervention_id")).order_by("name")


def run_visible(run: EvaluationRun, scope: Scope) -> bool:
    area = run.parameters.get("area") or []
    return scope.has(*EVALUATORS) and bool(area) and all(
        any_covers(scope.prefixes, a) for a in area)


def runs_visible(*, user, limit: int = 20) -> list[EvaluationRun]:
    scope = scope_for(user)
    if not scope.has(*EVALUATORS):
        return []
    runs = EvaluationRun.objects.select_related("intervention").order_by("-created_at")[:200]
    return [r for r in runs if run_visible(r, scope)][:limit]


def run_get(*, user, pk: int) -> EvaluationRun | None:
    run = EvaluationRun.objects.select_related("intervention").filter(pk=pk).first()
    if run is None or not run_visible(run, scope_for(user)):
        return None
    return run
