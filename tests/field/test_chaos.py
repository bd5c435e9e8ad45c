"""The chaos bench, small: 500 records from 5 phones through server kills (SIGKILL), cut
uploads, replays and a 256 kbit/s link; nothing lost, nothing stored twice
(bench/field_sync.py runs 10,000)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from field_sync import chaos  # noqa: E402
from test_browser_coverage import Demo, demo  # noqa: E402, F401

pytestmark = pytest.mark.browser  # it needs the demo server's database, as the browser tests do


def test_500_records_through_chaos_none_lost_none_twice(demo: Demo):  # noqa: F811
    result = chaos(records=500, phones=5, kill_every=20, var=demo.database.parent, solo=0, batch_size=20)
    assert result["records"] == 500
    assert result["lost"] == 0 and result["duplicated"] == 0, result
    assert result["server_kills"] >= 1, result
