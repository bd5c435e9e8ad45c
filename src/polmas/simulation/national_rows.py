"""The rows of one province of the national year (see national.py for the plan).

Every row is built in plain Python from a per-village random generator and queued on a
`Table` (national_bulk.py); nothing is read back. Times are naive UTC while building and
adapted once per value for the database.
"""

import datetime as dt
import hashlib
import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from polmas.activities.models import Activity
from polmas.cases.models import (
    Action,
    Case,
    CaseReport,
    Mediation,
    MediationParty,
    Referral,
    RiskAssessment,
    TimelineEntry,
)
from polmas.core.fields import encrypt
from polmas.forums.models import Forum, Meeting
from polmas.reports.models import Recipient, Report
from polmas.simulation import names
from polmas.simulation.national import Province, Village, round_random, year_bounds
from polmas.simulation.national_bulk import Table, sealed, sequences_reset
from polmas.simulation.plan import island_group
from polmas.simulation.reports import CATEGORY_WEIGHTS, CHANNEL_WEIGHTS, TEXTS

DAY = 86_400
MODELS = [Case, Report, Recipient, CaseReport, Action, TimelineEntry, Mediation, MediationParty,
          Referral, RiskAssessment, Meeting, Activity]
# Activities per officer and week, by kind (times the island group's effectiveness).
WEEKLY = {"visit": 0.3, "patrol": 0.12, "outreach": 0.05, "detection": 0.025, "coordination": 0.03}
OPEN_STAGES = [("scanning", 0.3), ("analysis", 0.25), ("response", 0.3), ("assessment", 0.15)]
TRIANGLE = {
    "victim": "Warga sekitar", "guardian": "Ketua RT dan linmas", "offender": "Pelaku setempat",
    "handler": "Keluarga dan tokoh masyarakat", "place": "Lingkungan desa",
    "manager": "Pemerintah desa",
}
CAUSES = ["Penerangan jalan kurang dan ronda tidak berjalan.", "Sengketa lama antar keluarga.",
          "Pemuda menganggur berkumpul malam hari.", "Aturan desa belum disepakati bersama."]
PLANS = ["Musyawarah dengan para pihak difasilitasi FKPM.", "Ronda malam dihidupkan kembali.",
         "Patroli dialogis dan penyuluhan di balai desa.", "Koordinasi dengan perangkat desa."]
ACTIONS = [("Menghidupkan ronda malam", "fkpm_member"), ("Memasang lampu jalan", "village_government"),
           ("Patroli dialogis mingguan", "officer"), ("Penyuluhan di balai banjar", "officer"),
           ("Pendampingan korban ke layanan", "partner")]
TERMS = ["Para pihak sepakat berdamai, mengganti kerugian dan tidak mengulangi perbuatan.",
         "Batas tanah ditetapkan bersama disaksikan perangkat desa; para pihak saling memaafkan.",
         "Pihak kedua meminta maaf dan membayar biaya perbaikan dalam 30 hari."]
EVIDENCE = ["Surat kesepakatan ditandatangani para pihak.", "Tidak ada laporan serupa sejak tindakan.",
            "Foto kegiatan dan daftar hadir musyawarah."]
SUMMARY = "Diselesaikan bersama FKPM dan Bhabinkamtibmas."
AGENDAS = ["Evaluasi keamanan lingkungan bulan ini", "Persiapan ronda menjelang hari raya",
           "Musyawarah sengketa warga", "Sosialisasi bahaya narkoba", "Kesiapsiagaan bencana"]
ACTIVITY_TEXT = {
    "visit": ["Warga mengeluhkan pencurian ternak.", "Tidak ada keluhan, situasi aman.",
              "Keluhan soal balap liar malam minggu.", "Sengketa batas tanah antar tetangga."],
    "patrol": ["Patroli dialogis di pasar desa.", "Patroli malam bersama linmas."],
    "outreach": ["Bahaya narkoba bagi remaja", "Pencegahan kekerasan dalam rumah tangga",
                 "Waspada penipuan daring", "Tertib lalu lintas", "Kesiapsiagaan bencana"],
    "detection": ["Isu sengketa lahan yang memanas menjelang musim tanam.",
                  "Rencana pertandingan yang berpotensi memicu tawuran antar pemuda."],
    "coordination": ["Koordinasi dengan kepala desa tentang dana siskamling.",
                     "Koordinasi dengan babinsa dan perangkat desa."],
}
REFER_SERVICE = ["uptd_ppa", "social_services", "health", "village_government"]
CHANNELS = list(CHANNEL_WEIGHTS)
CHANNEL_CUM = list(itertools.accumulate(CHANNEL_WEIGHTS.values()))


