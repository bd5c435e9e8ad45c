"""An outside tester's probe of the round-2 surfaces (surveys, evaluation, early warning,
planning, partners, /metrics, /readyz): hostile input on every write, and each role aiming at
records outside its scope. Every refusal is a 4xx naming the field, in the caller's language,
and changes nothing; no request ever answers 500; a GET never writes.

Each request runs in a savepoint rolled back after it, so one write cannot change what the next
one meets. The number of requests sent is printed at the end of the module (pytest -s)."""

import datetime as dt
import os
import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from conftest import OUTSIDER, person
from matrix.conftest import matrix  # noqa: F401 - the matrix's world, built once per module
from matrix.world import DEPOK, LES, TEJAKULA
from polmas.access.models import Role, RoleGrant
from polmas.access.tokens import token_issue
from security.probe import HOSTILE, NEVER_ACCEPTED, NON_FINITE, Probe, encode, sample

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
PROBE = Probe()
ROLES = ("anon", "warga", "bhabin", "fkpm", "kapolsek", "kapolres", "kapolda", "ppa", "mitra",
         "bappenas", "admin", OUTSIDER, "planner_diy", "enumerator")
GOOD_ANSWERS = {"feel_safe": "3", "fear_home": "0", "trust_police": "7", "police_respect": "3",
                "police_fair": "3", "police_values": "2", "victim_12m": "no", "know_bhabin": "no",
                "know_fkpm": "dk", "age": "41"}


@pytest.fixture(scope="module", autouse=True)
def _count():
    yield
    print(f"\nround-2 probe: {PROBE.sent} requests sent")  # noqa: T201


@pytest.fixture(scope="module")
def world(matrix, django_db_blocker):  # noqa: F811
    """The matrix's world plus what it lacks: a planner of D.I. Yogyakarta, an enumerator with
    villages of a wave in Yogyakarta, residents' links, and evaluation runs on both sides."""
    w, callers = matrix
    with django_db_blocker.unblock():
        from polmas.evaluation.models import EvaluationRun, Intervention, InterventionPlace
        from polmas.regions.models import Region
        from polmas.surveys.collection import links_issue, villages_assign
        from polmas.surveys.models import SampleVillage
        from polmas.surveys.waves import wave_simulate

        planner, _ = User.objects.get_or_create(username="planner_diy")
        RoleGrant.objects.get_or_create(user=planner, role=Role.PLANNER, region=Region.objects.get(code="34"))
        enumerator, _ = User.objects.get_or_create(username="enumerator")
        RoleGrant.objects.get_or_create(user=enumerator, role=Role.ENUMERATOR, organisation="UGM")
        sample = wave_simulate(provinces=["34"], year=dt.date.today().year, seed=7, margin=10.0)
        villages = list(SampleVillage.objects.filter(sample=sample).order_by("village_code")[:3])
        villages_assign(actor=None, sample=sample, enumerator=enumerator,
                        village_codes=[villages[0].village_code])
        extra = {"sample": sample.pk, "assigned": villages[0].village_code,
                 "unassigned": villages[1].village_code,
                 "link": links_issue(actor=None, sample_village=villages[2], count=1)[0]}
        for kind, code in (("in", TEJAKULA), ("out", DEPOK)):
            item = Intervention.objects.create(slug=f"probe-{kind}", name=f"Probe {kind}", source="recorded")
            InterventionPlace.objects.create(intervention=item, region_code=code, start=dt.date(2024, 1, 1))
            run = EvaluationRun.objects.create(
                intervention=item, outcome="reports", pool="never", period_from=202301, period_to=202412,
                parameters={"area": [code]}, data_hash="0" * 64,
                result={"method": "probe", "reading": "", "event": [], "n_treated": 1, "n_comparison": 1,
                        "estimate_pct": None, "ci_low_pct": None, "ci_high_pct": None,
                        "pre_trend_p": None, "pre_trend_failed": False})
            extra[f"run_{kind}"] = run.pk
            extra[f"intervention_{kind}"] = item.slug
        for name in ("planner_diy", "enumerator"):
            client = Client(raise_request_exception=True)
            client.force_login(person(name))
            callers.pages[name] = client
            callers.tokens[name] = token_issue(user=person(name), name="probe")
        for client in callers.pages.values():
            client.raise_request_exception = True
        callers.api.raise_request_exception = True
    return w, callers, extra


def t(w, family: str, kind: str, key: str):
    return w.targets[family][kind][key]


def api_send(callers, role: str, method: str, url: str, body=None, *, raw: bytes | None = None,
             content_type="application/json", lang: str | None = None, audit: bool = True):
    headers = {}
    if role in callers.tokens:
        headers["Authorization"] = f"Bearer {callers.tokens[role]}"
    if lang:
        headers["Accept-Language"] = lang
    data = raw if raw is not None else (encode(body) if body is not None else b"")
    return PROBE.send(callers.api, method, url, data=data, content_type=content_type, headers=headers,
                      audit=audit)


# --- 1. hostile input on every API write -------------------------------------------------------


