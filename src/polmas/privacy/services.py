"""A person's data across rooms: find, export, erase (UU 27/2022, articles 7-9 and 16).

Who may: administrators only. A request is about a person wherever they reported or sat in
a forum, across the whole country; a supervisor sees only their area, so an export made by
them would look complete and not be, and an erasure is the data controller's decision, not
a unit's. Every record exported or erased gets its own audit entry (so a breach report can
name it), written by the room that holds the record.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from polmas.access.models import Role
from polmas.access.scope import scope_for
from polmas.core.persons import Person
from polmas.forums import personal_data as forums_data
from polmas.reports import personal_data as reports_data

Progress = Callable[[int], None] | None


@dataclass(frozen=True)
class Found:
    report_ids: list[int]
    member_ids: list[int]


def may_handle(user: User | AnonymousUser | None) -> bool:
    return user is not None and scope_for(user).has(Role.ADMIN)


def _check(actor: User | AnonymousUser | None) -> None:
    if not may_handle(actor):
        raise PermissionDenied(_("Only administrators handle requests about personal data."))


def records_to_search(person: Person) -> int:
    """How many records a search for `person` compares one by one (for a progress bar)."""
    return reports_data.reports_to_compare(person) + forums_data.members_to_compare(person)


def person_find(*, actor: User | AnonymousUser | None, person: Person, progress: Progress = None) -> Found:
    """The person's reports and forum memberships. Requires: an administrator."""
    _check(actor)
    return Found(report_ids=reports_data.report_ids_of_person(person=person, progress=progress),
                 member_ids=forums_data.member_ids_of_person(person=person, progress=progress))


def person_export(*, actor: User, person: Person, found: Found | None = None,
                  progress: Progress = None) -> dict:
    """Every record holding the person's data, as one JSON document for them; each record's
    read is audited. Requires: an administrator."""
    _check(actor)
    found = found or person_find(actor=actor, person=person, progress=progress)
    return {
        "subject": {"phone": person.phone, "email": person.email, "name": person.name},
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.get_username(),
        "reports": reports_data.reports_export(actor=actor, person=person, ids=found.report_ids),
        "forum_memberships": forums_data.members_export(actor=actor, person=person,
                                                        ids=found.member_ids),
        "dialogues": reports_data.dialogues_export(person=person),
    }


def person_erase(*, actor: User, person: Person, reason: str, found: Found | None = None,
                 progress: Progress = None) -> Found:
    """Erase the person from every record that holds them, keeping the records (and so the
    statistics); each record's change is audited with the reason. Requires: an administrator."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for the erasure.")]})
    _check(actor)
    found = found or person_find(actor=actor, person=person, progress=progress)
    return Found(
        report_ids=reports_data.reports_erase(actor=actor, person=person, ids=found.report_ids,
                                              reason=reason[:1000]),
        member_ids=forums_data.members_erase(actor=actor, person=person, ids=found.member_ids,
                                             reason=reason[:1000]),
    )
