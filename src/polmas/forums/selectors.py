"""Scoped reads of FKPM forums."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, Q, QuerySet

from polmas.access.audit import audit_record
from polmas.access.scope import scope_for
from polmas.core.db.expressions import MonthKey
from polmas.core.scrub import scrub, sensitive_text
from polmas.forums.models import CaseStage, Forum, Meeting, MeetingIssue, Member, PublishedCase

Caller = User | AnonymousUser


def forum_list(*, user: Caller) -> QuerySet[Forum]:
    """Forums whose village lies in the caller's scope. Requires: an internal role."""
    scope = scope_for(user)
    if not scope.prefixes:
        return Forum.objects.none()
    return Forum.objects.filter(scope.q("village_id")).select_related("village")


def forum_get(*, user: Caller, forum_id: int) -> Forum | None:
    return forum_list(user=user).filter(pk=forum_id).first()


def forum_members(*, user: Caller, forum: Forum, via: str = "") -> QuerySet[Member]:
    """Members of a forum already read through forum_get. Contacts are decrypted on read.
    The read of the list is audited (forum.read_members), as a sealed record's read is."""
    members_read_audit(user=user, forum=forum, via=via)
    return forum.members.filter(active=True)


def members_read_audit(*, user: Caller, forum: Forum, via: str = "") -> None:
    """Record that `user` was shown the member list of `forum` (UU 27/2022: who processed
    whose data). A GET writes only this, as sealed reads do."""
    audit_record(actor=user, action="forum.read_members", obj=forum, region_code=forum.village_id,
                 detail={"via": via} if via else None)


def forums_of_member(*, user: User) -> QuerySet[Forum]:
    return Forum.objects.filter(members__user=user, members__active=True).distinct()


# --- meetings --------------------------------------------------------------------------------

# Who reads meeting records in their scope. Partners, planners and residents see only the
# public "you said, we did" page.
MEETING_READERS = ("admin", "supervisor", "bhabinkamtibmas", "ppa_officer", "fkpm_member")
# Who reads the text of a sensitive issue: the police who handle such matters in scope. The
# forum itself learns only that a sensitive matter is being handled.
SENSITIVE_READERS = ("admin", "bhabinkamtibmas", "ppa_officer")


def reads_meetings(user: Caller) -> bool:
    scope = scope_for(user)
    return bool(scope.prefixes) and scope.has(*MEETING_READERS)


def meeting_forum_get(*, user: Caller, forum_id: int) -> Forum | None:
    """A forum whose meetings the caller may read (None: answer 404)."""
    return forum_get(user=user, forum_id=forum_id) if reads_meetings(user) else None


def meeting_list(*, user: Caller, forum_id: int | None = None) -> QuerySet[Meeting]:
    """Meetings whose village lies in the caller's scope (a range on region_code)."""
    scope = scope_for(user)
    if not reads_meetings(user):
        return Meeting.objects.none()
    qs = Meeting.objects.filter(scope.q("village_id")).select_related("forum")
    if forum_id is not None:
        qs = qs.filter(forum_id=forum_id)
    return qs


def meeting_get(*, user: Caller, meeting_id: int) -> Meeting | None:
    return meeting_list(user=user).filter(pk=meeting_id).first()


def meeting_issue_get(*, user: Caller, issue_id: int) -> MeetingIssue | None:
    """One issue, if its meeting is in the caller's scope (for the cases app's one-step case)."""
    meetings = meeting_list(user=user)
    return (MeetingIssue.objects.filter(meeting__in=meetings, pk=issue_id)
            .select_related("meeting", "meeting__forum").first())


def sensitive_text_visible(user: Caller) -> bool:
    """May the caller read the text (and who raised it) of sensitive issues in their scope?"""
    return scope_for(user).has(*SENSITIVE_READERS)


def category_names() -> dict[str, dict]:
    """{code: {"name", "sensitive"}} of the report categories, read through the app registry
    (forums may not import reports)."""
    from django.apps import apps

    Category = apps.get_model("reports", "Category")
    return {c.code: {"name": c.name, "sensitive": c.sensitive}
            for c in Category.objects.filter(active=True)}


