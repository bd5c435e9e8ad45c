"""The records the authorisation matrix aims at, built once per module: for each kind of
record one inside the Bali roles' scope (Desa Les, 51.08.09.2007), one outside it (Depok,
Sleman, D.I. Yogyakarta: inside the outsider supervisor's scope only) and, where the kind
has them, a sealed one in Desa Les assigned to the bhabin."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone

from conftest import OUTSIDER, person
from polmas.access.models import Role, RoleGrant
from polmas.activities.disaster import disaster_start
from polmas.activities.rosters import RosterInput, VolunteerInput, roster_generate, roster_save
from polmas.activities.services import ActivityInput, activity_record
from polmas.cases import mediation, services
from polmas.cases.models import Case
from polmas.core.scope import prefix_q
from polmas.forums.models import Forum
from polmas.forums.services import meeting_action_add, meeting_create, meeting_issue_add
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Report
from polmas.reports.routing import route_pending

LES = "51.08.09.2007"
TEJAKULA = "51.08.09"
DEPOK = "34.04.07"  # the outsider supervisor's district
# Every caller of the matrix; "anon" sends no session and no token.
ROLES = (
    "anon",
    "warga",
    "bhabin",
    "fkpm",
    "kapolsek",
    "kapolres",
    "kapolda",
    "ppa",
    "mitra",
    "bappenas",
    "admin",
    OUTSIDER,
)
TRIANGLE = {
    "victim": "Pemilik kebun",
    "guardian": "Keluarga",
    "offender": "Tetangga",
    "handler": "Kepala dusun",
    "place": "Batas kebun",
    "manager": "Perbekel",
}
REASON = "Pengawasan penanganan"


@dataclass
class World:
    """targets[family][kind] -> the URL parameters of that record (kind: in, out, sealed)."""

    targets: dict[str, dict[str, dict]] = field(default_factory=dict)
    depok_village: str = ""

    def add(self, family: str, kind: str, **params: object) -> None:
        self.targets.setdefault(family, {})[kind] = params


def _depok_officer() -> User:
    """A Bhabinkamtibmas posted in Depok, given an account: the outside world needs one."""
    a = (
        Assignment.objects.filter(prefix_q("village_id", [DEPOK]), end__isnull=True)
        .select_related("officer")
        .order_by("village_id")
        .first()
    )
    user, _ = User.objects.get_or_create(username="bhabin_depok")
    a.officer.user = user
    a.officer.save(update_fields=["user"])
    RoleGrant.objects.get_or_create(user=user, role=Role.BHABINKAMTIBMAS)
    return user


def _report(village: str, category: str = "theft") -> tuple[Report, str]:
    made = report_submit(
        ReportInput(
            category=category,
            description="Sepeda motor hilang di depan rumah.",
            channel="api",
            village=village,
        )
    )
    return made.report, made.tracking_code or ""


def _case(actor: User, village: str, stage: str, sealed: bool = False) -> Case:
    extra = (
        {"category": "domestic_violence", "victim_name": "Ni Made Korban", "victim_contact": "081977553311"}
        if sealed
        else {"category": "neighbour_dispute"}
    )
    case = services.case_open(
        actor=actor,
        village=village,
        source="detection",
        statement="Sengketa saluran air antar tetangga berulang.",
        incidents_note="Tiga kali cekcok bulan ini.",
        recurring=True,
        **extra,
    )
    due = timezone.localdate() + dt.timedelta(days=7)
    steps = [
        (
            "analysis",
            lambda c: services.case_analyse(
                actor=actor,
                case_id=c.pk,
                version=c.version,
                triangle=TRIANGLE,
                causes="Air kurang.",
                community_input="Warga minta jadwal giliran air.",
            ),
        ),
        (
            "response",
            lambda c: services.case_respond(
                actor=actor,
                case_id=c.pk,
                version=c.version,
                plan="Musyawarah dan jadwal giliran.",
                actions=[
                    {
                        "description": "Buat jadwal giliran air",
                        "owner_kind": "village_government",
                        "owner_name": "Perbekel",
                        "due": due,
                    }
                ],
            ),
        ),
        (
            "assessment",
            lambda c: services.case_assess(
                actor=actor,
                case_id=c.pk,
                version=c.version,
                outcome="resolved_action",
                evidence="Tidak ada cekcok sejak jadwal berlaku.",
                community_satisfied=True,
            ),
        ),
    ]
    for name, step in steps:
        if stage == "scanning" or (stage == "analysis" and name != "analysis"):
            break
        case = step(case)
        if name == stage:
            break
    return case


def _case_family(w: World, family: str, stage: str, depok: User) -> None:
    bhabin = person("bhabin")
    for kind, actor, village, sealed in (
        ("in", bhabin, LES, False),
        ("out", depok, w.depok_village, False),
        ("sealed", bhabin, LES, True),
    ):
        case = _case(actor, village, stage, sealed)
        params: dict[str, object] = {"case_id": case.pk}
        if stage == "response":
            params["action_id"] = case.actions.first().pk
            if not sealed:
                case.refresh_from_db()
                params["mediation_id"] = mediation.mediation_record(
                    actor=actor,
                    case_id=case.pk,
                    version=case.version,
                    held_on=timezone.localdate(),
                    place="Balai Banjar",
                    terms="Pihak kedua memperbaiki saluran air.",
                    first_parties=["I Wayan"],
                    second_parties=["Ketut Rai"],
                    fkpm_mediators=[],
                ).pk
            case.refresh_from_db()
            params["referral_id"] = mediation.referral_create(
                actor=actor,
                case_id=case.pk,
                version=case.version,
                to="village_government",
                note="Mohon bantuan.",
            ).pk
        w.add(family, kind, **params)
    # A sealed case has no mediation: aim at the ordinary one's, which is not this case's.
    if stage == "response":
        w.targets[family]["sealed"]["mediation_id"] = w.targets[family]["in"]["mediation_id"]


def _meetings(w: World, depok: User) -> None:
    held = (timezone.now() - dt.timedelta(days=7)).replace(microsecond=0)
    forums = {
        "in": Forum.objects.get(members__user=person("fkpm")),
        "out": Forum.objects.filter(village_id=w.depok_village).first()
        or Forum.objects.filter(prefix_q("village_id", [DEPOK])).order_by("pk").first(),
    }
    for kind, forum in forums.items():
        actor = person("fkpm") if kind == "in" else depok
        meeting, _ = meeting_create(
            actor=actor,
            forum=forum,
            held_at=held,
            agenda="Keamanan pantai",
            place="Balai Banjar",
            status="held",
        )
        item = meeting_action_add(
            actor=actor,
            meeting_id=meeting.pk,
            version=meeting.version,
            description="Pasang lampu jalan",
            owner_name="Perbekel",
        )
        meeting.refresh_from_db()
        issue = meeting_issue_add(
            actor=actor,
            meeting_id=meeting.pk,
            version=meeting.version,
            text="Parkir liar di pasar",
            category_code="theft",
        )
        w.add("forum", kind, forum_id=forum.pk)
        w.add("meeting", kind, meeting_id=meeting.pk, action_id=item.pk, issue_id=issue.pk)
        if kind == "in":
            meeting.refresh_from_db()
            sealed = meeting_issue_add(
                actor=actor,
                meeting_id=meeting.pk,
                version=meeting.version,
                text="KDRT di rumah tetangga",
                category_code="domestic_violence",
            )
            w.add("meeting", "sealed", meeting_id=meeting.pk, action_id=item.pk, issue_id=sealed.pk)


def _rosters(w: World, depok: User) -> None:
    for kind, actor, village in (("in", person("bhabin"), LES), ("out", depok, w.depok_village)):
        roster = roster_save(
            actor=actor,
            data=RosterInput(
                village=village,
                name="Ronda Banjar",
                start=timezone.localdate(),
                nights=7,
                posts=["Pos Utara"],
                volunteers=[VolunteerInput(name=f"Warga {i}") for i in range(4)],
                per_post=2,
                max_per_week=3,
            ),
        )
        roster = roster_generate(actor=actor, roster_id=roster.pk)
        places = list(roster.shifts.order_by("night").values_list("places__pk", flat=True)[:3])
        w.add("roster", kind, roster_id=roster.pk, first=places[0], second=places[2], place=places[0])


def _activities(w: World, depok: User) -> None:
    for kind, actor, village in (("in", person("bhabin"), LES), ("out", depok, w.depok_village)):
        activity, _ = activity_record(
            actor=actor,
            data=ActivityInput(
                client_uuid=uuid.uuid4(),
                kind="visit",
                village=village,
                households=3,
                occurred_at=timezone.now() - dt.timedelta(hours=2),
                issues_heard="Pencurian ternak.",
            ),
        )
        w.add("activity", kind, activity_id=activity.pk)


def _tokens(w: World, depok: User) -> None:
    """An API token of the bhabin ("in": theirs to list and revoke) and of the Depok officer
    ("out"): a token is its owner's alone, whatever the scope."""
    from polmas.access.models import ApiToken
    from polmas.access.tokens import token_issue

    for kind, user in (("in", User.objects.get(username="bhabin")), ("out", depok)):
        token_issue(user=user, name=f"matrix-{kind}")
        w.add("token", kind, token_id=ApiToken.objects.filter(user=user).latest("pk").pk)


