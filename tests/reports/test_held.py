"""A report held for its sensitive text (an ordinary category, words of domestic or sexual
violence, children, trafficking) reaches the officer and the PPA officer, never the forum,
whose members are residents (issue 14, item 8)."""

import pytest

from conftest import person
from polmas.reports.models import Recipient
from polmas.reports.selectors import inbox, report_get, report_list
from polmas.reports.services import report_moderate
from reports.helpers import submit

pytestmark = pytest.mark.django_db


def test_a_held_report_goes_to_the_officer_not_the_forum():
    held = submit(category="fight", description="Istrinya dipukul suami tiap malam.").report
    plain = submit(category="fight", description="Dua pemuda berkelahi di lapangan.").report
    assert held.held and not plain.held
    assert set(held.recipients.values_list("why", flat=True)) <= {Recipient.Why.OFFICER, Recipient.Why.PPA,
                                                                  Recipient.Why.GAP}
    assert plain.recipients.filter(why=Recipient.Why.FORUM).exists()
    fkpm, bhabin = person("fkpm"), person("bhabin")
    assert held.pk not in set(report_list(user=fkpm).values_list("pk", flat=True))
    assert held.pk not in set(inbox(user=fkpm).values_list("pk", flat=True))
    assert report_get(user=fkpm, report_id=held.pk) is None
    assert report_get(user=fkpm, report_id=plain.pk) is not None
    assert held.pk in set(inbox(user=bhabin).values_list("pk", flat=True))
    report_moderate(actor=bhabin, report_id=held.pk, held=False, reason="Bukan KDRT")
    assert report_get(user=fkpm, report_id=held.pk) is not None