def _writes(w, extra) -> list[tuple[str, str, str, dict]]:
    """(method, url, a role allowed to write, a body that role's write would accept)."""
    today = timezone.localdate()
    soon = (today + dt.timedelta(days=30)).isoformat()
    prog_in = t(w, "programme", "in", "programme_id")
    link = w.targets["programme-link"]["in"]
    return [
        ("POST", f"{V1}/surveys/interviews", "enumerator", {
            "sample": extra["sample"], "village": extra["assigned"], "client_uuid": str(uuid.uuid4()),
            "consent": True, "answers": GOOD_ANSWERS}),
        ("POST", f"{V1}/evaluation/runs", "kapolres", {
            "intervention": extra["intervention_in"], "outcome": "reports", "pool": "never",
            "period_from": 202301, "period_to": 202412}),
        ("POST", f"{V1}/alarms/{t(w, 'alarm', 'in', 'alarm_id')}/dismiss", "kapolsek",
         {"reason": "Salah hitung."}),
        ("POST", f"{V1}/alarms/{t(w, 'alarm', 'in', 'alarm_id')}/case", "kapolsek", {"village": LES}),
        ("POST", f"{V1}/planning/proposals", "kapolsek", {
            "region": TEJAKULA, "k": 3, "d_km": 10.0, "move_penalty": 1.0, "add_officers": 0,
            "name": "Uji"}),
        ("POST", f"{V1}/planning/targets", "kapolres", {
            "region": "51.08", "indicator": "officer_coverage", "year": today.year + 1, "value": 80}),
        ("POST", f"{V1}/planning/milestones", "kapolres", {
            "region": "51.08", "title": "Pelatihan", "owner": "polres", "owner_name": "Kapolres",
            "due": soon, "status": "planned"}),
        ("PATCH", f"{V1}/planning/milestones/{t(w, 'milestone', 'in', 'milestone_id')}", "kapolres", {
            "status": "in_progress", "due": soon, "owner": "pemda", "owner_name": "Bupati",
            "seen": {"status": "planned"}}),
        ("POST", f"{V1}/partners", "kapolres", {
            "name": "Mitra uji", "kind": "ngo", "places": [TEJAKULA], "description": "Uji.",
            "website": "https://contoh.id", "contacts": [{"name": "Ibu Ani", "phone": "0811"}]}),
        ("PATCH", f"{V1}/partners/{t(w, 'partner', 'in', 'organisation_id')}", "kapolres", {
            "name": "Mitra diubah", "kind": "ngo", "places": [TEJAKULA], "description": "Baru.",
            "website": "", "active": True}),
        ("POST", f"{V1}/programmes", "kapolres", {
            "organisation_id": t(w, "partner", "in", "organisation_id"), "agreement_id": None,
            "name": "Program uji", "objectives": "Aman.", "places": [TEJAKULA], "comparison": [],
            "starts_on": today.isoformat(), "ends_on": soon}),
        ("PATCH", f"{V1}/programmes/{prog_in}", "kapolres", {
            "name": "Program diubah", "objectives": "Lebih aman.", "starts_on": today.isoformat(),
            "ends_on": soon, "places": [TEJAKULA], "comparison": []}),
        ("POST", f"{V1}/programmes/{link['programme_id']}/links", "kapolres", {
            "kind": "activity", "object_id": t(w, "activity", "in", "activity_id")}),
        ("POST", f"{V1}/services", "kapolres", {
            "name": "Layanan uji", "kind": "health", "region": TEJAKULA, "address": "Jl. Raya",
            "hours": "24 jam", "phone": "0362", "whatsapp": "0811", "public": True}),
        ("PATCH", f"{V1}/services/{t(w, 'service', 'in', 'service_id')}", "kapolres", {
            "name": "Layanan diubah", "kind": "health", "region": TEJAKULA, "public": False,
            "active": True}),
        ("POST", f"{V1}/partner-activities", "mitra", {
            "client_uuid": str(uuid.uuid4()), "programme_id": prog_in, "village": LES,
            "kind": "outreach", "occurred_on": today.isoformat(), "participants": 5,
            "summary": "Sosialisasi."}),
        ("POST", f"{V1}/sync", "enumerator", {"records": [{
            "uuid": (u := str(uuid.uuid4())), "kind": "interview", "hash": "0" * 64, "body": {
                "sample": extra["sample"], "village": extra["assigned"], "client_uuid": u,
                "consent": True, "answers": GOOD_ANSWERS}}]}),
    ]


def _field_named(resp, name: str) -> bool:
    try:
        errors = resp.json().get("errors") or []
    except ValueError:
        return False
    return any(e.get("field") == name or str(e.get("field", "")).startswith(name + ".")
               or str(e.get("field", "")).startswith(name + "[") for e in errors)


