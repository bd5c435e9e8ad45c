"""The countries a deployment can serve (POLMAS_COUNTRY): where its regions come from and
which code prefix they live under (ADR 29).

Indonesia's regions are keyed by their Kemendagri codes (`51.08.09.2007`, ADR 1). Another
country's regions take the same shape (2, 5, 8 and 13 characters of digits and dots, so that
scopes, ranges and rollups work unchanged) under a first segment that no Kemendagri province
code uses: Timor-Leste is `00` (the country), `00.06` (a municipality, Díli), `00.06.01` (an
administrative post), `00.06.01.0001` (a suco, the village level). Pure data: settings read it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    prefix: str  # "" for Indonesia: its province codes are the first segment
    time_zone: str
    language: str
    utc_offset: int | None  # for regions loaded from a CSV; Indonesia's come per region


COUNTRIES = {
    "ID": Country("ID", "Indonesia", "", "Asia/Jakarta", "id", None),
    "TL": Country("TL", "Timor-Leste", "00", "Asia/Dili", "tet", 9),
}

# ISO 3166-2 municipality -> the second segment of its code under `00`. Fixed here, never
# derived from the order of a list, so that a new entry in the standard (Ataúro became a
# municipality in 2022) gets the next number and renumbers nothing.
TIMOR_LESTE_MUNICIPALITIES = {
    "TL-AL": "01", "TL-AN": "02", "TL-BA": "03", "TL-BO": "04", "TL-CO": "05",
    "TL-DI": "06", "TL-ER": "07", "TL-LA": "08", "TL-LI": "09", "TL-MF": "10",
    "TL-MT": "11", "TL-OE": "12", "TL-VI": "13", "TL-AT": "14",
}  # fmt: skip
