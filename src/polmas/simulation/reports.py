"""Demo reports across channels and categories, with a realistic spread of progress.

Each report has a client UUID derived from the seed and its number, so a re-run finds the
reports already made and adds none twice.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from polmas.regions.models import Region
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Event, Report
from polmas.reports.routing import route_batch
from polmas.simulation import names

NAMESPACE = uuid.UUID("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f")
CATEGORY_WEIGHTS = {
    "theft": 20, "fight": 8, "neighbour_dispute": 10, "land_dispute": 6, "noise": 8, "drugs": 4,
    "gambling": 4, "alcohol": 6, "traffic": 8, "online_fraud": 6, "missing_person": 1,
    "disaster_security": 2, "domestic_violence": 3, "sexual_violence": 1, "child_abuse": 1,
    "trafficking": 0.3, "other": 5,
}  # fmt: skip
CHANNEL_WEIGHTS = {"web": 35, "sms": 25, "whatsapp": 25, "api": 5, "open311": 5, "officer": 5}
TEXTS = {
    "theft": ["Sepeda motor dicuri di depan rumah malam tadi.", "Ponsel hilang diambil orang di pasar."],
    "fight": ["Ada tawuran pemuda di lapangan desa.", "Perkelahian di warung setelah minum."],
    "neighbour_dispute": ["Cekcok dengan tetangga soal saluran air.", "Ribut soal batas pagar."],
    "land_dispute": ["Sengketa batas tanah kebun dengan keluarga sebelah."],
    "noise": ["Musik keras setiap malam sampai pagi.", "Knalpot brong mengganggu warga."],
    "drugs": ["Dicurigai ada transaksi narkoba di rumah kosong."],
    "gambling": ["Ada judi sabung ayam setiap minggu."],
    "alcohol": ["Pemuda mabuk arak di pos ronda."],
    "traffic": ["Parkir liar menutup jalan ke sekolah.", "Balap liar setiap malam minggu."],
    "online_fraud": ["Tertipu jual beli online, uang sudah ditransfer."],
    "missing_person": ["Anak belum pulang sejak kemarin sore."],
    "disaster_security": ["Rumah yang ditinggal mengungsi dijarah."],
    "domestic_violence": ["Tetangga sering dipukul suaminya."],
    "sexual_violence": ["Pelecehan terhadap remaja di jalan sepi."],
    "child_abuse": ["Anak sering dipukul oleh walinya."],
    "trafficking": ["Ada tawaran kerja ke luar negeri yang mencurigakan."],
    "other": ["Lampu jalan mati, warga khawatir."],
}
PROGRESS = [("resolved", 0.5), ("in_progress", 0.22), ("received", 0.22), ("closed", 0.06)]
SUMMARY = {"resolved": "Diselesaikan bersama FKPM dan Bhabinkamtibmas."}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def reports_generate(*, provinces: list[str] | None, year: int, seed: int, count: int,
                     progress: Callable[[int], None] | None = None) -> int:
    """Make up to `count` reports in the villages of `provinces`; returns how many are new."""
    rng = random.Random(f"{seed}:reports")
    villages = Region.objects.filter(level=4)
    if provinces:
        villages = villages.filter(code__regex=r"^(" + "|".join(provinces) + r")\.")
    pool = list(villages.order_by("code").values_list("code", flat=True))
    if not pool:
        return 0
    ids = [uuid.uuid5(NAMESPACE, f"{seed}:{i}") for i in range(count)]
    done = set(Report.objects.filter(client_uuid__in=ids).values_list("client_uuid", flat=True))
    end = min(timezone.now(), dt.datetime(year, 12, 31, 23, 59, tzinfo=dt.UTC))
    start = end - dt.timedelta(days=365)
    made = 0
    for client_uuid in ids:
        code = rng.choice(pool)
        category, channel = _pick(rng, CATEGORY_WEIGHTS), _pick(rng, CHANNEL_WEIGHTS)
        text = rng.choice(TEXTS[category])
        when = start + dt.timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        status = rng.choices([s for s, _ in PROGRESS], weights=[w for _, w in PROGRESS])[0]
        phone = names.phone(rng) if channel in ("sms", "whatsapp") else ""
        if client_uuid in done:
            continue
        with transaction.atomic():
            submitted = report_submit(ReportInput(
                category=category, description=text, channel=channel, village=code,
                occurred_at=when - dt.timedelta(hours=rng.randint(1, 48)),
                anonymous=not phone, phone=phone, reply_channel=channel if phone else "",
                client_uuid=client_uuid,
            ))
            route_batch(ids=[submitted.report.pk])  # before it is backdated, as it would be live
            _age(submitted.report, when, status, rng)
        made += 1
        if progress:
            progress(1)
    return made


def _age(report: Report, when: dt.datetime, status: str, rng: random.Random) -> None:
    """Backdate a fresh report and move it along, without messaging its made-up reporter."""
    first = when + dt.timedelta(hours=rng.randint(2, 72)) if status != "received" else None
    done = first + dt.timedelta(days=rng.randint(1, 30)) if status in ("resolved", "closed") else None
    Report.objects.filter(pk=report.pk).update(
        created_at=when, status=status, first_response_at=first, resolved_at=done,
        likely_duplicate_of=None,
        public_summary="" if report.sensitive else SUMMARY.get(status, ""),
    )
    Event.objects.filter(report=report).update(at=when)
    if first:
        Event.objects.create(report=report, kind="status", status="in_progress", public=True)
    if done:
        Event.objects.create(report=report, kind="status", status=status, public=True)
    Event.objects.filter(report=report, kind="status", status="in_progress").update(at=first)
    if done:
        Event.objects.filter(report=report, kind="status", status=status).update(at=done)
