"""A case's history reads as sentences (issue 15, item 12): the person's full name, dates in
the village's zone, no "planned -> done", no ISO dates, no English words in an Indonesian page."""

import datetime as dt
import re

import pytest

from cases.helpers import open_case, walk
from cases_pages.conftest import body
from conftest import person
from polmas.cases import services

pytestmark = pytest.mark.django_db


def _history(page: str) -> str:
    return page.split('id="timeline"', 1)[1].split("</section>", 1)[0]


def _walked():
    case = walk(open_case(), "response")
    action = case.actions.get()
    services.action_update(actor=person("bhabin"), case_id=case.pk, version=case.version,
                           action_id=action.pk, status="done")
    return case


def test_history_entries_are_sentences_with_the_full_name(login):
    case = _walked()
    history = _history(body(login("bhabin").get(f"/kasus/{case.pk}/")))
    name = person("bhabin").get_full_name()

    assert name and f"{name} opened the case (officer&#x27;s early detection)." in history
    assert f"{name} moved the action “Buat jadwal giliran air” from “planned” to “done”." in history
    assert "->" not in history and "-&gt;" not in history
    assert not re.search(r"\d{4}-\d{2}-\d{2}", history)
    assert ">bhabin<" not in history and " bhabin " not in history


def test_an_added_actions_due_date_is_a_localised_date(login):
    case = _walked()
    case.refresh_from_db()
    due = dt.date(2031, 3, 5)
    services.action_add(actor=person("bhabin"), case_id=case.pk, version=case.version,
                        description="Pasang lampu jalan", owner_kind="village_government",
                        owner_name="Perbekel Les", due=due)
    history = _history(body(login("bhabin").get(f"/kasus/{case.pk}/")))
    assert "added the action “Pasang lampu jalan” for Perbekel Les, due 5 March 2031." in history


def test_the_indonesian_page_has_no_english_status_words(client):
    case = _walked()
    client.force_login(person("bhabin"))
    history = _history(body(client.get(f"/kasus/{case.pk}/", HTTP_ACCEPT_LANGUAGE="id")))
    assert "planned" not in history and "done" not in history and "opened:" not in history
