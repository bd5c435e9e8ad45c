"""Demo cases: problems opened from the demo reports and officers' early detections, at every
SARA stage, with mediations and their agreements, referrals, sealed sensitive cases (with a
safety plan and a risk checklist) and escalations.

Tejakula district (51.08.09) always gets a fixed set of cases in every stage, sealed ones
among them (domestic violence in Desa Les, the `bhabin` account's village), and Polres
Buleleng gets cases outside the bhabin's villages. Each case has a client UUID derived from
the seed and its source, so running again adds nothing.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from polmas.access.audit import audit_record
from polmas.activities.models import Activity
from polmas.cases.models import (
    Action,
    Case,
    CaseReport,
    Mediation,
    MediationParty,
    Referral,
    RiskAssessment,
    SafetyPlan,
    TimelineEntry,
)
from polmas.cases.risk import QUESTIONS, risk_level
from polmas.cases.services import DEFAULT_SUMMARY, ORDER, cases_escalate, cases_publish
from polmas.core.scope import prefix_q
from polmas.core.text import shortened
from polmas.policing.models import Assignment, Officer
from polmas.reports.models import Category, Report
from polmas.simulation import names
from polmas.simulation.plan import PINNED_DISTRICT, PINNED_VILLAGE

NAMESPACE = uuid.UUID("0c6f2b8e-5a4d-4e3b-9c1f-7d2e8a9b0c11")
REPORT_SHARE = 0.6  # of handled reports that become a case
DETECTION_SHARE = 0.3
Out = Case.Outcome
S = Case.Stage
TRIANGLES = {
    "victim": ["Warga sekitar", "Pedagang pasar", "Pemilik kebun", "Pengguna jalan", "Korban dan anak-anak"],
    "guardian": ["Keluarga", "Pecalang", "Tetangga", "Petugas ronda"],
    "offender": ["Pemuda setempat", "Tetangga", "Orang tak dikenal", "Suami korban"],
    "handler": ["Orang tua", "Kepala dusun", "Tokoh adat", "Tokoh agama"],
    "place": ["Pos ronda", "Batas kebun", "Jalan desa", "Pasar desa", "Rumah tangga"],
    "manager": ["Perbekel", "Pengelola pasar", "Kelian banjar", "Pemilik warung"],
}
CAUSES = ["Penerangan jalan kurang dan ronda tidak rutin.", "Salah paham yang dibiarkan berlarut.",
          "Minuman keras dan pengangguran pemuda.", "Batas lahan tidak jelas dan belum disertifikasi."]
INPUTS = ["Warga meminta ronda malam digiatkan lagi.", "Rapat FKPM mengusulkan musyawarah adat.",
          "Tokoh agama bersedia menjadi penengah."]
ACTIONS = [("Ronda malam bergilir", Action.OwnerKind.FKPM_MEMBER, "Koordinator ronda"),
           ("Sambang ke rumah para pihak", Action.OwnerKind.OFFICER, ""),
           ("Pasang lampu jalan", Action.OwnerKind.VILLAGE_GOVERNMENT, "Perbekel"),
           ("Penyuluhan bahaya miras", Action.OwnerKind.PARTNER, "Yayasan Mitra Aman")]
SENSITIVE_REFERRALS = [Referral.To.UPTD_PPA, Referral.To.PPA_UNIT, Referral.To.HEALTH]


@dataclass
class Spec:
    key: str
    village: str
    category: str
    source: str
    stage: str
    opened_at: dt.datetime
    outcome: str = ""
    report: Report | None = None
    officer: Officer | None = None
    quiet_days: float = 1.0
    extra: dict = field(default_factory=dict)


def _uuid(seed: int, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{seed}:{key}")


def _outcome(rng: random.Random, sensitive: bool, resolved: bool) -> str:
    if sensitive:
        return rng.choice([Out.REFERRED_SERVICE, Out.REFERRED_CRIMINAL, Out.RESOLVED_ACTION])
    if resolved:
        return rng.choices([Out.RESOLVED_MEDIATION, Out.RESOLVED_ACTION], weights=[45, 55])[0]
    return rng.choices([Out.REFERRED_CRIMINAL, Out.REFERRED_SERVICE, Out.NOT_RESOLVED], weights=[3, 2, 5])[0]


def _report_specs(seed: int, reports: list[Report], end: dt.datetime) -> list[Spec]:
    specs = []
    for r in reports:
        # One draw stream per report: the choice holds whatever other reports exist.
        rng = random.Random(f"{seed}:case-of-report:{r.pk}")
        if rng.random() >= REPORT_SHARE:
            continue
        opened = r.created_at + dt.timedelta(hours=rng.uniform(2, 72))
        if r.status == Report.Status.IN_PROGRESS:
            stage, outcome = rng.choice(Case.OPEN_STAGES), ""
        else:
            stage = S.CLOSED
            outcome = _outcome(rng, r.sensitive, r.status == Report.Status.RESOLVED)
        specs.append(Spec(key=f"report:{r.pk}", village=r.village_id, category=r.category.code,
                          source=Case.Source.REPORT, stage=stage, outcome=outcome, report=r,
                          opened_at=min(opened, end - dt.timedelta(days=1)),
                          quiet_days=rng.choice([0.5, 2, 4, 9, 15])))
    return specs


def _detection_specs(seed: int, prefixes: list[str], start: dt.datetime,
                     end: dt.datetime) -> list[Spec]:
    specs = []
    detections = (Activity.objects.filter(prefix_q("village_id", prefixes), kind=Activity.Kind.DETECTION,
                                          occurred_at__gte=start, occurred_at__lt=end)
                  .select_related("officer").order_by("pk"))
    for a in detections.iterator():
        rng = random.Random(f"{seed}:case-of-detection:{a.pk}")
        if rng.random() >= DETECTION_SHARE:
            continue
        category = rng.choice(["fight", "alcohol", "drugs", "gambling", "land_dispute", "noise"])
        stage = rng.choice([*Case.OPEN_STAGES, S.CLOSED, S.CLOSED])
        specs.append(Spec(key=f"detection:{a.pk}", village=a.village_id, category=category,
                          source=Case.Source.DETECTION, stage=stage, officer=a.officer,
                          outcome=_outcome(rng, False, rng.random() < 0.7) if stage == S.CLOSED else "",
                          opened_at=a.occurred_at + dt.timedelta(hours=6), quiet_days=rng.choice([1, 3, 10])))
    return specs


def _pinned_specs(end: dt.datetime) -> list[Spec]:
    """The cases the demo accounts must find, whatever the random draw gave."""
    other = (Assignment.objects.filter(prefix_q("village_id", [PINNED_DISTRICT]), end__isnull=True)
             .exclude(village_id=PINNED_VILLAGE).order_by("village_id").values_list("village_id", flat=True))
    near = other[0] if other else PINNED_VILLAGE
    buleleng = list(Assignment.objects.filter(prefix_q("village_id", ["51.08"]), end__isnull=True)
                    .exclude(prefix_q("village_id", [PINNED_DISTRICT])).order_by("village_id")
                    .values_list("village_id", flat=True)[:40:8])
    days = lambda n: end - dt.timedelta(days=n)  # noqa: E731
    les = PINNED_VILLAGE
    rows = [
        ("dv-les-1", les, "domestic_violence", S.ANALYSIS, "", 20, 1, "report"),
        ("dv-les-2", les, "domestic_violence", S.CLOSED, Out.REFERRED_SERVICE, 90, 40, "report"),
        ("child-les", les, "child_abuse", S.RESPONSE, "", 25, 3, "report"),
        ("scan-les", les, "neighbour_dispute", S.SCANNING, "", 2, 0.5, "report"),
        ("analysis-les", les, "land_dispute", S.ANALYSIS, "", 12, 2, "detection"),
        ("response-les", les, "noise", S.RESPONSE, "", 30, 3, "meeting"),
        ("assess-les", les, "theft", S.ASSESSMENT, Out.RESOLVED_ACTION, 45, 1, "report"),
        ("mediated-les", les, "fight", S.CLOSED, Out.RESOLVED_MEDIATION, 60, 30, "report"),
        ("action-les", les, "alcohol", S.CLOSED, Out.RESOLVED_ACTION, 120, 70, "detection"),
        ("criminal-les", les, "gambling", S.CLOSED, Out.REFERRED_CRIMINAL, 100, 60, "detection"),
        ("unresolved-les", les, "traffic", S.CLOSED, Out.NOT_RESOLVED, 150, 90, "report"),
        ("quiet-les", les, "neighbour_dispute", S.RESPONSE, "", 40, 10, "report"),
        ("sv-near", near, "sexual_violence", S.RESPONSE, "", 15, 2, "report"),
        ("scan-near", near, "fight", S.SCANNING, "", 9, 9, "detection"),
        ("mediated-near", near, "land_dispute", S.CLOSED, Out.RESOLVED_MEDIATION, 80, 50, "meeting"),
    ]
    stages = [S.SCANNING, S.ANALYSIS, S.RESPONSE, S.ASSESSMENT, S.CLOSED]
    for i, code in enumerate(buleleng):
        stage = stages[i % len(stages)]
        category = ["theft", "fight", "land_dispute", "noise", "domestic_violence"][i % 5]
        outcome = Out.RESOLVED_ACTION if stage in (S.ASSESSMENT, S.CLOSED) else ""
        rows.append((f"buleleng-{i}", code, category, stage, outcome, 30 + i, 8 if i % 2 else 1, "detection"))
    return [Spec(key=f"pinned:{k}", village=v, category=c, stage=st, outcome=o, opened_at=days(age),
                 quiet_days=min(quiet, age), source=src)
            for k, v, c, st, o, age, quiet, src in rows]


def cases_generate(*, provinces: list[str] | None, year: int, seed: int,
                   progress: Callable[[int], None] | None = None, limit: int | None = None) -> int:
    """Make the demo cases in `provinces` (None: all) for `year`; returns how many are new.
    Safe to run again: a case already made (by its client UUID) is skipped."""
    prefixes = provinces or [""]
    end = min(timezone.now(), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC))
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    reports = list(Report.objects.filter(prefix_q("village_id", prefixes), spam=False,
                                         duplicate_of__isnull=True, created_at__lt=end)
                   .exclude(status=Report.Status.RECEIVED).select_related("category").order_by("pk")[:limit])
    specs = _report_specs(seed, reports, end) + _detection_specs(seed, prefixes, start, end)
    if any(p == "" or PINNED_DISTRICT.startswith(p) for p in prefixes):
        specs += _pinned_specs(end)
    done = set(Case.objects.filter(client_uuid__in=[_uuid(seed, s.key) for s in specs])
               .values_list("client_uuid", flat=True))
    categories = {c.code: c for c in Category.objects.all()}
    officers = dict(Assignment.objects.filter(end__isnull=True).select_related("officer")
                    .values_list("village_id", "officer"))
    made = []
    for spec in specs:
        if _uuid(seed, spec.key) not in done:
            with transaction.atomic():
                made.append(_build(spec, seed, categories, officers, end).pk)
        if progress:
            progress(1)
    cases_escalate(now=end)
    cases_publish(case_ids=made)  # the forums' public pages show them, as the pages' steps do
    return len(made)


def _build(spec: Spec, seed: int, categories: dict, officers: dict, end: dt.datetime) -> Case:
    """Write one case as it stands at `spec.stage`, with the timeline that got it there."""
    rng = random.Random(f"{seed}:{spec.key}")
    cat = categories[spec.category]
    officer = spec.officer or Officer.objects.filter(pk=officers.get(spec.village)).first()
    province = spec.village[:2]
    who = officer.name if officer else "Polsek"
    text = spec.report.description if spec.report else f"{cat.name_id} di desa, dilaporkan berulang."
    case = Case.objects.create(
        village_id=spec.village, category=cat, title=shortened(text, 80), statement=text,
        incidents_note="" if spec.report else "Temuan deteksi dini Bhabinkamtibmas.",
        recurring=rng.random() < 0.4, source=spec.source, stage=S.SCANNING, sensitive=cat.sensitive,
        assigned_officer=officer, opened_at=spec.opened_at, last_activity_at=spec.opened_at,
        client_uuid=_uuid(seed, spec.key),
        victim_name=names.person(rng, province, female=True) if cat.sensitive else "",
        reporter_name=names.person(rng, province) if cat.sensitive else "")
    if spec.report:
        CaseReport.objects.create(case=case, report=spec.report)
    steps = ORDER[1: ORDER.index(spec.stage) + 1]
    span = max((end - spec.opened_at).total_seconds() - spec.quiet_days * 86400, 3600)
    times = sorted(spec.opened_at + dt.timedelta(seconds=rng.uniform(600, span)) for _ in steps)
    if times and spec.stage != S.CLOSED:
        # An open case was last touched `quiet_days` ago: quiet ones are overdue and escalate.
        times[-1] = spec.opened_at + dt.timedelta(seconds=span)
    entries = [TimelineEntry(case=case, at=spec.opened_at, actor_name=who, kind="opened",
                             note=case.get_source_display())]
    for step, at in zip(steps, times, strict=True):
        _stage_content(case, step, at, rng, spec, who)
        entries.append(TimelineEntry(case=case, at=at, actor_name=who, kind=step))
    case.stage = spec.stage
    case.version = len(entries)
    case.last_activity_at = times[-1] if times else spec.opened_at
    if spec.stage == S.SCANNING and spec.quiet_days < 3:
        case.last_activity_at = max(spec.opened_at, end - dt.timedelta(days=spec.quiet_days))
    case.first_response_at = times[0] if times else None
    case.save()
    TimelineEntry.objects.bulk_create(entries)
    audit_record(actor=None, action="case.opened", obj=case, region_code=case.village_id,
                 detail={"simulated": True})
    return case


def _stage_content(case: Case, step: str, at: dt.datetime, rng: random.Random, spec: Spec,
                   who: str) -> None:
    province = case.village_id[:2]
    if step == S.ANALYSIS:
        case.triangle = {k: rng.choice(v) for k, v in TRIANGLES.items()}
        case.causes, case.community_input = rng.choice(CAUSES), rng.choice(INPUTS)
        if case.sensitive:
            _protection(case, at, rng)
    elif step == S.RESPONSE:
        case.plan = "Langkah bersama polisi, FKPM dan pemerintah desa."
        for desc, kind, owner in rng.sample(ACTIONS, 2):
            due = (at + dt.timedelta(days=rng.randint(5, 20))).date()
            done = spec.stage in (S.ASSESSMENT, S.CLOSED) or rng.random() < 0.3
            Action.objects.create(case=case, description=desc, owner_kind=kind, owner_name=owner or who,
                                  due=due, status=Action.Status.DONE if done else Action.Status.PLANNED,
                                  done_at=at + dt.timedelta(days=3) if done else None)
        if case.sensitive:
            Referral.objects.create(case=case, to=rng.choice(SENSITIVE_REFERRALS), sent_at=at,
                                    note="Pendampingan korban.", status=Referral.Status.ACCEPTED,
                                    accepted_at=at + dt.timedelta(days=1))
        elif spec.outcome == Out.RESOLVED_MEDIATION or (not spec.outcome and rng.random() < 0.3
                                                      and case.category.mediable):
            _mediation(case, at, rng, province, who)
    elif step == S.ASSESSMENT:
        case.outcome = spec.outcome or _outcome(rng, case.sensitive, True)
        case.evidence = "Tidak ada kejadian serupa sejak langkah dijalankan; dipantau saat sambang."
        case.community_satisfied = case.outcome in Case.RESOLVED or rng.random() < 0.4
        case.assessed_at = at
        if case.outcome == Out.REFERRED_CRIMINAL:
            Referral.objects.create(case=case, to=Referral.To.RESKRIM, sent_at=at)
    elif step == S.CLOSED:
        case.closed_at = at
        case.public_summary = "" if case.sensitive else DEFAULT_SUMMARY[case.outcome]


def _mediation(case: Case, at: dt.datetime, rng: random.Random, province: str, who: str) -> None:
    m = Mediation.objects.create(
        case=case, held_on=at.date(), place=rng.choice(["Balai Banjar", "Kantor Perbekel", "Pos Bhabin"]),
        mediator_officer=case.assigned_officer, fkpm_mediators=[names.person(rng, province)],
        terms="Para pihak saling memaafkan, pihak kedua mengganti kerugian dan berjanji tidak "
              "mengulangi perbuatannya.")
    for side in MediationParty.Side.values:
        MediationParty.objects.create(mediation=m, side=side, name=names.person(rng, province))


def _protection(case: Case, at: dt.datetime, rng: random.Random) -> None:
    answers = {k: rng.random() < 0.3 for k in QUESTIONS}
    score, level = risk_level(answers)
    RiskAssessment.objects.create(case=case, answers=answers, score=score, level=level, at=at)
    SafetyPlan.objects.create(case=case, safe_place="Rumah keluarga korban di desa tetangga",
                              trusted_contacts="Kakak korban; Bhabinkamtibmas desa",
                              steps="Simpan nomor 110 dan SAPA 129; bila diancam, pergi ke rumah aman.")