def test_hostile_bodies_on_every_api_write(world):
    w, callers, extra = world
    import time
    only = os.environ.get("PROBE_ONLY", "")
    for method, url, role, good in _writes(w, extra):
        if only and only not in url:
            continue
        started = time.monotonic()
        # The body as a whole: wrong type, not JSON, not UTF-8, not an object.
        for raw, ctype in ((encode(good), "text/plain"), (encode(good), "application/x-www-form-urlencoded"),
                           (b"{", "application/json"), (b"\xff\xfe{\"a\":1}", "application/json"),
                           (b"", "application/json"), (b"null", "application/json"),
                           (b"[]", "application/json"), (encode([good]), "application/json"),
                           (b"\"text\"", "application/json"), (b"12", "application/json"),
                           (b"{\"a\":" * 5000 + b"1" + b"}" * 5000, "application/json")):
            resp, changed = api_send(callers, role, method, url, raw=raw, content_type=ctype)
            if resp is None:
                continue
            if not 400 <= resp.status_code < 500 or changed:
                PROBE.note(f"{method} {url} body {raw[:30]!r} ({ctype}): {resp.status_code} {changed}")
        # Each field: missing, and every hostile value; one unknown field beside them.
        for name in good:
            missing = {k: v for k, v in good.items() if k != name}
            resp, changed = api_send(callers, role, method, url, missing)
            if resp is not None and resp.status_code >= 400 and changed:
                PROBE.note(f"{method} {url} without {name}: {resp.status_code} but wrote {changed}")
            for value, body in _mutations(good, name, f"{url} {name}"):
                resp, changed = api_send(callers, role, method, url, body)
                if resp is None:
                    continue
                code = resp.status_code
                if code >= 400 and changed:
                    PROBE.note(f"{method} {url} {name}={value!r:.40}: {code} but wrote {changed}")
                # /sync answers 200 with each record's own refusal: there, accepted means stored.
                if code < 400 and value in NEVER_ACCEPTED and (changed or "/sync" not in url):
                    PROBE.note(f"{method} {url} {name}={value!r:.40}: accepted ({code})")
                if code in (400, 422) and not _field_named(resp, PAIRED.get(name, name)) \
                        and not _field_named(resp, name) and value is not True and value is not None \
                        and not (value in NON_FINITE and _field_named(resp, "body")):
                    PROBE.note(f"{method} {url} {name}={value!r:.40}: {code} names no field {name!r}: "
                               f"{resp.content[:200]!r}")
        resp, _ = api_send(callers, role, method, url, {**good, "zz_unknown": "x"})
        if os.environ.get("PROBE_TIMES"):  # where the time goes, when asked
            with open(os.environ["PROBE_TIMES"], "a") as f:
                f.write(f"{method} {url} {time.monotonic() - started:.1f}s sent={PROBE.sent}\n")
    _report()


# A refusal of one of a pair (a period's two ends) may name the other end.
PAIRED = {"starts_on": "ends_on", "ends_on": "starts_on", "period_from": "period_to",
          "period_to": "period_from"}


def _mutations(good: dict, name: str, key: str):
    """(value, body): the field replaced by each hostile value; inside a list or an object,
    also its first item (a list's) or first value and a key (an object's)."""
    values = sample(HOSTILE, key)
    for value in values:
        yield value, {**good, name: value}
    inner = good[name]
    for value in values:
        if isinstance(inner, list) and inner and not isinstance(inner[0], dict):
            yield value, {**good, name: [value, *inner[1:]]}
        elif isinstance(inner, list) and inner and isinstance(inner[0], dict):
            first = next(iter(inner[0]))
            yield value, {**good, name: [{**inner[0], first: value}, *inner[1:]]}
        elif isinstance(inner, dict) and inner:
            first = next(iter(inner))
            yield value, {**good, name: {**inner, first: value}}
            if isinstance(value, str):
                yield value, {**good, name: {**inner, value: "1"}}


def test_refusals_speak_indonesian_by_default_and_english_when_asked(world):
    w, callers, extra = world
    cases = [
        ("POST", f"{V1}/planning/targets", "kapolres",
         {"region": "51.08", "indicator": "officer_coverage", "year": 2030, "value": 150}, "value"),
        ("POST", f"{V1}/planning/proposals", "kapolsek", {"region": TEJAKULA, "k": 0, "d_km": 10}, "k"),
        ("POST", f"{V1}/programmes", "kapolres", {
            "organisation_id": t(w, "partner", "in", "organisation_id"), "name": "P", "objectives": "O",
            "places": [TEJAKULA], "starts_on": "2026-12-01", "ends_on": "2026-01-01"}, "ends_on"),
        ("POST", f"{V1}/surveys/interviews", "enumerator", {
            "sample": extra["sample"], "village": extra["assigned"], "client_uuid": str(uuid.uuid4()),
            "consent": True, "answers": {**GOOD_ANSWERS, "feel_safe": "9"}}, "answers.feel_safe"),
        ("POST", f"{V1}/evaluation/runs", "kapolres", {
            "intervention": extra["intervention_in"], "period_from": 190001}, "period_from"),
    ]
    for method, url, role, body, name in cases:
        said = {}
        for lang in ("id", "en"):
            resp, changed = api_send(callers, role, method, url, body, lang=lang if lang == "en" else None)
            if resp is None:
                continue
            if resp.status_code != 400 or changed or not _field_named(resp, name):
                PROBE.note(f"{method} {url} ({lang}) {name}: {resp.status_code} {changed} "
                           f"{resp.content[:200]!r}")
                continue
            said[lang] = resp.json()["detail"]
        if len(said) == 2 and said["id"] == said["en"]:
            PROBE.note(f"{method} {url}: the same words in Indonesian and English: {said['id']!r}")
    _report()


def _report():
    found, PROBE.findings[:] = list(PROBE.findings), []
    if os.environ.get("PROBE_OUT"):  # every finding kept, when asked
        with open(os.environ["PROBE_OUT"], "a") as f:
            f.write("\n".join(found) + "\n")
    assert not found, f"{len(found)} findings:\n" + "\n".join(found[:80])


# --- 1b. hostile input on every form of the round-2 pages --------------------------------------

FORM_HOSTILE = ("", "x" * 100_000, "-1", "99999999999999999999999", "NaN", "Infinity", "1e309",
                "0000-00-00", "9999-12-31", "51' OR '1'='1", "a\x00b", "٥١.٠٨", "51." + "9" * 300,
                "\U0001f600")
