"""Fixtures shared by the app's browser tests (see browser.py)."""

from tests.app.browser import browser, served

__all__ = ["browser", "served"]
