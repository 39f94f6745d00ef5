"""List endpoints run a fixed number of queries however many rows they show."""

import pytest

from generation.models import JobStatus


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
        assert response.json()["count"] == len(response.json()["results"]) > 0
        return expected

    return get


def test_job_list_queries_do_not_grow(queries, user, make_job, make_stored_photo, job_look):
    def add_jobs(count: int) -> None:
        for _ in range(count):
            make_job(
                user,
                status=JobStatus.SUCCEEDED,
                look=job_look,
                look_version=job_look.current_version,
                photos=[make_stored_photo(user), make_stored_photo(user)],
            )

    add_jobs(2)
    few = queries("/api/v1/jobs/")
    add_jobs(6)
    queries("/api/v1/jobs/", few)


def test_result_list_queries_do_not_grow(queries, user, make_job_result, make_look):
    looks = [make_look(), make_look()]
    make_job_result(user, looks[0])
    few = queries("/api/v1/results/")
    for index in range(6):
        make_job_result(user, looks[index % 2])
    queries("/api/v1/results/", few)


def test_adapter_list_queries_do_not_grow(queries, user, make_adapter, make_look):
    make_adapter(user, make_look())
    few = queries("/api/v1/adapters/")
    for _ in range(6):
        make_adapter(user, make_look())
    queries("/api/v1/adapters/", few)


def test_photo_list_queries_do_not_grow(queries, user, make_stored_photo):
    make_stored_photo(user)
    few = queries("/api/v1/photos/")
    for _ in range(6):
        make_stored_photo(user)
    queries("/api/v1/photos/", few)
