"""The alert to an agreement's owner 60 days before it expires: raised once, however often
the job runs; an agreement past its end is marked ended."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import person
from polmas.access.models import AuditEntry
from polmas.partners.alerts import agreements_alert
from polmas.partners.models import Agreement, AgreementAlert

pytestmark = pytest.mark.django_db


def test_an_expiring_agreement_raises_its_alert_once(cast):
    today = timezone.localdate()
    assert cast.agreement.ends_on == today + dt.timedelta(days=30)
    assert cast.agreement.owner == person("kapolres")
    assert agreements_alert(today=today) == 1
    assert agreements_alert(today=today) == 0
    call_command("agreements_alert")  # cron's way: nothing again
    assert AgreementAlert.objects.filter(agreement=cast.agreement).count() == 1
    assert AuditEntry.objects.filter(action="agreement.expiry_alert",
                                     object_id=str(cast.agreement.pk)).count() == 1
    # The owner sees it on the agreement.
    from django.test import Client

    client = Client()
    client.force_login(person("kapolres"))
    page = client.get(f"/mitra/perjanjian/{cast.agreement.pk}/").content.decode()
    assert page.count('class="tag alert"') == 1


def test_the_owner_who_chose_sms_gets_one_message(cast):
    from polmas.access.notify import setting_save
    from polmas.reports.models import OutboundMessage

    setting_save(actor=person("kapolres"), events=["agreement_expiring"], channels=["sms"],
                 phone="081299887766")
    agreements_alert(today=timezone.localdate())
    agreements_alert(today=timezone.localdate())
    sent = [m for m in OutboundMessage.objects.filter(channel="sms")
            if "PKS anti perdagangan orang" in m.body]
    assert len(sent) == 1
    assert sent[0].to.endswith("81299887766")


def test_it_waits_until_sixty_days_before_the_end(cast):
    today = timezone.localdate()
    assert agreements_alert(today=cast.agreement.ends_on - dt.timedelta(days=61)) == 0
    assert agreements_alert(today=cast.agreement.ends_on - dt.timedelta(days=60)) == 1
    assert agreements_alert(today=today) == 0


def test_an_agreement_past_its_end_is_ended_without_an_alert(cast):
    later = cast.agreement.ends_on + dt.timedelta(days=1)
    assert agreements_alert(today=later) == 0
    cast.agreement.refresh_from_db()
    assert cast.agreement.status == Agreement.Status.ENDED
    assert not AgreementAlert.objects.exists()
