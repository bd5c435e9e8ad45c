"""Officer import from CSV: guard the file, check every row, then write every row through the
services in one transaction, or write nothing.

Rows are checked against lookups fetched in bulk (units, regions, existing officers, current
postings), so checking a large file costs a handful of queries, not several per row.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polmas.core.scope import any_covers
from polmas.policing import services
from polmas.policing.models import Assignment, Officer, PoliceUnit
from polmas.regions import codes
from polmas.regions.models import Region

MAX_BYTES = 50 * 1024 * 1024
REQUIRED = ("nrp", "name", "rank", "unit")
OPTIONAL = ("unit_kind", "phone", "email", "function", "active", "villages", "start")
KIND_BY_LEVEL = {codes.PROVINCE: "polda", codes.REGENCY: "polres", codes.DISTRICT: "polsek"}
TRUE, FALSE = {"1", "true"}, {"0", "false"}
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
CHUNK = 500  # values per IN (...) query, well inside SQLite's parameter limit

Progress = Callable[[int], None] | None


class BadFile(Exception):
    """The file cannot be read as an officer CSV at all."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, column %(column)s: %(message)s") % {
            "line": self.line, "column": self.column, "message": self.message}


class ImportRefused(Exception):
    """Some rows are bad; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class Row:
    line: int
    values: dict[str, str]
    # Set when the row has a different number of fields than the header: (found, expected).
    width: tuple[int, int] | None = None


@dataclass
class Planned:
    """A checked row: what the services will be asked to write."""

    line: int
    nrp: str
    name: str
    rank: str
    unit: PoliceUnit
    function: str
    phone: str
    email: str
    active: bool
    villages: list[Region]
    start: dt.date | None
    unchanged: bool = False


@dataclass
class Summary:
    officers: int = 0
    postings: int = 0
    unchanged: int = 0


# --- the file ----------------------------------------------------------------------------

def read_csv(path: Path) -> list[Row]:
    """The data rows of `path`, keyed by lower-case column name; BadFile or ImportRefused
    (header problems) when the file cannot be used. Accepts a BOM and CRLF line endings."""
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = _records(reader, path)
    header = next(records, (1, []))[1]
    columns = _check_header(header)
    rows: list[Row] = []
    for line, fields in records:
        if not any(f.strip() for f in fields):
            continue  # blank lines, and rows of empty cells that spreadsheets leave behind
        if len(fields) != len(columns):
            rows.append(Row(line, {}, width=(len(fields), len(columns))))
            continue
        rows.append(Row(line, {c: f.strip() for c, f in zip(columns, fields, strict=True)}))
    if not rows:
        raise BadFile(_("%(path)s has a header but no officer rows.") % {"path": path})
    return rows


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadFile(_("%(path)s is not a file.") % {"path": path})
        if size > MAX_BYTES:
            raise BadFile(_("%(path)s is larger than %(limit)d MB; split it into smaller files.")
                          % {"path": path, "limit": MAX_BYTES // (1024 * 1024)})
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadFile(_("%(path)s: no such file.") % {"path": path}) from None
    except OSError as exc:
        raise BadFile(_("%(path)s cannot be read: %(error)s")
                      % {"path": path, "error": exc.strerror}) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(_(
            "%(path)s, line %(line)d: the file is not UTF-8 text (byte 0x%(byte)02X); "
            "save it as \"CSV UTF-8\"."
        ) % {"path": path, "line": data[:exc.start].count(b"\n") + 1, "byte": data[exc.start]}) from None
    if "\x00" in text:
        raise BadFile(_("%(path)s contains NUL bytes: it is not a CSV text file.") % {"path": path})
    if not text.strip():
        raise BadFile(_("%(path)s is empty.") % {"path": path})
    return text


def _records(reader: Iterator[list[str]], path: Path) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, fields); a record may span lines inside quotes."""
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadFile(_("%(path)s, line %(line)d: %(error)s")
                          % {"path": path, "line": reader.line_num, "error": exc}) from None
        yield previous + 1, fields
        previous = reader.line_num