# Refused wherever they go; the numbers only where a number (or a date, a code) is asked for.
FORM_NEVER = ("x" * 100_000, "\x00", "a\x00b")
# Check boxes: any value sent means "on", as in HTML.
FLAGS = ("active", "public")
# Forms whose good input the world cannot make succeed: the probe's intervention has no
# monthly figures, and mitra's organisation (an NGO) files no partner reports.
NO_GOOD_FORM = ("/evaluasi/", "/mitra/laporan/")
# Writes that need no field (turning a village's alarm into a case): any body does.
NO_INPUT_NEEDED = tuple(f"/peringatan/{i}/kasus/" for i in range(1, 100))
FORM_NEVER_NUMBER = ("NaN", "Infinity", "-Infinity", "1e309", "99999999999999999999999")


def _forms(w, extra) -> list[tuple[str, str, dict, tuple[str, ...]]]:
    """(url, role, a form that role's write would accept, the fields that take numbers)."""
    today = timezone.localdate()
    soon = (today + dt.timedelta(days=30)).isoformat()
    org_in = t(w, "partner", "in", "organisation_id")
    prog_in = t(w, "programme", "in", "programme_id")
    alarm = t(w, "alarm", "in", "alarm_id")
    link = w.targets["programme-link"]["in"]
    return [
        ("/rencana/wilayah/51.08/", "kapolres", {"what": "target", "indicator": "officer_coverage",
                                                 "year": str(today.year + 1), "value": "80"},
         ("year", "value")),
        ("/rencana/wilayah/51.08/", "kapolres", {"what": "milestone", "title": "Pelatihan", "owner": "polres",
                                                 "owner_name": "Kapolres", "due": soon}, ("due",)),
        ("/rencana/wilayah/51.08.09/", "kapolsek", {"what": "plan", "k": "3", "d_km": "10",
                                                    "move_penalty": "1", "add_officers": "0", "name": "Uji"},
         ("k", "d_km", "move_penalty", "add_officers")),
        (f"/rencana/tonggak/{t(w, 'milestone', 'in', 'milestone_id')}/", "kapolres", {
            "status": "in_progress", "due": soon, "owner": "pemda", "owner_name": "Bupati",
            "seen_status": "planned"}, ("due",)),
        ("/evaluasi/", "kapolres", {"intervention": extra["intervention_in"], "outcome": "reports",
                                    "pool": "never", "period_from": "202301", "period_to": "202412"},
         ("period_from", "period_to")),
        (f"/peringatan/{alarm}/abaikan/", "kapolsek", {"reason": "Salah hitung."}, ()),
        (f"/peringatan/{alarm}/kasus/", "kapolsek", {"village": LES}, ()),
        (f"/survei/{extra['link']}/", "anon", {"consent": "yes", **GOOD_ANSWERS}, tuple(GOOD_ANSWERS)),
        ("/survei/rencana/", "bappenas", {"wave": "2027-9", "year": str(today.year), "provinces": "34",
                                          "margin": "10", "deff": "1.5", "response_rate": "0.85",
                                          "per_village": "10", "seed": "5"},
         ("year", "margin", "deff", "response_rate", "per_village", "seed")),
        (f"/survei/rencana/{extra['sample']}/", "bappenas", {"action": "assign", "enumerator": "enumerator",
                                                              "villages": extra["unassigned"]}, ()),
        (f"/survei/rencana/{extra['sample']}/", "bappenas", {"action": "links",
                                                              "village": extra["unassigned"],
                                                              "count": "2"}, ("count",)),
        ("/mitra/baru/", "kapolres", {"name": "Mitra uji", "kind": "ngo", "places": TEJAKULA,
                                      "description": "Uji.", "website": "https://contoh.id",
                                      "contact_name": "Ibu Ani", "contact_phone": "0811"}, ()),
        (f"/mitra/{org_in}/ubah/", "kapolres", {"name": "Mitra diubah", "kind": "ngo", "places": TEJAKULA,
                                                 "description": "Baru.", "active": "on"}, ()),
        (f"/mitra/{org_in}/program/baru/", "kapolres", {"name": "Program uji", "objectives": "Aman.",
                                                         "places": TEJAKULA, "starts_on": today.isoformat(),
                                                         "ends_on": soon}, ("agreement",)),
        (f"/mitra/program/{prog_in}/ubah/", "kapolres", {"name": "Program diubah", "objectives": "Aman.",
                                                          "places": TEJAKULA, "starts_on": today.isoformat(),
                                                          "ends_on": soon}, ("agreement",)),
        (f"/mitra/program/{link['programme_id']}/tautan/", "kapolres", {
            "kind": "activity", "object_id": str(t(w, "activity", "in", "activity_id"))}, ("object_id",)),
        ("/mitra/layanan/baru/", "kapolres", {"name": "Layanan uji", "kind": "health", "region": TEJAKULA,
                                              "public": "on"}, ("organisation",)),
        (f"/mitra/layanan/{t(w, 'service', 'in', 'service_id')}/ubah/", "kapolres", {
            "name": "Layanan diubah", "kind": "health", "region": TEJAKULA, "public": "on", "active": "on"},
         ("organisation",)),
        (f"/mitra/{org_in}/perjanjian/baru/", "kapolres", {
            "organisation": str(org_in), "kind": "mou", "title": "MoU uji", "police_party": "Polres",
            "signed_on": today.isoformat(), "starts_on": today.isoformat(), "ends_on": soon,
            "places": TEJAKULA, "police_commitments": "Sambang.", "partner_commitments": "Mediasi."},
         ("renews",)),
        ("/mitra/kegiatan/", "mitra", {"programme": str(prog_in), "village": LES, "kind": "outreach",
                                       "occurred_on": today.isoformat(), "participants": "5",
                                       "summary": "Sosialisasi.", "client_uuid": str(uuid.uuid4())},
         ("programme", "participants")),
        ("/mitra/laporan/", "mitra", {"village": LES, "description": "Dugaan eksploitasi anak."}, ()),
    ]


