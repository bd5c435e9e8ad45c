"""Demo and simulated officer activities, a few security rosters and a disaster-mode example.

Every active Bhabinkamtibmas posting gets a year of field work: household visits most weeks,
patrols, outreach about once a month, early-detection reports and coordination with the
village government now and then. Each activity's client UUID is derived from the seed, the
village, the week and the kind (uuid5), so a re-run inserts nothing twice; rows are written
with one INSERT per batch and no query per row.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator

from django.db import connection, transaction
from django.utils import timezone

from polmas.activities.models import Activity, DisasterMode, Post, Roster, Volunteer
from polmas.activities.rosters import rotation_store
from polmas.core.scope import prefix_q
from polmas.policing.models import Assignment, Officer
from polmas.regions.models import Region
from polmas.simulation import names
from polmas.simulation.bulk import insert_ignore

NAMESPACE = uuid.UUID("3b7e6a52-1c4d-4f0e-9a8b-5d2c7e1f9a30")
BATCH = 20_000
# Chance per village and week of each kind of activity.
WEEKLY = {"visit": 0.85, "patrol": 0.5, "outreach": 0.22, "detection": 0.1, "coordination": 0.15}
ISSUES = ["Warga mengeluhkan pencurian ternak.", "Ada keluhan soal pemuda mabuk di pos ronda.",
          "Sengketa batas tanah antar tetangga.", "Lampu jalan mati, warga khawatir.",
          "Parkir liar dekat sekolah.", "Warga menanyakan cara membuat laporan.",
          "Tidak ada keluhan, situasi aman.", "Keluhan soal balap liar malam minggu."]
TOPICS = ["Bahaya narkoba bagi remaja", "Pencegahan kekerasan dalam rumah tangga",
          "Waspada penipuan daring", "Tertib lalu lintas", "Siskamling dan ronda malam",
          "Kesiapsiagaan bencana", "Perlindungan anak", "Bahaya minuman keras"]
PATROLS = ["Patroli dialogis di pasar desa.", "Patroli malam bersama linmas.",
           "Patroli sekolah pagi hari.", "Sambang pos kamling."]
DETECTIONS = ["Rencana pertandingan yang berpotensi memicu tawuran antar pemuda.",
              "Isu sengketa lahan yang memanas menjelang musim tanam.",
              "Pendatang baru tanpa laporan ke kepala dusun.",
              "Ketegangan antar kelompok menjelang acara adat."]
COORDINATION = ["Rapat koordinasi dengan perbekel soal keamanan upacara.",
                "Koordinasi dengan kepala desa tentang dana siskamling.",
                "Koordinasi dengan babinsa dan perangkat desa."]
TEXTS = {"patrol": PATROLS, "detection": DETECTIONS, "coordination": COORDINATION}
COLUMNS = ["kind", "region_code", "officer_id", "occurred_at", "households", "issues_heard", "topic",
           "audience", "summary", "latitude", "longitude", "client_uuid", "created_at"]


def _postings(provinces: list[str] | None) -> list[tuple[int, str, float | None, float | None, int]]:
    qs = Assignment.objects.filter(end__isnull=True, officer__active=True,
                                   officer__function=Officer.Function.BHABINKAMTIBMAS)
    if provinces:
        qs = qs.filter(prefix_q("village_id", provinces))
    return list(qs.order_by("village_id").values_list(
        "officer_id", "village_id", "village__latitude", "village__longitude", "village__utc_offset"))


def _db_values() -> tuple[Callable[[dt.datetime], object], Callable[[uuid.UUID], object]]:
    """How a UTC datetime and a UUID are written by this database, without Django's per-value path."""
    if connection.vendor == "sqlite":
        return (lambda d: d.replace(tzinfo=None).isoformat(" ")), (lambda u: u.hex)
    return (lambda d: d), (lambda u: u)


def _rows(posting: tuple, seed: int, year: int, start: dt.datetime, end: dt.datetime,
          weekly: dict[str, float]) -> Iterator[tuple]:
    officer_id, code, lat, lon, offset = posting
    rng = random.Random(f"{seed}:activities:{code}")
    rand = rng.random
    local = dt.timedelta(hours=offset or 7)
    when_db, uuid_db = _db_values()
    week, week_start = 0, start
    while week_start < end:
        for kind, chance in weekly.items():
            if rand() >= chance:
                continue
            # A working hour (07:00-20:59 local) on one day of the week, kept in UTC.
            when = week_start + dt.timedelta(days=int(rand() * 7), hours=7 + int(rand() * 14),
                                             minutes=int(rand() * 60)) - local
            if not start <= when < end:
                continue
            households = audience = None
            issues = topic = summary = ""
            if kind == "visit":
                households, issues = 2 + int(rand() * 14), ISSUES[int(rand() * len(ISSUES))]
            elif kind == "outreach":
                topic, audience = TOPICS[int(rand() * len(TOPICS))], 15 + int(rand() * 106)
            else:
                texts = TEXTS[kind]
                summary = texts[int(rand() * len(texts))]
            here = lat is not None and lon is not None and rand() < 0.6
            yield (kind, code, officer_id, when_db(when), households, issues, topic, audience, summary,
                   round(lat + (rand() - .5) / 100, 6) if here else None,
                   round(lon + (rand() - .5) / 100, 6) if here else None,
                   uuid_db(uuid.uuid5(NAMESPACE, f"{seed}:{year}:{code}:{week}:{kind}")),
                   when_db(when + dt.timedelta(minutes=1 + int(rand() * 600))))
        week_start += dt.timedelta(days=7)
        week += 1


