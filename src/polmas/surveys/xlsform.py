"""XLSForm interchange (the format of ODK, KoboToolbox and SurveyCTO).

Export writes a version as a workbook (sheets `survey`, `choices`, `settings`; labels in
Indonesian and English; the item's source, indicator and "counted as yes" values in extra
columns, which pyxform carries through). Import reads a workbook back, checks every cell we
rely on (errors name sheet, row and column), then has pyxform convert it: a workbook that
pyxform refuses is refused too. Nothing is stored unless every check passes.
"""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

LANG_ID = "Indonesian (id)"
LANG_EN = "English (en)"
SURVEY_COLUMNS = ["type", "name", f"label::{LANG_ID}", f"label::{LANG_EN}", "required", "relevant",
                  "constraint", "source", "polmas_indicator", "polmas_positive"]
CHOICE_COLUMNS = ["list_name", "name", f"label::{LANG_ID}", f"label::{LANG_EN}"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language", "polmas_title_en"]
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
KINDS = {"select_one", "integer", "text", "note"}
MAX_ROWS = 20_000


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("sheet %(sheet)s, row %(row)s, column %(column)s: %(reason)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


class XLSFormError(ValueError):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Instrument:
    """What a version holds, as plain data: compared whole by the round-trip test."""

    form_id: str
    title_id: str
    title_en: str
    items: list[dict] = field(default_factory=list)


def instrument_of(version) -> Instrument:
    items = [{"name": i.name, "kind": i.kind, "list_name": i.list_name, "label_id": i.label_id,
              "label_en": i.label_en, "choices": list(i.choices), "required": i.required,
              "relevant": i.relevant, "constraint": i.constraint, "source": i.source,
              "indicator": i.indicator, "positive": i.positive}
             for i in version.items.order_by("position")]
    return Instrument(version.form_id, version.title_id, version.title_en, items)


def export_workbook(inst: Instrument) -> bytes:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    lists: dict[str, list[dict]] = {}
    for it in inst.items:
        kind = f"select_one {it['list_name']}" if it["kind"] == "select_one" else it["kind"]
        survey.append([kind, it["name"], it["label_id"], it["label_en"], "yes" if it["required"] else "",
                       it["relevant"], it["constraint"], it["source"], it["indicator"], it["positive"]])
        if it["kind"] == "select_one":
            lists.setdefault(it["list_name"], it["choices"])
    choices = wb.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    for list_name, options in lists.items():
        for c in options:
            choices.append([list_name, c["value"], c["label_id"], c["label_en"]])
    settings = wb.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    settings.append([inst.title_id, inst.form_id, "1", LANG_ID, inst.title_en])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(wb, sheet: str, errors: list[CellError], needed: list[str]) -> list[tuple[int, dict]]:
    if sheet not in wb.sheetnames:
        errors.append(CellError(sheet, 1, "-", _("the sheet is missing")))
        return []
    ws = wb[sheet]
    if ws.max_row > MAX_ROWS:
        reason = _("too many rows (at most %(n)s)") % {"n": MAX_ROWS}
        errors.append(CellError(sheet, MAX_ROWS + 1, "-", reason))
        return []
    it = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(it, ())]
    for col in needed:
        if col not in header:
            errors.append(CellError(sheet, 1, col, _("this column is missing")))
    if any(e.sheet == sheet for e in errors):
        return []
    out = []
    for n, values in enumerate(it, start=2):
        row = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values, strict=False) if h}
        if any(row.values()):
            out.append((n, row))
    return out


def _choices(wb, errors: list[CellError]) -> dict[str, list[dict]]:
    lists: dict[str, list[dict]] = {}
    for n, row in _rows(wb, "choices", errors, ["list_name", "name", f"label::{LANG_ID}"]):
        for col in ("list_name", "name", f"label::{LANG_ID}"):
            if not row.get(col):
                errors.append(CellError("choices", n, col, _("this cell is empty")))
        if not row.get("list_name") or not row.get("name"):
            continue
        options = lists.setdefault(row["list_name"], [])
        if any(c["value"] == row["name"] for c in options):
            errors.append(CellError("choices", n, "name", _("this value is already in the list")))
            continue
        options.append({"value": row["name"], "label_id": row.get(f"label::{LANG_ID}", ""),
                        "label_en": row.get(f"label::{LANG_EN}", "")})
    return lists


