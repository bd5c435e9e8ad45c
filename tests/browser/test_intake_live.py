"""Report intake through the demo's live server, outside any test transaction: most reports
are one INSERT committed on its own (no BEGIN and COMMIT of intake's), the first after a
quiet second also writes the routing run's task row (ADR 11). Either way each report is
stored once and routed by the task worker, and a client UUID sent again, one after another
or twice at once, answers with the report stored the first time.

The demo server and its task worker are the fixture of test_browser_coverage (no browser is
needed here). Few reports, since the demo counts them against the test machine's hourly
allowance, which the browser tests' public form shares.
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from test_browser_coverage import Demo, demo  # noqa: F401
from test_work_queue import routed

pytestmark = pytest.mark.browser
LES = "51.08.09.2007"


def post(demo: Demo, client_uuid: uuid.UUID, text: str) -> tuple[int, dict]:  # noqa: F811
    body = json.dumps({"category": "theft", "description": text, "village": LES,
                       "client_uuid": str(client_uuid)}).encode()
    request = urllib.request.Request(demo.url + "/api/v1/reports", data=body, method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def stored_with(demo: Demo, client_uuid: uuid.UUID) -> list[int]:  # noqa: F811
    rows = demo.query("SELECT id FROM reports_report WHERE client_uuid = ?", client_uuid.hex)
    return [pk for (pk,) in rows]


def test_reports_sent_one_after_another_are_each_stored_once_and_routed(demo: Demo):  # noqa: F811
    sent = [uuid.uuid4() for _ in range(3)]
    answers = [post(demo, u, f"Helm dicuri dari motor di parkiran pasar, kejadian ke-{n}.")
               for n, u in enumerate(sent)]
    assert [status for status, _body in answers] == [201, 201, 201], answers
    ids = [body["id"] for _status, body in answers]
    assert all(body["tracking_code"] for _status, body in answers)
    assert [stored_with(demo, u) for u in sent] == [[pk] for pk in ids]
    # Within a second of each other: at most one of them queued a routing run; the worker
    # still routes all three (the run, or its follow-up), to Les's bhabin and forum.
    for pk in ids:
        assert routed(demo, pk) == ["forum", "officer"]
    # Sent again: the stored report, nothing new.
    status, again = post(demo, sent[1], "Helm dicuri (dikirim ulang).")
    assert (status, again["id"], again["tracking_code"]) == (200, ids[1], None)
    assert stored_with(demo, sent[1]) == [ids[1]]


def test_one_client_uuid_sent_twice_at_once_is_stored_once(demo: Demo):  # noqa: F811
    """The development server answers each request in a thread of its own: both may pass the
    resend check before either stores, and then the unique client UUID refuses the second
    INSERT, whose request answers with the first one's report."""
    twin = uuid.uuid4()
    time.sleep(1.1)  # no routing run queued lately: the INSERTs commit on their own
    answers: list[tuple[int, dict]] = []
    start = threading.Barrier(2)

    def send() -> None:
        start.wait()
        answers.append(post(demo, twin, "Dua orang mencuri tabung gas dari warung."))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(status for status, _body in answers) == [200, 201], answers
    (pk,) = stored_with(demo, twin)
    assert {body["id"] for _status, body in answers} == {pk}
    assert routed(demo, pk) == ["forum", "officer"]