def _write(rows: list[tuple], *, guard: bool) -> None:
    """Insert rows whose client UUID is new. PostgreSQL takes them by COPY (several times the
    speed of INSERT), after one query per batch drops those already there; SQLite by INSERT
    ... ON CONFLICT DO NOTHING."""
    if connection.vendor != "postgresql":
        insert_ignore(Activity, COLUMNS, rows, batch=BATCH, guard=guard)
        return
    if guard:
        at = COLUMNS.index("client_uuid")
        have = set(Activity.objects.filter(client_uuid__in=[r[at] for r in rows])
                   .values_list("client_uuid", flat=True))
        rows = [r for r in rows if r[at] not in have]
    table = connection.ops.quote_name(Activity._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def activities_generate(*, provinces: list[str] | None, year: int, seed: int,
                        progress: Callable[[int], None] | None = None, intensity: float = 1.0) -> int:
    """A year of activities for every active Bhabinkamtibmas in `provinces` (None: all), plus
    demo rosters and a disaster-mode example; returns the number of postings worked through.
    `intensity` scales how often each kind happens (1.0: about 95 activities a posting a year).
    Safe to run again with the same arguments: nothing is added twice."""
    weekly = {kind: min(1.0, chance * intensity) for kind, chance in WEEKLY.items()}
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = min(timezone.now(), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC))
    postings = _postings(provinces)
    guard = Activity.objects.exists()  # an empty table needs no ON CONFLICT on the first run
    buffer: list[tuple] = []
    for n, posting in enumerate(postings, 1):
        if start < end:
            buffer.extend(_rows(posting, seed, year, start, end, weekly))
        if len(buffer) >= BATCH or n == len(postings):
            with transaction.atomic():
                _write(buffer, guard=guard)
            buffer = []
        if progress:
            progress(1)
    demo_rosters_create(provinces=provinces, seed=seed)
    return len(postings)


# --- rosters and disaster mode ------------------------------------------------------------------

DEMO_ROSTERS = [
    # village, name, kind, posts, volunteers, per post, weekdays
    ("51.08.09.2007", "Ronda Desa Les", Roster.Kind.RONDA, ["Pos Kamling Banjar Kawan", "Pos Kamling Pantai"],
     14, 2, "0123456"),
    ("51.08.09.2006", "Siskamling Desa Tejakula", Roster.Kind.RONDA, ["Pos Balai Banjar"], 8, 2, "4560"),
    ("51.07.08.2001", "Pengamanan bergilir pascaerupsi", Roster.Kind.DISASTER,
     ["Pos Pengungsian", "Pos Jalan Desa"], 16, 2, "0123456"),
    ("34.04.07.2001", "Ronda Kampung Caturtunggal", Roster.Kind.RONDA, ["Pos Ronda RW 01"], 8, 2, "0123456"),
]
DEMO_DISASTER = ("51.07.08", DisasterMode.Kind.VOLCANO,
                 "Erupsi Gunung Agung: rumah kosong warga yang mengungsi perlu dijaga bergilir.")


@transaction.atomic
def demo_rosters_create(*, provinces: list[str] | None, seed: int) -> int:
    """The demo's rosters (one in Tejakula) and a disaster mode in Kubu, Karangasem; only those
    whose province is simulated, each made once."""
    wanted = [r for r in DEMO_ROSTERS if provinces is None or r[0][:2] in provinces]
    prefix, kind, reason = DEMO_DISASTER
    if (provinces is None or prefix[:2] in provinces) and Region.objects.filter(code=prefix).exists() \
            and not DisasterMode.objects.filter(prefix=prefix).exists():
        DisasterMode.objects.create(prefix=prefix, kind=kind, reason=reason,
                                    started_at=timezone.now() - dt.timedelta(days=3))
    made = 0
    for village, name, kind, posts, people, per_post, weekdays in wanted:
        key = uuid.uuid5(NAMESPACE, f"{seed}:roster:{village}:{name}")
        if Roster.objects.filter(client_uuid=key).exists() or not Region.objects.filter(
                code=village).exists():
            continue
        rng = random.Random(f"{seed}:roster:{village}")
        roster = Roster.objects.create(village_id=village, name=name, kind=kind, start=timezone.localdate(),
                                       nights=28, weekdays=weekdays, per_post=per_post, max_per_week=2,
                                       client_uuid=key)
        Post.objects.bulk_create([Post(roster=roster, name=p, order=i) for i, p in enumerate(posts)])
        Volunteer.objects.bulk_create([
            Volunteer(roster=roster, name=names.person(rng, village[:2]), order=i,
                      phone=names.phone(rng) if rng.random() < 0.5 else "",
                      available="".join(sorted(rng.sample("0123456", rng.randint(4, 7)))))
            for i in range(people)])
        rotation_store(roster)
        made += 1
    return made
