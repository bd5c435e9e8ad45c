import pytest

from conftest import person
from polmas.access.models import AuditEntry
from polmas.reports.intake import ReportInput, report_submit
from polmas.reports.models import Category

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_editable_in_the_admin(client):
    client.force_login(person("admin"))
    noise = Category.objects.get(code="noise")
    response = client.get("/admin/reports/category/")
    assert response.status_code == 200
    assert "Kebisingan dan gangguan" in response.content.decode()
    response = client.post(f"/admin/reports/category/{noise.pk}/change/", {
        "name_id": "Kebisingan", "name_en": "Noise", "description_id": "", "description_en": "",
        "keywords": "bising,berisik", "sensitive": "", "mediable": "on", "group": "order",
        "active": "on", "order": "60",
    })
    assert response.status_code == 302
    noise.refresh_from_db()
    assert noise.name_id == "Kebisingan" and noise.keywords == "bising,berisik"
    assert AuditEntry.objects.filter(action="admin.change", object_type="reports.category").exists()


def test_opening_a_sealed_report_in_the_admin_asks_why_and_audits_the_reason(client):
    report = report_submit(ReportInput(category="domestic_violence", description="KDRT di rumah",
                                       channel="web", village="51.08.09.2007")).report
    client.force_login(person("admin"))
    url = f"/admin/reports/report/{report.pk}/change/"
    asked = client.get(url)
    assert asked.status_code == 200 and "KDRT di rumah" not in asked.content.decode()
    assert not AuditEntry.objects.filter(action="report.read_sealed").exists()
    assert client.post(url, {"sealed_reason": "Audit internal Bidpropam"}).status_code == 302
    response = client.get(url)
    assert response.status_code == 200 and "KDRT di rumah" in response.content.decode()
    entry = AuditEntry.objects.get(action="report.read_sealed", object_id=str(report.pk))
    assert entry.actor_name == "admin" and "Audit internal Bidpropam" in entry.reason
    # The reason is for this report only: another sealed report asks again.
    other = report_submit(ReportInput(category="domestic_violence", description="Kasus kedua",
                                      channel="web", village="51.08.09.2007")).report
    again = client.get(f"/admin/reports/report/{other.pk}/change/")
    assert again.status_code == 200 and "Kasus kedua" not in again.content.decode()


def test_a_supervisor_is_not_let_into_the_admin(client):
    client.force_login(person("kapolres"))
    assert client.get("/admin/reports/report/").status_code == 302


def test_the_admin_never_shows_a_messages_tracking_code(client):
    from polmas.reports.models import CODE_SLOT, OutboundMessage

    message = OutboundMessage.objects.create(channel="whatsapp", to="+6281234567890",
                                             body=f"Kode Anda: {CODE_SLOT}.", secret="7K2M-9QXD-4RTB")
    client.force_login(person("admin"))
    page = client.get(f"/admin/reports/outboundmessage/{message.pk}/change/").content.decode()
    assert "Kode Anda" in page and "7K2M" not in page


@pytest.mark.parametrize("reason", ["Alasan\x00dengan NUL", "x" * 1001])
def test_a_reason_with_a_nul_or_over_1000_characters_is_refused_and_opens_nothing(client, reason):
    report = report_submit(ReportInput(category="domestic_violence", description="KDRT di rumah",
                                       channel="web", village="51.08.09.2007")).report
    client.force_login(person("admin"))
    url = f"/admin/reports/report/{report.pk}/change/"
    refused = client.post(url, {"sealed_reason": reason})
    assert refused.status_code == 400 and 'class="errorlist"' in refused.content.decode()
    assert "KDRT di rumah" not in client.get(url).content.decode()  # still asked
    assert not AuditEntry.objects.filter(action="report.read_sealed").exists()


def test_a_supervisor_cannot_give_a_reason_to_the_back_office(client):
    report = report_submit(ReportInput(category="domestic_violence", description="KDRT di rumah",
                                       channel="web", village="51.08.09.2007")).report
    client.force_login(person("kapolres"))
    url = f"/admin/reports/report/{report.pk}/change/"
    answer = client.post(url, {"sealed_reason": "Saya atasan"})
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    assert "admin_sealed_reasons" not in client.session
    assert not AuditEntry.objects.filter(action="report.read_sealed").exists()
