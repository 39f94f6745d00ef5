"""Personal adapters: list, delete (with the file), scoping."""

from django.core.files.storage import default_storage

from generation.models import PersonalAdapter
from generation.tests.factories import PersonalAdapterFactory

ADAPTERS = "/api/v1/adapters/"


def test_list_shows_the_owners_adapters(api_client, user, other_user, catalog_look):
    mine = PersonalAdapterFactory(owner=user, look=catalog_look)
    PersonalAdapterFactory(owner=other_user, look=catalog_look)
    body = api_client.get(ADAPTERS).json()
    assert [adapter["id"] for adapter in body["results"]] == [str(mine.id)]
    assert body["results"][0]["status"] == "ready"
    assert body["results"][0]["look"] == catalog_look.slug


def test_delete_removes_the_row_and_the_file(
    api_client, user, catalog_look, django_capture_on_commit_callbacks
):
    adapter = PersonalAdapterFactory(owner=user, look=catalog_look)
    name = adapter.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(f"{ADAPTERS}{adapter.id}/")
    assert response.status_code == 204
    assert not PersonalAdapter.objects.filter(id=adapter.id).exists()
    assert not default_storage.exists(name)


def test_training_adapter_cannot_be_deleted(api_client, user, catalog_look):
    adapter = PersonalAdapterFactory(owner=user, look=catalog_look, status="training")
    response = api_client.delete(f"{ADAPTERS}{adapter.id}/")
    assert response.status_code == 409
    assert "still training" in response.json()["error"]["message"]
    assert PersonalAdapter.objects.filter(id=adapter.id).exists()


def test_other_users_adapter_is_404(api_client, other_user, catalog_look):
    theirs = PersonalAdapterFactory(owner=other_user, look=catalog_look)
    assert api_client.get(f"{ADAPTERS}{theirs.id}/").status_code == 404
    assert api_client.delete(f"{ADAPTERS}{theirs.id}/").status_code == 404
    assert PersonalAdapter.objects.filter(id=theirs.id).exists()
