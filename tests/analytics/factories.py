"""Raw records for the rollups to count: reports, cases, activities and meetings spread
over villages of Bali and D.I. Yogyakarta, two years, every outcome, sensitive ones too.
Written with bulk_create (no signals), as the simulation writes them."""

import datetime as dt
import random
import uuid

from polmas.activities.models import Activity
from polmas.cases.models import Case
from polmas.forums.models import Forum, Meeting
from polmas.policing.models import Assignment
from polmas.reports.models import Category, Report

LES = "51.08.09.2007"
OUTCOMES = ["resolved_mediation", "resolved_action", "referred_criminal", "referred_service",
            "not_resolved"]


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def dataset(seed: int = 1, n: int = 120, years: tuple[int, ...] = (2024, 2025)) -> dict:
    """Make about `n` records of each kind; returns what was made."""
    rng = random.Random(seed)
    categories = list(Category.objects.order_by("code"))
    villages = rng.sample(list(Assignment.objects.filter(end__isnull=True, village__code__regex=r"^(51|34)\.")
                               .order_by("village_id").values_list("village_id", "officer_id")), 60)
    villages.append((LES, Assignment.objects.filter(village_id=LES).values_list("officer_id", flat=True)[0]))
    forums = list(Forum.objects.filter(village__code__regex=r"^(51|34)\.").order_by("pk")[:30])

    def when() -> dt.datetime:
        return at(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23))

    reports = []
    for _ in range(n):
        village, _officer = rng.choice(villages)
        reports.append(Report(category=rng.choice(categories), description="x", village_id=village,
                              channel="web", tracking_hash=uuid.uuid4().hex, spam=rng.random() < 0.05))
    Report.objects.bulk_create(reports)
    for r in reports:
        created = when()
        first = created + dt.timedelta(hours=rng.randint(1, 80)) if rng.random() < 0.7 else None
        Report.objects.filter(pk=r.pk).update(created_at=created, first_response_at=first)
    cases = []
    for _ in range(n):
        village, officer = rng.choice(villages)
        opened = when()
        closed = rng.random() < 0.6
        category = rng.choice(categories)
        cases.append(Case(
            village_id=village, category=category, title="t", statement="s", source="report",
            sensitive=category.sensitive, opened_at=opened,
            first_response_at=(opened + dt.timedelta(hours=rng.randint(1, 100))
                               if rng.random() < 0.8 else None),
            stage="closed" if closed else rng.choice(["scanning", "analysis", "response"]),
            outcome=rng.choice(OUTCOMES) if closed else "",
            closed_at=opened + dt.timedelta(hours=rng.randint(2, 24 * 200)) if closed else None,
            assigned_officer_id=officer,
        ))
    Case.objects.bulk_create(cases)
    activities = []
    for _ in range(n * 2):
        village, officer = rng.choice(villages)
        kind = rng.choice(["visit", "patrol", "detection", "coordination"])
        activities.append(Activity(kind=kind, village_id=village, officer_id=officer, occurred_at=when(),
                                   households=3 if kind == "visit" else None, client_uuid=uuid.uuid4()))
    Activity.objects.bulk_create(activities)
    meetings = [Meeting(forum=f, village_id=f.village_id, held_at=when(), agenda="a",
                        status=rng.choice(["held", "held", "planned"])) for f in forums]
    Meeting.objects.bulk_create(meetings)
    return {"reports": reports, "cases": cases, "activities": activities, "meetings": meetings}
