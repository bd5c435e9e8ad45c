"""Request bodies of the matrix's writes: each valid for a caller allowed to write, so that a
refusal is the authorisation's doing, not the body's. Versions are read fresh each time."""

import datetime as dt
import uuid

from django.utils import timezone

from matrix.world import TRIANGLE, World
from polmas.activities.models import Roster
from polmas.cases.models import Case
from polmas.cases.risk import QUESTIONS
from polmas.field.canon import body_hash
from polmas.forums.models import Meeting
from polmas.reports.models import Report
from polmas.simulation.accounts import PASSWORD


def _v(model, pk: int) -> int:
    return model.objects.values_list("version", flat=True).get(pk=pk)


def case_v(w: World, t: dict) -> dict:
    return {"version": _v(Case, t["case_id"])}


def meeting_v(w: World, t: dict) -> dict:
    return {"version": _v(Meeting, t["meeting_id"])}


def roster_v(w: World, t: dict) -> dict:
    return {"version": _v(Roster, t["roster_id"])}


def reassign_to(case_id: int) -> int:
    """An active officer, not the case's, whose unit covers the case's village."""
    from polmas.core.scope import any_covers
    from polmas.policing.models import Officer

    case = Case.objects.get(pk=case_id)
    officers = Officer.objects.filter(active=True).exclude(pk=case.assigned_officer_id or 0)
    for o in officers.filter(unit__region__code=case.village_id[:8]).select_related("unit"):
        if any_covers(o.unit.prefixes(), case.village_id):
            return o.pk
    return 0


def _other_village(officer_id: int, vacant: bool) -> str:
    """A village of the officer's unit other than his own (one without a Bhabinkamtibmas when
    `vacant`, for a transfer), for the officer-management writes."""
    from polmas.core.scope import prefix_q
    from polmas.policing.models import Assignment, Officer
    from polmas.regions.models import Region

    officer = Officer.objects.select_related("unit").get(pk=officer_id)
    villages = Region.objects.filter(prefix_q("code", officer.unit.prefixes()), level=4).exclude(
        code__in=officer.assignments.filter(end__isnull=True).values("village_id"))
    if vacant:
        posted = Assignment.objects.filter(end__isnull=True).values("village_id")
        villages = villages.exclude(code__in=posted)
    found = villages.order_by("code").first()
    return found.code if found else "00.00.00.0000"


def _soon() -> str:
    return (timezone.localdate() + dt.timedelta(days=7)).isoformat()


def _past() -> str:
    return (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0).isoformat()


