"""Fixtures for generation tests, loaded by the root conftest."""

import pytest

from generation.tests.factories import PhotoFactory


@pytest.fixture
def photo(user):
    """A photo of `user` with its files in storage."""
    return PhotoFactory(owner=user)