def _alarms(w: World) -> None:
    """Early-warning alarms: thefts in Desa Les, in the Depok village, and a sensitive count
    (district level only) in Tejakula."""
    from polmas.earlywarning.models import Alarm

    week = dt.date(2026, 11, 23)
    for kind, region, group, top in (("in", LES, "property", "theft"),
                                     ("out", w.depok_village, "property", "theft"),
                                     ("sealed", TEJAKULA, "sensitive", "domestic_violence")):
        alarm = Alarm.objects.create(region_id=region, group=group, week=week, weeks=2, villages=[region],
                                     observed=9, expected=2.0, top_category=top,
                                     detector="district" if group == "sensitive" else "negbin")
        w.add("alarm", kind, alarm_id=alarm.pk, village=LES if kind == "sealed" else region)


def _partners(w: World, depok: User) -> None:
    """The demo's partners (mitra's organisation works in Bali), and an organisation, an
    agreement and a programme in Depok recorded by the outsider supervisor."""
    from polmas.partners import services as partner_services
    from polmas.partners.models import Organisation
    from polmas.simulation.partners import partners_generate

    partners_generate(provinces=["51", "34"], year=2025, seed=1)
    ngo = Organisation.objects.get(name="Yayasan Mitra Aman Bali")
    business = Organisation.objects.get(name="Asosiasi Pengusaha Hiburan Buleleng")
    today = timezone.localdate()
    depok = person(OUTSIDER)  # a supervisor: the one who records partners there
    out = partner_services.organisation_create(actor=depok, name="Paguyuban Depok Aman", kind="ngo",
                                               places=[DEPOK])
    agreement = partner_services.agreement_create(
        actor=depok, organisation_id=out.pk, kind="mou", title="MoU Depok", police_party="Polsek Depok",
        signed_on=today, starts_on=today, ends_on=today + dt.timedelta(days=365), places=[DEPOK],
        police_commitments="Sambang.", partner_commitments="Ronda.")
    programme = partner_services.programme_create(
        actor=depok, organisation_id=out.pk, name="Ronda Depok", objectives="Aman.", places=[DEPOK],
        starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=300))
    w.add("partner", "in", organisation_id=ngo.pk)
    w.add("partner", "out", organisation_id=out.pk)
    w.add("agreement", "in", agreement_id=business.agreements.get().pk)
    w.add("agreement", "out", agreement_id=agreement.pk)
    w.add("programme", "in", programme_id=ngo.programmes.get().pk)
    w.add("programme", "out", programme_id=programme.pk)
    # A service each side lists (Tejakula's by its supervisor), and a record counted in each
    # programme (by the system: the matrix asks who may remove it).
    for kind, actor, region, prog in (("in", person("kapolsek"), "51.08.09", ngo.programmes.get()),
                                      ("out", depok, DEPOK, programme)):
        service = partner_services.service_create(actor=actor, name=f"Layanan matriks {kind}",
                                                  kind="legal_aid", region=region)
        w.add("service", kind, service_id=service.pk)
        link = partner_services.programme_link(actor=None, programme_id=prog.pk, kind="meeting", object_id=1)
        w.add("programme-link", kind, programme_id=prog.pk, link_id=link.pk)
    # A contact person of each side's organisation (h32: contacts edited after creation).
    from polmas.partners.models import Contact

    for kind, org in (("in", ngo), ("out", out)):
        contact = Contact.objects.create(organisation=org, name=f"Kontak matriks {kind}", phone="0812000")
        w.add("contact", kind, organisation_id=org.pk, contact_id=contact.pk)


