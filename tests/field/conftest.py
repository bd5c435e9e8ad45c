"""Builders for the field app's tests: records as the phone makes them."""

import datetime as dt
import uuid

from django.utils import timezone

from activities.conftest import roster  # noqa: F401  (the fixture, for check-ins)
from polmas.field.canon import body_hash

LES = "51.08.09.2007"  # Desa Les: the bhabin's village
OTHER_BULELENG = "51.08.01.2001"
SYNC = "/api/v1/sync"
SNAPSHOT = "/api/v1/sync/snapshot"


def digest(body: dict) -> str:
    return body_hash(body)


def record(kind: str, body: dict, uid: str | None = None, **extra) -> dict:
    uid = uid or str(uuid.uuid4())
    body = {**body, "client_uuid": uid}
    return {"uuid": uid, "kind": kind, "hash": digest(body), "body": body, **extra}


def visit(uid: str | None = None, **over) -> dict:
    body = {"kind": "visit", "village": LES, "households": 3, "issues_heard": "Air bersih",
            "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "latitude": -8.06, "longitude": 115.28, **over}
    return record("activity", body, uid)
