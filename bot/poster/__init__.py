"""Posters to hang up at a place: its name and a QR code per language that opens Lotse."""

from bot.poster.render import Invitation, Poster, render_pdf

__all__ = ["Invitation", "Poster", "render_pdf"]