def public_forum(*, forum_id: int) -> Forum | None:
    """A forum for its public page (anyone, no login): only the forum itself."""
    return Forum.objects.select_related("village").filter(pk=forum_id).first()


def public_forum_of_village(*, village_code: str) -> Forum | None:
    """The forum whose public page speaks for a village (anyone): its oldest standing area
    forum, else its oldest standing forum of any model."""
    standing = Forum.objects.exclude(status=Forum.Status.DISSOLVED).filter(village_id=village_code)
    return (standing.filter(model=Forum.Model.AREA).order_by("pk").first()
            or standing.order_by("pk").first())


def public_outcomes(*, forum: Forum, limit: int = 200) -> list[dict]:
    """What the public page shows, newest first: issues raised at the forum's held meetings and
    cases opened from residents' reports in its village. For each, the date, the category,
    where it stands and, unless sensitive, what was said and the public outcome, contact
    details and recognisable names scrubbed (core.scrub). Never who raised it, never the text
    of a sensitive issue, nor of one whose words tell of a sensitive matter."""
    names = category_names()
    issues = (MeetingIssue.objects.filter(meeting__forum=forum, meeting__status=Meeting.Status.HELD)
              .select_related("meeting").order_by("-meeting__held_at", "position", "pk")[:limit])
    out = []
    for issue in issues:
        category = names.get(issue.category_code)
        sensitive = (issue.sensitive or bool(category and category["sensitive"])
                     or sensitive_text(issue.text) or sensitive_text(issue.outcome_public))
        out.append(_item(issue.meeting.held_at, "meeting", category, sensitive, issue.text,
                         issue.outcome_status, issue.get_outcome_status_display(),
                         issue.outcome_public, issue.case_stage))
    for case in PublishedCase.objects.filter(forum=forum).order_by("-opened_at", "pk")[:limit]:
        category = names.get(case.category_code)
        if category and category["sensitive"]:
            continue  # never written so; a category made sensitive later is kept out all the same
        sensitive = sensitive_text(case.said) or sensitive_text(case.outcome_public)
        out.append(_item(case.opened_at, "report", category, sensitive, case.said,
                         case.outcome_status, case.get_outcome_status_display(),
                         case.outcome_public, case.stage))
    out.sort(key=lambda i: i["date"], reverse=True)
    return out[:limit]


def _item(date: dt.datetime, source: str, category: dict | None, sensitive: bool, text: str,
          status: str, status_label: str, outcome: str, stage: str) -> dict:
    return {
        "date": date,
        "source": source,
        "sensitive": sensitive,
        "category": "" if sensitive or not category else category["name"],
        "text": "" if sensitive else scrub(text),
        "status": status,
        "status_label": status_label,
        "outcome": "" if sensitive else scrub(outcome),
        # What is in progress: the stage of its case, when a case follows it.
        "progress": CaseStage(stage).label if stage in CaseStage.values and stage != "closed" else "",
        "stage": stage if stage in CaseStage.values else "",
    }


def standing_forums(on: dt.date | None = None) -> QuerySet[Forum]:
    """Forums not dissolved (and, with `on`, founded by that day)."""
    forums = Forum.objects.exclude(status=Forum.Status.DISSOLVED)
    if on is not None:
        forums = forums.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on))
    return forums


def standing_forums_by_village(village_codes: list[str]) -> dict[str, list[int]]:
    """The standing forums of each village, oldest first, by village code; villages without
    one are left out. A system read for routing (no caller)."""
    found: dict[str, list[int]] = {}
    rows = (standing_forums().filter(village_id__in=village_codes)
            .order_by("pk").values_list("village_id", "pk"))
    for code, pk in rows:
        found.setdefault(code, []).append(pk)
    return found


def monthly_meetings_by_village(*, villages: list[str] | None = None) -> QuerySet[Meeting]:
    """Meetings held (Meeting.Status.HELD) grouped by village and calendar month held (UTC,
    YYYYMM): rows of village_code, month and held. A system read for the rollups (no caller);
    `villages` restricts it to those village codes."""
    rows = Meeting.objects.filter(status=Meeting.Status.HELD)
    if villages is not None:
        rows = rows.filter(village__in=villages)
    return (rows.values(village_code=F("village"), month=MonthKey("held_at"))
            .annotate(held=Count("pk")).order_by())