@dataclass
class Context:
    year: int
    seed: int
    province: Province
    categories: list[tuple[int, str, bool, bool, str]]  # pk, code, sensitive, mediable, name
    units: dict[str, int]  # district code -> Polsek id
    marker: uuid.UUID
    meetings: bool = True
    cat_cum: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cat_cum = list(itertools.accumulate(CATEGORY_WEIGHTS.get(c[1], 2.0) for c in self.categories))


class Writer:
    """The tables of one province and the adapters of this database."""

    def __init__(self) -> None:
        sqlite = connection.vendor == "sqlite"
        self.ts: Callable = str if sqlite else (lambda d: d.replace(tzinfo=dt.UTC))
        self.day: Callable = str if sqlite else (lambda d: d)
        self.uid: Callable = (lambda u: u.hex) if sqlite else (lambda u: u)
        json_field = Mediation._meta.get_field("fkpm_mediators")
        self.json: Callable = lambda v: json_field.get_db_prep_save(v, connection)
        self.empty_list = self.json([])
        sealed_json = Case._meta.get_field("triangle")
        self.triangle = sealed_json.get_db_prep_save(TRIANGLE, connection)
        self.no_triangle = sealed_json.get_db_prep_save({}, connection)
        self.no_answers = sealed_json.get_db_prep_save({}, connection)
        self.case = Table(Case, [
            "region_code", "category_id", "title", "statement", "recurring", "source", "stage",
            "sensitive", "triangle", "causes", "community_input", "plan", "outcome", "evidence",
            "community_satisfied", "assessed_at", "public_summary", "victim_name",
            "assigned_officer_id", "unit_id", "opened_at", "first_response_at", "closed_at",
            "last_activity_at", "escalated_at", "client_uuid"])
        self.report = Table(Report, [
            "category_id", "description", "region_code", "latitude", "longitude", "occurred_at",
            "channel", "status", "public_summary", "sensitive", "tracking_hash", "anonymous",
            "reporter_phone", "reply_channel", "coverage_gap", "created_at", "updated_at",
            "first_response_at", "resolved_at"])
        self.recipient = Table(Recipient, ["report_id", "why", "officer_id", "forum_id", "unit_id"])
        self.case_report = Table(CaseReport, ["case_id", "report_id", "linked_at"])
        self.action = Table(Action, ["case_id", "description", "owner_kind", "owner_name", "due",
                                     "status", "done_at", "created_at"])
        self.timeline = Table(TimelineEntry, ["case_id", "at", "actor_name", "kind", "note"])
        self.mediation = Table(Mediation, ["case_id", "held_on", "place", "mediator_officer_id",
                                           "fkpm_mediators", "terms", "created_at"])
        self.party = Table(MediationParty, ["mediation_id", "side", "name"])
        self.referral = Table(Referral, ["case_id", "to", "note", "status", "sent_at", "accepted_at",
                                         "declined_at"])
        self.risk = Table(RiskAssessment, ["case_id", "answers", "score", "level", "at"])
        self.meeting = Table(Meeting, ["forum_id", "region_code", "held_at", "place", "agenda",
                                       "minutes", "status", "others_men", "others_women",
                                       "others_unspecified", "created_at", "updated_at"])
        self.activity = Table(Activity, ["kind", "region_code", "officer_id", "occurred_at",
                                         "households", "issues_heard", "topic", "audience", "summary",
                                         "latitude", "longitude", "client_uuid", "created_at"])
        self.tables = [self.case, self.report, self.recipient, self.case_report, self.action,
                       self.timeline, self.mediation, self.party, self.referral, self.risk,
                       self.meeting, self.activity]

    def finish(self) -> dict[str, int]:
        for t in self.tables:
            t.flush()
        sequences_reset(MODELS)
        return {t.model._meta.label: t.written for t in self.tables}


