"""/accounts/login/ and logout: the form, its errors, the lockout after repeated failures."""

import pytest
from django.conf import settings

from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def test_it_shows_the_login_form_in_indonesian(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="id">' in body
    assert "Masuk ke Polmas" in body
    assert "Nama pengguna" in body and "Kata sandi" in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_it_shows_the_login_form_in_english_on_request(client):
    body = client.get("/accounts/login/", headers=EN).content.decode()

    assert "Log in to Polmas" in body
    assert "Username" in body and "Password" in body


def test_it_logs_in_and_goes_home(client):
    response = client.post("/accounts/login/", {"username": "kapolsek", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Selamat datang, I Made Suarjana" in client.get("/").content.decode()


def test_it_follows_next_after_login(client):
    response = client.post("/accounts/login/?next=/coverage/51.08.09/",
                           {"username": "kapolsek", "password": PASSWORD,
                            "next": "/coverage/51.08.09/"})

    assert response["Location"] == "/coverage/51.08.09/"


def test_it_explains_a_wrong_password(client):
    response = client.post("/accounts/login/", {"username": "kapolsek", "password": "salah"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Nama pengguna atau kata sandi salah." in body
    assert "_auth_user_id" not in client.session


def test_it_explains_a_wrong_password_in_english(client):
    response = client.post("/accounts/login/", {"username": "kapolsek", "password": "wrong"},
                           headers=EN)

    assert "Wrong username or password." in response.content.decode()


def test_it_asks_for_both_fields(client):
    body = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()

    assert "_auth_user_id" not in client.session
    assert body.count('class="errorlist') >= 2


def test_it_locks_the_account_after_repeated_failures(client):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = client.post("/accounts/login/", {"username": "kapolres", "password": "x"})
        assert response.status_code == 200

    locked = client.post("/accounts/login/", {"username": "kapolres", "password": "x"})
    correct = client.post("/accounts/login/", {"username": "kapolres", "password": PASSWORD})

    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Akun dikunci untuk sementara" in body
    assert "15 menit" in body
    assert correct.status_code == 429  # even the right password waits for the cool-off
    assert "_auth_user_id" not in client.session


def test_it_explains_the_lockout_in_english(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "kapolres", "password": "x"},
                               headers=EN)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Account locked for a while" in body
    assert "blocked for 15 minutes" in body


def test_the_lockout_leaves_other_accounts_alone(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "kapolres", "password": "x"})

    response = client.post("/accounts/login/", {"username": "kapolsek", "password": PASSWORD})

    assert response.status_code == 302


def test_it_logs_out_with_a_post(login):
    client = login("kapolsek")

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_it_refuses_to_log_out_with_a_get(login):
    client = login("kapolsek")

    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
