"""Writes to FKPM forums and members: model rules, scope, audit, encrypted contacts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from conftest import OUTSIDER, person
from policing.places import CATURTUNGGAL, LES, PACUNG, TAMBAKAN, TEJAKULA, region, unit
from polmas.access.models import AuditEntry
from polmas.access.scope import scope_for
from polmas.forums.models import Forum, Member
from polmas.forums.services import forum_create, forum_member_add
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db

TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def a_forum(**extra) -> Forum:
    return forum_create(actor=None, village=region(PACUNG), name="FKPM Desa Pacung", **extra)


def raw_column(model: type, field: str, pk: int) -> str:
    """The stored value, read past the model (and its decryption) with a plain cursor."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        q = connection.ops.quote_name
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


# --- forum_create --------------------------------------------------------------------------

def test_a_supervisor_creates_a_forum_in_their_area():
    forum = forum_create(actor=person("kapolsek"), village=region(PACUNG), name=" FKPM Desa Pacung ",
                         founded_on=dt.date(2024, 5, 1), meeting_place="Balai Desa")

    assert (forum.name, forum.model, forum.status) == ("FKPM Desa Pacung", "area", "active")
    assert forum.unit == unit("polsek", TEJAKULA)  # the Polsek covering the village, by default
    entry = AuditEntry.objects.get(action="forum.create", object_id=str(forum.pk))
    assert (entry.actor, entry.region_code) == (person("kapolsek"), PACUNG)


def test_a_bhabinkamtibmas_creates_a_forum_in_their_own_village_only():
    posted = scope_for(person("bhabin")).prefixes
    own, other = posted[0], Region.objects.under(TEJAKULA).villages().exclude(code__in=posted)

    forum = forum_create(actor=person("bhabin"), village=region(own), name="FKPM Baru")
    assert forum.village_id == own
    with pytest.raises(PermissionDenied):
        forum_create(actor=person("bhabin"), village=other.first(), name="FKPM Baru")


@pytest.mark.parametrize("username,village", [
    (OUTSIDER, PACUNG),  # a supervisor in another province
    ("kapolsek", TAMBAKAN),  # the next district
    ("kapolsek", CATURTUNGGAL),
    ("mitra", PACUNG),  # partners see Bali but do not run forums
    ("warga", LES),
    ("fkpm", LES),
])
def test_forums_outside_the_actors_area_or_role_are_refused(username, village):
    before = Forum.objects.count()
    with pytest.raises(PermissionDenied):
        forum_create(actor=person(username), village=region(village), name="FKPM Baru")
    assert Forum.objects.count() == before


def test_a_forum_belongs_to_a_village():
    with pytest.raises(ValidationError) as exc:
        forum_create(actor=person("kapolsek"), village=region(TEJAKULA), name="FKPM Kecamatan")
    assert fields_of(exc) == {"village"}


@pytest.mark.parametrize("extra,field", [
    ({"model": "zone"}, "zone_kind"),  # a zone forum needs its kind
    ({"model": "zone", "zone_kind": "harbour"}, "zone_kind"),
    ({"model": "area", "zone_kind": "market"}, "zone_kind"),  # only zone forums have one
    ({"model": "customary"}, "local_name"),
    ({"model": "customary", "local_name": "  "}, "local_name"),
    ({"model": "club"}, "model"),
    ({"status": "asleep"}, "status"),
    ({"founded_on": TOMORROW}, "founded_on"),
    ({"unit": ("polsek", "51.08.08")}, "unit"),  # a unit that does not cover the village
])
def test_forum_model_rules_are_enforced(extra, field):
    if "unit" in extra:
        extra = {"unit": unit(*extra["unit"])}
    before = Forum.objects.count()
    with pytest.raises(ValidationError) as exc:
        a_forum(**extra)
    assert fields_of(exc) == {field}
    assert Forum.objects.count() == before


def test_zone_and_customary_forums_are_accepted_with_their_details():
    market = a_forum(model="zone", zone_kind="market")
    pecalang = forum_create(actor=None, village=region(PACUNG), name="Pecalang Desa Adat Pacung",
                            model="customary", local_name="Pecalang")
    assert (market.zone_kind, pecalang.local_name) == ("market", "Pecalang")


def test_a_forum_name_is_unique_in_its_village():
    a_forum()
    with pytest.raises(ValidationError) as exc:
        a_forum()
    assert fields_of(exc) == {"name"}
    assert forum_create(actor=None, village=region(LES), name="FKPM Desa Pacung").village_id == LES


# --- forum_member_add ----------------------------------------------------------------------

def test_member_contacts_are_stored_encrypted_and_kept_out_of_the_audit_log():
    forum = a_forum()
    member = forum_member_add(actor=person("kapolsek"), forum=forum, name="Ni Made Sari", group="women",
                              role="chair", phone="0813-1111-2222", email="sari@example.org")

    raw_phone, raw_email = raw_column(Member, "phone", member.pk), raw_column(Member, "email", member.pk)
    assert "081311112222" not in raw_phone and "sari@example.org" not in raw_email
    assert raw_phone.startswith("gAAAAA")  # a Fernet token
    stored = Member.objects.get(pk=member.pk)
    assert (stored.phone, stored.email) == ("081311112222", "sari@example.org")
    entry = AuditEntry.objects.get(action="forum.member_add", object_id=str(member.pk))
    assert "0813" not in str(entry.detail) and "sari" not in str(entry.detail)
    assert entry.region_code == PACUNG


@pytest.mark.parametrize("extra,field", [
    ({"phone": "12345"}, "phone"),
    ({"email": "sari@"}, "email"),
    ({"group": "students"}, "group"),
    ({"role": "king"}, "role"),
    ({"name": " "}, "name"),
    ({"joined_on": TOMORROW}, "joined_on"),
])
def test_bad_member_details_are_refused_naming_the_field(extra, field):
    forum = a_forum()
    with pytest.raises(ValidationError) as exc:
        forum_member_add(actor=None, forum=forum, **({"name": "Ni Made Sari", "group": "women"} | extra))
    assert fields_of(exc) == {field}
    assert not forum.members.exists()


def test_a_forum_has_one_chair_and_unique_member_names():
    forum = a_forum()
    forum_member_add(actor=None, forum=forum, name="Ni Made Sari", group="women", role="chair")
    with pytest.raises(ValidationError) as exc:
        forum_member_add(actor=None, forum=forum, name="I Wayan Lasia", group="customary", role="chair")
    assert fields_of(exc) == {"role"}
    with pytest.raises(ValidationError) as exc:
        forum_member_add(actor=None, forum=forum, name="Ni Made Sari", group="youth")
    assert fields_of(exc) == {"name"}
    assert forum.members.count() == 1


def test_a_dissolved_forum_takes_no_members():
    forum = a_forum(status="dissolved")
    with pytest.raises(ValidationError) as exc:
        forum_member_add(actor=None, forum=forum, name="Ni Made Sari", group="women")
    assert fields_of(exc) == {"forum"}


@pytest.mark.parametrize("username", [OUTSIDER, "mitra", "warga"])
def test_members_outside_the_actors_area_or_role_are_refused(username):
    forum = a_forum()
    with pytest.raises(PermissionDenied):
        forum_member_add(actor=person(username), forum=forum, name="Ni Made Sari", group="women")
    assert not forum.members.exists()
