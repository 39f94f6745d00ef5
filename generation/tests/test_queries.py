"""List endpoints run a fixed number of queries however many rows they show."""

import pytest

from generation.tests.factories import PersonalAdapterFactory, PhotoFactory, ResultFactory
from jobs.models import JobStatus
from jobs.tests.factories import JobFactory
from styles.tests.factories import LookFactory


@pytest.fixture
def queries(api_client, django_assert_num_queries):
    """`queries(url, expected=None)`: GET a list; check (or measure) its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(url: str, expected: int | None = None) -> int:
        if expected is None:
            with CaptureQueriesContext(connection) as captured:
                response = api_client.get(url)
            expected = len(captured)
        else:
            with django_assert_num_queries(expected):
                response = api_client.get(url)
        assert response.status_code == 200
        assert len(response.json()["results"]) > 0
        return expected

    return get


def test_job_list_queries_do_not_grow(queries, user, catalog_look):
    def add_jobs(count: int) -> None:
        for _ in range(count):
            JobFactory(
                owner=user,
                status=JobStatus.SUCCEEDED,
                look=catalog_look,
                look_version=catalog_look.current_version,
                photos=[PhotoFactory(owner=user), PhotoFactory(owner=user)],
            )

    add_jobs(2)
    few = queries("/api/v1/jobs/")
    add_jobs(6)
    queries("/api/v1/jobs/", few)


def test_result_list_queries_do_not_grow(queries, user):
    looks = [LookFactory(ready=True), LookFactory(ready=True)]
    ResultFactory(owner=user, look=looks[0])
    few = queries("/api/v1/results/")
    for index in range(6):
        ResultFactory(owner=user, look=looks[index % 2])
    queries("/api/v1/results/", few)


def test_adapter_list_queries_do_not_grow(queries, user):
    PersonalAdapterFactory(owner=user, look=LookFactory(ready=True))
    few = queries("/api/v1/adapters/")
    for _ in range(6):
        PersonalAdapterFactory(owner=user, look=LookFactory(ready=True))
    queries("/api/v1/adapters/", few)


def test_photo_list_queries_do_not_grow(queries, user):
    PhotoFactory(owner=user)
    few = queries("/api/v1/photos/")
    for _ in range(6):
        PhotoFactory(owner=user)
    queries("/api/v1/photos/", few)
