"""The dashboards' tables as rows, and those rows as CSV or XLSX downloads."""

import csv
import io
from collections.abc import Callable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from polmas.analytics.dashboard import Board
from polmas.analytics.figures import Figures

Cell = str | int | float | None


def _r(v: float | None, places: int = 1) -> float | None:
    return None if v is None else round(v, places)


def figure_columns() -> list[tuple[str, Callable[[Figures], Cell]]]:
    return [
        (_("villages"), lambda f: f.villages),
        (_("villages with a Bhabinkamtibmas"), lambda f: f.villages_with_officer),
        (_("villages with an FKPM"), lambda f: f.villages_with_forum),
        (_("Bhabinkamtibmas"), lambda f: f.officers),
        (_("FKPM forums"), lambda f: f.forums),
        (_("reports"), lambda f: f.reports),
        (_("problems raised"), lambda f: f.raised),
        (_("problems resolved"), lambda f: f.resolved),
        (_("resolution rate (%)"), lambda f: _r(f.rate)),
        (_("median days to resolve"), lambda f: _r(f.median_days)),
        (_("visits"), lambda f: f.visits),
        (_("meetings"), lambda f: f.meetings),
    ]


def table_rows(board: Board, table: str, children: list | None = None) -> tuple[list[str], list[list[Cell]]]:
    """(headers, rows) of one of the board's tables."""
    cols = figure_columns()
    if table == "children":
        headers = [_("code"), _("name"), *[name for name, _f in cols]]
        return headers, [[c.code, c.name, *[get(c.figures) for _n, get in cols]]
                         for c in (children if children is not None else board.children)]
    if table == "months":
        headers = [_("month"), *[name for name, _f in cols[5:]]]
        return headers, [[f"{m // 100}-{m % 100:02d}", *[get(f) for _n, get in cols[5:]]]
                         for m, f in board.months]
    if table == "categories":
        headers = [_("category"), _("sensitive"), _("reports"), _("problems raised"), _("problems resolved")]
        return headers, [[c.name, _("yes") if c.sensitive else _("no"), c.figures.reports, c.figures.raised,
                          c.figures.resolved] for c in board.categories]
    if table == "gaps":
        headers = [_("code"), _("village"), _("district"), _("Bhabinkamtibmas"), _("FKPM")]
        return headers, [[g.code, g.name, g.district, _("yes") if g.has_officer else _("no"),
                          _("yes") if g.has_forum else _("no")] for g in board.gaps]
    headers = [_("case"), _("village"), _("district"), _("category"), _("stage"), _("days open"),
               _("days without progress")]
    return headers, [[o.number, o.village or _("sealed"), o.district, o.category or _("sealed"), o.stage,
                      o.days_open, o.days_idle] for o in board.overdue]


def csv_response(filename: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=filename[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
