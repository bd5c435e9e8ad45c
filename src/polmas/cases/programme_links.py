"""Tells partners where and when a case or a referral lies, for linking it to a programme
(partners.links). A sealed case the caller does not read is not found."""

from django.db.models import Q
from django.utils.translation import get_language

from polmas.cases.models import Case, Referral
from polmas.cases.selectors import case_list
from polmas.core.scope import prefix_q
from polmas.partners.links import Candidate, Found, day, link_candidates, link_source, period_bounds


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


def _category(english: bool, name_id: str, name_en: str) -> str:
    return name_en if english and name_en else name_id


@link_candidates("case")
def case_candidates(user, places, first, last, limit) -> list[Candidate]:
    """Cases open during the period, labelled by category and stage (never a title: a sealed
    case's title may name someone)."""
    start, end = period_bounds(first, last)
    english = (get_language() or "").startswith("en")
    rows = (case_list(user=user).filter(prefix_q("village_id", places), opened_at__lt=end)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start)).order_by("-opened_at", "-pk")
            .values_list("pk", "village_id", "village__name", "opened_at", "category__name_id",
                         "category__name_en", "stage")[:limit])
    return [Candidate(pk, v, name, day(at), f"{_category(english, cid, cen)} · {Case.Stage(stage).label}")
            for pk, v, name, at, cid, cen, stage in rows]


@link_candidates("referral")
def referral_candidates(user, places, first, last, limit) -> list[Candidate]:
    start, end = period_bounds(first, last)
    rows = (Referral.objects.filter(case__in=case_list(user=user).filter(prefix_q("village_id", places))
                                    .values("pk"), sent_at__gte=start, sent_at__lt=end)
            .order_by("-sent_at", "-pk")
            .values_list("pk", "case__village_id", "case__village__name", "sent_at", "to", "case_id")[:limit])
    return [Candidate(pk, v, name, day(at), f"{Referral.To(to).label} · #{case}")
            for pk, v, name, at, to, case in rows]
