"""The standard module and XLSForm interchange: export converts with pyxform, import -> export
-> import gives the same instrument, a bad workbook is refused naming sheet, row and column,
and nothing is stored then."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from polmas.surveys import standard
from polmas.surveys.instruments import latest_version, standard_ensure
from polmas.surveys.models import Item, Survey, Version
from polmas.surveys.xlsform import XLSFormError, export_workbook, instrument_of, parse_workbook

pytestmark = pytest.mark.django_db


def test_the_standard_module_is_loaded_with_a_source_for_every_item():
    version = standard_ensure()
    items = list(version.items.all())
    assert 10 <= len(items) <= 15
    assert all(i.source and i.label_id and i.label_en for i in items)
    sources = " ".join(i.source for i in items)
    for needle in ("16.1.4", "European Social Survey", "Afrobarometer", "Susenas", "Bhabinkamtibmas"):
        assert needle in sources
    assert {"feel_safe", "trust_police"} <= {i.indicator for i in items}
    assert standard_ensure().pk == version.pk  # idempotent


def test_the_exported_form_converts_cleanly_with_pyxform(tmp_path):
    out = tmp_path / "standard.xlsx"
    call_command("survey_export", "standard", "--xlsform", str(out))
    warnings: list[str] = []
    xform = convert(xlsform=str(out), warnings=warnings).xform
    assert "<h:title>" in xform and "feel_safe" in xform and "trust_police" in xform
    assert "selected(" in xform or "= 'yes'" in xform  # the skip logic is carried through


def test_import_export_import_gives_the_same_instrument(tmp_path):
    first = tmp_path / "a.xlsx"
    call_command("survey_export", "standard", "--xlsform", str(first))
    call_command("survey_import", str(first), "--name", "Copy one")
    copy = latest_version("copy-one")
    second = tmp_path / "b.xlsx"
    call_command("survey_export", "copy-one", "--xlsform", str(second))
    call_command("survey_import", str(second), "--name", "Copy two")
    a, b = instrument_of(copy), instrument_of(latest_version("copy-two"))
    assert a == b
    assert a == instrument_of(latest_version(standard.SLUG))


def _broken(mutate) -> bytes:
    wb = load_workbook(io.BytesIO(export_workbook(instrument_of(standard_ensure()))))
    mutate(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _set(sheet: str, cell: str, value):
    def mutate(wb):
        wb[sheet][cell] = value
    return mutate


BROKEN = {
    # (sheet, row, column) the error must name
    "unknown type": (_set("survey", "A3", "select_many nothing"), ("survey", 3, "type")),
    "empty label": (_set("survey", "C4", None), ("survey", 4, "label::Indonesian (id)")),
    "duplicate name": (_set("survey", "B5", "feel_safe"), ("survey", 5, "name")),
    "missing list": (_set("survey", "A2", "select_one nolist"), ("survey", 2, "type")),
    "skip logic to a later item": (_set("survey", "F2", "${age} > 3"), ("survey", 2, "relevant")),
    "duplicate choice": (_set("choices", "B3", "yes"), ("choices", 3, "name")),
    "missing column": (_set("survey", "A1", "kind"), ("survey", 1, "type")),
    "missing sheet": (lambda wb: wb.remove(wb["choices"]), ("choices", 1, "-")),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_bad_workbook_is_refused_naming_sheet_row_and_column(case, tmp_path):
    mutate, (sheet, row, column) = BROKEN[case]
    data = _broken(mutate)
    with pytest.raises(XLSFormError) as caught:
        parse_workbook(data)
    assert any((e.sheet, e.row, e.column) == (sheet, row, column) for e in caught.value.errors), \
        caught.value.errors
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    before = (Survey.objects.count(), Version.objects.count(), Item.objects.count())
    with pytest.raises(CommandError, match=f"sheet {sheet}, row {row}"):
        call_command("survey_import", str(path), "--name", "Bad")
    assert (Survey.objects.count(), Version.objects.count(), Item.objects.count()) == before


def test_a_file_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not an .xlsx"):
        call_command("survey_import", str(path), "--name", "Bad")
    assert not Survey.objects.filter(slug="bad").exists()
