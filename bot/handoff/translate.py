"""The LibreTranslate client: the only module of :mod:`bot.handoff` that does I/O (aiohttp).

Any failure — no answer within the timeout, an HTTP error, a language LibreTranslate does
not know, a malformed answer — gives None and one warning. The warning never contains
the text: residents' messages must not end up in logs.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

import aiohttp

from bot.handoff.translation import NoTranslator, Translator

__all__ = ["LibreTranslate", "NoTranslator", "Translator"]

log = logging.getLogger("bot.handoff.translate")

DEFAULT_TIMEOUT = 5.0
"""Seconds; a relay waits for the translation, so a slow server must not hold it long."""


class LibreTranslate:
    """A :class:`~bot.handoff.translation.Translator` over LibreTranslate's ``POST /translate``.

    Use it as an async context manager, or call :meth:`close` when done.
    """

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        """Configure the client; no connection is made before the first translation.

        Args:
            url: The server's base URL, e.g. ``http://libretranslate:5000``.
            api_key: The API key, when the server requires one.
            timeout: Seconds for the whole request.
            session: An aiohttp session to share; by default the client makes its own.
        """
        self.endpoint = url.rstrip("/") + "/translate"
        self._api_key = api_key or None
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session = session
        self._own_session = session is None

    async def translate(self, text: str, source: str, target: str) -> str | None:
        """Translate ``text``; None on any failure (logged without the text).

        Args:
            text: The text.
            source: Its language (ISO 639-1).
            target: The language wanted.

        Returns:
            The translation, the text itself when both languages are the same, or None.
        """
        if source == target:
            return text
        payload: dict[str, Any] = {"q": text, "source": source, "target": target, "format": "text"}
        if self._api_key:
            payload["api_key"] = self._api_key
        try:
            async with self._client().post(
                self.endpoint, json=payload, timeout=self._timeout
            ) as response:
                if response.status != 200:
                    log.warning(
                        "translation %s→%s failed: HTTP %s", source, target, response.status
                    )
                    return None
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            # Only the exception's class: its message may quote the request.
            log.warning("translation %s→%s failed: %s", source, target, type(exc).__name__)
            return None
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if not isinstance(translated, str) or not translated.strip():
            log.warning("translation %s→%s failed: unexpected answer", source, target)
            return None
        return translated

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._own_session = True
        return self._session

    async def close(self) -> None:
        """Close the HTTP session, if this client made it."""
        if self._own_session and self._session is not None:
            await self._session.close()
        self._session = None

    async def __aenter__(self) -> LibreTranslate:
        """Use the client in ``async with``."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the session."""
        await self.close()
