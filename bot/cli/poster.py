"""``python -m bot poster --place ID --lang de,ar,uk``: an A4 poster to hang up at a place.

Each chosen language gets a short invitation from ``locales/`` (``poster.*``) and a QR code
for ``https://t.me/<bot>?start=<place>-<language>``: scanning it opens Lotse in that
language, with the place remembered for a handoff. The bot's username comes from
``telegram.username`` in config.yaml or, with ``BOT_TOKEN`` set, from Telegram (getMe).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.content import load_content
from bot.core.builtins import start_payload
from bot.core.ports import PlaceInfo
from bot.i18n import Catalogs
from bot.poster import Invitation, Poster, render_pdf
from bot.poster.render import BLOCKS_PER_PAGE


def poster(settings: Settings, place_id: str, languages: str, out: Path | None) -> int:
    """Write the poster PDF; exit 1 with a plain German reason when that is not possible."""
    content = load_content(settings)
    if not content.ok or content.directory is None:
        for issue in content.issues.errors:
            print(issue, file=sys.stderr)
        return _fail("Die Inhalte haben Fehler. Bitte erst beheben: python -m bot validate")
    place = content.directory.place(place_id)
    if place is None:
        valid = ", ".join(sorted(content.directory.place_ids))
        return _fail(f"Diesen Ort gibt es nicht: {place_id!r}.\nGültige Orte: {valid}")
    chosen = _languages(settings, content.texts, languages)
    username = _username(settings) if chosen else None
    if not chosen or username is None:
        return EXIT_ERROR
    invitations = tuple(_invitation(content.texts, place, code, username) for code in chosen)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs each font subset step
    pdf = render_pdf(Poster(place.name, place.address or "", invitations))
    path = out or Path(f"poster-{place.id}.pdf")
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        return _fail(f"Kann das Plakat nicht nach {path} schreiben: {exc.strerror}")
    pages = -(-len(invitations) // BLOCKS_PER_PAGE)
    print(f"Plakat geschrieben: {path} ({pages} Seite{'n' if pages > 1 else ''}, A4)")
    print(f"Ort: {place.name}")
    for invitation in invitations:
        print(f"  {invitation.language}  {invitation.link}")
    return EXIT_OK


def _languages(settings: Settings, texts: Catalogs, requested: str) -> list[str]:
    """The requested languages (``de,ar,uk``); empty after naming the valid ones."""
    offered = [code for code in settings.languages if code in texts.catalogues]
    chosen = [code.strip() for code in requested.split(",") if code.strip()]
    unknown = [code for code in chosen if code not in offered]
    if unknown or not chosen:
        what = f"Diese Sprache gibt es nicht: {', '.join(unknown)}.\n" if unknown else ""
        _fail(f"{what}Gültige Sprachen: {', '.join(offered)}")
        return []
    return chosen


def _invitation(texts: Catalogs, place: PlaceInfo, language: str, username: str) -> Invitation:
    payload = start_payload(place.id, language)
    return Invitation(
        language=language,
        language_name=texts.native_name(language),
        headline=texts.text(language, "poster.headline"),
        text=texts.text(language, "poster.invitation"),
        scan=texts.text(language, "poster.scan"),
        link=f"https://t.me/{username}?start={payload}",
        rtl=texts.is_rtl(language),
    )


def _username(settings: Settings) -> str | None:
    """The bot's username from config.yaml, else from Telegram; None after saying why."""
    if settings.telegram.username:
        return settings.telegram.username
    token = os.environ.get("BOT_TOKEN", "")
    if not token:
        _fail(
            "Für den QR-Code brauche ich den Namen des Bots.\n"
            "Tragen Sie ihn in config.yaml ein, zum Beispiel:\n"
            "  telegram:\n"
            "    username: LotseHamelnBot\n"
            "Oder setzen Sie BOT_TOKEN, dann frage ich Telegram nach dem Namen."
        )
        return None
    from bot.channels.telegram_aiogram.identity import (  # noqa: PLC0415 - aiogram only here
        UsernameUnavailable,
        bot_username,
    )

    try:
        return asyncio.run(bot_username(token, settings.api_base()))
    except UsernameUnavailable as exc:
        _fail(
            f"Ich konnte Telegram nicht nach dem Namen des Bots fragen ({exc}).\n"
            "Tragen Sie ihn in config.yaml ein: telegram: username: …"
        )
        return None


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_ERROR
