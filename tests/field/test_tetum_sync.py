"""The field app in Tetum: it sends Accept-Language: tet, and the server's reasons come back
in Tetum (before Tetum was registered, they came back in Indonesian)."""

import pytest

from .conftest import SYNC, visit

pytestmark = pytest.mark.django_db


def test_a_refused_record_is_explained_in_tetum(api):
    client = api("bhabin")
    client.headers["Accept-Language"] = "tet"
    answer = client.post(SYNC, {"records": [visit(households=None)]})
    assert answer.status_code == 200, answer.content
    reason = answer.json()["results"][0]["reason"]
    assert "uma-kain" in reason and "rumah tangga" not in reason, reason
