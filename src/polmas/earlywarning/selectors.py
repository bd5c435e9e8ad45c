"""Scoped reads of alarms. Supervisors (and PPA officers, administrators) see the alarms of
their area; a Bhabinkamtibmas sees those that name one of their villages. Sensitive matters
are counted per district and shown only to supervisors, PPA officers and administrators.
Outside scope an alarm does not exist (None / 404)."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.earlywarning.groups import DISTRICT_ONLY
from polmas.earlywarning.models import Alarm

Caller = User | AnonymousUser
WIDE_ROLES = (Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)


def reads_alarms(user: Caller) -> bool:
    return scope_for(user).has(*WIDE_ROLES, Role.BHABINKAMTIBMAS)


def alarm_list(*, user: Caller) -> QuerySet[Alarm]:
    """Alarms the caller may see, newest week first. Requires: a supervisor, PPA officer,
    administrator or Bhabinkamtibmas role (else none)."""
    scope = scope_for(user)
    qs = Alarm.objects.select_related("region__parent").order_by("-week", "group", "region_id")
    if scope.has(*WIDE_ROLES) and scope.national:
        return qs  # (an empty Q, the national scope, would vanish when OR-ed below)
    visible = Q(pk__in=[])
    if scope.has(*WIDE_ROLES):
        visible |= scope.q("region_id")
    if scope.has(Role.BHABINKAMTIBMAS):
        mine = {p for p in scope.prefixes if len(p) == 13}
        districts = {p[:8] for p in mine}
        # A cluster is filed at one of its villages: look through the officer's districts.
        in_districts = Q(pk__in=[])
        for district in districts:
            in_districts |= Q(region_id__gte=district, region_id__lt=district + "/")
        near = (Alarm.objects.exclude(group__in=DISTRICT_ONLY).filter(in_districts)
                .values_list("pk", "villages"))
        visible |= Q(pk__in=[pk for pk, villages in near if mine.intersection(villages or [])])
    return qs.filter(visible)


def alarms_active(*, user: Caller) -> QuerySet[Alarm]:
    """The caller's alarms nobody has acted on yet. Requires: as alarm_list."""
    return alarm_list(user=user).filter(status=Alarm.Status.ACTIVE)


def alarm_get(*, user: Caller, alarm_id: int) -> Alarm | None:
    """One alarm, or None outside the caller's scope. Requires: as alarm_list."""
    return alarm_list(user=user).filter(pk=alarm_id).first()


STANDING = (Alarm.Status.ACTIVE, Alarm.Status.ACKNOWLEDGED)


def alarms_standing(*, user: Caller, code: str) -> QuerySet[Alarm]:
    """The caller's alarms still standing (new or acknowledged) in region `code` ("" for the
    country), newest first: what a dashboard shows. A village's board shows the alarms naming
    it (a cluster filed at a neighbour included), never a district's sensitive one: that would
    point at the village. Requires: as alarm_list (none for other roles)."""
    if not reads_alarms(user):
        return Alarm.objects.none()
    qs = alarm_list(user=user).filter(status__in=STANDING)
    if not code:
        return qs
    if len(code) == 13:
        district = code[:8]
        return qs.exclude(group__in=DISTRICT_ONLY).filter(
            Q(region_id=code)
            | Q(region_id__gte=district + ".", region_id__lt=district + "/", villages__icontains=f'"{code}"'))
    return qs.filter(Q(region_id=code) | Q(region_id__gte=code + ".", region_id__lt=code + "/"))


def alarms_by_child(alarms: QuerySet[Alarm], *, child_len: int) -> dict[str, int]:
    """{code: alarms} for the places `alarms` are filed at, cut to the first `child_len`
    characters of their code (2, 5, 8 or 13). A district's sensitive alarm never counts
    towards a village: it stays under the district's own code, shorter than a village's."""
    rows = (alarms.order_by().annotate(child=Substr("region_id", 1, child_len))
            .values("child").annotate(n=Count("pk")).values_list("child", "n"))
    return dict(rows)
