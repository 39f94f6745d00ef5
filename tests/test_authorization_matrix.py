"""Every user-scoped API endpoint, called by another user on A's objects: 404 and nothing changes.

Anonymous callers get 401 on every private endpoint. The catalog is public.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from accounts.models import ApiToken
from generation.models import AdapterStatus, PersonalAdapter, Photo, QuickTuneQuestion, Result
from generation.tests.factories import PhotoFactory, ResultFactory
from jobs.models import Job, JobKind

API = "/api/v1"


@dataclass
class World:
    """User A's objects, one of each kind an endpoint can address."""

    photo: Photo
    result: Result
    queued_job: Job
    adapter: PersonalAdapter
    question: QuickTuneQuestion
    token: ApiToken

    def ids(self) -> dict[str, str]:
        return {
            "photo": str(self.photo.id),
            "result": str(self.result.id),
            "job": str(self.queued_job.id),
            "adapter": str(self.adapter.id),
            "question": str(self.question.id),
            "token": self.token.token_key,
        }

    def snapshot(self) -> dict:
        """Everything an unauthorised call could have changed, rows and files."""
        files = [
            self.photo.original.name,
            self.photo.thumbnail.name,
            self.result.image.name,
            self.result.thumbnail.name,
            self.adapter.file.name,
        ]
        return {
            "photos": list(Photo.objects.filter(owner=self.photo.owner).values()),
            "jobs": list(Job.objects.filter(owner=self.photo.owner).order_by("id").values()),
            "results": list(Result.objects.filter(owner=self.photo.owner).values()),
            "adapters": list(PersonalAdapter.objects.filter(owner=self.photo.owner).values()),
            "questions": list(
                QuickTuneQuestion.objects.filter(owner=self.photo.owner).order_by("id").values()
            ),
            "tokens": list(ApiToken.objects.filter(user=self.photo.owner).values("digest")),
            "files": {name: default_storage.exists(name) for name in files},
        }


@pytest.fixture
def world(user) -> World:
    photo = PhotoFactory(owner=user)
    result = ResultFactory(photo=photo)
    queued_job = Job.objects.create(
        owner=user,
        kind=JobKind.STYLIZE,
        look=result.look,
        look_version=result.look_version,
        params={"strength": 1.0},
    )
    queued_job.photos.add(PhotoFactory(owner=user, color=(30, 60, 90)))  # leaves `photo` deletable
    adapter = PersonalAdapter.objects.create(
        owner=user,
        look=result.look,
        look_version=result.look_version,
        status=AdapterStatus.READY,
        file=default_storage.save(
            f"users/{user.id}/adapters/matrix.safetensors", ContentFile(b"weights")
        ),
    )
    adapter.photos.add(photo)
    question = QuickTuneQuestion.objects.create(
        owner=user, look=result.look, a={"temperature": -30.0}, b={"temperature": 30.0}
    )
    token, _secret = ApiToken.objects.create(user=user, device="matrix")
    return World(
        photo=photo,
        result=result,
        queued_job=queued_job,
        adapter=adapter,
        question=question,
        token=token,
    )


# (method, path with {placeholders} for A's ids, body)
OBJECT_ENDPOINTS = [
    ("get", "/photos/{photo}/", None),
    ("delete", "/photos/{photo}/", None),
    ("get", "/jobs/{job}/", None),
    ("post", "/jobs/{job}/cancel/", None),
    ("get", "/results/{result}/", None),
    ("delete", "/results/{result}/", None),
    ("post", "/results/{result}/feedback/", {"rating": 1, "favourite": True}),
    ("post", "/results/{result}/edit/", {"edits": {"exposure": 0.5}}),
    ("get", "/adapters/{adapter}/", None),
    ("patch", "/adapters/{adapter}/", {"intensity": 0.5}),
    ("post", "/adapters/{adapter}/revert/", {"version": 1}),
    ("delete", "/adapters/{adapter}/", None),
    ("get", "/quick-tune/{question}/", None),
    ("post", "/quick-tune/{question}/answer/", {"winner": 0}),
    ("get", "/me/tokens/{token}/", None),
    ("delete", "/me/tokens/{token}/", None),
]