def page_send(callers, role: str, url: str, data, **kw):
    client = callers.pages[role]
    if isinstance(data, bytes):
        return PROBE.send(client, "POST", url, data=data, content_type=kw.pop("content_type"), **kw)
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, data)
    return PROBE.send(client, kw.pop("method", "POST"), url, data=body,
                      content_type=MULTIPART_CONTENT, **kw)


def test_hostile_forms_on_every_round2_page(world):
    w, callers, extra = world
    for url, role, good, numbers in _forms(w, extra):
        resp, changed = page_send(callers, role, url, good)
        if (resp is None or not changed) and url not in NO_GOOD_FORM:
            PROBE.note(f"POST {url} the good form was not accepted: "
                       f"{getattr(resp, 'status_code', None)} {getattr(resp, 'content', b'')[:300]!r}")
        for raw, ctype in ((b"title=%ff%fe&name=\xff\xfe", "application/x-www-form-urlencoded"),
                           (b"\xff\xfe\x00\x01", "multipart/form-data; boundary=xx"),
                           (b"--xx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n",
                            "multipart/form-data; boundary=xx"),
                           (encode(good), "application/json")):
            resp, changed = page_send(callers, role, url, raw, content_type=ctype)
            if resp is not None and changed and url not in NO_INPUT_NEEDED:
                PROBE.note(f"POST {url} raw {raw[:30]!r}: {resp.status_code} wrote {changed}")
        for name in [*good, *[n for n in numbers if n not in good]]:
            if name in ("what", "action"):
                continue
            for value in sample(FORM_HOSTILE, f"{url} {name}"):
                resp, changed = page_send(callers, role, url, {**good, name: value})
                if resp is None:
                    continue
                code = resp.status_code
                if code >= 400 and changed:
                    PROBE.note(f"POST {url} {name}={value!r:.40}: {code} but wrote {changed}")
                never = (value in FORM_NEVER and name not in FLAGS
                         or name in numbers and value in FORM_NEVER_NUMBER)
                if changed and never:
                    PROBE.note(f"POST {url} {name}={value!r:.40}: accepted ({code}) wrote {changed}")
    _report()


def _pdf(size: int = 2000) -> bytes:
    head = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
    return head + b"0" * max(0, size - len(head) - 6) + b"\n%%EOF"


def test_agreement_uploads_that_are_not_pdfs_are_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w, callers, extra = world
    org_in = t(w, "partner", "in", "organisation_id")
    url = f"/mitra/{org_in}/perjanjian/baru/"
    good = next(f for f in _forms(w, extra) if f[0] == url)[2]
    uploads = {
        "html named .pdf": SimpleUploadedFile("mou.pdf", b"<html><body>MoU</body></html>", "application/pdf"),
        "png": SimpleUploadedFile("mou.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png"),
        "11 MB": SimpleUploadedFile("mou.pdf", _pdf(11 * 1024 * 1024), "application/pdf"),
        "empty": SimpleUploadedFile("mou.pdf", b"", "application/pdf"),
        "header only": SimpleUploadedFile("mou.pdf", b"%PDF-", "application/pdf"),
        "name with a path": SimpleUploadedFile("../../etc/passwd.pdf", b"<?php ?>", "application/pdf"),
    }
    for label, upload in uploads.items():
        resp, changed = PROBE.send(callers.pages["kapolres"], "POST", url, data=good,
                                   files={"document": upload})
        if resp is not None and (resp.status_code != 400 or changed):
            PROBE.note(f"POST {url} document {label}: {resp.status_code} {changed}")
    ok = SimpleUploadedFile("mou.pdf", _pdf(), "application/pdf")
    resp, changed = PROBE.send(callers.pages["kapolres"], "POST", url, data=good, files={"document": ok})
    if resp is None or resp.status_code != 302 or not changed:
        PROBE.note(f"POST {url} a real PDF: {getattr(resp, 'status_code', None)} {changed}")
    _report()


# --- 2. scope: every role aims at records outside its scope; GETs never write ------------------


