"""Per-process copies of the catalogue, the villages and each village's Polsek: kept for a
while, emptied by an edit, never filled with what a transaction may still roll back."""

import pytest

from conftest import person
from polmas.policing.models import Jurisdiction, PoliceUnit
from polmas.reports import lookups
from polmas.reports.intake import IntakeError
from polmas.reports.models import Category
from polmas.reports.snapshots import Memo, Snapshot
from reports.helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_copies():
    # Tests here let the copies keep what they read inside the test's transaction: drop it
    # afterwards, pass or fail, so no later test sees rows that were rolled back.
    yield
    for cache in (lookups.catalogue, lookups.villages, lookups.polsek):
        cache.clear()


def counting(value: object = "v"):
    calls: list[object] = []

    def load(*args: object) -> object:
        calls.append(args)
        return value

    return load, calls


def test_a_snapshot_loads_once_until_cleared_or_stale():
    load, calls = counting()
    snap = Snapshot(load, keep=lambda: True)
    assert snap.get() == snap.get() == "v" and len(calls) == 1
    snap.clear()
    assert snap.get() == "v" and len(calls) == 2
    stale = Snapshot(load, ttl=0, keep=lambda: True)
    stale.get()
    stale.get()
    assert len(calls) == 4


def test_a_memo_keeps_each_key_and_only_the_answers_it_may_remember():
    load, calls = counting(value=False)
    memo = Memo(load, keep=lambda: True, remember=bool)
    assert memo.get("51.08.09.2007") is False and memo.get("51.08.09.2007") is False
    assert len(calls) == 2 and "51.08.09.2007" not in memo
    yes = Memo(counting(value=True)[0], keep=lambda: True, remember=bool)
    assert yes.get("51.08.09.2007") and "51.08.09.2007" in yes
    yes.clear()
    assert "51.08.09.2007" not in yes


def test_nothing_read_inside_a_transaction_is_kept():
    # Every test runs inside a transaction that is rolled back at its end.
    lookups.catalogue.clear()
    assert lookups.category("theft") is not None
    assert not lookups.catalogue.held
    assert lookups.village_exists("51.08.09.2007") and "51.08.09.2007" not in lookups.villages


def test_an_edit_in_the_admin_reaches_intake_at_once(client, monkeypatch):
    monkeypatch.setattr(lookups.catalogue, "_keep", lambda: True)
    lookups.catalogue.clear()
    assert lookups.category("noise") is not None and lookups.catalogue.held
    client.force_login(person("admin"))
    noise = Category.objects.get(code="noise")
    response = client.post(f"/admin/reports/category/{noise.pk}/change/", {
        "name_id": noise.name_id, "name_en": noise.name_en, "description_id": "",
        "description_en": "", "keywords": noise.keywords, "sensitive": "", "mediable": "on",
        "group": noise.group, "order": str(noise.order),  # "active" left out: unticked
    })
    assert response.status_code == 302
    assert not lookups.catalogue.held
    with pytest.raises(IntakeError) as caught:
        submit(category="noise", description="Musik keras sampai pagi.")
    assert "category" in caught.value.errors


def test_a_new_jurisdiction_reroutes_a_coverage_gap_at_once(monkeypatch):
    monkeypatch.setattr(lookups.polsek, "_keep", lambda: True)
    lookups.polsek.clear()
    village = "51.08.09.2001"
    before = lookups.polsek_of(village)
    assert before is not None and village in lookups.polsek
    # A Polsek answering for this one village covers it more narrowly than its district's.
    unit = PoliceUnit.objects.create(name="Polsek Uji", kind="polsek", region=None,
                                     parent=PoliceUnit.objects.get(pk=before).parent)
    Jurisdiction.objects.create(unit=unit, prefix=village)
    assert village not in lookups.polsek
    assert lookups.polsek_of(village) == unit.pk
