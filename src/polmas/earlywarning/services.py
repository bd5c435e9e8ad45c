"""What people do with an alarm: acknowledge it, dismiss it with a reason (a false alarm),
or turn it into a case (a real problem; SARA scanning starts from it). Each write checks the
caller's scope (404 outside it), is audited, and keeps the outcome for the false-alarm rate."""

import re

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.audit import audit_record
from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.cases import services as case_services
from polmas.cases.models import Case
from polmas.core.errors import Conflict
from polmas.earlywarning.groups import DISTRICT_ONLY, week_label
from polmas.earlywarning.models import Alarm
from polmas.earlywarning.selectors import alarm_get
from polmas.earlywarning.text import alarm_sentence

ACTORS = (Role.BHABINKAMTIBMAS, Role.SUPERVISOR, Role.PPA_OFFICER, Role.ADMIN)
MAX_REASON = 1000
# PostgreSQL refuses NUL in text, and no control character belongs in a reason (line breaks
# and tabs of the page's text box may stay).
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AlarmConflict(Conflict):
    """Someone already acted on this alarm."""


def may_act(user: User) -> bool:
    return scope_for(user).has(*ACTORS)


def _open(actor: User, alarm_id: int) -> Alarm:
    """The alarm locked for writing: 404 outside the actor's scope, then 403 for a role that
    reads alarms but does not act on them."""
    alarm = alarm_get(user=actor, alarm_id=alarm_id)
    if alarm is None:
        raise Http404
    if not scope_for(actor).has(*ACTORS):
        raise PermissionDenied(_("Only police officers act on alarms."))
    return Alarm.objects.select_for_update().get(pk=alarm.pk)


def _acted(alarm: Alarm, actor: User, status: str, outcome: str, action: str, **detail) -> Alarm:
    alarm.status, alarm.outcome = status, outcome
    alarm.acted_by, alarm.acted_at = actor, timezone.now()
    alarm.save()
    audit_record(actor=actor, action=action, obj=alarm, region_code=alarm.region_id, reason=alarm.reason,
                 detail={"group": alarm.group, "week": week_label(alarm.week), **detail})
    return alarm


@transaction.atomic
def alarm_acknowledge(*, actor: User, alarm_id: int) -> Alarm:
    """Mark a new alarm as seen and being looked into. Requires: a police role, the alarm in scope."""
    alarm = _open(actor, alarm_id)
    if alarm.status != Alarm.Status.ACTIVE:
        raise AlarmConflict(_("This alarm was already acted on."))
    return _acted(alarm, actor, Alarm.Status.ACKNOWLEDGED, Alarm.Outcome.OPEN, "alarm.acknowledge")


@transaction.atomic
def alarm_dismiss(*, actor: User, alarm_id: int, reason: str) -> Alarm:
    """Dismiss an alarm as false, saying why (kept to count false alarms in use). Requires: a
    police role, the alarm in scope; not already turned into a case."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this alarm is dismissed.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_REASON}})
    if CONTROLS.search(reason):
        raise ValidationError({"reason": _("contains control characters.")})
    alarm = _open(actor, alarm_id)
    if alarm.status in (Alarm.Status.DISMISSED, Alarm.Status.CASE):
        raise AlarmConflict(_("This alarm was already acted on."))
    alarm.reason = reason
    return _acted(alarm, actor, Alarm.Status.DISMISSED, Alarm.Outcome.FALSE_ALARM, "alarm.dismiss")


@transaction.atomic
def alarm_to_case(*, actor: User, alarm_id: int, village: str = "") -> Case:
    """Open a case in the scanning stage from an alarm (source: detection). `village` defaults
    to the alarm's; a district alarm (sensitive matters) needs one of its villages named.
    Requires: a police role, the alarm and the village in scope."""
    alarm = _open(actor, alarm_id)
    if alarm.status in (Alarm.Status.DISMISSED, Alarm.Status.CASE):
        raise AlarmConflict(_("This alarm was already acted on."))
    village = (village or "").strip()
    if alarm.group in DISTRICT_ONLY or alarm.region.level != 4:
        if not village.startswith(alarm.region_id + "."):
            raise ValidationError({"village": _("Name a village of %(place)s.") % {
                "place": alarm.region.name}})
    elif not village:
        village = alarm.region_id
    elif village not in alarm.villages:
        raise ValidationError({"village": _("Name one of the villages of this alarm.")})
    if not alarm.top_category:
        raise ValidationError({"alarm": _("No report of this group was found behind the alarm.")})
    sentence = alarm_sentence(alarm)
    case = case_services.case_open(actor=actor, village=village, category=alarm.top_category,
                                   title=sentence[:200], statement=sentence, source=Case.Source.DETECTION,
                                   incidents_note=_("Early warning alarm of %(week)s.") % {
                                       "week": week_label(alarm.week)})
    alarm.case = case
    _acted(alarm, actor, Alarm.Status.CASE, Alarm.Outcome.CONFIRMED, "alarm.case", case=case.pk)
    return case
