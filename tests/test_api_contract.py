"""The API keeps the contract its OpenAPI schema (drf-spectacular) promises.

Schemathesis generates requests for every operation, sent in-process through the WSGI app with
an authenticated token: no 5xx, and responses, status codes and content types as documented.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from config.wsgi import application
from generation.tests.factories import PhotoFactory, ResultFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Requests go through the real WSGI handler, whose signals would close the test's
    database connection mid-test; Django's test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(user) -> dict[str, str]:
    """A token of a user who owns a photo and a result, so list responses are not all empty."""
    ResultFactory(photo=PhotoFactory(owner=user))
    _row, token = ApiToken.objects.create(user=user, device="schemathesis")
    return {"Authorization": f"Token {token}"}


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    """DEBUG changes Django's own error pages; the API must answer the same in both modes."""
    settings.DEBUG = request.param
    return request.param


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_documented_contract(case, token_header, debug):
    case.call_and_validate(headers=token_header, checks=CHECKS)


def test_the_schema_documents_every_api_operation():
    paths = set(schema.raw_schema["paths"])

    assert {
        "/api/v1/auth/token/",
        "/api/v1/me/profile/",
        "/api/v1/looks/",
        "/api/v1/photos/",
        "/api/v1/jobs/",
        "/api/v1/jobs/{id}/cancel/",
        "/api/v1/results/{id}/feedback/",
        "/api/v1/adapters/{id}/",
    } <= paths
