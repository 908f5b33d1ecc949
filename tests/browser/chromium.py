"""Debian's Chromium for Playwright: where it is and how it starts (tests and bench/web.py).

Nothing is downloaded: Playwright is pointed at the system's browser.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
INSTALL = "apt-get update && apt-get install -y chromium"


async def launch(playwright: Any) -> Any:
    """A headless Chromium browser (Playwright's ``Browser``) from ``/usr/bin/chromium``."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    return await playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=list(ARGS), headless=True
    )
