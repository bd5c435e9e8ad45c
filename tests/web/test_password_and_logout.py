"""Logging out says so; a forgotten password is reset by e-mail, without telling anyone
whether an account has the address."""

import re

import pytest
from django.core import mail
from django.test import Client

from conftest import person
from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def test_logging_out_shows_a_message(login):
    client = login("warga")

    response = client.post("/accounts/logout/", follow=True, headers=EN)

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "You are logged out." in body
    assert 'href="/accounts/password/reset/"' in body


def test_the_login_page_offers_a_reset(client: Client):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in body


def test_a_reset_mails_a_link_that_sets_a_new_password(client: Client):
    user = person("warga")
    user.email = "komang@example.id"
    user.save()

    response = client.post("/accounts/password/reset/", {"email": "Komang@example.id"})

    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["komang@example.id"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    assert "warga" in mail.outbox[0].body
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "Lapor-Aman-2026",
                                                    "new_password2": "Lapor-Aman-2026"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lapor-Aman-2026") and not user.check_password(PASSWORD)


def test_a_weak_new_password_is_400(client: Client):
    user = person("warga")
    user.email = "komang@example.id"
    user.save()
    client.post("/accounts/password/reset/", {"email": "komang@example.id"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)

    weak = {"new_password1": "12345678", "new_password2": "12345678"}
    refused = client.post(form.redirect_chain[-1][0], weak)

    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.id"})

    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_bad_address_is_refused_naming_the_field(client: Client):
    response = client.post("/accounts/password/reset/", {"email": "not an address"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert mail.outbox == []


def test_a_used_or_forged_link_is_refused(client: Client):
    body = client.get("/accounts/password/reset/MQ/set-password/", follow=True).content.decode()
    assert 'name="new_password1"' not in body
    assert 'href="/accounts/password/reset/"' in body
