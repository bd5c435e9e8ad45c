"""Write the planned officers, postings, forums and members, province by province.

Every row has a natural key (NRP, village + forum name, forum + member name), and rows
are inserted with ON CONFLICT DO NOTHING, so a re-run, or a run after an interrupted
one, completes the data without duplicating any of it.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from polmas.core.fields import encrypt
from polmas.forums.models import Forum, Member
from polmas.policing.models import Assignment, Equipment, Officer, PoliceUnit, Training
from polmas.regions import codes
from polmas.regions.models import Region
from polmas.simulation import names
from polmas.simulation.bulk import insert_ignore
from polmas.simulation.plan import national_quotas, plan_regency

RANKS = ["brigpol", "bripka", "bripka", "aipda", "aipda", "aiptu", "briptu"]
COURSES = [
    ("Pelatihan Polmas dasar", "SPN Polda"),
    ("Mediasi dan penyelesaian masalah", "Pusdik Binmas"),
    ("Deteksi dini dan sambang", "Pusdik Binmas"),
    ("Penanganan KDRT dan perlindungan anak", "Unit PPA Polres"),
    ("Tanggap bencana", "BPBD"),
]
CUSTOMARY_NAMES = {"51": "Pecalang", "13": "Kerapatan Adat Nagari", "11": "Tuha Peuet"}
GROUPS = [g for g, _ in Member.Group.choices]
MEMBER_ROLES = ["chair", "vice_chair", "secretary", "treasurer"]


@dataclass
class Existing:
    """Natural keys already in the database when the run started (read once)."""

    nrps: set[str]
    forums: set[tuple[str, str]]

    @property
    def guard(self) -> bool:
        """False on a first run into empty tables: nothing can collide, skip ON CONFLICT."""
        return bool(self.nrps or self.forums)


@dataclass
class Totals:
    officers: int = 0
    forums: int = 0


def nrp_for(regency_index: int, i: int, yymm: list[str]) -> str:
    """A unique, stable 8-digit NRP (birth year and month, then a serial)."""
    n = regency_index * 1000 + i
    return f"{yymm[n // 10000]}{n % 10000:04d}"


def generate(*, provinces: list[str] | None, year: int, seed: int,
             progress: Callable[[int], None] | None = None) -> Totals:
    """Generate the planned data for `provinces` (all when None). Idempotent."""
    quotas = national_quotas(seed)
    regency_codes = sorted(quotas)
    index = {c: i for i, c in enumerate(regency_codes)}
    rng0 = random.Random(f"{seed}:nrp")
    yymm = [f"{yy:02d}{mm:02d}" for yy in range(75, 100) for mm in range(1, 13)]
    rng0.shuffle(yymm)
    units = dict(PoliceUnit.objects.filter(kind="polsek").values_list("region_id", "pk"))
    villages_by_regency: dict[str, list[str]] = {}
    village_names: dict[str, str] = {}
    wanted = set(provinces) if provinces else None
    for code, name in Region.objects.filter(level=codes.VILLAGE).values_list("code", "name"):
        if wanted is None or code[:2] in wanted:
            villages_by_regency.setdefault(code[:5], []).append(code)
            village_names[code] = name
    existing = Existing(
        nrps=set(Officer.objects.values_list("nrp", flat=True)),
        forums=set(Forum.objects.values_list("village_id", "name")),
    )
    totals = Totals()
    for province in sorted({c[:2] for c in villages_by_regency}):
        with transaction.atomic():
            for reg in sorted(c for c in villages_by_regency if c[:2] == province):
                n_off, n_forums = quotas[reg]
                plan = plan_regency(reg, villages_by_regency[reg], n_off, n_forums, seed)
                rng = random.Random(f"{seed}:{reg}:people")
                _write_officers(plan.officers, reg, index[reg], yymm, units, rng, year, existing)
                _write_forums(plan.forum_villages, reg, units, rng, year, existing, village_names)
                totals.officers += len(plan.officers)
                totals.forums += len(plan.forum_villages)
                if progress:
                    progress(len(villages_by_regency[reg]))
    return totals


def _write_officers(officers: list[list[str]], reg: str, reg_index: int, yymm: list[str],
                    units: dict[str, int], rng: random.Random, year: int, existing: "Existing") -> None:
    province = reg[:2]
    planned = []
    for i, villages in enumerate(officers):
        planned.append((nrp_for(reg_index, i, yymm), villages,
                        names.officer_name(rng, province), rng.choice(RANKS),
                        names.phone(rng), rng.random(), rng.random(), rng.random()))
    fresh = [p for p in planned if p[0] not in existing.nrps]
    insert_ignore(Officer, ["nrp", "name", "rank", "unit_id", "function", "phone", "email",
                            "active"],
                  [(nrp, name, rank, units[vs[0][:8]], "bhabinkamtibmas", encrypt(phone), "",
                    True) for nrp, vs, name, rank, phone, *_ in fresh], guard=existing.guard)
    ids = dict(Officer.objects.filter(nrp__in=[p[0] for p in fresh]).values_list("nrp", "pk"))
    assignments, trainings, equipment = [], [], []
    for nrp, villages, _name, _rank, _phone, r1, r2, r3 in fresh:
        pk = ids[nrp]
        start = dt.date(year - 1 - int(r1 * 4), 1 + int(r2 * 12), 1 + int(r3 * 28))
        assignments += [(pk, v, start) for v in villages]
        if r1 < 0.7:
            course, provider = COURSES[int(r2 * len(COURSES))]
            trainings.append((pk, course, provider, start + dt.timedelta(days=30 + int(r3 * 300)), ""))
        unit = units[villages[0][:8]]
        if r2 < 0.8:
            cond = "good" if r3 < 0.55 else ("fair" if r3 < 0.85 else "poor")
            equipment.append((unit, pk, "motorbike", "", cond, start))
        if r3 < 0.75:
            equipment.append((unit, pk, "phone", "", "good" if r1 < 0.7 else "fair", start))
    insert_ignore(Assignment, ["officer_id", "region_code", "start"], assignments,
                  guard=existing.guard)
    # Trainings and equipment belong to officers inserted just now: nothing to collide with.
    insert_ignore(Training, ["officer_id", "course", "provider", "completed_on", "certificate"],
                  trainings, guard=False)
    insert_ignore(Equipment, ["unit_id", "officer_id", "kind", "description", "condition",
                              "acquired_on"], equipment, guard=False)


def _forum_fields(village: str, rng: random.Random) -> tuple[str, str, str, str]:
    """(name, model, zone_kind, local_name) for the forum of `village`."""
    province, city = village[:2], village[3:5] >= "71"
    roll = rng.random()
    if province in CUSTOMARY_NAMES and roll < (0.4 if province == "51" else 0.2):
        local = CUSTOMARY_NAMES[province]
        return f"{local} {village}", "customary", "", local
    if city and roll > 0.9:
        kind = rng.choice(["market", "campus", "industrial"])
        label = {"market": "Pasar", "campus": "Kampus", "industrial": "Kawasan Industri"}[kind]
        return f"FKPM {label} {village}", "zone", kind, ""
    return f"FKPM {village}", "area", "", ""


def _write_forums(villages: list[str], reg: str, units: dict[str, int], rng: random.Random,
                  year: int, existing: "Existing", village_names: dict[str, str]) -> None:
    planned = []
    for v in villages:
        name, model, zone_kind, local = _forum_fields(v, rng)
        name = name.replace(v, village_names.get(v, v))
        founded = dt.date(rng.randint(2008, year), rng.randint(1, 12), rng.randint(1, 28))
        status = "active" if rng.random() < 0.86 else rng.choice(["dormant", "forming"])
        planned.append((name, model, zone_kind, local, v, units.get(v[:8]), status, founded, ""))
    fresh = [p for p in planned if (p[4], p[0]) not in existing.forums]
    insert_ignore(Forum, ["name", "model", "zone_kind", "local_name", "region_code", "unit_id",
                          "status", "founded_on", "meeting_place"], fresh, guard=existing.guard)
    ids = dict(((v, n), pk) for v, n, pk in Forum.objects.filter(
        village_id__in=[p[4] for p in fresh]).values_list("village_id", "name", "pk"))
    members = []
    for p in fresh:
        pk, seen = ids[(p[4], p[0])], set()
        for j in range(rng.randint(4, 8)):
            person = names.person(rng, reg[:2])
            if person in seen:
                continue
            seen.add(person)
            role = MEMBER_ROLES[j] if j < len(MEMBER_ROLES) else "member"
            contact = encrypt(names.phone(rng)) if role in ("chair", "secretary") else ""
            members.append((pk, person, role, rng.choice(GROUPS), contact, "", True, p[7]))
    insert_ignore(Member, ["forum_id", "name", "role", "group", "phone", "email", "active",
                           "joined_on"], members, guard=existing.guard)


def today() -> dt.date:
    return timezone.localdate()
