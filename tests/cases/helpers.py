"""Quick ways to open a case and walk it through the SARA stages, and the places used."""

import datetime as dt

from django.utils import timezone

from conftest import person
from polmas.cases import mediation, services
from polmas.cases.models import Case
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Report
from polmas.reports.routing import route_pending

LES = "51.08.09.2007"  # Desa Les: the bhabin's village
TEJAKULA = "51.08.09"
BULELENG = "51.08"
# Every role the sealed-case rules name; "officer2" is another Bhabinkamtibmas in Tejakula.
ROLES = ["bhabin", "officer2", "ppa", "kapolsek", "kapolres", "fkpm", "warga", "mitra", "bappenas",
         "kapolsek_depok"]
TRIANGLE = {"victim": "Warga pemilik kebun", "guardian": "Keluarga", "offender": "Tetangga",
            "handler": "Kepala dusun", "place": "Batas kebun", "manager": "Perbekel"}


def report(village: str = LES, category: str = "neighbour_dispute", **kw: object) -> Report:
    data = {"category": category, "description": "Cekcok dengan tetangga soal saluran air.",
            "channel": "api", "village": village, **kw}
    made = report_submit(ReportInput(**data)).report
    route_pending()  # as the task queue does a moment later (ADR 11)
    made.refresh_from_db()
    return made


def open_case(actor: str = "bhabin", *, category: str = "neighbour_dispute", village: str = LES,
              **kw: object) -> Case:
    """A case opened from an early detection (no report)."""
    data = {"source": "detection", "statement": "Sengketa saluran air antar tetangga berulang.",
            "incidents_note": "Tiga kali cekcok bulan ini.", "recurring": True, **kw}
    return services.case_open(actor=person(actor), village=village, category=category, **data)


def walk(case: Case, to: str, actor: str = "bhabin", reason: str = "") -> Case:
    """Take `case` forward to stage `to` with complete content at each step."""
    user = person(actor)
    steps = {
        "analysis": lambda c: services.case_analyse(
            actor=user, case_id=c.pk, version=c.version, triangle=TRIANGLE, causes="Air kurang.",
            community_input="Warga minta jadwal giliran air.", reason=reason),
        "response": lambda c: services.case_respond(
            actor=user, case_id=c.pk, version=c.version, plan="Musyawarah dan jadwal giliran.",
            actions=[{"description": "Buat jadwal giliran air", "owner_kind": "village_government",
                      "owner_name": "Perbekel Les", "due": timezone.localdate() + dt.timedelta(days=7)}],
            reason=reason),
        "assessment": lambda c: services.case_assess(
            actor=user, case_id=c.pk, version=c.version, outcome="resolved_action",
            evidence="Tidak ada cekcok sejak jadwal berlaku.", community_satisfied=True, reason=reason),
        "closed": lambda c: services.case_close(actor=user, case_id=c.pk, version=c.version,
                                                reason=reason),
    }
    order = ["scanning", "analysis", "response", "assessment", "closed"]
    for stage in order[order.index(case.stage) + 1: order.index(to) + 1]:
        case = steps[stage](case)
    return case


def mediate(case: Case, actor: str = "bhabin") -> object:
    return mediation.mediation_record(
        actor=person(actor), case_id=case.pk, version=case.version, held_on=timezone.localdate(),
        place="Balai Banjar Les", terms="Pihak kedua memperbaiki saluran air dalam 7 hari.",
        first_parties=["I Wayan Sudarma"], second_parties=["Ketut Rai"],
        fkpm_mediators=["Ni Ketut Sariasih"])


