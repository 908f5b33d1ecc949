"""The console tests' fixtures (tests/integration/console/staff_console.py)."""

from tests.integration.console.staff_console import cache, console, site

__all__ = ["cache", "console", "site"]
