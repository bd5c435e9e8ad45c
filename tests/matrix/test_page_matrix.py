"""The authorisation matrix runs as a test: every page (each URL pattern Django resolves) and,
in test_api_matrix.py, every API operation, asked by every role of the demo (and the
outsider supervisor of Depok, D.I. Yogyakarta, and an anonymous visitor) about a record in
the Bali roles' scope ("in": Desa Les), one outside it ("out": Depok) and a sealed one
("sealed": a domestic-violence case or report in Desa Les, assigned to the bhabin; "reason":
the same record with a supervisor's reason given).

What the matrix holds the code to:
- a record outside the caller's scope answers 404, like one that does not exist;
- a sealed record answers the assigned officer, the PPA unit in scope (and, today, the
  admin); a supervisor in scope gets 403 asking for a reason, then the record with one;
  everyone else 404, reason or not;
- a write's status carries a "w" when the request changed the database (the target's rows
  and the row counts of every table a write could add to, compared before and after), so
  the table says who may write, e.g. `bhabin,ppa,admin=200w kapolsek=403 *=404`; a refused
  write (400 or more) that changed anything fails whatever the table says;
- a list (`listed=`) says per target whether the record is in it (200), listed as sealed
  with nothing but its id (403), or absent (404);
- no answer carries the sealed case's victim, except to those who may read it.

**Placing a new endpoint.** The test `test_every_*_is_in_the_matrix` fails, naming each URL
pattern or OpenAPI operation that no table lists. Add one line to TABLE (here for pages,
keyed by (method, Django route); in test_api_matrix.py for the API, keyed by (method,
OpenAPI path)):

    ("GET", "kasus/<int:case_id>/"): Row("case", CASE),   # CASE: in, out, sealed still empty

`Row(family, expect, body=None, query={}, url=None, listed=None)`: `family` names the records of
tests/matrix/world.py that fill the route's parameters (None for a route without one); each
target kind with an empty expectation makes the row's test fail and print what every role
gets today, e.g. `'in': 'anon=302 warga,mitra=404 *=200'`. Check that line against the rules
above and paste it in (INOUT and ONE are the shorthands for in/out and for a route without a
record). A write needs a `body` (tests/matrix/bodies.py) that an allowed caller
could send successfully, so a refusal is the authorisation's doing and not the body's.

Django's admin (every pattern under admin/) is one family: staff only, sampled below.
Each row runs inside a savepoint per request, so writes by allowed callers are undone.
"""

import pytest

from matrix.bodies import PAGE as P
from matrix.harness import Row, run, url_patterns
from matrix.world import REASON

pytestmark = pytest.mark.django_db

E = ""  # an expectation still to be placed
CASE = {"in": E, "out": E, "sealed": E}
INOUT = {"in": E, "out": E}
ONE = {"-": E}


def form(**data: object):
    return lambda w, t: dict(data)


ALARM_PAGE = {
    "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200",
    "out": "anon=302 admin,kapolsek_depok=200 *=404",
    "sealed": "anon=302 kapolsek,kapolres,kapolda,ppa,admin=200 *=404",
}
ALARM_PAGE_WRITE = {k: v.replace("=200", "=302w") for k, v in ALARM_PAGE.items()}

