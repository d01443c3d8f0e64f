"""Test suites that every implementation of an interface runs (see each module)."""
