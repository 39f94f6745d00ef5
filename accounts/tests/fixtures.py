"""Fixtures for accounts tests, loaded by the root conftest."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


def token_client(user) -> APIClient:
    """An API client authenticated as `user` with a token, as a mobile client would be."""
    from accounts.models import ApiToken

    client = APIClient()
    _row, token = ApiToken.objects.create(user=user, device="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def api_client(user) -> APIClient:
    return token_client(user)


@pytest.fixture
def other_api_client(other_user) -> APIClient:
    return token_client(other_user)


@pytest.fixture
def logged_in(client, user):
    """The web test client with `user` signed in."""
    client.force_login(user)
    return client
