"""No reporter identity outside the police: not in lists, not for the forum, partners,
planners, residents or the public, whatever endpoint they read."""

import pytest

from api.conftest import all_items
from reports_api.conftest import REPORTS, good

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "Komang Ayu Lestari", "081299887766", "komang.rahasia@example.test"
SECRETS = (b"Komang", b"Lestari", b"99887766", b"komang.rahasia")
CONTACT = {"anonymous": False, "name": NAME, "phone": PHONE, "email": EMAIL, "reply_channel": "sms"}


@pytest.fixture
def filed(as_):
    """An ordinary and a sealed report from an identified reporter, with their tracking codes."""
    out = {}
    for key, fields in (("theft", {}), ("sealed", {"category": "domestic_violence",
                                                   "description": "Ibu dipukul suaminya."})):
        body = as_(None).post(REPORTS, good(**CONTACT, **fields)).json()
        out[key] = (body["id"], body["tracking_code"])
    return out


def readable(as_, username, filed):
    caller = as_(username)
    answers = [caller.get(REPORTS), caller.get(f"{REPORTS}/inbox")]
    for report_id, code in filed.values():
        answers += [caller.get(f"{REPORTS}/{report_id}"), caller.get(f"{REPORTS}/{report_id}", reason="x"),
                    caller.post(f"{REPORTS}/status", {"tracking_code": code})]
    return answers


@pytest.mark.parametrize("username", ["fkpm", "mitra", "bappenas", "warga", None])
def test_no_one_but_the_police_ever_reads_the_reporter(as_, filed, username):
    for response in readable(as_, username, filed):
        assert response.status_code in (200, 401, 404), response.content
        for secret in SECRETS:
            assert secret not in response.content, (response.request["PATH_INFO"], secret)


def test_the_forum_member_reads_the_ordinary_report_but_not_its_reporter(as_, filed):
    theft_id = filed["theft"][0]
    response = as_("fkpm").get(f"{REPORTS}/{theft_id}")
    assert response.status_code == 200 and response.json()["reporter"] is None


@pytest.mark.parametrize("username", ["bhabin", "kapolsek", "kapolres", "ppa", "admin"])
def test_police_lists_never_carry_the_reporter_only_the_detail_does(as_, filed, username):
    caller = as_(username)
    for path in (REPORTS, f"{REPORTS}/inbox"):
        items = all_items(caller, path)
        assert all("reporter" not in item for item in items)
        assert not any(secret.decode() in str(items) for secret in SECRETS)
    theft_id = filed["theft"][0]
    detail = caller.get(f"{REPORTS}/{theft_id}").json()
    assert detail["reporter"] == {"anonymous": False, "name": NAME, "phone": PHONE, "email": EMAIL,
                                  "reply_channel": "sms"}
