"""Helpers for tests and benchmarks that do not ship in the wheel (synthetic claims)."""
