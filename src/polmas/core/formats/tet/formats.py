"""Tetum (Timor-Leste) formats, in Django's date format syntax.

Dates as written in Timor-Leste, day before month ("5 Dezembru 2026", 05/12/2026); the month
names are Tetum through our catalogue (locale/tet: "December" -> "Dezembru"). Numbers follow
the Portuguese usage of the country's administration: a decimal comma and a full stop between
thousands (1.234,5). The week starts on Monday (Segunda).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Python strftime syntax; ISO first, as the forms' date inputs send it.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-05'
    "%d/%m/%Y",  # '05/12/2026'
    "%d/%m/%y",  # '05/12/26'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
