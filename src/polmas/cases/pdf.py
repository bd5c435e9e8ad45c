"""The written agreement of a mediation (surat kesepakatan), as a PDF in Indonesian.

Uses fpdf2's built-in Helvetica, so no font file is needed; text is reduced to Latin-1
(a character outside it prints as "?", never fails the document).
"""

import unicodedata

from fpdf import FPDF

from polmas.cases.models import Mediation, MediationParty

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]


def _latin1(text: str) -> str:
    # Fold accents where possible (e.g. "é" stays, "ā" becomes "a"), then replace the rest.
    text = unicodedata.normalize("NFKC", text or "").replace("\u2019", "'").replace("\u2013", "-")
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def indonesian_date(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def agreement_pdf(mediation: Mediation) -> bytes:
    """The surat kesepakatan of `mediation` as PDF bytes (caller checks access)."""
    case = mediation.case
    parties = list(mediation.parties.all())
    first = [p.name for p in parties if p.side == MediationParty.Side.FIRST]
    second = [p.name for p in parties if p.side == MediationParty.Side.SECOND]
    officer = mediation.mediator_officer
    mediators = ([f"{officer.get_rank_display()} {officer.name} (Bhabinkamtibmas/Polri)"] if officer else [])
    mediators += [f"{name} (FKPM)" for name in mediation.fkpm_mediators]

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Surat Kesepakatan {case.number}"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "SURAT KESEPAKATAN PERDAMAIAN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1(f"Nomor perkara: {case.number}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    def para(text: str, style: str = "") -> None:
        pdf.set_font("Helvetica", style, 11)
        pdf.multi_cell(0, 6, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    where = f"{case.village.name}" if case.village_id else ""
    para(f"Pada hari ini, tanggal {indonesian_date(mediation.held_on)}, bertempat di {mediation.place}"
         + (f", Desa/Kelurahan {where}" if where else "")
         + ", telah dilaksanakan musyawarah penyelesaian masalah secara kekeluargaan antara:")
    pdf.ln(2)
    para("PIHAK PERTAMA:", "B")
    for i, name in enumerate(first, 1):
        para(f"{i}. {name}")
    para("PIHAK KEDUA:", "B")
    for i, name in enumerate(second, 1):
        para(f"{i}. {name}")
    pdf.ln(2)
    para("Dengan difasilitasi oleh mediator:", "B")
    for i, name in enumerate(mediators or ["-"], 1):
        para(f"{i}. {name}")
    pdf.ln(2)
    para("Kedua belah pihak sepakat sebagai berikut:", "B")
    para(mediation.terms)
    pdf.ln(2)
    para("Kesepakatan ini dibuat dengan sadar dan tanpa paksaan dari pihak mana pun, dan "
         "ditandatangani oleh kedua belah pihak serta para mediator.")
    _signatures(pdf, first, second, mediators)
    return bytes(pdf.output())


def _signatures(pdf: FPDF, first: list[str], second: list[str], mediators: list[str]) -> None:
    pdf.ln(8)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(half, 6, "PIHAK PERTAMA", align="C")
    pdf.cell(half, 6, "PIHAK KEDUA", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.set_font("Helvetica", "", 11)
    for i in range(max(len(first), len(second))):
        left = first[i] if i < len(first) else ""
        right = second[i] if i < len(second) else ""
        pdf.cell(half, 6, _latin1(f"( {left} )" if left else ""), align="C")
        pdf.cell(half, 6, _latin1(f"( {right} )" if right else ""), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "MENGETAHUI / MEDIATOR", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for name in mediators:
        pdf.ln(16)
        pdf.cell(0, 6, _latin1(f"( {name} )"), align="C", new_x="LMARGIN", new_y="NEXT")
