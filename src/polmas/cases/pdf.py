"""The written agreement of a mediation (surat kesepakatan perdamaian), as a PDF in Indonesian.

Laid out as the letters village offices use: "Pada hari ini <day>, tanggal ...", who the parties
are (name and address), the mediators, the terms, then a signing block for every party (each
beside a box for the duty stamp, *meterai*), two witnesses, and "Mengetahui" for the mediators
and the head of the village.

Uses fpdf2's built-in Helvetica, so no font file is needed; text is reduced to Latin-1
(a character outside it prints as "?", never fails the document).
"""

import re

from fpdf import FPDF

from polmas.cases.models import Mediation, MediationParty
from polmas.core.text import latin1

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]  # date.weekday() order
STAMP = "Meterai 10.000"  # the duty stamp since UU 13/2020
BLANK = "(" + "." * 40 + ")"
# A label the writer already typed after a name ("Ni Ketut (FKPM)"): we print the role ourselves.
_ROLE_SUFFIX = re.compile(r"\s*[(\[]\s*(fkpm|mediator|polri|bhabinkamtibmas)[^)\]]*[)\]]\s*$", re.I)
SIGN_SPACE = 20  # mm left for a signature above the name


def indonesian_date(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def indonesian_day(day) -> str:
    return DAYS[day.weekday()]


def _mediators(mediation: Mediation) -> list[tuple[str, str]]:
    """(name, role) of each mediator; a role typed into the name is not repeated."""
    out = []
    officer = mediation.mediator_officer
    if officer:
        role = "Bhabinkamtibmas" if officer.function == officer.Function.BHABINKAMTIBMAS else "Polri"
        out.append((f"{officer.get_rank_display()} {officer.name}", role))
    for name in mediation.fkpm_mediators:
        clean = _ROLE_SUFFIX.sub("", name).strip()
        if clean:
            out.append((clean, "FKPM"))
    return out


def agreement_pdf(mediation: Mediation) -> bytes:
    """The surat kesepakatan of `mediation` as PDF bytes (caller checks access)."""
    case = mediation.case
    parties = list(mediation.parties.all())
    first = [p for p in parties if p.side == MediationParty.Side.FIRST]
    second = [p for p in parties if p.side == MediationParty.Side.SECOND]
    mediators = _mediators(mediation)
    village = case.village if case.village_id else None

    pdf = FPDF(format="A4")
    pdf.set_title(latin1(f"Surat Kesepakatan Perdamaian {case.number}"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "SURAT KESEPAKATAN PERDAMAIAN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, latin1(f"Nomor perkara: {case.number}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    def para(text: str, style: str = "") -> None:
        pdf.set_font("Helvetica", style, 11)
        pdf.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT")

    held = mediation.held_on
    where = ""
    if village is not None:
        where = f", Desa/Kelurahan {village.name}"
        if village.parent_id:
            where += f", Kecamatan {village.parent.name}"
    para(f"Pada hari ini {indonesian_day(held)}, tanggal {indonesian_date(held)}, bertempat di "
         f"{mediation.place}{where}, telah dilaksanakan musyawarah penyelesaian masalah secara "
         "kekeluargaan antara kami yang bertanda tangan di bawah ini:")
    for label, side in (("PIHAK PERTAMA", first), ("PIHAK KEDUA", second)):
        pdf.ln(2)
        para(f"{label}:", "B")
        for i, p in enumerate(side, 1):
            para(f"{i}. Nama: {p.name}" + (f"; alamat: {p.address}" if p.address else ""))
    pdf.ln(2)
    para("Dengan difasilitasi oleh mediator:", "B")
    for i, (name, role) in enumerate(mediators or [("-", "")], 1):
        para(f"{i}. {name}" + (f" ({role})" if role else ""))
    pdf.ln(2)
    para("Kedua belah pihak sepakat sebagai berikut:", "B")
    para(mediation.terms)
    pdf.ln(2)
    para("Demikian surat kesepakatan ini dibuat dengan sadar dan tanpa paksaan dari pihak mana "
         "pun, ditandatangani oleh para pihak di atas meterai, disaksikan oleh para saksi, dan "
         "diketahui oleh para mediator serta Kepala Desa/Lurah.")
    pdf.ln(2)
    place = village.name if village is not None else mediation.place
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 6, latin1(f"{place}, {indonesian_date(held)}"), align="R", new_x="LMARGIN", new_y="NEXT")
    _signatures(pdf, [p.name for p in first], [p.name for p in second])
    _witnesses_and_acknowledgement(pdf, mediators, village.name if village is not None else "")
    return bytes(pdf.output())


def _block(pdf: FPDF, x: float, width: float, label: str, name: str, role: str = "",
           stamp: bool = False) -> None:
    """One place to sign at `x`: label, space (with the meterai box), (name), role."""
    top = pdf.get_y()
    pdf.set_xy(x, top)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(width, 5, latin1(label), align="C")
    if stamp:
        box_w, box_h = 24, 14
        bx = x + (width - box_w) / 2 - 14
        pdf.set_draw_color(120, 120, 120)
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.rect(bx, top + 6, box_w, box_h)
        pdf.set_dash_pattern()
        pdf.set_font("Helvetica", "", 7)
        pdf.set_xy(bx, top + 6 + box_h / 2 - 2)
        pdf.cell(box_w, 4, STAMP, align="C")
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(x, top + 6 + SIGN_SPACE)
    pdf.multi_cell(width, 5, latin1(f"( {name} )" if name else BLANK), align="C")
    if role:
        pdf.set_x(x)
        pdf.multi_cell(width, 5, latin1(role), align="C")


def _row(pdf: FPDF, blocks: list[tuple[str, str, str, bool]]) -> None:
    """Up to two places to sign side by side, kept together on one page."""
    height = 6 + SIGN_SPACE + 16
    if pdf.will_page_break(height):
        pdf.add_page()
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    bottom = top
    for i, (label, name, role, stamp) in enumerate(blocks):
        if not label:  # one side has fewer parties: leave its column empty
            continue
        pdf.set_y(top)
        x = pdf.l_margin + (half / 2 if len(blocks) == 1 else i * half)  # a lone block centred
        _block(pdf, x, half, label, name, role, stamp)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 4)


def _signatures(pdf: FPDF, first: list[str], second: list[str]) -> None:
    pdf.ln(4)
    for i in range(max(len(first), len(second))):
        row = []
        if i < len(first):
            row.append(("PIHAK PERTAMA" + (f" ({i + 1})" if len(first) > 1 else ""), first[i], "", True))
        else:
            row.append(("", "", "", False))
        if i < len(second):
            row.append(("PIHAK KEDUA" + (f" ({i + 1})" if len(second) > 1 else ""), second[i], "", True))
        _row(pdf, row)


def _witnesses_and_acknowledgement(pdf: FPDF, mediators: list[tuple[str, str]], village: str) -> None:
    if pdf.will_page_break(8 + 6 + SIGN_SPACE + 16):
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "SAKSI-SAKSI", align="C", new_x="LMARGIN", new_y="NEXT")
    _row(pdf, [("Saksi 1", "", "", False), ("Saksi 2", "", "", False)])
    if pdf.will_page_break(8 + 6 + SIGN_SPACE + 16):
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "MENGETAHUI", align="C", new_x="LMARGIN", new_y="NEXT")
    head = f"Kepala Desa/Lurah {village}".strip()
    blocks = [("Mediator", name, role, False) for name, role in mediators] + [(head, "", "", False)]
    for i in range(0, len(blocks), 2):
        _row(pdf, blocks[i:i + 2])
