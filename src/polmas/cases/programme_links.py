"""Tells partners where a case or a referral lies, for linking it to a programme
(partners.links). A sealed case the caller does not read is not found."""

from polmas.cases.models import Referral
from polmas.cases.selectors import case_list
from polmas.partners.links import link_source


@link_source("case")
def case_village(user, object_id: int) -> str | None:
    return case_list(user=user).filter(pk=object_id).values_list("village_id", flat=True).first()


@link_source("referral")
def referral_village(user, object_id: int) -> str | None:
    return (Referral.objects.filter(pk=object_id, case__in=case_list(user=user).values("pk"))
            .values_list("case__village_id", flat=True).first())
