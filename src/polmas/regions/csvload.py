"""Load a country's regions from a CSV file (ADR 29).

The file is UTF-8 with a header row and these columns, in any order:

    code,name,level,parent,latitude,longitude
    00,Timor-Leste,1,,,
    00.06,Díli,2,00,-8.5586,125.5736
    00.06.01,Cristo Rei,3,00.06,,
    00.06.01.0001,Becora,4,00.06.01,-8.5611,125.6025

- `code`: the dotted code, 2, 5, 8 or 13 characters (`00`, `00.06`, `00.06.01`,
  `00.06.01.0001`), under the deployment country's prefix (POLMAS_COUNTRY);
- `level`: 1 to 4 (country or province, municipality or regency, administrative post or
  district, suco or village), matching the code's length;
- `parent`: empty on level 1, else the code one level up, in the file or already loaded;
- `latitude`, `longitude`: decimal degrees, both or neither.

Every row is checked before anything is written; a bad file is refused with each fault's line
and column and nothing changes. Loading the same file again changes nothing.
"""

import csv
import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from polmas.regions import codes
from polmas.regions.loader import LoadResult, Row, grid_cell, upsert_sql
from polmas.regions.models import Region
from polmas.regions.search import name_key

HEADER = ("code", "name", "level", "parent", "latitude", "longitude")
MAX_ROWS = 500_000
NAME_MAX = 100


@dataclass(frozen=True)
class Fault:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("line %(line)d, column %(column)s: %(reason)s") % {
            "line": self.line, "column": self.column, "reason": self.reason}


class BadRegionsFile(ValueError):
    """The file is refused; `faults` says where and why (at most 50 of them)."""

    def __init__(self, faults: list[Fault]) -> None:
        super().__init__("\n".join(str(f) for f in faults))
        self.faults = faults


def _coordinate(value: str, low: float, high: float) -> float | None:
    number = float(value.replace(",", "."))  # ValueError for text
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(value)
    return number


def read(text: str, *, prefix: str = "", utc_offset: int | None = None,
         known: Callable[[str], bool] | None = None) -> list[Row]:
    """The rows to write, parents before children; raises BadRegionsFile.

    `prefix`: every code must lie under it; `known(code)`: whether a parent not in the file is
    already loaded."""
    faults: list[Fault] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise BadRegionsFile([Fault(1, "code", _("the file is empty"))]) from None
    except csv.Error as exc:
        raise BadRegionsFile([Fault(1, "code", str(exc))]) from None
    missing = [c for c in HEADER if c not in header]
    if missing:
        raise BadRegionsFile([Fault(1, c, _("this column is missing from the header"))
                              for c in missing])
    at = {c: header.index(c) for c in HEADER}
    rows: dict[str, tuple[int, Row]] = {}
    parents: dict[str, tuple[int, str]] = {}
    try:
        for line, raw in enumerate(reader, start=2):
            if len(faults) >= 50:
                break
            if not any(cell.strip() for cell in raw):
                continue
            if len(rows) >= MAX_ROWS:
                faults.append(Fault(line, "code", _("more than %(n)d rows") % {"n": MAX_ROWS}))
                break
            if len(raw) != len(header):
                faults.append(Fault(line, "code", _("the row has %(got)d fields, the header %(want)d")
                                    % {"got": len(raw), "want": len(header)}))
                continue
            cell = {c: raw[at[c]].strip() for c in HEADER}
            code, name, parent = cell["code"], cell["name"], cell["parent"]
            level: int | None = None
            try:
                level = int(cell["level"])
                if not 1 <= level <= 4:
                    raise ValueError
            except ValueError:
                faults.append(Fault(line, "level", _("%(value)r is not a level from 1 to 4")
                                    % {"value": cell["level"][:20]}))
                level = None
            if not codes.is_valid(code):
                faults.append(Fault(line, "code", _("%(value)r is not a code like 00, 00.06, "
                                                    "00.06.01 or 00.06.01.0001")
                                    % {"value": code[:20]}))
                continue
            if prefix and not (code == prefix or code.startswith(prefix + ".")):
                faults.append(Fault(line, "code", _("%(code)s is not under this country's prefix "
                                                    "%(prefix)s") % {"code": code, "prefix": prefix}))
            if level is not None and codes.level_of(code) != level:
                faults.append(Fault(line, "level", _("code %(code)s is of level %(want)d, not %(got)d")
                                    % {"code": code, "want": codes.level_of(code), "got": level}))
            if code in rows:
                faults.append(Fault(line, "code", _("%(code)s is already on line %(line)d")
                                    % {"code": code, "line": rows[code][0]}))
                continue
            if not name or len(name) > NAME_MAX or any(
                    unicodedata.category(ch).startswith("C") for ch in name):
                faults.append(Fault(line, "name", _("a name of 1 to %(n)d printable characters "
                                                    "is needed") % {"n": NAME_MAX}))
            expected_parent = codes.parent_of(code) or ""
            if parent != expected_parent:
                faults.append(Fault(line, "parent", _("the parent of %(code)s is %(want)s, not "
                                                      "%(got)r") % {
                    "code": code, "want": expected_parent or _("empty"), "got": parent[:20]}))
            elif parent:
                parents[code] = (line, parent)
            lat = lon = None
            for column, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
                value = cell[column]
                if value:
                    try:
                        number = _coordinate(value, low, high)
                    except ValueError:
                        faults.append(Fault(line, column, _("%(value)r is not a number from "
                                                            "%(low)d to %(high)d") % {
                            "value": value[:20], "low": low, "high": high}))
                        continue
                    if column == "latitude":
                        lat = number
                    else:
                        lon = number
            if bool(cell["latitude"]) != bool(cell["longitude"]):
                faults.append(Fault(line, "longitude" if cell["latitude"] else "latitude",
                                    _("give both latitude and longitude, or neither")))
            rows[code] = (line, (
                code, name, name_key(name), codes.level_of(code), parent or None, lat, lon,
                grid_cell(lat, lon), None, utc_offset, "",
            ))  # fmt: skip
    except csv.Error as exc:
        faults.append(Fault(reader.line_num, "code", str(exc)))
    for line, parent in parents.values():
        if parent not in rows and not (known and known(parent)):
            faults.append(Fault(line, "parent", _("%(parent)s is neither in the file nor loaded")
                                % {"parent": parent}))
    if faults:
        raise BadRegionsFile(sorted(faults, key=lambda f: f.line)[:50])
    return [row for _line, row in sorted(rows.values(), key=lambda r: (r[1][3], r[1][0]))]


def read_path(path: Path | str, **kwargs) -> list[Row]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRegionsFile([Fault(1, "code", _("the file is not UTF-8 (byte %(at)d)")
                                    % {"at": exc.start})]) from None
    return read(text, **kwargs)


def load(rows: list[Row], progress: Callable[[int], None] | None = None) -> LoadResult:
    """Upsert checked rows (from `read`) in one transaction; parents come first."""
    result = LoadResult()
    names = {1: "provinces", 2: "regencies", 3: "districts", 4: "villages"}
    with transaction.atomic(), connection.cursor() as cursor:
        sql = upsert_sql(fresh=not Region.objects.exists())
        for start in range(0, len(rows), 2000):
            batch = rows[start : start + 2000]
            cursor.executemany(sql, batch)
            for row in batch:
                setattr(result, names[row[3]], getattr(result, names[row[3]]) + 1)
            if progress:
                progress(len(batch))
    return result


def known_in_database(code: str) -> bool:
    return Region.objects.filter(code=code).exists()
