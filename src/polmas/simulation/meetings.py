"""Demo FKPM meetings: agenda, attendance, minutes, decisions, action items and issues raised.

Active forums meet about monthly, dormant ones now and then, forming ones once or twice. Each
meeting carries a client UUID derived from the seed, the forum and its number, and each forum
draws from its own random stream, so a re-run finds the meetings already made and adds none
twice (and the same seed gives the same meetings whatever was generated before). Forums in
Tejakula (51.08.09), where the demo accounts work, meet every month; the `fkpm` account's forum
in Desa Les raises several issues at each meeting, a sealed domestic-violence matter among them.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from polmas.core.scope import prefix_q
from polmas.forums.models import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    MeetingActionItem,
    MeetingIssue,
    Member,
)
from polmas.simulation import names
from polmas.simulation.plan import PINNED_VILLAGE

NAMESPACE = uuid.UUID("3d0c6a8e-51f2-4b7e-9a41-7c2e5b8d9f10")
DEMO_DISTRICT = "51.08.09"  # Tejakula
BATCH = 300  # forums per transaction

AGENDAS = [
    "Evaluasi keamanan dan ketertiban desa bulan lalu; rencana ronda malam.",
    "Pembahasan laporan warga dan tindak lanjut bersama Bhabinkamtibmas.",
    "Persiapan pengamanan upacara adat dan hari raya.",
    "Sosialisasi bahaya narkoba dan minuman keras bagi remaja.",
    "Penanganan parkir liar dan balap liar di jalan desa.",
    "Koordinasi siskamling dan jadwal pos ronda.",
    "Mediasi sengketa warga dan pencegahan konflik.",
    "Kesiapsiagaan bencana dan pengamanan rumah warga yang mengungsi.",
]
MINUTES = [
    "Rapat dibuka oleh ketua FKPM. Bhabinkamtibmas menyampaikan situasi kamtibmas bulan lalu. "
    "Warga menyampaikan beberapa masalah; disepakati tindak lanjut sebagaimana tercatat.",
    "Sekretaris membacakan hasil rapat sebelumnya. Tindak lanjut dibahas satu per satu; "
    "masalah baru dicatat dan dibagi penanggung jawabnya.",
    "Rapat membahas jadwal ronda dan laporan warga. Perwakilan pemerintah desa dan tokoh adat "
    "hadir dan mendukung kesepakatan.",
]
DECISIONS = [
    "Ronda malam diaktifkan kembali dua kali seminggu.",
    "Pos ronda diperbaiki secara gotong royong.",
    "Warga diimbau melapor ke Bhabinkamtibmas atau FKPM bila ada kejadian.",
    "Jam malam bagi remaja di bawah umur pukul 22.00 diberlakukan bersama orang tua.",
    "Penerangan jalan di titik rawan diusulkan ke pemerintah desa.",
    "Sengketa diselesaikan secara musyawarah dengan pendampingan FKPM.",
    "Sosialisasi bahaya narkoba di sekolah dilaksanakan bulan depan.",
]
ACTIONS = [
    "Menyusun jadwal ronda baru", "Memperbaiki lampu jalan di gang rawan",
    "Menemui keluarga yang bersengketa", "Mengusulkan polisi tidur ke pemerintah desa",
    "Mengadakan penyuluhan kamtibmas di balai banjar", "Memasang papan larangan parkir",
    "Mendata rumah kosong yang ditinggal pemiliknya",
]
BODIES = ["Kepala Desa", "Karang Taruna", "Bhabinkamtibmas", "Babinsa", "Ketua RT", "Linmas"]
ISSUES = {
    "theft": ["Beberapa sepeda motor hilang di parkiran pasar.", "Kandang ayam warga dibobol."],
    "fight": ["Perkelahian pemuda antar banjar setelah pertandingan."],
    "neighbour_dispute": ["Warga berselisih soal saluran air sawah."],
    "land_dispute": ["Sengketa batas tanah kebun belum selesai."],
    "noise": ["Musik keras dari warung sampai lewat tengah malam."],
    "alcohol": ["Remaja minum arak di pos ronda."],
    "traffic": ["Balap liar di jalan desa setiap malam Minggu.", "Parkir liar menutup jalan sekolah."],
    "gambling": ["Ada sabung ayam dengan taruhan di ujung desa."],
    "other": ["Lampu jalan di tikungan mati, warga khawatir.", "Anjing liar berkeliaran di pantai."],
    "domestic_violence": ["Seorang ibu dilaporkan sering dipukul suaminya."],
    "child_abuse": ["Seorang anak diduga sering dianiaya walinya."],
}
ISSUE_WEIGHTS = {
    "theft": 14, "fight": 6, "neighbour_dispute": 9, "land_dispute": 5, "noise": 7, "alcohol": 6,
    "traffic": 10, "gambling": 3, "other": 8, "domestic_violence": 2, "child_abuse": 1,
}  # fmt: skip
OUTCOMES = {
    "theft": "Patroli malam ditambah dan warga diimbau memasang kunci ganda.",
    "fight": "Kedua pihak dipertemukan dan sepakat berdamai dengan saksi tokoh adat.",
    "neighbour_dispute": "Dimediasi FKPM; pembagian air disepakati bersama.",
    "land_dispute": "Dirujuk ke pemerintah desa untuk pengukuran ulang batas.",
    "noise": "Pemilik warung sepakat menutup pukul 23.00.",
    "alcohol": "Orang tua dipanggil dan remaja ikut penyuluhan.",
    "traffic": "Polisi tidur dipasang dan patroli malam Minggu dilakukan.",
    "gambling": "Kegiatan dihentikan setelah peringatan bersama tokoh adat.",
    "other": "Diteruskan ke pemerintah desa dan sudah ditangani.",
}
SENSITIVE = ("domestic_violence", "child_abuse")


def _meeting_days(rng: random.Random, year: int, count: int) -> list[dt.date]:
    months = sorted(rng.sample(range(1, 13), min(count, 12)))
    return [dt.date(year, m, rng.randint(3, 26)) for m in months]


def _outcome(rng: random.Random, category: str, age_days: int) -> tuple[str, str]:
    """(status, public text): older issues are more often settled."""
    settled = min(0.85, 0.2 + age_days / 400)
    roll, refer = rng.random(), rng.random()  # always two draws: the stream does not hang on today
    if roll < settled:
        status = "referred" if category == "land_dispute" or refer < 0.1 else "resolved"
    elif roll < settled + 0.2:
        status = "in_progress"
    else:
        status = "open"
    if category in SENSITIVE:
        return ("referred" if status in ("resolved", "referred") else status), ""
    return status, OUTCOMES.get(category, "") if status in ("resolved", "referred") else ""


def meetings_generate(*, provinces: list[str] | None, year: int, seed: int,
                      progress: Callable[[int], None] | None = None) -> int:
    """Meetings of the forums in `provinces` (None: all) during `year`; returns how many are new.
    Safe to run again: meetings already made are found by their UUID and left alone."""
    forums = Forum.objects.exclude(status=Forum.Status.DISSOLVED).select_related("village")
    if provinces:
        forums = forums.filter(prefix_q("village_id", provinces))
    forum_list = list(forums.order_by("village_id", "name"))
    pinned = (Forum.objects.filter(village_id=PINNED_VILLAGE).order_by("pk")
              .values_list("pk", flat=True).first())
    now, made = timezone.now(), 0
    for start in range(0, len(forum_list), BATCH):
        batch = forum_list[start:start + BATCH]
        with transaction.atomic():
            made += _generate_batch(batch, year=year, seed=seed, now=now, pinned=pinned)
        if progress:
            progress(len(batch))
    return made


def _generate_batch(forums: list[Forum], *, year: int, seed: int, now: dt.datetime,
                    pinned: int | None) -> int:
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for forum_id, pk, name in (Member.objects.filter(forum__in=forums, active=True)
                               .order_by("pk").values_list("forum_id", "pk", "name")):
        members[forum_id].append((pk, name))
    planned = []  # (meeting, children)
    for forum in forums:
        rng = random.Random(f"{seed}:meetings:{forum.village_id}:{forum.name}")
        demo = forum.village_id.startswith(DEMO_DISTRICT + ".")
        if forum.status == Forum.Status.ACTIVE:
            count = 12 if demo else max(1, round(12 * rng.uniform(0.35, 1.0)))
        elif forum.status == Forum.Status.DORMANT:
            count = rng.randint(0, 2)
        else:
            count = rng.randint(0, 1)
        hours = forum.village.utc_offset or 8
        zone = dt.timezone(dt.timedelta(hours=hours))
        for i, day in enumerate(_meeting_days(rng, year, count)):
            key = uuid.uuid5(NAMESPACE, f"{seed}:{year}:{forum.village_id}:{forum.name}:{i}")
            held_at = dt.datetime.combine(day, dt.time(rng.choice([16, 19, 19, 20]), rng.choice([0, 30])),
                                          tzinfo=zone)
            children = _children(rng, forum, members[forum.pk], held_at, now,
                                 rich=forum.pk == pinned, province=forum.village_id[:2])
            status = Meeting.Status.HELD if held_at <= now else Meeting.Status.PLANNED
            meeting = Meeting(
                forum=forum, village_id=forum.village_id, held_at=held_at, status=status,
                place=forum.meeting_place or "Balai desa", agenda=rng.choice(AGENDAS),
                minutes=rng.choice(MINUTES) if status == Meeting.Status.HELD else "",
                others_men=rng.randint(3, 25), others_women=rng.randint(2, 20),
                others_unspecified=rng.choice([0, 0, 0, 1, 2]), client_uuid=key,
            )
            if status == Meeting.Status.PLANNED:
                meeting.others_men = meeting.others_women = meeting.others_unspecified = 0
                children = {k: [] for k in children}
            planned.append((meeting, children))
    existing = set(Meeting.objects.filter(client_uuid__in=[m.client_uuid for m, _ in planned])
                   .values_list("client_uuid", flat=True))
    fresh = [(m, c) for m, c in planned if m.client_uuid not in existing]
    if not fresh:
        return 0
    Meeting.objects.bulk_create([m for m, _ in fresh], batch_size=1000)
    rows: dict[str, list] = defaultdict(list)
    for meeting, children in fresh:
        for kind, objects in children.items():
            for obj in objects:
                obj.meeting_id = meeting.pk
                rows[kind].append(obj)
    for model, kind in ((Attendance, "attendance"), (Decision, "decisions"),
                        (MeetingActionItem, "actions"), (MeetingIssue, "issues")):
        model.objects.bulk_create(rows[kind], batch_size=2000)
    return len(fresh)


def _children(rng: random.Random, forum: Forum, members: list[tuple[int, str]], held_at: dt.datetime,
              now: dt.datetime, *, rich: bool, province: str) -> dict[str, list]:
    """Attendance, decisions, action items and issues of one meeting (drawn even for a planned
    meeting, so that each forum's random stream does not depend on today's date)."""
    attendance = [Attendance(member_id=pk, present=rng.random() < 0.75) for pk, _ in members]
    decisions = [Decision(text=t, position=j + 1)
                 for j, t in enumerate(rng.sample(DECISIONS, rng.randint(1, 3)))]
    actions = []
    for j in range(rng.randint(1, 3)):
        owner = rng.choice(members)[1] if members and rng.random() < 0.6 else rng.choice(BODIES)
        due = (held_at + dt.timedelta(days=rng.choice([7, 14, 30]))).date()
        late, settled = rng.choice(["done", "done", "done", "in_progress", "dropped"]), rng.random()
        status = late if due < now.date() and settled < 0.8 else ("open" if settled < 0.5 else "in_progress")
        actions.append(MeetingActionItem(description=rng.choice(ACTIONS), owner_name=owner, due_on=due,
                                         status=status, position=j + 1))
    issues = []
    count = rng.randint(2, 4) if rich else rng.choices([0, 1, 2, 3], weights=[2, 4, 3, 1])[0]
    categories = rng.choices(list(ISSUE_WEIGHTS), weights=list(ISSUE_WEIGHTS.values()), k=count)
    if rich and held_at.month % 3 == 0:  # Desa Les: the programme's own domestic-violence example
        categories[-1] = "domestic_violence"
    age = max(0, (now - held_at).days)
    for j, category in enumerate(categories):
        sensitive = category in SENSITIVE
        status, outcome = _outcome(rng, category, age)
        answered = min(now, held_at + dt.timedelta(days=rng.randint(3, 40)))
        raised_by = names.person(rng, province) if not sensitive and rng.random() < 0.4 else ""
        issues.append(MeetingIssue(
            text=rng.choice(ISSUES[category]), category_code=category, raised_by=raised_by,
            sensitive=sensitive, outcome_status=status, outcome_public=outcome,
            outcome_at=answered if status != "open" else None,
            position=j + 1,
        ))
    return {"attendance": attendance, "decisions": decisions, "actions": actions, "issues": issues}
