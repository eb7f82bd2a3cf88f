"""Benchmarks: scripts that print figures, not tests, and not part of the installed package."""
