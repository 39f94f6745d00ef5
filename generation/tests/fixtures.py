"""Fixtures for generation tests, loaded by the root conftest."""
