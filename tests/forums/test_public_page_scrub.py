"""The forum's public page ("kami bertindak") publishes no contact details or names typed into
an issue or its outcome, and no issue whose words tell of a sensitive matter, whatever its
category (issue 14, item 8)."""

import pytest
from django.test import Client

from conftest import person
from polmas.forums.services import meeting_issue_add, meeting_issue_outcome_set

pytestmark = pytest.mark.django_db


def test_contact_details_in_issues_and_outcomes_are_scrubbed(client: Client, held_meeting, les_forum):
    actor = person("fkpm")
    issue = meeting_issue_add(
        actor=actor, meeting_id=held_meeting.pk, version=1, category_code="noise",
        text="Musik keras tiap malam; hubungi Pak Gede Artawan nol delapan satu dua tiga empat "
             "lima enam tujuh delapan sembilan atau gede at gmail dot com")
    meeting_issue_outcome_set(issue_id=issue.pk, status="resolved",
                              outcome_public="Sudah ditegur; pemilik (NIK 5108 0912 3456 0001, "
                                             "telp 0812.3456.7890) berjanji.")
    page = client.get(f"/forum/{les_forum.pk}/kami-bertindak/").content.decode()
    assert "Musik keras tiap malam" in page and "Sudah ditegur" in page
    for secret in ("Artawan", "tujuh delapan", "gmail", "0912", "3456"):
        assert secret not in page


def test_a_violent_home_filed_as_a_fight_is_not_shown(client: Client, held_meeting, les_forum):
    meeting_issue_add(actor=person("fkpm"), meeting_id=held_meeting.pk, version=1, category_code="fight",
                      text="Tetangga ribut, istrinya dipukul suami sampai berdarah")
    page = client.get(f"/forum/{les_forum.pk}/kami-bertindak/").content.decode()
    assert "dipukul" not in page and "berdarah" not in page
    assert "Perkelahian dan tawuran" not in page  # not even its category is named
