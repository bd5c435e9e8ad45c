"""The reporter closes the loop (reports.feedback): is it fixed, a rating, reopening within
14 days; and "me too" on a published report."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import person
from polmas.access.models import AuditEntry
from polmas.reports.feedback import me_too_key, report_feedback_give, report_me_too
from polmas.reports.models import Event, Feedback, MeToo, Recipient, Report
from polmas.reports.selectors import satisfaction
from polmas.reports.services import report_set_status
from polmas.reports.signals import report_reopened

from .helpers import submit

pytestmark = pytest.mark.django_db


def resolved(**fields: object):
    done = submit(**fields)
    report_set_status(actor=person("bhabin"), report_id=done.report.pk, status="resolved",
                      summary="Pelaku sudah ditemukan dan motor dikembalikan.")
    done.report.refresh_from_db()
    return done


def test_the_reporter_says_it_is_fixed_and_rates_it():
    done = resolved()
    before = satisfaction(prefixes=["51.08.09"])

    feedback = report_feedback_give(code=done.tracking_code, fixed=True, rating=5)

    assert (feedback.report_id, feedback.fixed, feedback.rating, feedback.reopened) == (
        done.report.pk, True, 5, False)
    after = satisfaction(prefixes=["51.08.09"])
    assert after["answers"] == before["answers"] + 1
    assert after["fixed"] == before["fixed"] + 1
    assert satisfaction(prefixes=["34"])["answers"] == 0
    assert AuditEntry.objects.filter(action="report.feedback", object_id=str(done.report.pk)).exists()


def test_it_answers_once_per_resolution():
    done = resolved()
    report_feedback_give(code=done.tracking_code, fixed=True)

    with pytest.raises(ValidationError) as caught:
        report_feedback_give(code=done.tracking_code, fixed=False, rating=1)

    assert "fixed" in caught.value.message_dict
    assert Feedback.objects.filter(report=done.report).count() == 1


def test_it_refuses_an_open_report_and_a_bad_rating():
    done = submit()
    with pytest.raises(ValidationError) as caught:
        report_feedback_give(code=done.tracking_code, fixed=True)
    assert "fixed" in caught.value.message_dict

    done = resolved()
    for bad in (0, 6, "5", True):
        with pytest.raises(ValidationError) as caught:
            report_feedback_give(code=done.tracking_code, fixed=True, rating=bad)
        assert "rating" in caught.value.message_dict
    assert not Feedback.objects.filter(report=done.report).exists()


def test_a_wrong_code_or_someone_elses_report_is_404():
    done = resolved()
    with pytest.raises(Http404):
        report_feedback_give(code="ABCD-EFGH-JKMN", fixed=True)
    with pytest.raises(Http404):
        report_feedback_give(user=person("warga"), report_id=done.report.pk, fixed=True)


def test_reopening_puts_it_back_in_the_officers_hands(django_capture_on_commit_callbacks):
    done = resolved()
    Recipient.objects.filter(report=done.report).update(seen_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    heard = []
    report_reopened.connect(lambda sender, report_id, **kw: heard.append(report_id), weak=False,
                            dispatch_uid="test-reopen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report_feedback_give(code=done.tracking_code, fixed=False, rating=2, reopen=True)
    finally:
        report_reopened.disconnect(dispatch_uid="test-reopen")

    report = Report.objects.get(pk=done.report.pk)
    assert report.status == Report.Status.IN_PROGRESS and report.resolved_at is None
    assert report.public_summary == ""  # "how it was resolved" no longer holds
    assert Event.objects.filter(report=report, kind="reopened", public=True).exists()
    assert not Recipient.objects.filter(report=report, seen_at__isnull=False).exists()
    assert AuditEntry.objects.filter(action="report.reopen", object_id=str(report.pk)).exists()
    assert heard == [report.pk]
    # Resolved again, it may be answered again.
    report_set_status(actor=person("bhabin"), report_id=report.pk, status="resolved", summary="Selesai.")
    report_feedback_give(code=done.tracking_code, fixed=True, rating=4)
    assert Feedback.objects.filter(report=report).count() == 2


def test_it_cannot_be_reopened_after_14_days():
    done = resolved()
    Report.objects.filter(pk=done.report.pk).update(
        resolved_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=15))

    with pytest.raises(ValidationError) as caught:
        report_feedback_give(code=done.tracking_code, fixed=False, reopen=True)

    assert "reopen" in caught.value.message_dict
    assert Report.objects.get(pk=done.report.pk).status == Report.Status.RESOLVED


def test_me_too_counts_once_a_person_and_makes_no_report():
    done = submit()
    reports = Report.objects.count()
    one = me_too_key(user=None, client_address="203.0.113.5")
    two = me_too_key(user=None, client_address="203.0.113.6")

    assert report_me_too(report_id=done.report.pk, who=one) == (1, True)
    assert report_me_too(report_id=done.report.pk, who=one) == (1, False)
    assert report_me_too(report_id=done.report.pk, who=two) == (2, True)
    assert Report.objects.count() == reports
    assert MeToo.objects.filter(report=done.report).count() == 2


def test_me_too_is_404_on_a_sensitive_or_spam_report():
    sealed = submit(category="domestic_violence")
    with pytest.raises(Http404):
        report_me_too(report_id=sealed.report.pk, who="x")
    spam = submit()
    Report.objects.filter(pk=spam.report.pk).update(spam=True)
    with pytest.raises(Http404):
        report_me_too(report_id=spam.report.pk, who="x")


def test_a_reopened_report_is_in_its_officers_queue(client):
    done = resolved()
    client.force_login(person("bhabin"))
    assert 'id="officer-reopened"' not in client.get("/kerja/").content.decode()

    report_feedback_give(code=done.tracking_code, fixed=False, reopen=True)

    body = client.get("/kerja/").content.decode()
    assert 'id="officer-reopened"' in body and f'data-report="{done.report.pk}"' in body
    client.force_login(person("kapolsek_depok"))
    assert f'data-report="{done.report.pk}"' not in client.get("/kerja/").content.decode()


def test_the_officer_reads_the_residents_answer_on_the_report_page(client):
    """The officer who resolved a report sees on its page what the resident said: fixed or
    not, the rating, and a reopening in words (not the event's code name)."""
    from django.utils import translation

    first = resolved()
    report_feedback_give(code=first.tracking_code, fixed=True, rating=4)
    second = resolved()
    report_feedback_give(code=second.tracking_code, fixed=False, reopen=True)

    client.force_login(person("bhabin"))
    with translation.override("en"):
        page = client.get(f"/kerja/laporan/{first.report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        text = page.content.decode()
        assert "The resident said the problem is fixed. They rated the response 4 of 5." in text
        page = client.get(f"/kerja/laporan/{second.report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        text = page.content.decode()
    assert "The resident said the problem is not fixed." in text
    assert "The resident reopened it: the problem is not fixed." in text
    assert ">reopened<" not in text and "— reopened" not in text
