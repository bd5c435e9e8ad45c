"""What the phone keeps to work offline: my villages, my forums (with members, for attendance),
tonight's roster places, my open cases and their actions due. No sealed case appears: the
phone of someone else may hold it."""

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.activities import selectors as activity_selectors
from polmas.activities.models import ShiftVolunteer
from polmas.cases import selectors as case_selectors
from polmas.cases.models import Action, Case
from polmas.field.sync import window
from polmas.forums import selectors as forum_selectors
from polmas.partners import selectors as partner_selectors
from polmas.partners.models import PartnerActivity
from polmas.regions.models import Region
from polmas.reports.selectors import categories_active
from polmas.surveys.models import SampleVillage

MAX_VILLAGES = 300
MAX_CASES = 200
MAX_FORUMS = 20
MAX_ASSIGNED = 500
MAX_PROGRAMMES = 20
PARTNER_ONLY = frozenset({Role.PARTNER})


def _partner_only(user: User) -> bool:
    """A partner's staff and nothing else: their scope (the grant's region) is not a list of
    villages they work in; their places are their programmes' (see _programmes)."""
    return scope_for(user).roles == PARTNER_ONLY


def _villages(user: User) -> list[dict]:
    scope = scope_for(user)
    if not scope.prefixes or scope.national or _partner_only(user):
        return []
    qs = Region.objects.filter(scope.q("code"), level=Region.Level.VILLAGE).order_by("code")
    return [{"code": r.code, "name": r.name} for r in qs.only("code", "name")[:MAX_VILLAGES]]


def _forums(user: User) -> list[dict]:
    mine = list(forum_selectors.forums_of_member(user=user)[:MAX_FORUMS])
    if not mine and forum_selectors.reads_meetings(user):
        mine = list(forum_selectors.forum_list(user=user).order_by("village_id", "pk")[:MAX_FORUMS])
    out = []
    for forum in mine:
        readable = forum_selectors.meeting_forum_get(user=user, forum_id=forum.pk)
        members = ([{"id": m.pk, "name": m.name}
                    for m in forum_selectors.forum_members(user=user, forum=readable, via="field")]
                   if readable is not None else [])
        out.append({"id": forum.pk, "name": forum.name, "village": forum.village_id, "members": members})
    return out


def _places(user: User) -> list[dict]:
    today = timezone.localdate()
    rosters = activity_selectors.roster_list(user=user)
    places = (ShiftVolunteer.objects.filter(shift__roster__in=rosters,
                                            night__gte=today - dt.timedelta(days=1), night__lte=today)
              .select_related("volunteer", "shift__post", "shift__roster").order_by("night", "pk")[:300])
    return [{"id": p.pk, "roster_id": p.shift.roster_id, "roster": p.shift.roster.name,
             "night": p.night.isoformat(), "post": p.shift.post.name, "volunteer": p.volunteer.name,
             "checked_in": p.checked_in_at is not None} for p in places]


def _cases(user: User) -> list[dict]:
    if not case_selectors.is_police(user):
        return []
    qs = (case_selectors.case_list(user=user).filter(sensitive=False).exclude(stage=Case.Stage.CLOSED)
          .order_by("-last_activity_at", "pk")[:MAX_CASES])
    cases = list(qs)
    due = timezone.localdate() + dt.timedelta(days=14)
    actions: dict[int, list[dict]] = {}
    for a in Action.objects.filter(case__in=[c.pk for c in cases], due__lte=due,
                                   status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS]):
        actions.setdefault(a.case_id, []).append({"id": a.pk, "description": a.description,
                                                 "owner": a.owner_name, "due": a.due.isoformat(),
                                                 "status": a.status})
    return [{"id": c.pk, "title": c.title, "village": c.village_id, "village_name": c.village.name,
             "stage": c.stage, "actions": actions.get(c.pk, [])} for c in cases]


def _label(english: bool, id_text: str, en_text: str) -> str:
    return en_text if english and en_text else id_text


def _interviews(user: User, english: bool) -> list[dict]:
    """An enumerator's assignments: for each wave (sample) with villages assigned to them, those
    villages and the wave's questionnaire, labelled in the user's language where the instrument
    has it (Indonesian otherwise). Only their own assignments; nobody else gets any. Samples
    carry no open/closed state, so every wave with an assignment is listed (newest first)."""
    if not scope_for(user).has(Role.ENUMERATOR):
        return []
    rows = list(SampleVillage.objects.filter(enumerator=user).select_related("sample__version")
                .order_by("-sample__year", "-sample_id", "village_code")[:MAX_ASSIGNED])
    names = dict(Region.objects.filter(code__in=[r.village_code for r in rows]).values_list("code", "name"))
    waves: dict[int, dict] = {}
    for r in rows:
        sample = r.sample
        if sample.pk not in waves:
            version = sample.version
            waves[sample.pk] = {
                "sample": sample.pk, "wave": sample.wave, "year": sample.year,
                "title": _label(english, version.title_id, version.title_en),
                "villages": [],
                "items": [{"name": i.name, "kind": i.kind, "label": _label(english, i.label_id, i.label_en),
                           "required": i.required, "relevant": i.relevant, "constraint": i.constraint,
                           "choices": [{"value": c.get("value", ""),
                                        "label": _label(english, c.get("label_id", ""),
                                                        c.get("label_en", ""))}
                                       for c in (i.choices or [])]}
                          for i in version.items.order_by("position")],
            }
        waves[sample.pk]["villages"].append({"code": r.village_code, "name": names.get(r.village_code, ""),
                                             "planned": r.planned})
    return list(waves.values())


def _programmes(user: User) -> list[dict]:
    """A partner's staff: their organisation's programmes running now (or ended within the
    window the sync still accepts), each with its villages (the places below its codes) and
    the kinds of activity, to record partner activities offline. Nobody else gets any."""
    if not scope_for(user).has(Role.PARTNER) or partner_selectors.organisation_of(user) is None:
        return []
    today = timezone.localdate()
    qs = (partner_selectors.programme_list(user=user)
          .filter(starts_on__lte=today, ends_on__gte=today - window())
          .order_by("-starts_on", "pk")[:MAX_PROGRAMMES])
    out = []
    for programme in qs:
        codes = sorted(programme.places.values_list("code", flat=True))
        q = None
        for code in codes:
            part = Q(code=code) | Q(code__startswith=code + ".")
            q = part if q is None else q | part
        villages = (Region.objects.filter(q, level=Region.Level.VILLAGE).order_by("code")
                    .only("code", "name")[:MAX_VILLAGES]) if q is not None else []
        out.append({"id": programme.pk, "name": programme.name, "starts_on": programme.starts_on.isoformat(),
                    "ends_on": programme.ends_on.isoformat(),
                    "villages": [{"code": r.code, "name": r.name} for r in villages]})
    return out


def snapshot(*, user: User) -> dict:
    """Requires: an authenticated user; every part is filtered by their scope."""
    scope = scope_for(user)
    english = (get_language() or "").startswith("en")
    return {
        "username": user.get_username(),
        "roles": sorted(scope.roles),
        "villages": _villages(user),
        "forums": _forums(user),
        "places": _places(user),
        "cases": _cases(user),
        "interviews": _interviews(user, english),
        "programmes": _programmes(user),
        "partner_kinds": ([{"code": k.value, "name": str(k.label)} for k in PartnerActivity.Kind]
                          if scope.has(Role.PARTNER) else []),
        "categories": ([] if _partner_only(user) else
                       [{"code": c.code, "name": c.name_en if english else c.name_id}
                        for c in categories_active().order_by("code")]),
        "at": timezone.now().isoformat(),
    }
