import pytest

from conftest import SEED, YEAR
from polmas.forums.models import Forum, Member
from polmas.policing.models import Assignment, Officer
from polmas.simulation.allocate import allocate
from polmas.simulation.generator import generate
from polmas.simulation.plan import FORUMS_TOTAL, OFFICERS_TOTAL, national_quotas

pytestmark = pytest.mark.django_db


def test_allocation_adds_up_exactly_and_respects_caps():
    shares = allocate(100, [5, 1, 1], caps=[10, 50, 50])
    assert shares == [10, 45, 45]
    assert sum(allocate(49_335, [i % 7 + 1 for i in range(514)], caps=[200] * 514)) == 49_335


def test_national_quotas_reproduce_the_published_figures():
    quotas = national_quotas(SEED)
    assert len(quotas) == 514
    assert sum(o for o, _ in quotas.values()) == OFFICERS_TOTAL == 49_335
    assert sum(f for _, f in quotas.values()) == FORUMS_TOTAL == 48_890


def test_quotas_are_the_same_for_the_same_seed_and_differ_for_another():
    assert national_quotas(SEED) == national_quotas(SEED)
    assert national_quotas(SEED) != national_quotas(SEED + 1)


def test_generating_again_duplicates_nothing():
    counts = (Officer.objects.count(), Assignment.objects.count(), Forum.objects.count(),
              Member.objects.count())
    generate(provinces=["51"], year=YEAR, seed=SEED)
    assert (Officer.objects.count(), Assignment.objects.count(), Forum.objects.count(),
            Member.objects.count()) == counts


def test_an_interrupted_run_is_completed_by_the_next():
    lost = list(Forum.objects.filter(village__code__startswith="51.08.09.").values_list("pk", "name"))
    assert lost
    Member.objects.filter(forum_id__in=[pk for pk, _ in lost]).delete()
    Forum.objects.filter(pk__in=[pk for pk, _ in lost]).delete()
    generate(provinces=["51"], year=YEAR, seed=SEED)
    assert sorted(Forum.objects.filter(village__code__startswith="51.08.09.")
                  .values_list("name", flat=True)) == sorted(n for _, n in lost)


def test_officers_work_only_inside_their_polsek():
    strays = [a for a in Assignment.objects.select_related("officer__unit")[:3000]
              if not a.village_id.startswith(a.officer.unit.region_id + ".")]
    assert strays == []


def test_demo_data_has_gaps_and_customary_forums_in_bali():
    bali_villages = 716
    covered = Assignment.objects.filter(end__isnull=True, village__code__startswith="51.")
    with_forum = Forum.objects.filter(village__code__startswith="51.").values("village_id").distinct()
    assert 0.8 * bali_villages < covered.count() <= bali_villages
    assert 0 < with_forum.count() < bali_villages
    assert Forum.objects.filter(village__code__startswith="51.", model="customary",
                                local_name="Pecalang").exists()


def test_member_phones_are_stored_encrypted():
    from django.db import connection

    member = Member.objects.exclude(phone="").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM forums_member WHERE id = %s", [member.pk])
        raw = cursor.fetchone()[0]
    assert member.phone.startswith("08")
    assert member.phone not in raw
