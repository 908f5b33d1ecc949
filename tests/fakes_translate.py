"""A fake LibreTranslate server on 127.0.0.1 (port 0) for tests of the translation client.

``POST /translate`` answers deterministically: ``"[de] " + q`` for target ``de`` (and
``"[<target>] " + q`` for any other target). Set :attr:`FakeTranslate.mode` to ``"fail"``
for HTTP 500, ``"hang"`` to never answer (until the server stops), ``"garbage"`` for a
body that is not JSON. With :attr:`api_key` set, a request without that key gets 403.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

Mode = Literal["ok", "fail", "hang", "garbage"]


@dataclass
class FakeTranslate:
    """The fake server; :meth:`start` returns its base URL."""

    mode: Mode = "ok"
    api_key: str | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    """The base URL, once started."""
    _runner: web.AppRunner | None = None
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> str:
        """Listen on 127.0.0.1 with a free port; returns ``http://127.0.0.1:<port>``."""
        app = web.Application()
        app.router.add_post("/translate", self._translate)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        """Release hanging requests and stop listening."""
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _translate(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        if self.api_key is not None and body.get("api_key") != self.api_key:
            return web.json_response({"error": "Invalid API key"}, status=403)
        if self.mode == "fail":
            return web.json_response({"error": "Internal error"}, status=500)
        if self.mode == "hang":
            await self._release.wait()
            return web.json_response({"error": "stopped"}, status=503)
        if self.mode == "garbage":
            return web.Response(text="<html>not json</html>", content_type="text/html")
        return web.json_response({"translatedText": f"[{body['target']}] {body['q']}"})