API = {
    "partner-new": lambda w, t: {"name": "Mitra matriks", "kind": "ngo", "places": ["51.08.09"]},
    "partner-edit": lambda w, t: {"description": "Diubah."},
    "contact-new": lambda w, t: {"name": "Kontak baru", "phone": "0812 345"},
    "contact-edit": lambda w, t: {"position": "ketua"},
    "programme-new": lambda w, t: {
        "organisation_id": w.targets["partner"]["in"]["organisation_id"], "name": "Program matriks",
        "objectives": "Aman.", "places": ["51.08.09"], **_period()},
    "programme-edit": lambda w, t: {"name": "Program diubah"},
    "link": lambda w, t: {"kind": "activity", "object_id": _linkable(w, t)},
    "service-new": lambda w, t: {"name": "Layanan matriks", "kind": "health", "region": "51.08.09"},
    "service-edit": lambda w, t: {"hours": "24 jam"},
    "partner-activity": lambda w, t: {
        "client_uuid": str(uuid.uuid4()), "programme_id": w.targets["programme"]["in"]["programme_id"],
        "village": "51.08.09.2007", "kind": "outreach", "occurred_on": timezone.localdate().isoformat(),
        "participants": 5, "summary": "Sosialisasi."},
    "token": lambda w, t: {"username": "bhabin", "password": PASSWORD},
    # The code is the key: whoever holds it follows the report, whatever their role.
    "status": lambda w, t: {"tracking_code": t["tracking_code"]},
    # Not a refresh token anyone holds: refused alike for every caller (the token decides).
    "refresh": lambda w, t: {"refresh_token": "pmr_not-a-token-anyone-holds"},
    "meeting_edit": lambda w, t: {**meeting_v(w, t), "agenda": "Agenda baru"},
    "meeting_new": lambda w, t: {"held_at": _past(), "agenda": "Rapat luar biasa", "status": "held"},
    "attendance": lambda w, t: {**meeting_v(w, t), "others_men": 3},
    "decision": lambda w, t: {**meeting_v(w, t), "text": "Ronda malam digiatkan."},
    "meeting_held": meeting_v,
    "meeting_action": lambda w, t: {
        **meeting_v(w, t),
        "description": "Pasang lampu",
        "owner_name": "Perbekel",
    },
    "meeting_action_status": lambda w, t: {**meeting_v(w, t), "status": "done"},
    "issue": lambda w, t: {**meeting_v(w, t), "text": "Balap liar malam hari"},
    "report": lambda w, t: {
        "category": "theft",
        "description": "Ayam hilang dari kandang.",
        "village": t["code"],
    },
    "report_status": lambda w, t: {"status": "in_progress", "version": _v(Report, t["report_id"])},
    "merge": lambda w, t: {"into": t["into"]},
    "moderate": lambda w, t: {"hide": True, "reason": "Isi tidak pantas"},
    "block": lambda w, t: {"what": "client", "reason": "Kiriman berulang"},
    "case": lambda w, t: {
        "source": "detection",
        "village": t["code"],
        "category": "neighbour_dispute",
        "statement": "Cekcok soal batas tanah.",
        "incidents_note": "Dua kali bulan ini.",
    },
    "analysis": lambda w, t: {
        **case_v(w, t),
        "triangle": TRIANGLE,
        "causes": "Batas tidak jelas.",
        "community_input": "Warga minta diukur ulang.",
    },
    "response": lambda w, t: {
        **case_v(w, t),
        "plan": "Musyawarah.",
        "actions": [
            {
                "description": "Ukur ulang",
                "owner_kind": "village_government",
                "owner_name": "Perbekel",
                "due": _soon(),
            }
        ],
    },
    "action_add": lambda w, t: {
        **case_v(w, t),
        "description": "Pasang patok",
        "owner_kind": "fkpm_member",
        "owner_name": "Kelian banjar",
        "due": _soon(),
    },
    "action_update": lambda w, t: {**case_v(w, t), "status": "done"},
    "assessment": lambda w, t: {
        **case_v(w, t),
        "outcome": "resolved_action",
        "evidence": "Aman.",
        "community_satisfied": True,
    },
    "close": case_v,
    "mediation": lambda w, t: {
        **case_v(w, t),
        "held_on": timezone.localdate().isoformat(),
        "place": "Balai Banjar",
        "terms": "Saling memaafkan.",
        "first_parties": ["A"],
        "second_parties": ["B"],
    },
    "referral": lambda w, t: {**case_v(w, t), "to": "village_government", "note": "Mohon bantuan."},
    "referral_answer": lambda w, t: {**case_v(w, t), "accepted": True},
    "safety_plan": lambda w, t: {**case_v(w, t), "steps": "Menginap di rumah kerabat."},
    "risk": lambda w, t: {**case_v(w, t), "answers": {"weapon": True}},
    "officer_post": lambda w, t: {"village": _other_village(t["officer_id"], False), "replace": True,
                                  "start": timezone.localdate().isoformat()},
    "officer_transfer": lambda w, t: {"village": _other_village(t["officer_id"], True),
                                      "start": timezone.localdate().isoformat()},
    "officer_end": lambda w, t: {"end": timezone.localdate().isoformat()},
    "officer_training": lambda w, t: {"course": "Pelatihan Polmas", "completed_on": "2025-02-01"},
    "officer_equipment": lambda w, t: {"kind": "radio", "condition": "good"},
    "instruction": lambda w, t: {**case_v(w, t), "instruction": "Kunjungi pelapor besok."},
    "acknowledge": case_v,
    "reassign": lambda w, t: {**case_v(w, t), "officer_id": reassign_to(t["case_id"])},
    "activity": lambda w, t: {
        "client_uuid": str(uuid.uuid4()),
        "kind": "visit",
        "village": t["code"],
        "occurred_at": _past(),
        "households": 2,
    },
    "roster": lambda w, t: {
        "village": t["code"],
        "name": "Ronda baru",
        "start": timezone.localdate().isoformat(),
        "nights": 3,
        "posts": ["Pos"],
        "volunteers": [{"name": "A"}, {"name": "B"}],
    },
    "generate": roster_v,
    "swap": lambda w, t: {**roster_v(w, t), "first": t["first"], "second": t["second"]},
    "check_in": lambda w, t: {"place": t["place"]},
    "disaster_on": lambda w, t: {"prefix": t["code"], "reason": "Banjir bandang"},
    "disaster_off": lambda w, t: {"prefix": t["prefix"]},
    "sync": lambda w, t: _sync_visit(t["code"]),
    "upload": lambda w, t: {"uuid": str(uuid.uuid4()), "size": 3, "sha256": "a" * 64},
}


def _sync_visit(code: str) -> dict:
    """POST /sync with one visit in the village (an unknown kind or a malformed record would
    be answered 200 all the same: `rejected`, per record)."""
    key = str(uuid.uuid4())
    body = {"client_uuid": key, "kind": "visit", "village": code, "occurred_at": _past(), "households": 2}
    return {"records": [{"uuid": key, "kind": "activity", "hash": body_hash(body), "body": body}]}


