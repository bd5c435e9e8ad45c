"""Tells partners where and when a case or a referral lies, for linking it to a programme
(partners.links). A sealed case the caller does not read is not found."""

from polmas.cases.models import Referral
from polmas.cases.selectors import case_list
from polmas.partners.links import Found, day, link_source


@link_source("case")
def case_village(user, object_id: int) -> Found | None:
    row = (case_list(user=user).filter(pk=object_id)
           .values_list("village_id", "opened_at", "closed_at").first())
    return Found(row[0], day(row[1]), day(row[2]), lasts=True) if row else None


@link_source("referral")
def referral_village(user, object_id: int) -> Found | None:
    row = (Referral.objects.filter(pk=object_id, case__in=case_list(user=user).values("pk"))
           .values_list("case__village_id", "sent_at").first())
    return Found(row[0], day(row[1])) if row else None
