"""Browser end-to-end fixtures: Debian's headless Chromium driven by Playwright.

Nothing is downloaded: Playwright is pointed at ``/usr/bin/chromium`` (Debian package
``chromium``); without it the browser tests skip and say so. The staff console's browser
tests use the same ``browser`` and ``page`` fixtures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import CHROMIUM, INSTALL, launch
from tests.e2e.conftest import learnt_topics, lotse, texts

__all__ = ["learnt_topics", "lotse", "texts"]  # the e2e fixtures, for the handoff test


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; the test skips, saying how to install it, where it is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: the browser tests need Debian's Chromium ({INSTALL})")
    return CHROMIUM


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Any]:
    """A headless Chromium (the system's; skipped without ``chromium``), closed after use."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Any]:
    """A page of a phone-sized window in a fresh context (no cookies)."""
    context = await browser.new_context(viewport={"width": 412, "height": 860})
    context.set_default_timeout(15_000)
    tab = await context.new_page()
    try:
        yield tab
    finally:
        await context.close()
