"""The machinery of the round-2 probe: hostile values, sending a request inside a savepoint that
is rolled back, the state a refused write must leave alone, and the findings collected."""

import json
import os
import zlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.test import Client

# Tables a write of the round-2 apps (and what they touch) could add to or change.
APPS = ("surveys", "evaluation", "earlywarning", "planning", "partners", "cases", "policing",
        "access", "field")
# Rows compared value for value: the records the probe's writes aim at.
SNAPSHOT = ("planning.Milestone", "planning.Target", "earlywarning.Alarm",
            "partners.Organisation", "partners.Agreement", "partners.Programme", "partners.Service",
            "partners.ProgrammeLink", "surveys.ResidentLink", "surveys.SampleVillage",
            "evaluation.EvaluationRun", "evaluation.Intervention")

# Hostile values for one JSON field. A raw token (RAW) is written into the body as is: JSON's
# parser in Python reads NaN, Infinity and 1e309 (which becomes inf).
RAW = {"__NaN__": "NaN", "__Inf__": "Infinity", "__NegInf__": "-Infinity", "__1e309__": "1e309"}
NON_FINITE = tuple(RAW)
HUGE = "x" * 100_000
HOSTILE = (
    None, "", "   ", HUGE, -1, 0, 2**70, -(2**70), 1.5, *NON_FINITE, "0000-00-00", "9999-12-31",
    "1900-02-30", "51' OR '1'='1", "51.08'; DROP TABLE regions_region;--", "\u0000", "\u0000x",
    "٥١.٠٨", "５１．０８", "51." + "9" * 300, "\U0001f600", [], {}, True, ["51.08"], [{"a": 1}],
)
# Never stored, whatever the field: these must be refused.
NEVER_ACCEPTED = (HUGE, 2**70, -(2**70), *NON_FINITE, "\u0000", "\u0000x")


# The whole probe sends about 5,200 requests (8-18 minutes here): a slow proof, run in full with
# PROBE_FULL=1 (bench/README.md). The suite sends each field a third of the hostile values,
# chosen by the field, so that every value still reaches some field in every run.
FULL = bool(os.environ.get("PROBE_FULL"))


def sample(values: tuple, key: str, share: int = 3) -> tuple:
    if FULL:
        return tuple(values)
    offset = zlib.crc32(key.encode()) % share
    return tuple(v for i, v in enumerate(values) if i % share == offset)


def model_list(audit: bool = True):
    out = []
    for app in APPS:
        for m in apps.get_app_config(app).get_models():
            if not audit and m._meta.label == "access.AuditEntry":
                continue
            if m._meta.label in ("access.ApiToken",):  # last_used_at: touched by every write
                out.append((m, False))
                continue
            out.append((m, m._meta.label in SNAPSHOT))
    return out


def state(audit: bool = True) -> tuple:
    """Counts of every table, and the snapshot tables' rows as they stand."""
    counts, rows = [], []
    for m, snap in model_list(audit):
        counts.append((m._meta.label, m.objects.count()))
        if snap:
            rows.append(repr(list(m.objects.order_by("pk").values_list())))
        elif m._meta.label == "planning.Proposal":  # its stored result is large: what changes
            rows.append(repr(list(m.objects.order_by("pk").values_list("pk", "name", "applied_at"))))
    return tuple(counts), hash(tuple(rows))


def diff(before: tuple, after: tuple) -> str:
    changed = [f"{a[0]} {a[1]}->{b[1]}" for a, b in zip(before[0], after[0], strict=True) if a != b]
    if before[1] != after[1]:
        changed.append("a snapshot row changed")
    return ", ".join(changed)


def encode(body) -> bytes:
    text = json.dumps(body)
    for token, raw in RAW.items():
        text = text.replace(json.dumps(token), raw)
    return text.encode()


@dataclass
class Probe:
    """Sends requests and keeps what went wrong."""

    sent: int = 0
    findings: list[str] = field(default_factory=list)

    def send(self, client: Client, method: str, url: str, *, data=b"", content_type="application/json",
             headers: dict | None = None, files: dict | None = None, check_state: bool = True,
             audit: bool = True):
        """The response (or None after a crash), inside a savepoint rolled back afterwards.
        Returns (response, changed) where changed describes what the request wrote."""
        self.sent += 1
        headers = dict(headers or {})
        changed = ""
        with transaction.atomic():
            before = state(audit) if check_state else None
            try:
                if files is not None:
                    resp = client.post(url, {**data, **files}, headers=headers)
                else:
                    resp = client.generic(method, url, data, content_type=content_type, headers=headers)
            except Exception as exc:  # noqa: BLE001 - a crash is what the probe looks for
                self.findings.append(f"{method} {url}: {type(exc).__name__}: {exc} <- {_short(data)}")
                transaction.set_rollback(True)
                return None, ""
            if check_state:
                changed = diff(before, state(audit))
            transaction.set_rollback(True)
        if resp.status_code >= 500:
            self.findings.append(f"{method} {url}: {resp.status_code} <- {_short(data)}")
        return resp, changed

    def note(self, text: str) -> None:
        self.findings.append(text)


def _short(data) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else repr(data)
    return text if len(text) < 200 else text[:120] + f"...({len(text)} chars)"


def api_client() -> Client:
    return Client(raise_request_exception=True)
