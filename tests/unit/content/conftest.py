"""Fixtures for the content tests: the real engine over the shipped content."""

from __future__ import annotations

import pytest
import real_lotse

from bot.core.engine import Engine


@pytest.fixture(scope="session")
def lotse() -> Engine:
    """The engine built from config.yaml, flows/, locales/ and places/ as shipped."""
    return real_lotse.engine()
