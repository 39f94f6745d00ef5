"""Exports read every file of a user's: one at a time, and a few a day."""

import pytest

from jobs.models import JobKind, JobStatus
from jobs.tests.factories import JobFactory

pytestmark = pytest.mark.usefixtures("sent")


def test_a_second_export_while_one_is_active_is_a_429(api_client):
    assert api_client.post("/api/v1/me/export/").status_code == 202

    response = api_client.post("/api/v1/me/export/")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "export_in_progress"
    assert int(response["Retry-After"]) > 0


def test_more_than_the_daily_exports_is_a_429(api_client, user, settings):
    settings.QUOTA_DAILY_EXPORTS = 2
    for _ in range(2):
        JobFactory(owner=user, kind=JobKind.EXPORT, status=JobStatus.SUCCEEDED)

    response = api_client.post("/api/v1/me/export/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
