"""The demo accounts. Created only by `demo` and `simulate`, never by migrations or settings."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from polmas.access.backends import DEMO_PASSWORD
from polmas.access.models import Role, RoleGrant
from polmas.forums.models import Forum, Member
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.simulation.plan import PINNED_VILLAGE

# The documented demo password, refused in production (polmas.access.backends).
PASSWORD = DEMO_PASSWORD
# Every account demo_accounts_create makes: `check --deploy` looks for them.
USERNAMES = ("bhabin", "fkpm", "kapolsek", "kapolres", "kapolda", "ppa", "warga", "mitra",
             "bappenas", "admin")


@dataclass
class DemoAccount:
    username: str
    role: str
    where: str


def _user(username: str, first: str, last: str = "", staff: bool = False) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.is_staff = first, last, staff
    user.is_superuser = username == "admin"
    user.set_password(PASSWORD)
    user.save()
    return user


def _grant(user: User, role: str, unit: PoliceUnit | None = None, region: str | None = None,
           organisation: str = "") -> None:
    RoleGrant.objects.get_or_create(user=user, role=role, unit=unit, region_id=region,
                                    defaults={"organisation": organisation})


def _unit(kind: str, region: str) -> PoliceUnit:
    return PoliceUnit.objects.get(kind=kind, region_id=region)


def _supervisor_officer(user: User, nrp: str, name: str, rank: str, unit: PoliceUnit,
                        function: str = "supervisor") -> None:
    Officer.objects.filter(user=user).exclude(nrp=nrp).update(user=None)
    Officer.objects.update_or_create(
        nrp=nrp, defaults={"name": name, "rank": rank, "unit": unit, "function": function,
                           "user": user, "active": True},
    )


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create (or reset) the demo accounts on top of generated data for Bali."""
    if not settings.POLMAS_ALLOW_DEMO:
        raise ImproperlyConfigured(
            "Demo accounts are refused with POLMAS_DEBUG=0 (production settings)."
        )
    out = []
    les = Assignment.objects.filter(village_id=PINNED_VILLAGE, end__isnull=True).select_related(
        "officer").first()
    if les is None:
        raise ImproperlyConfigured("No officer is posted to Desa Les: generate Bali first.")
    bhabin = _user("bhabin", *les.officer.name.rsplit(" ", 1))
    Officer.objects.filter(user=bhabin).exclude(pk=les.officer_id).update(user=None)
    les.officer.user = bhabin
    les.officer.save(update_fields=["user"])
    _grant(bhabin, Role.BHABINKAMTIBMAS)
    villages = ", ".join(les.officer.assignments.filter(end__isnull=True)
                         .values_list("village_id", flat=True))
    out.append(DemoAccount("bhabin", "bhabinkamtibmas", villages))

    forum = Forum.objects.filter(village_id=PINNED_VILLAGE).order_by("pk").first()
    if forum is None:
        raise ImproperlyConfigured("Desa Les has no forum: generate Bali first.")
    fkpm = _user("fkpm", "Ni Ketut", "Sariasih")
    Member.objects.update_or_create(forum=forum, name="Ni Ketut Sariasih", defaults={
        "role": "secretary", "group": "women", "user": fkpm, "active": True})
    _grant(fkpm, Role.FKPM_MEMBER)
    out.append(DemoAccount("fkpm", "fkpm_member", f"{forum.name} ({forum.village_id})"))

    for username, first, last, nrp, rank, kind, region, role in [
        ("kapolsek", "I Made", "Suarjana", "72030001", "akp", "polsek", "51.08.09", Role.SUPERVISOR),
        ("kapolres", "I Gusti Ngurah", "Widana", "68050002", "akbp", "polres", "51.08",
         Role.SUPERVISOR),
        ("kapolda", "Made", "Wirata", "65010003", "irjen", "polda", "51", Role.SUPERVISOR),
        ("ppa", "Ni Luh", "Sukmawati", "74110004", "ipda", "polres", "51.08", Role.PPA_OFFICER),
    ]:
        user = _user(username, first, last)
        unit = _unit(kind, region)
        _supervisor_officer(user, nrp, f"{first} {last}", rank, unit,
                            "ppa" if role == Role.PPA_OFFICER else "supervisor")
        _grant(user, role, unit=unit)
        out.append(DemoAccount(username, role, unit.name))

    warga = _user("warga", "Komang", "Ayu")
    _grant(warga, Role.RESIDENT, region=PINNED_VILLAGE)
    out.append(DemoAccount("warga", "resident", PINNED_VILLAGE))
    mitra = _user("mitra", "Yayasan", "Mitra Aman")
    _grant(mitra, Role.PARTNER, region="51", organisation="Yayasan Mitra Aman Bali")
    out.append(DemoAccount("mitra", "partner", "Bali (51)"))
    bappenas = _user("bappenas", "Perencana", "Bappenas")
    _grant(bappenas, Role.PLANNER)
    out.append(DemoAccount("bappenas", "planner", "Indonesia"))
    admin = _user("admin", "Admin", "Polmas", staff=True)
    _grant(admin, Role.ADMIN)
    out.append(DemoAccount("admin", "admin", "Indonesia"))
    return out