def _reads(w, extra) -> list[tuple[str, str, dict[str, int]]]:
    """(api or page, url, {role: the status it must get}); roles not named: 404."""
    run_in, run_out = extra["run_in"], extra["run_out"]
    prop_in, prop_out = t(w, "proposal", "in", "proposal_id"), t(w, "proposal", "out", "proposal_id")
    ms_in, ms_out = t(w, "milestone", "in", "milestone_id"), t(w, "milestone", "out", "milestone_id")
    police_bali = ("kapolsek", "kapolres", "kapolda", "bappenas", "admin")
    return [
        # Evaluation runs: Tejakula's for Bali's supervisors and the national planner; Depok's
        # for the outsider and the planner of D.I. Yogyakarta. Police who do not evaluate: 403.
        ("api", f"{V1}/evaluation/runs/{run_in}", {**dict.fromkeys(police_bali, 200), "anon": 401,
                                                     "bhabin": 403, "fkpm": 403, "ppa": 403, "warga": 403,
                                                     "mitra": 403, "enumerator": 403}),
        ("api", f"{V1}/evaluation/runs/{run_out}", {OUTSIDER: 200, "planner_diy": 200, "bappenas": 200,
                                                      "admin": 200, "anon": 401, "bhabin": 403, "fkpm": 403,
                                                      "ppa": 403, "warga": 403, "mitra": 403,
                                                      "enumerator": 403}),
        ("page", f"/evaluasi/hasil/{run_in}/", {**dict.fromkeys(police_bali, 200), "anon": 302,
                                                 "bhabin": 403, "fkpm": 403, "ppa": 403, "mitra": 403}),
        ("page", f"/evaluasi/hasil/{run_out}/", {OUTSIDER: 200, "planner_diy": 200, "bappenas": 200,
                                                  "admin": 200, "anon": 302, "bhabin": 403, "fkpm": 403,
                                                  "ppa": 403, "mitra": 403, "kapolsek": 404, "kapolres": 404,
                                                  "kapolda": 404}),
        ("page", f"/evaluasi/hasil/{run_out}/laporan.pdf", {OUTSIDER: 200, "planner_diy": 200,
                                                             "bappenas": 200, "admin": 200, "anon": 302,
                                                             "bhabin": 403, "fkpm": 403, "ppa": 403,
                                                             "mitra": 403}),
        ("page", f"/evaluasi/hasil/{run_out}/laporan.html", {OUTSIDER: 200, "planner_diy": 200,
                                                              "bappenas": 200, "admin": 200, "anon": 302,
                                                              "bhabin": 403, "fkpm": 403, "ppa": 403,
                                                              "mitra": 403}),
        # Planning: Tejakula's proposal and milestone, Depok's.
        ("api", f"{V1}/planning/proposals/{prop_in}", {**dict.fromkeys(police_bali, 200), "anon": 401}),
        ("api", f"{V1}/planning/proposals/{prop_out}", {OUTSIDER: 200, "planner_diy": 200, "bappenas": 200,
                                                          "admin": 200, "anon": 401}),
        ("page", f"/rencana/usulan/{prop_in}/", {**dict.fromkeys(police_bali, 200), "anon": 302}),
        ("page", f"/rencana/usulan/{prop_out}/", {OUTSIDER: 200, "planner_diy": 200, "bappenas": 200,
                                                  "admin": 200, "anon": 302}),
        ("page", f"/rencana/usulan/{prop_out}/peta/", {OUTSIDER: 200, "planner_diy": 200, "bappenas": 200,
                                                       "admin": 200, "anon": 302}),
        ("page", f"/rencana/tonggak/{ms_in}/", {**dict.fromkeys(police_bali, 200), "anon": 302}),
        ("page", f"/rencana/tonggak/{ms_out}/", {OUTSIDER: 200, "planner_diy": 200, "bappenas": 200,
                                                 "admin": 200, "anon": 302}),
        # A road map opens for a region in scope or an ancestor of it (a Polsek sees its regency's).
        ("page", "/rencana/wilayah/51.08/", {"kapolsek": 200, "kapolres": 200, "kapolda": 200,
                                             "bappenas": 200, "admin": 200, "anon": 302}),
        ("page", "/rencana/wilayah/34.04/peta-jalan.pdf", {OUTSIDER: 200, "planner_diy": 200,
                                                           "bappenas": 200, "admin": 200, "anon": 302}),
        ("api", f"{V1}/planning/progress?year=2030&region=51.08",
         {"kapolsek": 200, "kapolres": 200, "kapolda": 200, "bappenas": 200, "admin": 200, "anon": 401}),
        # Survey waves: planners only (a wave is national work), enumerators see their own.
        ("page", f"/survei/rencana/{extra['sample']}/", {"bappenas": 200, "planner_diy": 200, "admin": 200,
                                                          "anon": 302}),
        ("page", "/survei/rencana/", {"bappenas": 200, "planner_diy": 200, "admin": 200, "enumerator": 200,
                                      "anon": 302}),
        ("api", f"{V1}/surveys/assignments", {"enumerator": 200, "anon": 401, **dict.fromkeys(
            ("warga", "bhabin", "fkpm", "kapolsek", "kapolres", "kapolda", "ppa", "mitra", "bappenas",
             "admin", OUTSIDER, "planner_diy"), 403)}),
    ]


def test_each_role_reads_only_its_scope_and_a_get_never_writes(world):
    w, callers, extra = world
    for kind, url, expect in _reads(w, extra):
        for role in ROLES:
            want = expect.get(role, 404)
            if kind == "api":
                resp, changed = api_send(callers, role, "GET", url, audit=False)
            else:
                resp, changed = PROBE.send(callers.pages[role], "GET", url, data="", audit=False)
            if resp is None:
                continue
            if resp.status_code != want:
                PROBE.note(f"GET {url} as {role}: {resp.status_code}, expected {want}")
            if changed:
                PROBE.note(f"GET {url} as {role} wrote {changed}")
    _report()