LIST_ENDPOINTS = ["/photos/", "/jobs/", "/results/", "/adapters/", "/quick-tune/"]

PRIVATE_ENDPOINTS = [
    *[(method, path, body) for method, path, body in OBJECT_ENDPOINTS],
    *[("get", path, None) for path in LIST_ENDPOINTS],
    ("post", "/photos/", None),
    ("post", "/jobs/", {"kind": "stylize", "photos": ["{photo}"], "look": "any"}),
    ("post", "/quick-tune/", {"look": "any"}),
    ("get", "/me/", None),
    ("get", "/me/tokens/", None),
    ("get", "/me/profile/", None),
    ("patch", "/me/profile/", {"default_strength": 0.5}),
    ("delete", "/me/", {"password": "anything"}),
    ("post", "/me/export/", None),
    ("delete", "/auth/token/", None),
]


def call(client: APIClient, method: str, path: str, body, ids: dict[str, str]):
    url = API + path.format(**ids)
    if isinstance(body, dict):
        body = {
            key: [item.format(**ids) for item in value] if isinstance(value, list) else value
            for key, value in body.items()
        }
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize(("method", "path", "body"), OBJECT_ENDPOINTS)
def test_another_user_gets_404_and_changes_nothing(other_api_client, world, method, path, body):
    before = world.snapshot()

    response = call(other_api_client, method, path, body, world.ids())

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert world.snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), OBJECT_ENDPOINTS)
def test_the_owner_can_reach_the_same_objects(api_client, world, method, path, body):
    """The 404s above are about ownership, not about broken urls or ids."""
    response = call(api_client, method, path, body, world.ids())

    assert response.status_code in {200, 201, 202, 204}, response.content


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_lists_show_none_of_another_users_objects(other_api_client, api_client, world, path):
    theirs = other_api_client.get(API + path).json()
    mine = api_client.get(API + path).json()

    assert theirs["results"] == []
    assert len(mine["results"]) >= 1


def test_results_filtered_by_another_users_job_are_empty(other_api_client, world):
    response = other_api_client.get(f"{API}/results/", {"job": str(world.result.job_id)})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_job_on_another_users_photos_is_refused(other_api_client, other_user, world):
    body = {"kind": "stylize", "photos": [str(world.photo.id)], "look": world.result.look.slug}
    before = world.snapshot()

    response = other_api_client.post(f"{API}/jobs/", body, format="json")

    assert response.status_code in {400, 404}
    assert str(world.photo.id) not in str(response.json().get("results", ""))
    assert not Job.objects.filter(owner=other_user).exists()
    assert world.snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), PRIVATE_ENDPOINTS)
def test_anonymous_callers_get_401(world, method, path, body):
    before = world.snapshot()

    response = call(APIClient(), method, path, body, world.ids())

    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] == "not_authenticated"
    assert world.snapshot() == before


@pytest.mark.parametrize("path", ["/looks/", "/influencers/"])
def test_the_catalog_is_public(db, path):
    assert APIClient().get(API + path).status_code == 200


def test_every_private_api_route_is_in_the_matrix():
    """A new endpoint must join the matrix: compare with the routes Django knows."""
    from django.urls import URLPattern, URLResolver, get_resolver, resolve

    def routes(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from routes(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    api_names = {name for route, name in routes(get_resolver()) if route.startswith("api/v1/")}
    some_id = "00000000-0000-0000-0000-000000000000"
    placeholders = {key: some_id for key in ("photo", "result", "job", "adapter", "question")}
    covered = {
        resolve(API + path.format(**placeholders, token="abc")).url_name
        for _method, path, _body in PRIVATE_ENDPOINTS
    }
    public = {
        "api-signup",
        "api-influencer-list",
        "api-influencer-detail",
        "api-look-list",
        "api-look-detail",
        "api-look-cube",
    }

    assert api_names - covered - public == set()
