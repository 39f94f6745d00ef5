"""Results: list with filters, detail, feedback and deletion (files too), owner-scoped."""

import re

import pytest
from django.core.files.storage import default_storage

from core.errors import ServiceError
from generation import services
from generation.models import Rating, Result
from generation.tests.factories import ResultFactory
from styles.tests.factories import LookFactory

RESULTS = "/api/v1/results/"


def test_list_filters_by_look_and_favourite(api_client, user):
    first_look, second_look = LookFactory(ready=True), LookFactory(ready=True)
    liked = ResultFactory(owner=user, look=first_look, favourite=True)
    ResultFactory(owner=user, look=first_look)
    other_look_result = ResultFactory(owner=user, look=second_look, favourite=True)

    def listed(query: str) -> set[str]:
        response = api_client.get(f"{RESULTS}{query}")
        assert response.status_code == 200
        return {result["id"] for result in response.json()["results"]}

    assert len(listed("")) == 3
    assert listed(f"?look={first_look.slug}&favourite=true") == {str(liked.id)}
    assert listed("?favourite=true") == {str(liked.id), str(other_look_result.id)}
    assert listed(f"?look={second_look.slug}") == {str(other_look_result.id)}


def test_detail_links_images_that_download(api_client, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)
    body = api_client.get(f"{RESULTS}{result.id}/").json()
    assert body["look"] == catalog_look.slug
    assert (body["width"], body["height"]) == (64, 48)
    image = api_client.get(body["image_url"])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"


def test_other_users_results_are_404_everywhere(api_client, other_user, catalog_look, user):
    theirs = ResultFactory(owner=other_user, look=catalog_look)
    ResultFactory(owner=user, look=catalog_look)
    assert str(theirs.id) not in {r["id"] for r in api_client.get(RESULTS).json()["results"]}
    assert api_client.get(f"{RESULTS}{theirs.id}/").status_code == 404
    feedback = api_client.post(f"{RESULTS}{theirs.id}/feedback/", {"rating": 1}, format="json")
    assert feedback.status_code == 404
    assert feedback.json()["error"]["code"] == "not_found"
    assert api_client.delete(f"{RESULTS}{theirs.id}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.rating == Rating.NONE


@pytest.mark.parametrize(
    "payload, rating, favourite",
    [
        ({"rating": 1, "favourite": True}, 1, True),
        ({"rating": -1}, -1, False),
        ({"favourite": True}, 0, True),
    ],
)
def test_feedback_sets_either_field(api_client, user, catalog_look, payload, rating, favourite):
    result = ResultFactory(owner=user, look=catalog_look)
    response = api_client.post(f"{RESULTS}{result.id}/feedback/", payload, format="json")
    assert response.status_code == 200
    assert (response.json()["rating"], response.json()["favourite"]) == (rating, favourite)
    result.refresh_from_db()
    assert (result.rating, result.favourite) == (rating, favourite)


@pytest.mark.parametrize("payload", [{"rating": 2}, {"rating": "good"}, {"favourite": "maybe"}])
def test_bad_feedback_is_a_400(api_client, user, catalog_look, payload):
    result = ResultFactory(owner=user, look=catalog_look)
    response = api_client.post(f"{RESULTS}{result.id}/feedback/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(payload)


def test_set_feedback_refuses_bad_values(user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)
    with pytest.raises(ServiceError, match=re.escape("Rating must be -1, 0 or 1.")):
        services.set_feedback(result, rating=5)
    with pytest.raises(ServiceError, match=re.escape("Favourite must be true or false.")):
        services.set_feedback(result, favourite="yes")


def test_delete_removes_the_row_and_its_files(
    api_client, user, catalog_look, django_capture_on_commit_callbacks
):
    result = ResultFactory(owner=user, look=catalog_look)
    names = [result.image.name, result.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(f"{RESULTS}{result.id}/")
    assert response.status_code == 204
    assert not Result.objects.filter(id=result.id).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_files_stay_when_the_deletion_rolls_back(user, catalog_look):
    from django.db import transaction

    result = ResultFactory(owner=user, look=catalog_look)

    class Abort(Exception):
        pass

    result_id, image_name = result.id, result.image.name
    with pytest.raises(Abort), transaction.atomic():
        services.delete_result(result)
        raise Abort
    assert Result.objects.filter(id=result_id).exists()
    assert default_storage.exists(image_name)