def test_each_role_writes_only_in_its_scope(world):
    w, callers, extra = world
    today = timezone.localdate()
    soon = (today + dt.timedelta(days=30)).isoformat()
    prop_in, prop_out = t(w, "proposal", "in", "proposal_id"), t(w, "proposal", "out", "proposal_id")
    ms_out = t(w, "milestone", "out", "milestone_id")
    writes = [
        # The planner of D.I. Yogyakarta and Bali's supervisors aim at each other's records.
        ("api", "POST", f"{V1}/planning/proposals/{prop_in}/apply", None, ("planner_diy", OUTSIDER), 404),
        ("api", "POST", f"{V1}/planning/proposals/{prop_out}/apply", None, ("kapolsek", "kapolres"), 404),
        ("api", "PATCH", f"{V1}/planning/milestones/{ms_out}", {"status": "done"},
         ("kapolres", "kapolda"), 404),
        ("api", "PATCH", f"{V1}/planning/milestones/{t(w, 'milestone', 'in', 'milestone_id')}",
         {"status": "done"}, ("planner_diy", OUTSIDER, "bhabin", "fkpm", "mitra", "enumerator"), 404),
        ("api", "POST", f"{V1}/planning/targets", {"region": "51.08", "indicator": "officer_coverage",
                                                   "year": today.year + 1, "value": 70},
         ("planner_diy", OUTSIDER), 400),
        ("api", "POST", f"{V1}/planning/milestones", {"region": "51.08", "title": "X", "owner": "polres",
                                                      "due": soon}, ("planner_diy", OUTSIDER), 400),
        ("api", "POST", f"{V1}/planning/proposals", {"region": "51.08.09", "k": 3, "d_km": 10},
         ("planner_diy", OUTSIDER), 400),
        ("api", "POST", f"{V1}/evaluation/runs", {"intervention": extra["intervention_in"]},
         ("planner_diy", OUTSIDER), 404),
        ("api", "POST", f"{V1}/evaluation/runs", {"intervention": extra["intervention_out"]},
         ("kapolsek", "kapolres", "kapolda"), 404),
        ("page", "POST", f"/rencana/usulan/{prop_in}/terapkan/", {}, ("planner_diy", OUTSIDER), 404),
        ("page", "POST", f"/rencana/tonggak/{ms_out}/", {"status": "done"}, ("kapolres",), 404),
        ("page", "POST", "/rencana/wilayah/51.08/", {"what": "target", "indicator": "officer_coverage",
                                                     "year": str(today.year + 1), "value": "70"},
         ("planner_diy", OUTSIDER), 404),
        ("page", "POST", f"/evaluasi/program/{t(w, 'programme', 'out', 'programme_id')}/", {},
         ("kapolsek", "kapolres"), 404),
        ("page", "POST", f"/evaluasi/program/{t(w, 'programme', 'in', 'programme_id')}/", {},
         ("planner_diy", OUTSIDER), 404),
        ("page", "POST", f"/peringatan/{t(w, 'alarm', 'out', 'alarm_id')}/abaikan/", {"reason": "x"},
         ("kapolsek", "bhabin", "planner_diy"), 404),
        ("page", "POST", f"/peringatan/{t(w, 'alarm', 'in', 'alarm_id')}/akui/", {},
         (OUTSIDER, "planner_diy", "mitra", "enumerator", "warga"), 404),
        # Survey: the enumerator sends an interview in a sampled village not assigned to them.
        ("api", "POST", f"{V1}/surveys/interviews", {
            "sample": extra["sample"], "village": extra["unassigned"], "client_uuid": str(uuid.uuid4()),
            "consent": True, "answers": GOOD_ANSWERS}, ("enumerator",), 400),
        ("api", "POST", f"{V1}/surveys/interviews", {
            "sample": extra["sample"], "village": extra["assigned"], "client_uuid": str(uuid.uuid4()),
            "consent": True, "answers": GOOD_ANSWERS}, ("bhabin", "planner_diy", "mitra"), 403),
        ("page", "POST", f"/survei/rencana/{extra['sample']}/", {"action": "links",
                                                                  "village": extra["assigned"],
                                                                  "count": "5"},
         ("bhabin", "kapolsek", "kapolda", "mitra", "enumerator", "warga", "fkpm", "ppa"), 404),
    ]
    for kind, method, url, body, roles, want in writes:
        for role in roles:
            if kind == "api":
                resp, changed = api_send(callers, role, method, url, body if body is not None else {})
            else:
                resp, changed = page_send(callers, role, url, body, method=method)
            if resp is None:
                continue
            if resp.status_code != want or changed:
                PROBE.note(f"{method} {url} as {role}: {resp.status_code} (expected {want}) {changed}")
    _report()


def test_metrics_and_readyz_answer_without_writing(world, settings):
    """/metrics answers 404 to every method without its token (nothing says it exists), and
    the text with it; /readyz and /healthz answer whatever is sent without writing."""
    w, callers, extra = world
    settings.POLMAS_METRICS_TOKEN = "probe-token-1234567890"
    for url in ("/metrics", "/readyz", "/healthz"):
        for role in ("anon", "warga", "admin"):
            resp, changed = PROBE.send(callers.pages[role], "GET", url, data="", audit=False)
            if resp is not None and (resp.status_code >= 500 or changed
                                     or url == "/metrics" and resp.status_code != 404):
                PROBE.note(f"GET {url} as {role}: {resp.status_code} {changed}")
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            resp, changed = PROBE.send(callers.pages["anon"], method, url, data=b"x" * 1000)
            if resp is not None and (resp.status_code >= 500 or changed
                                     or url == "/metrics" and resp.status_code != 404):
                PROBE.note(f"{method} {url}: {resp.status_code} {changed}")
        for auth in ("Bearer probe-token-123456789", "Bearer \u00e9", "bearer probe-token-1234567890",
                     "Bearer probe-token-1234567890"):
            resp, changed = PROBE.send(callers.pages["anon"], "GET", url, data="", audit=False,
                                       headers={"Authorization": auth})
            good = auth == "Bearer probe-token-1234567890"
            if resp is not None and (resp.status_code >= 500 or changed or url == "/metrics"
                                     and resp.status_code != (200 if good else 404)):
                PROBE.note(f"GET {url} Authorization {auth!r}: {resp.status_code} {changed}")
        for query in ("?format=%ff", "?" + "a=" + "x" * 5000, "?name[]=1"):
            resp, changed = PROBE.send(callers.pages["anon"], "GET", url + query, data="", audit=False)
            if resp is not None and (resp.status_code >= 500 or changed):
                PROBE.note(f"GET {url}{query[:20]}: {resp.status_code} {changed}")
    _report()


