"""Response headers (issue 14): nothing a signed-in user or an API caller reads is kept in a
cache (a sealed case above all), public pages stay cacheable, and every answer says which
browser features the app may use."""

import pytest

from cases.helpers import open_case
from conftest import person

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def policy(response) -> dict[str, str]:
    items = [item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")]
    return dict(items)


@pytest.fixture
def sealed():
    return open_case(category="domestic_violence", statement="KDRT berulang terhadap istri.")


def test_a_sealed_case_read_is_never_stored_in_the_page_or_the_api(sealed, client, api):
    client.force_login(person("bhabin"))
    page = client.get(f"/kasus/{sealed.pk}/")
    assert page.status_code == 200 and "KDRT berulang" in page.content.decode()
    assert page.headers["Cache-Control"] == "no-store"
    answer = api("bhabin").get(f"/api/v1/cases/{sealed.pk}")
    assert answer.status_code == 200 and answer.json()["statement"] == "KDRT berulang terhadap istri."
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/kasus/", "/kerja/", "/dashboard/51.08/", "/statistik/",
                                  "/coverage/51.08/"])
def test_every_page_a_signed_in_user_reads_is_no_store(login, path):
    response = login("kapolres").get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/cases", "/api/v1/openapi.json"])
def test_every_api_answer_is_no_store_with_or_without_a_token(api, path):
    assert no_store(api("kapolsek").get(path)), path
    assert no_store(api(None).get(path)), path  # 401 or the public document alike


def test_public_pages_stay_cacheable_for_anonymous_visitors(client):
    for path in ["/statistik/", "/lapor/status/", "/accounts/login/"]:
        response = client.get(path)
        assert response.status_code == 200, path
    # The public statistics set nothing that forbids a cache to keep them.
    assert not no_store(client.get("/statistik/"))


def test_a_shared_asset_keeps_its_own_public_cache_control_for_a_signed_in_user(login):
    response = login("kapolres").get("/dashboard/assets/leaflet/leaflet.js")
    assert response.headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize("path", ["/lapor/", "/statistik/", "/accounts/login/", "/healthz", "/api/v1/me",
                                  "/no-such-page/"])
def test_every_answer_denies_the_browser_features_the_app_does_not_use(client, path):
    features = policy(client.get(path))
    for feature in ["camera", "microphone", "payment", "usb", "display-capture"]:
        assert features[feature] == "()", (path, feature)
    # The report form offers "use my location", from our own pages only.
    assert features["geolocation"] == "(self)"


def test_djangos_content_security_policy_is_on_every_page(client, login):
    for response in [client.get("/lapor/"), login("bhabin").get("/kasus/")]:
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