def _check_header(header: list[str]) -> list[str]:
    columns = [h.strip().lower() for h in header]
    problems = []
    for i, name in enumerate(columns, start=1):
        if not name:
            problems.append(Problem(1, str(i), _("the column has no name")))
        elif name not in REQUIRED + OPTIONAL:
            problems.append(Problem(1, name, _("unknown column (known columns: %(known)s)")
                                    % {"known": ", ".join(REQUIRED + OPTIONAL)}))
        elif name in columns[: i - 1]:
            problems.append(Problem(1, name, _("the column appears twice")))
    problems += [Problem(1, name, _("required column is missing"))
                 for name in REQUIRED if name not in columns]
    if problems:
        raise ImportRefused(problems)
    return columns


# --- checking ----------------------------------------------------------------------------

def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(set(values))
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _message(exc: ValidationError, key: str) -> str:
    return exc.message_dict[key][0] if hasattr(exc, "error_dict") else exc.messages[0]


class Checker:
    """Checks rows one by one against lookups fetched once for the whole file."""

    def __init__(self, rows: list[Row]) -> None:
        unit_codes = {r.values.get("unit", "") for r in rows}
        village_codes = {v.strip() for r in rows for v in r.values.get("villages", "").split(";")}
        wanted = {c for c in unit_codes | village_codes if codes.is_valid(c)}
        self.regions: dict[str, Region] = {}
        for chunk in _chunks(wanted):
            self.regions.update((r.code, r) for r in Region.objects.filter(code__in=chunk)
                                .only("code", "level"))
        self.units: dict[tuple[str, str], PoliceUnit] = {}
        units = PoliceUnit.objects.prefetch_related("jurisdiction")
        for chunk in _chunks(c for c in unit_codes if c in self.regions):
            self.units.update(((u.kind, u.region_id), u) for u in units.filter(region_id__in=chunk))
        for u in units.filter(kind=PoliceUnit.Kind.MABES):
            self.units[(u.kind, "")] = u
        self.officers: dict[str, Officer] = {}
        for chunk in _chunks(r.values.get("nrp", "") for r in rows):
            self.officers.update((o.nrp, o) for o in Officer.objects.filter(nrp__in=chunk))
        self.posted: dict[str, tuple[str, dt.date]] = {}  # village -> (NRP, start) now posted
        for chunk in _chunks(c for c in village_codes if c in self.regions):
            self.posted.update(
                (v, (nrp, start)) for v, nrp, start in Assignment.objects.filter(
                    village_id__in=chunk, end__isnull=True).values_list("village_id", "officer__nrp", "start")
            )
        self.ranks = {v.lower(): v for v in Officer.Rank.values}
        self.ranks.update((str(label).lower(), v) for v, label in Officer.Rank.choices)
        self.nrp_lines: dict[str, int] = {}
        self.village_lines: dict[str, int] = {}

    def check(self, row: Row) -> tuple[Planned | None, list[Problem]]:
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(Problem(row.line, column, message))

        if row.width is not None:
            found, expected = row.width
            bad(str(min(found, expected) + 1), _("the row has %(found)d fields, the header %(expected)d")
                % {"found": found, "expected": expected})
            return None, problems
        v = row.values
        nrp = self._nrp(v["nrp"], row.line, bad)
        name = v["name"]
        if not name:
            bad("name", _("a name is required"))
        elif len(name) > 150:
            bad("name", _("at most 150 characters"))
        rank = self.ranks.get(v["rank"].lower())
        if rank is None:
            bad("rank", _("unknown rank %(value)s") % {"value": v["rank"] or '""'})
        function = (v.get("function") or Officer.Function.BHABINKAMTIBMAS).lower()
        if function not in Officer.Function.values:
            bad("function", _("unknown function %(value)s (expected one of %(known)s)")
                % {"value": v["function"], "known": "/".join(Officer.Function.values)})
        active = self._active(v.get("active", ""), bad)
        phone = self._validated(services.validate_phone, v.get("phone", ""), "phone", bad)
        email = self._validated(services.validate_email_address, v.get("email", ""), "email", bad)
        unit = self._unit(v["unit"], v.get("unit_kind", ""), bad)
        villages = self._villages(v.get("villages", ""), unit, nrp, row.line, bad)
        start = self._start(v.get("start", ""), bool(villages) or bool(v.get("villages")), bad)
        if villages and active is False:
            bad("villages", _("an inactive officer cannot be posted to villages"))
        if villages and function in Officer.Function.values and function != Officer.Function.BHABINKAMTIBMAS:
            bad("villages", _("only a Bhabinkamtibmas is posted to villages (function is %(value)s)")
                % {"value": function})
        if problems or nrp is None or unit is None or rank is None or active is None:
            return None, problems
        planned = Planned(row.line, nrp, name, rank, unit, function, phone or "", email or "", active,
                          villages, start)
        existing = self.officers.get(nrp)
        if existing is not None:
            differs = self._differences(existing, planned)
            if differs:
                bad("nrp", _("an officer with NRP %(nrp)s already exists, with different %(columns)s "
                             "(this import never changes existing officers)")
                    % {"nrp": nrp, "columns": ", ".join(differs)})
                return None, problems
            planned.unchanged = True
        return planned, problems

    def _nrp(self, raw: str, line: int, bad: Callable[[str, str], None]) -> str | None:
        try:
            nrp = services.validate_nrp(raw)
        except ValidationError as exc:
            bad("nrp", _message(exc, "nrp"))
            return None
        first = self.nrp_lines.setdefault(nrp, line)
        if first != line:
            bad("nrp", _("NRP %(nrp)s already appears on line %(first)d") % {"nrp": nrp, "first": first})
            return None
        return nrp

    @staticmethod
    def _active(raw: str, bad: Callable[[str, str], None]) -> bool | None:
        value = raw.lower()
        if not value or value in TRUE:
            return True
        if value in FALSE:
            return False
        bad("active", _("%(value)s is not one of 1/0/true/false") % {"value": raw})
        return None

    @staticmethod
    def _validated(check: Callable[..., str], raw: str, column: str,
                   bad: Callable[[str, str], None]) -> str | None:
        try:
            return check(raw, field=column)
        except ValidationError as exc:
            bad(column, _message(exc, column))
            return None

    def _unit(self, raw: str, kind: str, bad: Callable[[str, str], None]) -> PoliceUnit | None:
        kind = kind.lower()
        if kind and kind not in PoliceUnit.Kind.values:
            bad("unit_kind", _("unknown unit kind %(value)s (expected polda/polres/polsek)")
                % {"value": kind})
            return None
        if raw.lower() == "mabes":
            code, kind = "", kind or PoliceUnit.Kind.MABES
        elif not raw:
            bad("unit", _("a unit is required (its region code, or mabes)"))
            return None
        elif not codes.is_valid(raw):
            bad("unit", _("malformed region code %(value)s (expected e.g. 51.08.09, or mabes)")
                % {"value": raw})
            return None
        elif raw not in self.regions:
            bad("unit", _("unknown region code %(value)s") % {"value": raw})
            return None
        else:
            code, kind = raw, kind or KIND_BY_LEVEL.get(self.regions[raw].level, "")
            if not kind:
                bad("unit_kind", _("%(code)s is a village code: give the unit kind") % {"code": raw})
                return None
        unit = self.units.get((kind, code))
        if unit is None:
            bad("unit", _("there is no %(kind)s unit for %(value)s") % {"kind": kind, "value": raw})
        elif not unit.active:
            bad("unit", _("%(unit)s is not active") % {"unit": unit})
            return None
        return unit

    def _villages(self, raw: str, unit: PoliceUnit | None, nrp: str | None, line: int,
                  bad: Callable[[str, str], None]) -> list[Region]:
        out: list[Region] = []
        for code in (c.strip() for c in raw.split(";")):
            region = self.regions.get(code)
            if not code:
                continue
            if not codes.is_valid(code):
                bad("villages", _("malformed village code %(code)s (expected e.g. 51.08.09.2007)")
                    % {"code": code})
            elif region is None:
                bad("villages", _("unknown village code %(code)s") % {"code": code})
            elif region.level != codes.VILLAGE:
                bad("villages", _("%(code)s is not a village") % {"code": code})
            elif region in out:
                bad("villages", _("%(code)s is listed twice") % {"code": code})
            elif (first := self.village_lines.setdefault(code, line)) != line:
                bad("villages", _("%(code)s is already listed on line %(first)d")
                    % {"code": code, "first": first})
            elif unit is not None and not any_covers(unit.prefixes(), code):
                bad("villages", _("%(code)s lies outside the jurisdiction of %(unit)s")
                    % {"code": code, "unit": unit})
            elif (holder := self.posted.get(code)) is not None and holder[0] != nrp:
                bad("villages", _("%(code)s already has an active Bhabinkamtibmas (NRP %(nrp)s)")
                    % {"code": code, "nrp": holder[0]})
            else:
                out.append(region)
        return out

    @staticmethod
    def _start(raw: str, needed: bool, bad: Callable[[str, str], None]) -> dt.date | None:
        if not raw:
            if needed:
                bad("start", _("a start date is required when villages are given"))
            return None
        try:
            if not DATE_RE.fullmatch(raw):
                raise ValueError(raw)
            return dt.date.fromisoformat(raw)
        except ValueError:
            bad("start", _("%(value)s is not a date in the form YYYY-MM-DD") % {"value": raw})
            return None

    def _differences(self, officer: Officer, row: Planned) -> list[str]:
        """The columns in which `row` differs from the stored officer and their postings."""
        pairs = [("name", officer.name, row.name), ("rank", officer.rank, row.rank),
                 ("unit", officer.unit_id, row.unit.pk), ("function", officer.function, row.function),
                 ("phone", officer.phone, row.phone), ("email", officer.email, row.email),
                 ("active", officer.active, row.active)]
        out = [column for column, stored, given in pairs if stored != given]
        posted = [self.posted.get(v.code) for v in row.villages]
        if any(p is None for p in posted):
            out.append("villages")
        elif any(p is not None and p[1] != row.start for p in posted):
            out.append("start")
        return out