def test_ids_in_paths_that_no_record_can_have_answer_404(world):
    """0, a number past bigint, a negative one: 404 (or the API's 422 naming the id), never 500."""
    w, callers, extra = world
    api_paths = [("GET", f"{V1}/evaluation/runs/{{}}"), ("GET", f"{V1}/planning/proposals/{{}}"),
                 ("POST", f"{V1}/planning/proposals/{{}}/apply"), ("PATCH", f"{V1}/planning/milestones/{{}}"),
                 ("GET", f"{V1}/alarms/{{}}"), ("POST", f"{V1}/alarms/{{}}/acknowledge"),
                 ("PATCH", f"{V1}/partners/{{}}"), ("PATCH", f"{V1}/programmes/{{}}"),
                 ("GET", f"{V1}/programmes/{{}}/links"), ("POST", f"{V1}/programmes/{{}}/links"),
                 ("DELETE", f"{V1}/programmes/{{}}/links/{{}}"), ("PATCH", f"{V1}/services/{{}}")]
    pages = ["/evaluasi/hasil/{}/", "/evaluasi/hasil/{}/laporan.pdf", "/rencana/usulan/{}/",
             "/rencana/usulan/{}/peta/", "/rencana/tonggak/{}/", "/peringatan/{}/", "/mitra/{}/",
             "/mitra/perjanjian/{}/", "/mitra/perjanjian/{}/dokumen/", "/mitra/program/{}/",
             "/mitra/{}/ubah/", "/mitra/program/{}/ubah/", "/mitra/layanan/{}/ubah/", "/survei/rencana/{}/"]
    for bad in ("0", str(2**63), str(2**64 + 1), "99999999999999999999999999"):
        for method, path in api_paths:
            url = path.replace("{}", bad)
            resp, changed = api_send(callers, "admin", method, url, {"status": "done", "kind": "activity",
                                                                    "object_id": 1})
            if resp is not None and (resp.status_code not in (404, 422) or changed):
                PROBE.note(f"{method} {url}: {resp.status_code} {changed}")
        for path in pages:
            url = path.replace("{}", bad)
            for method in ("GET", "POST"):
                resp, changed = PROBE.send(callers.pages["admin"], method, url, data=b"",
                                           content_type="application/x-www-form-urlencoded")
                if resp is not None and (resp.status_code not in (404, 405) or changed):
                    PROBE.note(f"{method} {url}: {resp.status_code} {changed}")
    _report()


def test_hostile_query_parameters_on_the_round2_reads(world):
    """Filters and choices in query strings: a bad value answers 200 (ignored) or 4xx, never 500."""
    w, callers, extra = world
    values = ("%00", "a%00b", "%ff%fe", "x" * 3000, "-1", "99999999999999999999999", "NaN", "9999-12-31",
              "51'%20OR%20'1'='1", "%D9%A5%D9%A1")
    sample = extra["sample"]
    pages = [("kapolsek", "/peringatan/?status={}"), ("kapolres", "/evaluasi/?intervention={}"),
             ("kapolres", "/rencana/wilayah/51.08/?year={}"),
             ("kapolres", "/rencana/wilayah/51.08/peta-jalan/?year={}"),
             ("bappenas", "/rencana/skenario/?id={}"),
             ("bappenas", f"/survei/rencana/{sample}/?kabupaten={{}}"),
             ("kapolres", "/mitra/?page={}"), ("warga", "/mitra/layanan/?kind={}"),
             ("warga", "/mitra/layanan/?q={}"), ("anon", "/statistik/survei/?wave={}"),
             ("anon", "/statistik/survei/peta/?indicator={}"), ("anon", "/statistik/survei/peta/?level={}")]
    apis = [("kapolsek", f"{V1}/alarms?status={{}}"), ("kapolsek", f"{V1}/alarms?limit={{}}"),
            ("kapolres", f"{V1}/services?kind={{}}"), ("kapolres", f"{V1}/partners?offset={{}}"),
            ("anon", f"{V1}/surveys/estimates?prefix={{}}"),
            ("kapolres", f"{V1}/surveys/estimates?level={{}}"),
            ("kapolres", f"{V1}/planning/progress?year=2030&region={{}}"),
            ("kapolres", f"{V1}/planning/progress?year={{}}")]
    for value in values:
        for role, url in pages:
            resp, changed = PROBE.send(callers.pages[role], "GET", url.format(value), data="", audit=False)
            if resp is not None and changed:
                PROBE.note(f"GET {url.format(value)[:80]} as {role} wrote {changed}")
        for role, url in apis:
            resp, changed = api_send(callers, role, "GET", url.format(value), audit=False)
            if resp is not None and changed:
                PROBE.note(f"GET {url.format(value)[:80]} as {role} wrote {changed}")
    _report()
