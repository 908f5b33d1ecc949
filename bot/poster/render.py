"""Lay out an A4 poster: the place's name, then one block per language with a QR code.

Each language gets its own QR code because the deep link carries the language: a resident
who scans the Arabic code is greeted in Arabic at once, without the language menu, and a
poster in three languages serves three groups of readers side by side.

Right-to-left blocks are mirrored (text on the right, code on the left) and their text is
shaped by HarfBuzz (``set_text_shaping``), which joins Arabic letters and orders mixed
Arabic and Latin words ("Lotse", "Hameln") by the Unicode bidi algorithm.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONTS = Path(__file__).parent / "fonts"
LATIN, ARABIC = "noto-sans", "noto-sans-arabic"
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 15.0
BLOCKS_PER_PAGE = 4
"""More languages continue on another page: smaller codes scan badly from a wall."""
MAX_BLOCK_H = 80.0
QUIET_ZONE = 4
"""White modules around a QR code, as the standard asks; scanners need them."""
GREY, BLACK = (90, 90, 90), (0, 0, 0)


@dataclass(frozen=True)
class Invitation:
    """One language's block: what it says and where its code leads."""

    language: str
    language_name: str
    """The language's own name ("العربية"), so readers find their block."""
    headline: str
    text: str
    scan: str
    link: str
    rtl: bool


@dataclass(frozen=True)
class Poster:
    """Everything printed on a poster."""

    place_name: str
    address: str
    invitations: tuple[Invitation, ...]


def render_pdf(poster: Poster) -> bytes:
    """The poster as PDF bytes: A4 portrait, at most four languages a page."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"Lotse: {poster.place_name}")
    pdf.set_author("Lotse")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(LATIN, fname=FONTS / "NotoSans-Regular.ttf")
    pdf.add_font(ARABIC, fname=FONTS / "NotoSansArabic-Regular.ttf")
    pdf.set_fallback_fonts([LATIN, ARABIC])
    pdf.set_text_shaping(use_shaping_engine=True)
    blocks = poster.invitations
    for first in range(0, len(blocks), BLOCKS_PER_PAGE):
        page = blocks[first : first + BLOCKS_PER_PAGE]
        pdf.add_page()
        start = _header(pdf, poster)
        height = min(MAX_BLOCK_H, (PAGE_H - MARGIN - start) / len(page))
        for index, invitation in enumerate(page):
            _block(pdf, invitation, top=start + index * height, height=height)
    return bytes(pdf.output())


def _header(pdf: FPDF, poster: Poster) -> float:
    """The place's name (long names wrap) and address; returns where the blocks start."""
    width = PAGE_W - 2 * MARGIN
    pdf.set_xy(MARGIN, MARGIN)
    pdf.set_font(LATIN, size=28 if len(poster.place_name) <= 40 else 22)
    pdf.set_text_color(*BLACK)
    pdf.multi_cell(width, 12, poster.place_name, align=Align.C, new_x=XPos.LMARGIN)
    if poster.address:
        pdf.set_font(LATIN, size=13)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(width, 8, poster.address, align=Align.C, new_x=XPos.LMARGIN)
    rule = pdf.get_y() + 4
    pdf.set_draw_color(*GREY)
    pdf.line(MARGIN, rule, PAGE_W - MARGIN, rule)
    return rule + 8


def _block(pdf: FPDF, invitation: Invitation, *, top: float, height: float) -> None:
    """Text on the reading side, the code on the other: mirrored for right-to-left."""
    code = min(60.0, height - 14)
    gap = 8.0
    text_w = PAGE_W - 2 * MARGIN - code - gap
    code_x = MARGIN if invitation.rtl else PAGE_W - MARGIN - code
    text_x = MARGIN + code + gap if invitation.rtl else MARGIN
    align = Align.R if invitation.rtl else Align.L
    font = ARABIC if invitation.rtl else LATIN
    lines = (
        (invitation.language_name, 11, GREY, 6.0),
        (invitation.headline, 20, BLACK, 10.0),
        (invitation.text, 12, BLACK, 6.0),
        (invitation.scan, 11, GREY, 6.0),
    )
    pdf.set_xy(text_x, top)
    for text, size, colour, line_h in lines:
        pdf.set_font(font, size=size)
        pdf.set_text_color(*colour)
        pdf.set_x(text_x)
        pdf.multi_cell(text_w, line_h, text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.ln(1.5)
    _qr(pdf, invitation.link, x=code_x, y=top, size=code)
    # The link in print too, for phones that cannot scan: centred under the code, on the page.
    pdf.set_font(LATIN, size=7)
    pdf.set_text_color(*GREY)
    link_w = pdf.get_string_width(invitation.link) + 2
    link_x = min(max(code_x + (code - link_w) / 2, MARGIN), PAGE_W - MARGIN - link_w)
    pdf.set_xy(link_x, top + code)
    pdf.cell(link_w, 4, invitation.link, align=Align.C)


def _qr(pdf: FPDF, link: str, *, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares (sharp at any print size), quiet zone included."""
    qr = segno.make(link, error="m", micro=False)
    width, _ = qr.symbol_size(scale=1, border=QUIET_ZONE)
    module = size / width
    pdf.set_fill_color(*BLACK)
    for row_index, row in enumerate(qr.matrix_iter(scale=1, border=QUIET_ZONE)):
        column = 0
        for dark, modules in itertools.groupby(row):  # one rectangle per run of dark modules
            run = len(list(modules))
            if dark:
                left, top = x + column * module, y + row_index * module
                pdf.rect(left, top, run * module, module, style="F")
            column += run