def check_rows(rows: list[Row], progress: Progress = None) -> list[Planned]:
    """Every row checked; ImportRefused listing all problems if any row is bad."""
    checker = Checker(rows)
    planned: list[Planned] = []
    problems: list[Problem] = []
    for row in rows:
        good, found = checker.check(row)
        problems += found
        if good is not None:
            planned.append(good)
        if progress:
            progress(1)
    if problems:
        raise ImportRefused(problems)
    return planned


# --- writing -----------------------------------------------------------------------------

SERVICE_COLUMNS = {"village": "villages", "__all__": "*"}


@transaction.atomic
def write_rows(planned: list[Planned], progress: Progress = None) -> Summary:
    """Create the officers and their postings through the services, audited as the system.
    One transaction: a row the services refuse undoes the whole import."""
    summary = Summary()
    for row in planned:
        if row.unchanged:
            summary.unchanged += 1
        else:
            try:
                officer = services.officer_create(
                    actor=None, nrp=row.nrp, name=row.name, rank=row.rank, unit=row.unit,
                    phone=row.phone, email=row.email, active=row.active, function=row.function)
                for village in row.villages:
                    assert row.start is not None  # checked together with the villages
                    services.assignment_start(actor=None, officer=officer, village=village,
                                              start=row.start)
            except ValidationError as exc:
                raise ImportRefused([
                    Problem(row.line, SERVICE_COLUMNS.get(key, key), message)
                    for key, messages in exc.message_dict.items() for message in messages
                ]) from None
            summary.officers += 1
            summary.postings += len(row.villages)
        if progress:
            progress(1)
    return summary