def province_write(ctx: Context, resolved: list[int],
                   progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write the province's villages, each with its share of problems resolved."""
    w = Writer()
    first = True
    for village, n in zip(ctx.province.villages, resolved, strict=True):
        rng = random.Random(f"{ctx.seed}:{ctx.year}:{village.code}")
        first = _village_cases(ctx, w, village, n, rng, first)
        if progress:
            progress(1)
    _activities(ctx, w)
    if ctx.meetings:
        _meetings(ctx, w)
    return w.finish()


def _village_cases(ctx: Context, w: Writer, v: Village, resolved: int, rng: random.Random,
                   first: bool) -> bool:
    covered = v.officer is not None
    start, end = year_bounds(ctx.year)
    year_seconds = int((end - start).total_seconds())
    unit = ctx.units.get(v.code[:8])
    outcomes = (["resolved"] * resolved
                + ["referred_criminal"] * round_random(rng, resolved * (0.06 if covered else 0.12))
                + ["referred_service"] * round_random(rng, resolved * 0.05)
                + ["not_resolved"] * round_random(rng, resolved * (0.05 if covered else 0.18))
                + ["open"] * round_random(rng, resolved * (0.09 if covered else 0.2)))
    mediation_chance = (0.65 if v.forum else 0.5) if covered else 0.35
    for what in outcomes:
        pk, code, sensitive, mediable, cat_name = rng.choices(ctx.categories, cum_weights=ctx.cat_cum)[0]
        source = "report" if rng.random() < 0.55 else ("meeting" if v.forum and rng.random() < 0.35
                                                       else "detection")
        closed = what != "open"
        if closed:
            closed_at = start + dt.timedelta(seconds=rng.randrange(year_seconds))
            days = min(180.0, rng.lognormvariate(1.8 if covered else 2.4, 0.9))
            opened_at = closed_at - dt.timedelta(seconds=int(days * DAY) + 3600)
            stage = "closed"
        else:
            opened_at = end - dt.timedelta(seconds=rng.randrange(DAY, 100 * DAY))
            closed_at = None
            stage = rng.choices([s for s, _ in OPEN_STAGES], [p for _, p in OPEN_STAGES])[0]
        if what == "resolved":
            mediated = mediable and rng.random() < mediation_chance
            outcome = "resolved_mediation" if mediated else "resolved_action"
        elif what == "open":
            outcome = ""
        else:
            outcome = what
        limit = closed_at or end
        response = opened_at + dt.timedelta(seconds=int(rng.expovariate(1 / (12 if covered else 48)) * 3600))
        first_response = min(response, limit) if stage != "scanning" or rng.random() < 0.5 else None
        last_activity = (closed_at if closed else min(end - dt.timedelta(seconds=1),
                                                      opened_at + dt.timedelta(days=rng.randint(0, 30))))
        # An open case quiet for a week has gone up to the Polsek (once, as cases_escalate does).
        quiet_until = last_activity + dt.timedelta(days=7)
        escalated = quiet_until if not closed and quiet_until < end else None
        past_analysis = stage in ("response", "assessment", "closed")
        past_scanning = stage != "scanning"
        victim = encrypt(names.person(rng, v.code[:2], female=True)) if sensitive else ""
        case_id = w.case.add(
            v.code, pk, sealed(f"{cat_name} di {v.name}"[:200]),
            sealed(rng.choice(TEXTS.get(code, TEXTS["other"]))),
            rng.random() < 0.3, source, stage, sensitive,
            w.triangle if past_scanning else w.no_triangle,
            sealed(rng.choice(CAUSES) if past_scanning else ""),
            sealed("Warga dilibatkan dalam musyawarah desa." if past_scanning else ""),
            sealed(rng.choice(PLANS) if past_analysis else ""), outcome,
            sealed(rng.choice(EVIDENCE) if closed else ""),
            (rng.random() < 0.85) if what == "resolved" else (False if closed else None),
            w.ts(closed_at) if closed else None,
            SUMMARY if what == "resolved" and not sensitive else "", victim,
            v.officer, unit, w.ts(opened_at), w.ts(first_response) if first_response else None,
            w.ts(closed_at) if closed else None, w.ts(last_activity),
            w.ts(escalated) if escalated else None,
            w.uid(ctx.marker) if first else None)
        first = False
        w.timeline.add(case_id, w.ts(opened_at), "system", "opened", sealed(source))
        if closed:
            w.timeline.add(case_id, w.ts(closed_at), "system", "closed", sealed(outcome))
        elif past_scanning:
            w.timeline.add(case_id, w.ts(last_activity), "system", stage, "")
        if source == "report":
            for _ in range(2 if rng.random() < 0.12 else 1):
                received = opened_at - dt.timedelta(seconds=rng.randrange(600, 2 * DAY))
                status = ("resolved" if what == "resolved" else "in_progress" if not closed else "closed")
                report_id = _report(w, v, rng, pk, code, sensitive, received, status,
                                    first_response if first_response else None,
                                    closed_at if status == "resolved" else None, covered, unit, ctx)
                w.case_report.add(case_id, report_id, w.ts(opened_at))
        if past_analysis and outcome != "resolved_mediation":
            for _ in range(1 if rng.random() < 0.7 else 2):
                text, owner = rng.choice(ACTIONS)
                due = (opened_at + dt.timedelta(days=rng.randint(3, 30))).date()
                done = closed and rng.random() < 0.9
                who = (names.person(rng, v.code[:2]) if owner != "village_government"
                       else f"Kepala Desa {v.name}")
                done_at = min(limit, opened_at + dt.timedelta(days=rng.randint(1, 20)))
                w.action.add(case_id, sealed(text), owner, sealed(who), w.day(due),
                             "done" if done else rng.choice(["planned", "in_progress"]),
                             w.ts(done_at) if done else None, w.ts(opened_at))
        if outcome == "resolved_mediation":
            held = (closed_at - dt.timedelta(days=rng.randint(0, 3))).date()
            mediators = w.json([names.person(rng, v.code[:2])]) if v.forum else w.empty_list
            m = w.mediation.add(case_id, w.day(held), f"Balai Desa {v.name}"[:200], v.officer, mediators,
                                sealed(rng.choice(TERMS)), w.ts(closed_at))
            w.party.add(m, "first", encrypt(names.person(rng, v.code[:2])))
            w.party.add(m, "second", encrypt(names.person(rng, v.code[:2])))
        if outcome in ("referred_criminal", "referred_service"):
            to = ("reskrim" if outcome == "referred_criminal" else
                  "ppa_unit" if sensitive else rng.choice(REFER_SERVICE))
            sent = closed_at - dt.timedelta(days=rng.randint(0, 5))
            status = rng.choices(["accepted", "sent", "declined"], [0.8, 0.15, 0.05])[0]
            answered = w.ts(min(closed_at, sent + dt.timedelta(days=2)))
            w.referral.add(case_id, to, "", status, w.ts(sent),
                           answered if status == "accepted" else None,
                           answered if status == "declined" else None)
        if code == "domestic_violence":
            score = rng.randint(2, 14)
            level = "high" if score >= 10 else "medium" if score >= 5 else "low"
            w.risk.add(case_id, w.no_answers, score, level,
                       w.ts(opened_at + dt.timedelta(hours=rng.randint(2, 72))))
    # Reports that never became a case: more of them where nobody is posted (routed to the Polsek).
    for _ in range(round_random(rng, resolved * (0.35 if covered else 0.7) + 0.3)):
        pk, code, sensitive, _m, _n = rng.choices(ctx.categories, cum_weights=ctx.cat_cum)[0]
        received = start + dt.timedelta(seconds=rng.randrange(year_seconds))
        status = rng.choices(["resolved", "closed", "in_progress", "received"],
                             [0.4, 0.25, 0.2, 0.15] if covered else [0.2, 0.3, 0.2, 0.3])[0]
        first_response = (received + dt.timedelta(hours=rng.expovariate(1 / (10 if covered else 60)))
                          if status != "received" else None)
        done = first_response + dt.timedelta(days=rng.randint(1, 20)) if status == "resolved" else None
        _report(w, v, rng, pk, code, sensitive, received, status, first_response, done, covered, unit, ctx)
    return first


def _report(w: Writer, v: Village, rng: random.Random, category: int, code: str, sensitive: bool,
            received: dt.datetime, status: str, first_response: dt.datetime | None,
            resolved: dt.datetime | None, covered: bool, unit: int | None, ctx: Context) -> int:
    channel = rng.choices(CHANNELS, cum_weights=CHANNEL_CUM)[0]
    texted = channel in ("sms", "whatsapp") and rng.random() < 0.5
    number = w.report.next_id
    here = v.lat is not None and v.lon is not None and rng.random() < 0.3
    first_response = max(first_response, received) if first_response else None
    report_id = w.report.add(
        category, sealed(rng.choice(TEXTS.get(code, TEXTS["other"]))), v.code,
        round(v.lat + rng.uniform(-.005, .005), 6) if here else None,
        round(v.lon + rng.uniform(-.005, .005), 6) if here else None,
        w.ts(received - dt.timedelta(hours=rng.randint(1, 48))), channel, status,
        SUMMARY if status == "resolved" and not sensitive else "", sensitive,
        hashlib.sha256(f"national:{ctx.seed}:{ctx.year}:{v.code}:{number}".encode()).hexdigest(),
        not texted, encrypt(names.phone(rng)) if texted else "", channel if texted else "",
        not covered, w.ts(received), w.ts(resolved or first_response or received),
        w.ts(first_response) if first_response else None, w.ts(resolved) if resolved else None)
    if covered:
        w.recipient.add(report_id, "officer", v.officer, None, None)
        if v.forum and not sensitive:
            w.recipient.add(report_id, "forum", None, v.forum, None)
    elif unit:
        w.recipient.add(report_id, "gap", None, None, unit)
    return report_id


def _activities(ctx: Context, w: Writer) -> None:
    """A year of field work for every officer posted in the province."""
    officers: dict[int, list[Village]] = {}
    for v in ctx.province.villages:
        if v.officer is not None:
            officers.setdefault(v.officer, []).append(v)
    start, end = year_bounds(ctx.year)
    days = (end - start).days
    factor = {"java_bali": 1.2, "sumatra": 1.0, "kalimantan": 0.9, "sulawesi": 1.0,
              "nusa_tenggara": 0.9, "maluku": 0.75, "papua": 0.6}[island_group(ctx.province.code)]
    offset = dt.timedelta(hours=-7 if ctx.province.code < "60" else (-8 if ctx.province.code < "90" else -9))
    for officer, villages in sorted(officers.items()):
        rng = random.Random(f"{ctx.seed}:{ctx.year}:activities:{officer}")
        zeal = rng.uniform(0.6, 1.4) * factor
        for kind, weekly in WEEKLY.items():
            for _ in range(round_random(rng, weekly * 52 * zeal)):
                v = rng.choice(villages)
                local = start + dt.timedelta(days=rng.randrange(days), hours=rng.randint(7, 20),
                                             minutes=rng.randrange(60))
                when = local + offset  # local time back to UTC
                if not start <= when < end:
                    continue
                text = rng.choice(ACTIVITY_TEXT[kind])
                here = v.lat is not None and v.lon is not None and rng.random() < 0.6
                w.activity.add(
                    kind, v.code, officer, w.ts(when),
                    rng.randint(2, 15) if kind == "visit" else None,
                    text if kind == "visit" else "", text if kind == "outreach" else "",
                    rng.randint(15, 120) if kind == "outreach" else None,
                    text if kind not in ("visit", "outreach") else "",
                    round(v.lat + rng.uniform(-.005, .005), 6) if here else None,
                    round(v.lon + rng.uniform(-.005, .005), 6) if here else None,
                    w.uid(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    w.ts(when + dt.timedelta(minutes=rng.randint(1, 600))))


def _meetings(ctx: Context, w: Writer) -> None:
    """The meetings each standing forum of the province held during the year."""
    start, end = year_bounds(ctx.year)
    prefix = ctx.province.code
    forums = (Forum.objects.filter(village_id__gte=prefix, village_id__lt=prefix + "/")
              .exclude(status=Forum.Status.DISSOLVED).order_by("pk")
              .values_list("pk", "village_id", "status", "founded_on"))
    names_by_code = {v.code: v.name for v in ctx.province.villages}
    for forum, village, status, founded in forums:
        rng = random.Random(f"{ctx.seed}:{ctx.year}:meetings:{forum}")
        n = {"active": rng.randint(4, 12), "forming": rng.randint(0, 2)}.get(status, rng.randint(0, 1))
        first_day = max(start, dt.datetime.combine(founded, dt.time()) if founded else start)
        span = int((end - first_day).total_seconds())
        if span <= DAY:
            continue
        for _ in range(n):
            held = first_day + dt.timedelta(seconds=rng.randrange(span - DAY))
            held = held.replace(hour=rng.choice([9, 10, 15, 19, 20]), minute=0, second=0)
            agenda = rng.choice(AGENDAS)
            place = f"Balai Desa {names_by_code.get(village, village)}"[:150]
            w.meeting.add(forum, village, w.ts(held), place,
                          agenda, f"Musyawarah membahas: {agenda.lower()}. Kesepakatan dicatat.", "held",
                          rng.randint(2, 25), rng.randint(1, 20), rng.randint(0, 5),
                          w.ts(held + dt.timedelta(hours=3)), w.ts(held + dt.timedelta(hours=3)))
