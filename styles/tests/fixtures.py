"""Fixtures for styles tests, loaded by the root conftest."""