def _item(n: int, row: dict, lists: dict, seen: set[str], errors: list[CellError]) -> dict | None:
    kind, _sp, list_name = row.get("type", "").partition(" ")
    name = row.get("name", "")
    before = len(errors)
    if kind not in KINDS:
        errors.append(CellError("survey", n, "type", _("unknown type %(t)s (use: %(kinds)s)") % {
            "t": row.get("type", ""), "kinds": ", ".join(sorted(KINDS))}))
    elif kind == "select_one" and list_name.strip() not in lists:
        errors.append(CellError("survey", n, "type", _("no choice list named %(l)s") % {"l": list_name}))
    if not NAME.match(name):
        errors.append(CellError("survey", n, "name", _("a name of letters, digits and _ is required")))
    elif name in seen:
        errors.append(CellError("survey", n, "name", _("this name is used twice")))
    if not row.get(f"label::{LANG_ID}"):
        errors.append(CellError("survey", n, f"label::{LANG_ID}", _("this cell is empty")))
    if row.get("required", "") not in ("", "yes", "no", "true", "false", "TRUE", "FALSE"):
        errors.append(CellError("survey", n, "required", _("use yes or no")))
    for ref in re.findall(r"\$\{([^}]*)\}", row.get("relevant", "")):
        if ref not in seen:
            errors.append(CellError("survey", n, "relevant", _("refers to %(ref)s, not asked before") % {
                "ref": ref}))
    if len(errors) > before:
        return None
    seen.add(name)
    return {"name": name, "kind": kind, "list_name": list_name.strip(),
            "label_id": row[f"label::{LANG_ID}"], "label_en": row.get(f"label::{LANG_EN}", ""),
            "choices": lists.get(list_name.strip(), []) if kind == "select_one" else [],
            "required": row.get("required", "").lower() in ("yes", "true"),
            "relevant": row.get("relevant", ""), "constraint": row.get("constraint", ""),
            "source": row.get("source", ""), "indicator": row.get("polmas_indicator", ""),
            "positive": row.get("polmas_positive", "")}


def parse_workbook(data: bytes) -> Instrument:
    """Read and check a workbook; raise XLSFormError naming sheet, row and column."""
    errors: list[CellError] = []
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, xml, key) for a file that is no workbook
        raise XLSFormError([CellError("-", 0, "-", _("the file is not an .xlsx workbook"))]) from None
    lists = _choices(wb, errors)
    seen: set[str] = set()
    items = [it for n, row in _rows(wb, "survey", errors, ["type", "name", f"label::{LANG_ID}"])
             if (it := _item(n, row, lists, seen, errors))]
    settings = _rows(wb, "settings", [], [])
    s = settings[0][1] if settings else {}
    if not items and not errors:
        errors.append(CellError("survey", 2, "type", _("the form has no questions")))
    if errors:
        raise XLSFormError(errors)
    inst = Instrument(s.get("form_id") or "imported", s.get("form_title") or items[0]["name"],
                      s.get("polmas_title_en", ""), items)
    pyxform_check(data)
    return inst


def pyxform_check(data: bytes) -> str:
    """Convert with pyxform; its refusal becomes an XLSFormError. Returns the XForm XML."""
    try:
        return convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=[]).xform
    except PyXFormError as exc:
        match = re.search(r"\[row : (\d+)\]", str(exc))
        sheet = "choices" if "choices" in str(exc).lower()[:40] else "survey"
        raise XLSFormError([CellError(sheet, int(match.group(1)) if match else 0, "-",
                                      _("pyxform refused it: %(msg)s") % {"msg": str(exc)[:300]})]) from None