def world_build() -> World:
    depok = _depok_officer()
    w = World(
        depok_village=Assignment.objects.filter(officer__user=depok, end__isnull=True)
        .values_list("village_id", flat=True)
        .first()
    )
    for family, stage in (
        ("case", "response"),
        ("case@scanning", "scanning"),
        ("case@analysis", "analysis"),
        ("case@assessment", "assessment"),
    ):
        _case_family(w, family, stage, depok)
    _tokens(w, depok)
    reports = {
        "in": _report(LES),
        "out": _report(w.depok_village),
        "sealed": _report(LES, "domestic_violence"),
    }
    reports["other"] = _report(LES)
    route_pending()
    for kind in ("in", "out", "sealed"):
        report, code = reports[kind]
        w.add(
            "report",
            kind,
            report_id=report.pk,
            tracking_code=code,
            request_id=report.pk,
            into=reports["other"][0].pk if kind != "out" else reports["in"][0].pk,
        )
    _meetings(w, depok)
    _rosters(w, depok)
    _activities(w, depok)
    _alarms(w)
    _partners(w, depok)
    units = {
        "in": PoliceUnit.objects.get(kind="polsek", region_id=TEJAKULA),
        "out": PoliceUnit.objects.get(kind="polsek", region_id=DEPOK),
    }
    for kind, unit in units.items():
        w.add("unit", kind, unit_id=unit.pk)
    for kind, user in (("in", person("bhabin")), ("out", depok)):
        officer = Officer.objects.get(user=user)
        posting = Assignment.objects.filter(officer=officer, end__isnull=True).order_by("pk").first()
        w.add("officer", kind, officer_id=officer.pk, assignment_id=posting.pk)
    # Regions and boards: a village, a regency for boards and statistics.
    w.add("village", "in", code=LES)
    w.add("village", "out", code=w.depok_village)
    w.add("regency", "in", code="51.08")
    w.add("regency", "out", code="34.04")
    # Districts in disaster mode, for the writes that end it.
    disaster_start(actor=person("kapolsek"), prefix=TEJAKULA, kind="flood", reason="Banjir")
    disaster_start(actor=person(OUTSIDER), prefix=DEPOK, kind="flood", reason="Banjir")
    w.add("district", "in", code=TEJAKULA, prefix=TEJAKULA)
    w.add("district", "out", code=DEPOK, prefix=DEPOK)
    # Planner proposals (planning): one per district, computed by the system.
    from polmas.planning.services import proposal_create

    for kind, code in (("in", TEJAKULA), ("out", DEPOK)):
        w.add("proposal", kind, proposal_id=proposal_create(actor=None, region=code, k=3, d_km=10).pk)
    # Road-map milestones: one per regency.
    import datetime as _dt

    from polmas.planning.services import milestone_save

    for kind, code in (("in", "51.08"), ("out", "34.04")):
        w.add("milestone", kind, milestone_id=milestone_save(
            actor=None, region=code, title="Pelatihan", owner="polda", due=_dt.date(2030, 6, 30)).pk)
    return w