TABLE: dict[tuple[str, str], Row] = {
    # Early-warning alarms (see ALARM_* in test_api_matrix.py): a bhabin sees one naming their
    # village, never a sensitive (district) count; supervisors, PPA and admin in their area.
    ("GET", "peringatan/"): Row("alarm", ALARM_PAGE, listed='data-alarm="{alarm_id}"'),
    ("GET", "peringatan/<int:alarm_id>/"): Row("alarm", ALARM_PAGE),
    ("POST", "peringatan/<int:alarm_id>/akui/"): Row("alarm", ALARM_PAGE_WRITE),
    ("POST", "peringatan/<int:alarm_id>/abaikan/"): Row("alarm", ALARM_PAGE_WRITE,
                                                       lambda w, t: {"reason": "Laporan ganda"}),
    ("POST", "peringatan/<int:alarm_id>/kasus/"): Row("alarm", ALARM_PAGE_WRITE,
                                                     lambda w, t: {"village": t["village"]}),
    ("GET", "healthz"): Row(None, {"-": "*=200"}),
    # No task worker beats in the tests: "degraded" (200 naming "worker"), for everyone alike.
    ("GET", "readyz"): Row(None, {"-": "*=200"}),
    # Only for the bearer of POLMAS_METRICS_TOKEN (tests/core/test_metrics.py); unset here.
    ("GET", "metrics"): Row(None, {"-": "*=404"}),
    ("GET", "ping"): Row(None, {"-": "*=200"}),
    # The field app: the same files for everyone (the records go through /api/v1/sync).
    ("GET", "lapangan/"): Row(None, {"-": "*=200"}),
    ("GET", "lapangan/manifest.webmanifest"): Row(None, {"-": "*=200"}),
    ("GET", "lapangan/ikon-<int:size>.png"): Row(None, {"-": "*=200"}, url="/lapangan/ikon-192.png"),
    ("GET", "lapangan/teks-<str:lang>.json"): Row(None, {"-": "*=200"}, url="/lapangan/teks-en.json"),
    ("GET", "sw.js"): Row(None, {"-": "*=200"}),
    ("GET", "api/v1/openapi.json"): Row(None, {"-": "*=200"}),
    ("GET", "api/v1/docs"): Row(None, {"-": "*=200"}),
    ("GET", "api/v1/"): Row(None, {"-": "*=404"}),
    ("GET", "api/v1/<path:rest>"): Row(None, {"-": "*=404"}, url="/api/v1/no-such-thing"),
    ("POST", "i18n/setlang/"): Row(None, {"-": "*=302"}, form(language="en")),
    ("GET", "open311/^discovery\\.(?P<fmt>json|xml)$"): Row(
        None, {"-": "*=200"}, url="/open311/discovery.json"
    ),
    ("GET", "open311/^v2/services\\.(?P<fmt>json|xml)$"): Row(
        None, {"-": "*=200"}, url="/open311/v2/services.json"
    ),
    ("GET", "open311/^v2/services/(?P<code>[^/]+?)\\.(?P<fmt>json|xml)$"): Row(
        None, {"-": "*=200"}, url="/open311/v2/services/theft.json"
    ),
    ("GET", "open311/^v2/requests\\.(?P<fmt>json|xml)$"): Row(
        None, {"-": "*=200"}, url="/open311/v2/requests.json"
    ),
    ("GET", "open311/^v2/requests/(?P<request_id>[^/]+?)\\.(?P<fmt>json|xml)$"): Row(
        "report",
        {"in": "*=200", "out": "*=200", "sealed": "*=404"},
        url="/open311/v2/requests/{request_id}.json",
    ),
    # A POST's token names its request to whoever holds it; a made-up one is unknown to all.
    ("GET", "open311/^v2/tokens/(?P<token>[^/]+?)\\.(?P<fmt>json|xml)$"): Row(
        None, {"-": "*=404"}, url="/open311/v2/tokens/MTIz:made-up.json"
    ),
    ("GET", "open311/^(?P<rest>.*)$"): Row(None, {"-": "*=404"}, url="/open311/v2/nothing.json"),
    ("POST", "hooks/sms/twilio/"): Row(None, {"-": "*=503"}, form(Body="halo", From="+6281234567890")),
    ("POST", "hooks/whatsapp/"): Row(None, {"-": "*=503"}, form()),
    ("GET", "lapor/"): Row(None, {"-": "*=200"}),
    ("GET", "lapor/terkirim/"): Row(None, {"-": "*=200"}),
    ("GET", "lapor/status/"): Row(
        "report",
        {"in": "*=200", "out": "*=200", "sealed": "*=200"},
        query={},
        url="lapor/status/?code={tracking_code}",
    ),
    # Closing the loop (h3): the world's reports are still open, so an answer is refused (400)
    # whoever sends it; nobody's account sent them, so "my report" is 404 to everyone.
    ("POST", "lapor/status/tanggapan/"): Row(
        "report", {"in": "*=400", "out": "*=400", "sealed": "*=400"},
        lambda w, t: {"code": t["tracking_code"], "fixed": "yes"},
    ),
    ("GET", "lapor/saya/"): Row(None, {"-": "anon=302 *=200"}),
    ("GET", "lapor/saya/<int:report_id>/"): Row(
        "report", {"in": "anon=302 *=404", "out": "anon=302 *=404", "sealed": "anon=302 *=404"}
    ),
    ("POST", "lapor/saya/<int:report_id>/"): Row(
        "report", {"in": "anon=302 *=404", "out": "anon=302 *=404", "sealed": "anon=302 *=404"},
        form(fixed="yes"),
    ),
    # The public map and list: never a sealed report; "me too" once a person, on a published one.
    ("GET", "lapor/publik/"): Row(
        "report", {"in": "*=200", "out": "*=200", "sealed": "*=404"}, listed='id="r-{report_id}"'
    ),
    ("POST", "lapor/publik/<int:report_id>/saya-juga/"): Row(
        "report", {"in": "*=302w", "out": "*=302w", "sealed": "*=404"}, form()
    ),
    ("GET", "lapor/lokasi/"): Row(None, {"-": "*=200"}, query={"lat": "-8.1391", "lon": "115.3668"}),
    ("POST", "accounts/password/reset/"): Row(None, {"-": "*=302"}, form(email="nobody@example.id")),
    ("GET", "accounts/password/reset/"): Row(None, {"-": "*=200"}),
    ("GET", "accounts/password/reset/sent/"): Row(None, {"-": "*=200"}),
    ("GET", "accounts/password/reset/done/"): Row(None, {"-": "*=200"}),
    ("GET", "accounts/password/reset/<uidb64>/<token>/"): Row(
        None, {"-": "*=200"}, url="/accounts/password/reset/MQ/set-password/"
    ),
    ("POST", "accounts/password/reset/<uidb64>/<token>/"): Row(
        None, {"-": "*=200"}, form(new_password1="Lapor-Aman-2026", new_password2="Lapor-Aman-2026"),
        url="/accounts/password/reset/MQ/set-password/",
    ),
    ("GET", "kasus/"): Row(
        "case",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200",
        },
        listed='data-case="{case_id}"',
    ),
    ("GET", "kasus/baru/"): Row(
        None, {"-": "anon=302 warga,fkpm,mitra,bappenas=404 *=200"}),
    ("POST", "kasus/baru/"): Row(None, {"-": "anon=302 warga,fkpm,mitra,bappenas=404 *=200"}, form()),
    ("GET", "kasus/dari-rapat/<int:issue_id>/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
        },
    ),
    ("POST", "kasus/dari-rapat/<int:issue_id>/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=302w",
        },
        form(),
    ),
    ("GET", "kasus/<int:case_id>/"): Row(
        "case",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
            "sealed": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200",
        },
    ),
    ("POST", "kasus/<int:case_id>/"): Row(
        "case",
        {
            "in": "warga,mitra,bappenas,kapolsek_depok=404 *=302",
            "out": "anon,admin,kapolsek_depok=302 *=404",
            "sealed": "warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302",
        },
        form(reason=REASON),
    ),
    # The supervisor's actions on a case: a sealed one sends them to the case page for a reason.
    # Officer management: supervisors over the officer's unit, and the admin.
    # Road map and planner (planning): planners, supervisors and admins in scope.
    ("GET", "rencana/"): Row(None, {"-": "warga,bhabin,fkpm,ppa,mitra=404 *=302"}),
    ("GET", "rencana/wilayah/<str:code>/"): Row("district", {
        "in": "anon=302 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    # Setting a regency's target: the kapolsek below it is refused with the reason (400).
    ("POST", "rencana/wilayah/<str:code>/"): Row("regency", {
        "in": "anon,kapolres,kapolda,bappenas,admin=302 kapolsek=400 *=404",
        "out": "anon,bappenas,admin=302 kapolsek_depok=400 *=404"},
        form(what="target", indicator="officer_coverage", year=2030, value=80)),
    # The road-map document (HTML and PDF): whoever may open the region's road map.
    ("GET", "rencana/wilayah/<str:code>/peta-jalan/"): Row("district", {
        "in": "anon=302 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    ("GET", "rencana/wilayah/<str:code>/peta-jalan.pdf"): Row("district", {
        "in": "anon=302 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    ("GET", "rencana/usulan/<int:proposal_id>/peta/"): Row("proposal", {
        "in": "anon=302 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    ("GET", "rencana/usulan/<int:proposal_id>/"): Row("proposal", {
        "in": "anon=302 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    # A planner plans, a supervisor of the Polsek/Polres (or the admin) applies.
    ("POST", "rencana/usulan/<int:proposal_id>/terapkan/"): Row("proposal", {
        "in": "anon,kapolsek,kapolres,kapolda,admin=302 bappenas=403 *=404",
        "out": "anon,admin,kapolsek_depok=302 bappenas=403 *=404"}, form()),
    # A milestone of a regency: read by whoever opens its road map, changed by planners and
    # supervisors over the regency (the kapolsek below it reads it: 403).
    ("GET", "rencana/tonggak/<int:milestone_id>/"): Row("milestone", {
        "in": "anon=302 kapolsek,kapolres,kapolda,bappenas,admin=200 *=404",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    ("POST", "rencana/tonggak/<int:milestone_id>/"): Row("milestone", {
        "in": "anon,kapolres,kapolda,bappenas,admin=302 kapolsek=403 *=404",
        "out": "anon,bappenas,admin=302 kapolsek_depok=403 *=404"}, form(status="in_progress")),
    ("GET", "rencana/skenario/"): Row(
        None, {"-": "anon=302 warga,bhabin,fkpm,ppa,mitra=404 *=200"}),
    ("GET", "petugas/"): Row(
        None, {"-": "anon=302 kapolsek,kapolres,kapolda,admin,kapolsek_depok=200 *=404"}),
    ("GET", "petugas/<int:officer_id>/"): Row(
        "officer",
        {"in": "anon=302 kapolsek,kapolres,kapolda,admin=200 *=404",
         "out": "anon=302 admin,kapolsek_depok=200 *=404"},
    ),
    ("POST", "petugas/<int:officer_id>/"): Row(
        "officer",
        {"in": "anon,kapolsek,kapolres,kapolda,admin=302 *=404",
         "out": "anon,admin,kapolsek_depok=302 *=404"},
        P["petugas"],
    ),
    ("GET", "kasus/<int:case_id>/awasi/"): Row(
        "case",
        {
            "in": "anon=302 kapolsek,kapolres,kapolda,admin=200 *=404",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 admin=200 *=404",
        },
    ),
    ("POST", "kasus/<int:case_id>/awasi/"): Row(
        "case",
        {
            "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w *=404",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 admin=302w *=404",
        },
        P["awasi"],
    ),
    ("GET", "kasus/<int:case_id>/kesepakatan/<int:mediation_id>.pdf"): Row(
        "case",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 *=404",
        },
    ),
    ("POST", "kasus/<int:case_id>/analisis/"): Row(
        "case@scanning",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["analisis"],
    ),
    ("POST", "kasus/<int:case_id>/respons/"): Row(
        "case@analysis",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=400 *=404",
        },
        form(),
    ),
    ("POST", "kasus/<int:case_id>/tindakan/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["tindakan"],
    ),
    ("POST", "kasus/<int:case_id>/tindakan-ubah/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["tindakan-ubah"],
    ),
    ("POST", "kasus/<int:case_id>/asesmen/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["asesmen"],
    ),
    ("POST", "kasus/<int:case_id>/tutup/"): Row(
        "case@assessment",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["tutup"],
    ),
    ("POST", "kasus/<int:case_id>/mediasi/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=400 *=404",
        },
        P["mediasi"],
    ),
    ("POST", "kasus/<int:case_id>/rujukan/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["rujukan"],
    ),
    ("POST", "kasus/<int:case_id>/rujukan-jawab/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["rujukan-jawab"],
    ),
    ("POST", "kasus/<int:case_id>/keselamatan/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["keselamatan"],
    ),
    ("POST", "kasus/<int:case_id>/risiko/"): Row(
        "case",
        {
            "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
            "sealed": "anon,kapolsek,kapolres,kapolda=302 bhabin,ppa,admin=302w *=404",
        },
        P["risiko"],
    ),
    ("GET", "kegiatan/"): Row(None, {"-": "anon=302 *=200"}),
    ("GET", "kegiatan/baru/"): Row(
        None, {"-": "anon=302 bhabin,kapolsek,kapolres,kapolda,ppa=200 *=403"}),
    ("POST", "kegiatan/baru/"): Row(
        None, {"-": "anon=302 bhabin,kapolsek,kapolres,kapolda,ppa=200 *=403"}, form()
    ),
    ("GET", "kegiatan/daftar/"): Row(
        "activity",
        {
            "in": "anon=302 warga,kapolsek_depok=404 *=200",
            "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404",
        },
        listed='data-id="{activity_id}"',
    ),
    # The activity's photo: the list's scope check; the matrix's activities carry no photo,
    # so in scope the answer is 404 after the check (tests/activities/test_activity_photo.py).
    ("GET", "kegiatan/<int:activity_id>/foto/"): Row(
        "activity", {"in": "anon=302 *=404", "out": "anon=302 *=404"}),
    ("GET", "kegiatan/ronda/"): Row(
        "roster",
        {
            "in": "anon=302 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
        listed='data-id="{roster_id}"',
    ),
    ("GET", "kegiatan/ronda/baru/"): Row(
        None, {"-": "anon=302 warga,ppa,mitra,bappenas=404 *=200"}),
    ("GET", "kegiatan/ronda/<int:roster_id>/"): Row(
        "roster",
        {
            "in": "anon=302 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", "kegiatan/ronda/<int:roster_id>/cetak/"): Row(
        "roster",
        {
            "in": "anon=302 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", "kegiatan/ronda/<int:roster_id>/ubah/"): Row(
        "roster",
        {
            "in": "anon=302 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("POST", "kegiatan/ronda/<int:roster_id>/ubah/"): Row(
        "roster",
        {
            "in": "anon=302 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
        form(),
    ),
    ("POST", "kegiatan/ronda/<int:roster_id>/buat/"): Row(
        "roster",
        {
            "in": "anon=302 warga,ppa,mitra,bappenas,kapolsek_depok=404 *=302w",
            "out": "anon=302 admin,kapolsek_depok=302w *=404",
        },
        form(),
    ),
    ("POST", "kegiatan/ronda/<int:roster_id>/tukar/"): Row(
        "roster",
        {
            "in": "warga,ppa,mitra,bappenas,kapolsek_depok=404 *=302",
            "out": "anon,admin,kapolsek_depok=302 *=404",
        },
        form(),
    ),
    ("POST", "kegiatan/ronda/<int:roster_id>/hadir/"): Row(
        "roster",
        {
            "in": "warga,ppa,mitra,bappenas,kapolsek_depok=404 *=302",
            "out": "anon,admin,kapolsek_depok=302 *=404",
        },
        form(),
    ),
    # Taking back a check-in (no place given: the page says so, nothing changes).
    ("POST", "kegiatan/ronda/<int:roster_id>/hadir/batal/"): Row(
        "roster",
        {
            "in": "warga,ppa,mitra,bappenas,kapolsek_depok=404 *=302",
            "out": "anon,admin,kapolsek_depok=302 *=404",
        },
        form(),
    ),
    ("GET", "kegiatan/bencana/"): Row(
        None, {"-": "anon=302 kapolsek,kapolres,kapolda,admin,kapolsek_depok=200 *=404"}
    ),
    ("GET", "forum/"): Row(None, {"-": "anon=302 warga,mitra,bappenas=404 *=200"}),
    ("GET", "forum/<int:forum_id>/rapat/"): Row(
        "forum",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("GET", "forum/<int:forum_id>/rapat/baru/"): Row(
        "forum",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("POST", "forum/<int:forum_id>/rapat/baru/"): Row(
        "forum",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
        form(),
    ),
    ("GET", "forum/<int:forum_id>/kami-bertindak/"): Row("forum", {"in": "*=200", "out": "*=200"}),
    ("GET", "forum/rapat/<int:meeting_id>/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 *=200",
            "out": "anon=302 admin,kapolsek_depok=200 *=404",
        },
    ),
    ("POST", "forum/rapat/<int:meeting_id>/ubah/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("POST", "forum/rapat/<int:meeting_id>/terlaksana/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("POST", "forum/rapat/<int:meeting_id>/kehadiran/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("POST", "forum/rapat/<int:meeting_id>/keputusan/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("POST", "forum/rapat/<int:meeting_id>/tindakan/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("POST", "forum/rapat/<int:meeting_id>/tindakan/<int:action_id>/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("POST", "forum/rapat/<int:meeting_id>/masalah/"): Row(
        "meeting",
        {
            "in": "anon=302 warga,mitra,bappenas,kapolsek_depok=404 ppa=403 *=400",
            "out": "anon=302 admin,kapolsek_depok=400 *=404",
        },
        form(),
    ),
    ("GET", "dashboard/"): Row(
        None, {"-": "warga=404 bhabin,bappenas,admin=200 *=302"}),
    # A year's anonymised records (analytics/bulk.py): planners, supervisors, admin; audited.
    ("GET", "dashboard/data/<str:kind>/<int:year>.<str:fmt>"): Row(
        None, {"-": "anon=302 warga,bhabin,fkpm,ppa,mitra=403 *=200"}, url="/dashboard/data/reports/2025.csv"
    ),
    ("GET", "dashboard/assets/leaflet/<str:name>"): Row(
        None, {"-": "*=200"}, url="/dashboard/assets/leaflet/leaflet.js"
    ),
    ("GET", "dashboard/^export/(?P<table>[a-z]+)\\.(?P<fmt>[a-z]+)$"): Row(
        None, {"-": "anon=302 bappenas,admin=200 *=404"}, url="/dashboard/export/children.csv"
    ),
    ("GET", "dashboard/<str:code>/"): Row(
        "regency",
        {
            "in": "anon=302 warga,bhabin,fkpm,kapolsek,kapolsek_depok=404 *=200",
            "out": "anon=302 bappenas,admin=200 *=404",
        },
    ),
    ("GET", "dashboard/^(?P<code>[^/]+)/export/(?P<table>[a-z]+)\\.(?P<fmt>[a-z]+)$"): Row(
        "regency",
        {
            "in": "anon=302 warga,bhabin,fkpm,kapolsek,kapolsek_depok=404 *=200",
            "out": "anon=302 bappenas,admin=200 *=404",
        },
        url="/dashboard/{code}/export/children.csv",
    ),
    ("GET", "statistik/"): Row(None, {"-": "*=200"}),
    ("GET", "statistik/data.csv"): Row(None, {"-": "*=200"}),
    ("GET", "statistik/data.geojson"): Row(None, {"-": "*=200"}),
    ("GET", "statistik/<str:code>/"): Row("regency", {"in": "*=200", "out": "*=200"}),
    # Survey estimates are public; a resident's one-time link (a bad one here: a real one is
    # tested in tests/surveys/test_collection.py) answers 404 to everyone.
    ("GET", "statistik/survei/"): Row(None, {"-": "*=200"}),
    ("GET", "statistik/survei/data.csv"): Row(None, {"-": "*=404"}),
    ("GET", "statistik/survei/data.xlsx"): Row(None, {"-": "*=404"}),
    ("GET", "statistik/survei/peta/"): Row(None, {"-": "*=200"}),
    ("GET", "survei/<str:token>/"): Row(None, {"-": "*=404"}, url="/survei/no-such-link/"),
    # The planner's waves: planners and the admin; an enumerator would see their villages.
    ("GET", "survei/rencana/"): Row(None, {"-": "anon=302 bappenas,admin=200 *=404"}),
    ("POST", "survei/rencana/"): Row(None, {"-": "anon,bappenas,admin=302 *=404"}, form(
        wave="matrix", year=2026, provinces="34", margin=20, deff=1, response_rate=1, per_village=10,
        seed=1)),
    ("GET", "survei/rencana/<int:sample_id>/"): Row(None, {"-": "anon=302 *=404"},
                                                    url="/survei/rencana/999999/"),
    ("POST", "survei/rencana/<int:sample_id>/"): Row(None, {"-": "anon=302 *=404"},
                                                     form(action="links", village="x", count=1),
                                                     url="/survei/rencana/999999/"),
    ("GET", "accounts/login/"): Row(None, {"-": "*=200"}),
    # Impact evaluation (issue 18): planners, supervisors and the admin; a run that does not
    # exist (or lies outside the caller's area) answers 404 to them. The matrix world has no
    # intervention, so the POST is refused for its field (400) and writes nothing. The survey
    # outcomes (feel_safe, trust_police: regency x wave) are choices of the same form: the same
    # roles, the same statuses (tests/evaluation/test_survey_outcomes.py posts them).
    ("GET", "evaluasi/"): Row(
        None, {"-": "anon=302 warga=404 bhabin,fkpm,ppa,mitra=403 *=200"}),
    ("POST", "evaluasi/"): Row(
        None, {"-": "anon=302 warga=404 bhabin,fkpm,ppa,mitra=403 *=400"},
        form(intervention="no-such", outcome="reports", pool="never")),
    ("GET", "evaluasi/hasil/<int:pk>/"): Row(
        None, {"-": "anon=302 bhabin,fkpm,ppa,mitra=403 *=404"}, url="/evaluasi/hasil/999999/"),
    ("GET", "evaluasi/hasil/<int:pk>/laporan.html"): Row(
        None, {"-": "anon=302 bhabin,fkpm,ppa,mitra=403 *=404"},
        url="/evaluasi/hasil/999999/laporan.html"),
    # A partner programme registered as an intervention: a programme that does not exist (or
    # lies outside the caller's area) answers 404 to evaluators and writes nothing.
    ("POST", "evaluasi/program/<int:programme_id>/"): Row(
        None, {"-": "anon=302 warga=404 bhabin,fkpm,ppa,mitra=403 *=404"}, form(),
        url="/evaluasi/program/999999/"),
    ("GET", "evaluasi/hasil/<int:pk>/laporan.pdf"): Row(
        None, {"-": "anon=302 bhabin,fkpm,ppa,mitra=403 *=404"},
        url="/evaluasi/hasil/999999/laporan.pdf"),
    # The old GET with the tracking code in the URL: gone, answered without a look-up.
    ("GET", "api/v1/reports/status/<tracking_code>"): Row(
        None, {"-": "*=410"}, url="/api/v1/reports/status/ABCD-EFGH-JKMN"
    ),
    ("GET", "akun/token/"): Row(None, {"-": "anon=302 *=200"}),
    ("POST", "akun/token/<int:token_id>/cabut/"): Row(
        "token", {"in": "anon,bhabin=302 *=404", "out": "anon=302 *=404"}
    ),
    # Each user's own notification settings and devices (issue 15).
    ("GET", "akun/notifikasi/"): Row(None, {"-": "anon=302 *=200"}),
    ("POST", "akun/notifikasi/"): Row(None, {"-": "*=302"}, form(events="escalation", channels="push")),
    # A device no one has: every logged-in caller gets 404 (only one's own device is removed).
    ("POST", "akun/notifikasi/perangkat/<int:device_id>/hapus/"): Row(
        None, {"-": "anon=302 *=404"}, url="/akun/notifikasi/perangkat/999999/hapus/"),
    # Without a push subscription in the body: 400 naming it, for everyone logged in.
    ("POST", "akun/notifikasi/perangkat/"): Row(None, {"-": "anon=302 *=400"}, form()),
    ("GET", "privasi/"): Row(None, {"-": "anon=302 admin=200 *=404"}),
    ("POST", "privasi/"): Row(
        None, {"-": "anon=302 admin=200 *=404"}, form(phone="081200000000", action="find")
    ),
    ("POST", "accounts/logout/"): Row(None, {"-": "*=302"}),
    ("GET", ""): Row(None, {"-": "anon=302 *=200"}),
    ("GET", "kerja/"): Row(
        "case",
        # The PPA officer's queue lists the sealed cases in scope (issue 15, item 7).
        {"in": "anon=302 bhabin=200 *=404", "out": "anon=302 *=404",
         "sealed": "anon=302 bhabin,ppa=200 *=404"},
        listed='data-case="{case_id}"',
    ),
    # The officer's page of a report (issue 15): police in scope; a sealed report its officer,
    # PPA and the admin (a supervisor opens it from its case, with a reason).
    ("GET", "kerja/laporan/<int:report_id>/"): Row("report", {
        "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=200",
        "out": "anon=302 admin,kapolsek_depok=200 *=404",
        "sealed": "anon=302 bhabin,ppa,admin=200 kapolsek,kapolres,kapolda=403 *=404"}),
    # The matrix's reports carry no photo: in scope the answer is 404 after the check.
    ("GET", "kerja/laporan/<int:report_id>/foto/"): Row("report", {
        "in": "anon=302 *=404", "out": "anon=302 *=404",
        "sealed": "anon=302 kapolsek,kapolres,kapolda=403 *=404"}),
    # The matrix's reporters asked for no answer: an allowed caller gets 400 naming that.
    ("POST", "kerja/laporan/<int:report_id>/balas/"): Row("report", {
        "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=400",
        "out": "anon=302 admin,kapolsek_depok=400 *=404",
        "sealed": "anon=302 bhabin,ppa,admin=400 kapolsek,kapolres,kapolda=403 *=404"},
        form(text="Kami segera datang.")),
    ("POST", "kerja/laporan/<int:report_id>/tolak/"): Row("report", {
        "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
        "out": "anon=302 admin,kapolsek_depok=302w *=404",
        "sealed": "anon=302 bhabin,ppa,admin=302w kapolsek,kapolres,kapolda=403 *=404"},
        form(reason="Sudah selesai sendiri.")),
    # The sealed report is another category than the earlier one: allowed callers get 400.
    ("POST", "kerja/laporan/<int:report_id>/duplikat/"): Row("report", {
        "in": "anon=302 warga,fkpm,mitra,bappenas,kapolsek_depok=404 *=302w",
        "out": "anon=302 admin=302w kapolsek_depok=400 *=404",
        "sealed": "anon=302 bhabin,ppa,admin=400 kapolsek,kapolres,kapolda=403 *=404"},
        lambda w, t: {"into": t["into"], "reason": "Sama dengan laporan sebelumnya."}),
    # "Mark all as seen" on the work queue: only the caller's own inbox entries change, ids
    # not in their inbox are ignored, so every logged-in caller is sent back to the queue.
    ("POST", "kerja/laporan/dilihat/"): Row("report", {
        "in": "*=302", "out": "*=302", "sealed": "*=302"},
        lambda w, t: {"ids": [t["report_id"]]}),
    # A user whose area is not the whole country is sent to their own level (issue 15).
    ("GET", "coverage/"): Row(None, {"-": "warga=404 bappenas,admin=200 *=302"}),
    ("GET", "coverage/<str:code>/"): Row(
        "district",
        {
            "in": "anon=302 warga,kapolsek_depok=404 *=200",
            "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404",
        },
    ),
    # Django's admin: staff only; a sample of its pages stands for all of admin/.
    ("GET", "admin/"): Row(None, {"-": "admin=200 *=302"}),
    ("GET", "admin/cases/case/"): Row(None, {"-": "admin=200 *=302"}),
    ("GET", "admin/cases/case/<path:object_id>/change/"): Row(
        "case",
        {"in": "admin=200 *=302", "out": "admin=200 *=302", "sealed": "admin=200 *=302"},
        url="/admin/cases/case/{case_id}/change/",
    ),
    # Partners (issue 21). The profile and the service directory are public.
    # Lists: each caller's scope (a partner's staff: their organisation's), empty for residents.
    ("GET", "mitra/"): Row(None, {"-": "anon=302 *=200"}),
    ("GET", "mitra/<int:organisation_id>/"): Row("partner", {"in": "*=200", "out": "*=200"}),
    # Supervisors and admins record agreements of the partners in their scope.
    ("GET", "mitra/<int:organisation_id>/perjanjian/baru/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403"}),
    # The body's places are in Tejakula: the Depok supervisor is refused them (400).
    ("POST", "mitra/<int:organisation_id>/perjanjian/baru/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin=302w kapolsek_depok=400 *=403"},
        P["perjanjian"]),
    # mitra's organisation is not a party to the business partner's agreement.
    ("GET", "mitra/perjanjian/<int:agreement_id>/"): Row("agreement", {
        "in": "anon=302 warga,fkpm,mitra,kapolsek_depok=404 *=200",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    # The matrix's agreements carry no document: in scope the answer is 404 after the check
    # (tests/partners/test_pages.py serves one).
    ("GET", "mitra/perjanjian/<int:agreement_id>/dokumen/"): Row("agreement", {
        "in": "anon=302 *=404", "out": "anon=302 *=404"}),
    ("GET", "mitra/program/<int:programme_id>/"): Row("programme", {
        "in": "anon=302 warga,fkpm,kapolsek_depok=404 *=200",
        "out": "anon=302 bappenas,admin,kapolsek_depok=200 *=404"}),
    # A partner's staff only.
    ("GET", "mitra/kegiatan/"): Row(None, {"-": "anon=302 mitra=200 *=404"}),
    ("POST", "mitra/kegiatan/"): Row(
        None, {"-": "anon=302 mitra=302w *=404"},
        P["kegiatan-mitra"]),
    # A business partner's staff only (mitra's organisation is an NGO; tests/browser/
    # test_partner_report.py files one as the business partner of the demo).
    ("GET", "mitra/laporan/"): Row(None, {"-": "anon=302 *=404"}),
    ("POST", "mitra/laporan/"): Row(None, {"-": "anon=302 *=404"}, P["laporan-mitra"]),
    ("GET", "mitra/layanan/"): Row(None, {"-": "*=200"}),
    # Organisations, programmes and links: supervisors and admins in their scope; services also
    # PPA officers (h25).
    ("GET", "mitra/baru/"): Row(
        None, {"-": "anon=302 kapolsek,kapolres,kapolda,admin,kapolsek_depok=200 *=403"}),
    ("POST", "mitra/baru/"): Row(
        None, {"-": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=400 *=403"},
        P["mitra-baru"]),
    ("GET", "mitra/<int:organisation_id>/ubah/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403"}),
    ("POST", "mitra/<int:organisation_id>/ubah/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"},
        P["mitra-ubah"]),
    # Contact people after creation (h32).
    ("GET", "mitra/<int:organisation_id>/kontak/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403"}),
    ("POST", "mitra/<int:organisation_id>/kontak/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"},
        P["kontak-baru"]),
    ("POST", "mitra/<int:organisation_id>/kontak/<int:contact_id>/"): Row("contact", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"},
        P["kontak-ubah"]),
    ("POST", "mitra/<int:organisation_id>/kontak/<int:contact_id>/hapus/"): Row("contact", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"}),
    ("GET", "mitra/<int:organisation_id>/program/baru/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403"}),
    ("POST", "mitra/<int:organisation_id>/program/baru/"): Row("partner", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"},
        P["program-baru"]),
    ("GET", "mitra/program/<int:programme_id>/ubah/"): Row("programme", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=200 *=403"}),
    ("POST", "mitra/program/<int:programme_id>/ubah/"): Row("programme", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"},
        P["program-ubah"]),
    ("POST", "mitra/program/<int:programme_id>/tautan/"): Row("programme", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"},
        P["tautan"]),
    ("POST", "mitra/program/<int:programme_id>/tautan/<int:link_id>/hapus/"): Row("programme-link", {
        "in": "anon=302 kapolsek,kapolres,kapolda,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda=404 admin,kapolsek_depok=302w *=403"}),
    ("GET", "mitra/layanan/baru/"): Row(
        None, {"-": "anon=302 warga,bhabin,fkpm,mitra,bappenas=403 *=200"}),
    ("POST", "mitra/layanan/baru/"): Row(
        None, {"-": "anon=302 kapolsek,kapolres,kapolda,ppa,admin=302w kapolsek_depok=400 *=403"},
        P["layanan-baru"]),
    ("GET", "mitra/layanan/<int:service_id>/ubah/"): Row("service", {
        "in": "anon=302 kapolsek,kapolres,kapolda,ppa,admin=200 kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda,ppa=404 admin,kapolsek_depok=200 *=403"}),
    ("POST", "mitra/layanan/<int:service_id>/ubah/"): Row("service", {
        "in": "anon=302 kapolsek,kapolres,kapolda,ppa,admin=302w kapolsek_depok=404 *=403",
        "out": "anon=302 kapolsek,kapolres,kapolda,ppa=404 admin,kapolsek_depok=302w *=403"},
        P["layanan-ubah"]),
    ("GET", "admin/reports/report/<path:object_id>/change/"): Row(
        "report",
        {"in": "admin=200 *=302", "out": "admin=200 *=302", "sealed": "admin=200 *=302"},
        url="/admin/reports/report/{report_id}/change/",
    ),
}


def test_every_url_pattern_is_in_the_matrix():
    listed = {route for _, route in TABLE}
    missing = sorted(p for p in url_patterns() if p not in listed and not p.startswith("admin/"))
    assert not missing, (
        f"URL patterns not placed in the authorisation matrix (add a line to TABLE in {__file__}): {missing}"
    )
    stale = sorted(listed - url_patterns())
    assert not stale, f"matrix lines for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("method,route", sorted(TABLE), ids=[f"{m} /{r}" for m, r in sorted(TABLE)])
def test_page_answers_each_role_as_the_matrix_says(matrix, method, route):
    world, callers = matrix
    problems = run(world, callers, method, route, TABLE[(method, route)], api=False)
    assert not problems, f"{method} /{route}:\n  " + "\n  ".join(problems)
