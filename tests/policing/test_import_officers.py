"""`polmas import_officers FILE.csv`: all rows or nothing, every bad row reported."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from conftest import person
from polmas.access.models import AuditEntry
from polmas.policing import importer
from polmas.policing.models import Assignment, Officer

from .places import LES, PACUNG, PENUKTUKAN, TAMBAKAN, TEJAKULA

pytestmark = pytest.mark.django_db

HEADER = "nrp,name,rank,unit,unit_kind,phone,email,function,active,villages,start"
GOOD = [
    f"99010001,Komang Ayu,Bripka,{TEJAKULA},,0812 3456 7890,komang@example.org,,,"
    f"{PACUNG};{PENUKTUKAN},2025-01-15",
    "99010002,Made Sudira,kompol,51.08,,+6281234567891,,supervisor,1,,",
    '99010003,"Gede, Wayan",KOMBES POL,mabes,,,,other,false,,',
    "99010004,Sri Lestari,aipda,34.04.07,polsek,,,ppa,true,,",
]


@pytest.fixture(autouse=True)
def _english_and_free_villages(vacate):
    vacate(PACUNG, PENUKTUKAN)
    with translation.override("en"):
        yield


def write(tmp_path: Path, *lines: str, newline: str = "\n", encoding: str = "utf-8") -> Path:
    path = tmp_path / "officers.csv"
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def run(path: Path | str, *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) as the terminal would show them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_officers", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> tuple[int, ...]:
    return (Officer.objects.count(), Assignment.objects.count(),
            Assignment.objects.filter(end__isnull=True).count(), AuditEntry.objects.count())


# --- a good file ---------------------------------------------------------------------------

def test_a_good_file_imports_officers_and_postings(tmp_path):
    last_entry = AuditEntry.objects.order_by("pk").last()

    status, out, err = run(write(tmp_path, HEADER, *GOOD))

    assert (status, err) == (0, "")
    assert "Imported 4 officers and 2 village postings; 0 rows" in out
    komang = Officer.objects.get(nrp="99010001")
    assert (komang.name, komang.rank, komang.unit.name, komang.function, komang.active) == (
        "Komang Ayu", "bripka", "Polsek Tejakula", "bhabinkamtibmas", True)
    assert (komang.phone, komang.email) == ("081234567890", "komang@example.org")
    assert set(komang.assignments.filter(end__isnull=True).values_list("village_id", "start")) == {
        (PACUNG, dt.date(2025, 1, 15)), (PENUKTUKAN, dt.date(2025, 1, 15))}
    assert Officer.objects.get(nrp="99010002").unit.name == "Polres Buleleng"
    wayan = Officer.objects.get(nrp="99010003")
    assert (wayan.name, wayan.rank, wayan.unit.kind, wayan.active) == (
        "Gede, Wayan", "kombes", "mabes", False)
    assert Officer.objects.get(nrp="99010004").unit.name == "Polsek Depok"
    entries = AuditEntry.objects.filter(pk__gt=last_entry.pk if last_entry else 0)
    assert sorted(e.action for e in entries) == ["assignment.start"] * 2 + ["officer.create"] * 4
    assert {(e.actor, e.actor_name) for e in entries} == {(None, "system")}


def test_running_the_same_file_again_imports_nothing_twice(tmp_path):
    path = write(tmp_path, HEADER, *GOOD)
    assert run(path)[0] == 0
    after_first = snapshot()

    status, out, err = run(path)

    assert (status, err) == (0, "")
    assert "Imported 0 officers and 0 village postings; 4 rows were already imported" in out
    assert snapshot() == after_first


def test_a_changed_row_for_an_existing_officer_is_refused(tmp_path):
    assert run(write(tmp_path, HEADER, *GOOD))[0] == 0
    before = snapshot()
    changed = GOOD[1].replace("Made Sudira", "Made Sudirta").replace("kompol", "akbp")

    status, _, err = run(write(tmp_path, HEADER, GOOD[0], changed))

    assert status == 1
    assert "line 3, column nrp: an officer with NRP 99010002 already exists, with different name, rank" in err
    assert snapshot() == before


def test_bom_and_crlf_line_endings_are_accepted(tmp_path):
    path = write(tmp_path, HEADER.upper().replace(",", " , "), *GOOD, newline="\r\n", encoding="utf-8-sig")
    status, out, _ = run(path)
    assert status == 0 and "Imported 4 officers" in out
    assert Officer.objects.get(nrp="99010004").name == "Sri Lestari"  # no stray \r


def test_check_only_writes_nothing(tmp_path):
    before = snapshot()
    status, out, _ = run(write(tmp_path, HEADER, *GOOD), "--check")
    assert status == 0 and "4 rows checked: all good; nothing was written" in out
    assert snapshot() == before


def test_a_large_file_is_checked_with_a_few_queries(tmp_path, django_assert_max_num_queries):
    lines = [f"{99020000 + i},Officer {i},bripka,{TEJAKULA},,,,,,," for i in range(1200)]
    rows = importer.read_csv(write(tmp_path, HEADER, *lines))
    with django_assert_max_num_queries(20):
        planned = importer.check_rows(rows)
    assert len(planned) == 1200
    assert run(tmp_path / "officers.csv")[0] == 0
    assert Officer.objects.filter(nrp__startswith="9902").count() == 1200


# --- bad rows ------------------------------------------------------------------------------

BASE = {"nrp": "99010005", "name": "Putu Arta", "rank": "brigpol", "unit": TEJAKULA, "unit_kind": "",
        "phone": "081311112222", "email": "", "function": "", "active": "", "villages": PENUKTUKAN,
        "start": "2025-02-01"}
KAPOLSEK_NRP = "<kapolsek>"
GOOD_ONLY_PACUNG = GOOD[0].replace(f";{PENUKTUKAN}", "")


@pytest.mark.parametrize("change,column,reason", [
    ({"nrp": "1234567"}, "nrp", "NRP must be exactly 8 digits."),
    ({"nrp": "99010001"}, "nrp", "NRP 99010001 already appears on line 2"),
    ({"nrp": KAPOLSEK_NRP}, "nrp", "already exists, with different name"),
    ({"name": ""}, "name", "a name is required"),
    ({"rank": "sersan"}, "rank", "unknown rank sersan"),
    ({"unit": "51.08.99"}, "unit", "unknown region code 51.08.99"),
    ({"unit": "51-08-09"}, "unit", "malformed region code 51-08-09"),
    ({"unit": ""}, "unit", "a unit is required"),
    ({"unit_kind": "polres"}, "unit", "there is no polres unit for 51.08.09"),
    ({"unit_kind": "koramil"}, "unit_kind", "unknown unit kind koramil"),
    ({"unit": LES, "villages": ""}, "unit_kind", "51.08.09.2007 is a village code"),
    ({"villages": TAMBAKAN}, "villages", "51.08.08.2001 lies outside the jurisdiction of Polsek Tejakula"),
    ({"villages": LES}, "villages", "51.08.09.2007 already has an active Bhabinkamtibmas"),
    ({"villages": PACUNG}, "villages", "51.08.09.2002 is already listed on line 2"),
    ({"villages": f"{PENUKTUKAN};{PENUKTUKAN}"}, "villages", "51.08.09.2008 is listed twice"),
    ({"villages": TEJAKULA}, "villages", "51.08.09 is not a village"),
    ({"villages": "51.08.09.2999"}, "villages", "unknown village code 51.08.09.2999"),
    ({"villages": "5108092008"}, "villages", "malformed village code 5108092008"),
    ({"start": ""}, "start", "a start date is required when villages are given"),
    ({"start": "2025-02-30"}, "start", "2025-02-30 is not a date in the form YYYY-MM-DD"),
    ({"start": "01/02/2025"}, "start", "01/02/2025 is not a date"),
    ({"start": "20250201"}, "start", "20250201 is not a date"),
    ({"email": "putu@"}, "email", "putu@ is not a valid e-mail address."),
    ({"phone": "12345"}, "phone", "12345 is not an Indonesian phone number"),
    ({"phone": "+1 202 555 0100"}, "phone", "is not an Indonesian phone number"),
    ({"function": "sergeant"}, "function", "unknown function sergeant"),
    ({"active": "maybe"}, "active", "maybe is not one of 1/0/true/false"),
    ({"active": "0"}, "villages", "an inactive officer cannot be posted to villages"),
    ({"function": "supervisor"}, "villages", "only a Bhabinkamtibmas is posted to villages"),
])
def test_a_bad_row_is_reported_and_nothing_is_imported(tmp_path, change, column, reason):
    row = BASE | change
    if row["nrp"] == KAPOLSEK_NRP:
        row["nrp"] = Officer.objects.get(user=person("kapolsek")).nrp
    bad = ",".join(row[c] for c in HEADER.split(","))
    before = snapshot()

    status, out, err = run(write(tmp_path, HEADER, GOOD_ONLY_PACUNG, bad))

    assert status == 1
    reported = [line for line in err.splitlines() if line.startswith("line ")]
    assert len(reported) == 1, err
    assert reported[0].startswith(f"line 3, column {column}: ") and reason in reported[0], err
    assert "1 problem found; nothing was imported." in err
    assert "Imported" not in out
    assert snapshot() == before


def test_every_bad_row_is_reported_with_its_line(tmp_path):
    before = snapshot()
    path = write(tmp_path, HEADER,
                 GOOD[1],
                 "1234,,sersan,51.08.09,,,,,,,",  # three problems in one row
                 '99010006,"Nyoman',  # a quoted name running over two lines
                 ' Sari",bripka,51.08.09,,,,,,,',
                 "99010007,Ketut,bripka,51.08.09,,,,,,,,extra",
                 "",
                 "99010008,Kadek,bripka,51.08.09,,,putu@,,,,")
    status, _, err = run(path)

    assert status == 1
    problems = [line for line in err.splitlines() if line.startswith("line ")]
    assert problems == [
        "line 3, column nrp: NRP must be exactly 8 digits.",
        "line 3, column name: a name is required",
        "line 3, column rank: unknown rank sersan",
        "line 6, column 12: the row has 12 fields, the header 11",
        "line 8, column email: putu@ is not a valid e-mail address.",
    ]
    assert "5 problems found; nothing was imported." in err
    assert snapshot() == before


@pytest.mark.parametrize("header,column,reason", [
    ("nrp,name,rank", "unit", "required column is missing"),
    ("nrp,name,rank,unit,vilages", "vilages", "unknown column"),
    ("nrp,name,rank,unit,nrp", "nrp", "the column appears twice"),
    ("nrp,name,rank,unit,", "5", "the column has no name"),
])
def test_a_bad_header_is_reported_with_the_column(tmp_path, header, column, reason):
    before = snapshot()
    status, _, err = run(write(tmp_path, header, "99010001,Komang,bripka,51.08.09,"))
    assert status == 1
    assert f"line 1, column {column}: {reason}" in err
    assert snapshot() == before


# --- the file itself -----------------------------------------------------------------------

def test_a_missing_file_is_reported(tmp_path):
    status, _, err = run(tmp_path / "nope.csv")
    assert status == 1 and "nope.csv: no such file." in err


def test_a_directory_is_not_a_file(tmp_path):
    status, _, err = run(tmp_path)
    assert status == 1 and "is not a file." in err


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = write(tmp_path, HEADER, GOOD[1], "99010009,José Ramos,bripka,51.08.09,,,,,,,", encoding="cp1252")
    status, _, err = run(path)
    assert status == 1 and "line 3: the file is not UTF-8 text (byte 0xE9)" in err
    assert not Officer.objects.filter(nrp="99010002").exists()


@pytest.mark.parametrize("content,reason", [
    (b"", "is empty."),
    (b"\r\n\n  \n", "is empty."),
    (HEADER.encode() + b"\n", "has a header but no officer rows."),
    (HEADER.encode() + b"\n,,,,,,,,,,\n", "has a header but no officer rows."),
    (b"\x00\x01\x02", "contains NUL bytes"),
    (HEADER.encode() + b'\n99010001,"Komang,bripka,51.08.09,,,,,,,\n', "line 2: unexpected end of data"),
])
def test_an_empty_or_broken_file_is_refused(tmp_path, content, reason):
    path = tmp_path / "officers.csv"
    path.write_bytes(content)
    status, _, err = run(path)
    assert status == 1 and reason in err, err


def test_a_file_over_50_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.truncate(importer.MAX_BYTES + 1)  # sparse: takes no disk space
    status, _, err = run(path)
    assert status == 1 and "is larger than 50 MB" in err


def test_the_command_exits_non_zero_from_the_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POLMAS_", "DJANGO_")) and k != "DATABASE_URL"}
    env |= {"POLMAS_VAR_DIR": str(tmp_path / "var"), "LANGUAGE": "en"}
    command = [sys.executable, "-m", "polmas.cli", "import_officers", str(tmp_path / "x.csv")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert done.returncode == 1
    assert "x.csv" in done.stderr
