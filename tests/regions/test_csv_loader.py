"""Another country's regions from a CSV file: Timor-Leste's municipalities from ISO 3166-2
(pycountry), then an administrative post and a suco the same way; bad files change nothing."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from polmas.regions import codes
from polmas.regions.models import Region

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent,latitude,longitude\n"


@pytest.fixture
def timor(settings):
    settings.POLMAS_COUNTRY = "TL"
    with translation.override("en"):  # the messages below are asserted in English
        yield


def write(tmp_path, body: str, name: str = "regions.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


def test_timor_leste_municipalities_from_pycountry_load_and_reload(timor, tmp_path, capsys):
    out = tmp_path / "tl.csv"
    call_command("regions_iso_csv", "TL", "--out", str(out))
    before = Region.objects.count()

    call_command("load_regions", "--csv", str(out))

    tl = Region.objects.get(code="00")
    assert tl.name == "Timor-Leste" and tl.level == codes.PROVINCE
    municipalities = Region.objects.filter(parent_id="00")
    assert municipalities.count() == 13
    assert Region.objects.get(code="00.06").name == "Díli"
    assert Region.objects.get(code="00.12").name == "Oé-Cusse Ambeno"
    assert all(m.utc_offset == 9 for m in municipalities)
    assert Region.objects.count() == before + 14
    # Indonesia is untouched and nothing of Timor-Leste sits under an Indonesian prefix.
    assert Region.objects.get(code="51.08.09.2007").name == "Les"
    assert set(Region.objects.under("00").values_list("code", flat=True)) == {
        "00", *(f"00.{n:02d}" for n in range(1, 14))}

    # Idempotent: a second load duplicates nothing and restores a tampered name.
    Region.objects.filter(code="00.06").update(name="Tampered")
    call_command("load_regions", "--csv", str(out))
    assert Region.objects.count() == before + 14
    assert Region.objects.get(code="00.06").name == "Díli"
    assert "13 at level 2" in capsys.readouterr().out


def test_a_suco_loads_the_same_way_under_its_municipality(timor, tmp_path):
    call_command("regions_iso_csv", "TL", "--out", str(tmp_path / "tl.csv"))
    call_command("load_regions", "--csv", str(tmp_path / "tl.csv"))
    path = write(tmp_path, "00.06.01,Cristo Rei,3,00.06,,\n"
                           "00.06.01.0001,Becora,4,00.06.01,-8.5611,125.6025\n")
    call_command("load_regions", "--csv", path)
    becora = Region.objects.get(code="00.06.01.0001")
    assert becora.is_village and becora.parent.parent.name == "Díli"
    assert becora.latitude == pytest.approx(-8.5611) and becora.cell is not None


@pytest.mark.parametrize("body,where", [
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00,,\n00.06.01.0001,Becora,4,00.06.01,,\n",
     "line 4, column parent: 00.06.01 is neither in the file nor loaded"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,5,00,,\n", "line 3, column level"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,3,00,,\n", "line 3, column level: code 00.06 is of level 2"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00,,\n00.06,Dili again,2,00,,\n",
     "line 4, column code: 00.06 is already on line 3"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00,-95,125.5\n", "line 3, column latitude"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00,-8.5,nan\n", "line 3, column longitude"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00,-8.5,\n", "line 3, column longitude: give both"),
    ("00,Timor-Leste,1,,,\nTL-DI,Díli,2,00,,\n", "line 3, column code"),
    ("00,Timor-Leste,1,,,\n51.08,Buleleng,2,51,,\n", "line 3, column code: 51.08 is not under"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00.01,,\n", "line 3, column parent"),
    ("00,Timor-Leste,1,,,\n00.06,,2,00,,\n", "line 3, column name"),
    ("00,Timor-Leste,1,,,\n00.06,Díli,2,00\n", "line 3, column code: the row has 4 fields"),
])
def test_a_bad_file_is_refused_naming_row_and_column_and_nothing_is_written(
        timor, tmp_path, body, where):
    before = Region.objects.count()
    with pytest.raises(CommandError) as err:
        call_command("load_regions", "--csv", write(tmp_path, body))
    assert where in str(err.value)
    assert "nothing was loaded" in str(err.value)
    assert Region.objects.count() == before
    assert not Region.objects.filter(code="00").exists()


def test_a_missing_column_or_a_file_that_is_not_utf8_is_refused(timor, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent\n00,Timor-Leste,1,\n")
    with pytest.raises(CommandError, match="column latitude: this column is missing"):
        call_command("load_regions", "--csv", str(bad))
    bad.write_bytes(HEADER.encode() + b"00,Timor-Leste \xff,1,,,\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("load_regions", "--csv", str(bad))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_regions", "--csv", str(tmp_path / "absent.csv"))


def test_the_country_chooses_the_source(timor, settings):
    with pytest.raises(CommandError, match="--csv: this deployment's country"):
        call_command("load_regions", "--provinces", "51")
    settings.POLMAS_COUNTRY = "ID"
    with pytest.raises(CommandError, match="--provinces: only for Indonesia"):
        call_command("load_regions", "--provinces", "51", "--csv", "x.csv")


def test_an_unknown_country_setting_is_refused():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "import polmas.settings"], capture_output=True,
                         text=True, env={"POLMAS_COUNTRY": "XX", "PATH": "/usr/bin"})
    assert run.returncode != 0 and "POLMAS_COUNTRY: 'XX' is not one of ID, TL" in run.stderr


def test_timor_leste_deployment_speaks_tetum_in_its_time_zone():
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", "from polmas import settings as s; print(s.LANGUAGE_CODE, s.TIME_ZONE)"],
        capture_output=True, text=True, env={"POLMAS_COUNTRY": "tl", "PATH": "/usr/bin"})
    assert run.stdout.split() == ["tet", "Asia/Dili"], run.stderr
