"""The certificate as a small, accessible PDF: real text, tagged, with its language and title.

fpdf2 writes the page. Its structure tree is used to tag each block (`/H1`, `/P`) as marked
content, so a screen reader reads the certificate in order; the frame is an artifact. The
text uses DejaVu Sans when the system has it (Debian: fonts-dejavu-core), embedded as a
subset so any name prints; without it, the PDF core font Helvetica, with characters it
lacks replaced by their closest Latin-1 form.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF, ViewerPreferences
from fpdf.enums import Align, XPos, YPos

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


@dataclass(frozen=True)
class CertificateText:
    """What the certificate says, in the language it is written in."""

    lang: str
    title: str
    learner_name: str
    programme_title: str
    organisation: str
    issued_at: datetime
    code: str
    verify_url: str
    statement: str
    """« a suivi et validé… » / "has completed…"."""
    issued_label: str
    code_label: str


def long_date(moment: datetime, lang: str) -> str:
    if lang == "en":
        return moment.strftime("%-d %B %Y")
    return f"{moment.day} {MONTHS_FR[moment.month - 1]} {moment.year}"


def _font_file() -> Path | None:
    return next((path for path in FONT_CANDIDATES if path.is_file()), None)


def _latin1(text: str) -> str:
    """Text the core font can print: accents kept, other letters reduced to their base."""
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode()
            out.append(base or {"\u2019": "'", "\u0153": "oe", "\u0152": "OE"}.get(ch, "?"))
    return "".join(out)


class _TaggedPdf(FPDF):
    """fpdf2 with one helper: a block of text tagged with a structure type."""

    unicode_font = False

    def text_for_font(self, text: str) -> str:
        return text if self.unicode_font else _latin1(text)

    @contextmanager
    def tagged(self, struct_type: str) -> Iterator[None]:
        # fpdf2 only tags images and headings it makes itself; the same structure tree
        # (pinned fpdf2) takes our paragraphs and title too.
        mcid = self.struct_builder.next_mcid_for_page(self.page)
        self._add_marked_content(struct_type=f"/{struct_type}", mcid=mcid)
        self._out(f"/{struct_type} <</MCID {mcid}>> BDC")
        yield
        self._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    def block(
        self, struct_type: str, text: str, size: float, style: str = "", gap: float = 4
    ) -> None:
        with self.tagged(struct_type):
            self.set_font(self.font_family, style, size)
            self.multi_cell(
                0,
                size * 0.5,
                self.text_for_font(text),
                align=Align.C,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self.ln(gap)


def certificate_pdf(text: CertificateText) -> bytes:
    """The certificate, one A4 landscape page."""
    pdf = _TaggedPdf(orientation="landscape", format="A4")
    pdf.set_title(f"{text.title} — {text.learner_name}")
    pdf.set_lang(text.lang)
    pdf.set_author(text.organisation)
    pdf.set_subject(text.programme_title)
    pdf.set_creator("Ambassadeurs NR")
    pdf.set_display_mode("fullpage")
    # Readers show the title, not the file name (PDF/UA asks for it).
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    font = _font_file()
    if font is not None:
        pdf.add_font("certificate", "", str(font))
        bold = font.with_name("DejaVuSans-Bold.ttf")
        pdf.add_font("certificate", "B", str(bold if bold.is_file() else font))
        pdf.set_font("certificate", size=14)
        pdf.unicode_font = True
    else:
        pdf.set_font("helvetica", size=14)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    with pdf.artifact():
        pdf.set_draw_color(30, 107, 58)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(32)
    pdf.set_text_color(30, 107, 58)
    pdf.block("H1", text.title, 26, "B", gap=10)
    pdf.set_text_color(20, 20, 20)
    pdf.block("P", text.learner_name, 22, "B", gap=6)
    pdf.block("P", text.statement, 14, gap=4)
    pdf.block("P", text.programme_title, 17, "B", gap=10)
    pdf.block("P", f"{text.issued_label} {long_date(text.issued_at, text.lang)}", 12, gap=2)
    pdf.block("P", text.organisation, 12, gap=16)
    pdf.block("P", f"{text.code_label} {text.code}", 12, "B", gap=2)
    pdf.block("P", text.verify_url, 10)
    return bytes(pdf.output())
