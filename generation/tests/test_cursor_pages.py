"""Newest-first lists page by cursor: an item added while a client pages is never seen twice."""

import pytest

from generation.tests.factories import PhotoFactory, ResultFactory
from jobs.tests.factories import JobFactory

MAKERS = {
    "/api/v1/photos/": lambda user: PhotoFactory(owner=user),
    "/api/v1/jobs/": lambda user: JobFactory(owner=user),
    "/api/v1/results/": lambda user: ResultFactory(photo=PhotoFactory(owner=user)),
}


@pytest.mark.parametrize("path", list(MAKERS))
def test_a_new_item_does_not_push_one_onto_the_next_page(api_client, user, path):
    make = MAKERS[path]
    for _ in range(4):
        make(user)

    first = api_client.get(path, {"page_size": 2}).json()
    make(user)  # arrives at the top while the client reads page one
    second = api_client.get(first["next"]).json()

    seen = [item["id"] for item in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 4