def _page(extra: dict):
    """A case step's form data: the version read fresh, and the fields of the step."""
    return lambda w, t: {"version": _v(Case, t["case_id"]), **extra(t)}


PAGE = {
    "analisis": _page(
        lambda t: {**TRIANGLE, "causes": "Batas tidak jelas.", "community_input": "Warga minta diukur ulang."}
    ),
    "tindakan": _page(
        lambda t: {
            "description": "Pasang patok",
            "owner_kind": "fkpm_member",
            "owner_name": "Kelian banjar",
            "due": _soon(),
        }
    ),
    "tindakan-ubah": _page(lambda t: {"action": t["action_id"], "status": "done"}),
    "asesmen": _page(
        lambda t: {"outcome": "resolved_action", "evidence": "Aman.", "community_satisfied": "yes"}
    ),
    "tutup": _page(lambda t: {"public_summary": "Selesai dengan musyawarah."}),
    "mediasi": _page(
        lambda t: {
            "held_on": timezone.localdate().isoformat(),
            "place": "Balai Banjar",
            "first_parties": "A",
            "second_parties": "B",
            "terms": "Saling memaafkan.",
        }
    ),
    "rujukan": _page(lambda t: {"to": "village_government", "note": "Mohon bantuan."}),
    "rujukan-jawab": _page(lambda t: {"referral": t["referral_id"], "accepted": "yes"}),
    "keselamatan": _page(lambda t: {"steps": "Menginap di rumah kerabat."}),
    "risiko": _page(lambda t: dict.fromkeys(QUESTIONS, "no")),
    "petugas": lambda w, t: {"action": "training", "course": "Pelatihan Polmas",
                             "completed_on": "2025-02-01"},
    "awasi": _page(lambda t: {"action": "instruct", "instruction": "Kunjungi pelapor besok."}),
    # Partners (issue 21): an agreement recorded for the target organisation; an activity of
    # mitra's organisation in Desa Les; a business partner's report (mitra's is an NGO).
    "perjanjian": lambda w, t: {
        "organisation": t["organisation_id"], "kind": "mou", "title": "MoU matriks",
        "police_party": "Polres", "signed_on": timezone.localdate().isoformat(),
        "starts_on": timezone.localdate().isoformat(), "ends_on": _soon(), "places": "51.08.09",
        "police_commitments": "Sambang.", "partner_commitments": "Mediasi."},
    "kegiatan-mitra": lambda w, t: {
        "programme": w.targets["programme"]["in"]["programme_id"], "village": "51.08.09.2007",
        "kind": "outreach", "occurred_on": timezone.localdate().isoformat(), "participants": 5,
        "summary": "Sosialisasi.", "client_uuid": str(uuid.uuid4())},
    "laporan-mitra": lambda w, t: {"village": "51.08.09.2007", "description": "Dugaan eksploitasi anak."},
    # Organisations, programmes, services and links (the places those of the target's side).
    "mitra-baru": lambda w, t: {"name": "Mitra matriks", "kind": "ngo", "places": "51.08.09"},
    "kontak-baru": lambda w, t: {"new-name": "Kontak baru", "new-phone": "0812 345"},
    "kontak-ubah": lambda w, t: {f"c{t['contact_id']}-name": "Kontak diubah"},
    "mitra-ubah": lambda w, t: {"name": "Mitra diubah", "kind": "ngo", "places": _side(w, t, "partner"),
                                "active": "on"},
    "program-baru": lambda w, t: {"name": "Program matriks", "objectives": "Aman.",
                                  "places": _side(w, t, "partner"), **_period()},
    "program-ubah": lambda w, t: {"name": "Program diubah", "objectives": "Aman.",
                                  "places": _side(w, t, "programme"), **_period()},
    "tautan": lambda w, t: {"kind": "activity", "object_id": _linkable(w, t)},
    "layanan-baru": lambda w, t: {"name": "Layanan matriks", "kind": "health", "region": "51.08.09",
                                  "public": "on"},
    "layanan-ubah": lambda w, t: {"name": "Layanan diubah", "kind": "health",
                                  "region": _side(w, t, "service"), "public": "on", "active": "on"},
}


def _side(w: World, t: dict, family: str) -> str:
    """Tejakula for the family's "in" record, Depok for the "out" one."""
    key = next(iter(t))
    return "51.08.09" if t[key] == w.targets[family]["in"][key] else "34.04.07"


def _period() -> dict:
    today = timezone.localdate()
    return {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat()}


def _linkable(w: World, t: dict) -> int:
    """The activity on the programme's side (each programme's places hold its side's one)."""
    side = "in" if t["programme_id"] == w.targets["programme"]["in"]["programme_id"] else "out"
    return w.targets["activity"][side]["activity_id"]
