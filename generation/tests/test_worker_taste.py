"""The loop of issue 11 through API v1 with a real worker process: stylize, edit a result,
answer a quick-tune question, train the adapter, and stylize again with the taste applied."""

import io

import pytest
from PIL import Image

from generation.models import QuickTuneQuestion, Result
from jobs.models import JobStatus
from jobs.tests.fixtures import wait_for_job

pytestmark = pytest.mark.worker
API = "/api/v1"


def jpeg() -> io.BytesIO:
    image = Image.new("RGB", (96, 64), (120, 110, 100))
    image.paste((200, 180, 160), (0, 0, 48, 64))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=90)
    data.name = "photo.jpg"
    data.seek(0)
    return data


def finished(api_client, response) -> str:
    assert response.status_code == 202, response.content
    job = wait_for_job(response.json()["id"])
    assert (job.status, job.error) == (JobStatus.SUCCEEDED, "")
    return str(job.id)


def test_edit_train_and_stylize_with_the_taste(worker_factory, make_ready_look, api_client):
    look = make_ready_look()
    worker_factory()
    photo = api_client.post(f"{API}/photos/", {"image": jpeg()}, format="multipart").json()[0]
    stylize = {"kind": "stylize", "photos": [photo["id"]], "look": look.slug, "strength": 0.8}
    job_id = finished(api_client, api_client.post(f"{API}/jobs/", stylize, format="json"))
    first = Result.objects.get(job_id=job_id)

    edits = {"temperature": 40, "exposure": 0.3}
    job_id = finished(
        api_client,
        api_client.post(f"{API}/results/{first.id}/edit/", {"edits": edits}, format="json"),
    )
    edited = api_client.get(f"{API}/results/", {"job": job_id}).json()["results"][0]
    assert edited["edited_from"] == str(first.id)
    assert (edited["edits"]["temperature"], edited["strength"]) == (40.0, 0.8)
    assert edited["adapter"] is None

    question = api_client.post(f"{API}/quick-tune/", {"look": look.slug}, format="json").json()
    wait_for_job(QuickTuneQuestion.objects.get(id=question["id"]).job_id)
    question = api_client.get(f"{API}/quick-tune/{question['id']}/").json()
    assert question["ready"] is True
    warmer = 0 if question["a"]["temperature"] > question["b"]["temperature"] else 1
    answered = api_client.post(
        f"{API}/quick-tune/{question['id']}/answer/", {"winner": warmer}, format="json"
    )
    assert answered.status_code == 200

    train = {"kind": "train_adapter", "look": look.slug}
    finished(api_client, api_client.post(f"{API}/jobs/", train, format="json"))
    [adapter] = api_client.get(f"{API}/adapters/").json()["results"]
    assert adapter["evidence"] == {"edits": 1, "ratings": 0, "pairs": 1, "weight": 4.0}
    assert adapter["active"] is True and adapter["version"] == 1
    assert "warmer" in adapter["summary"].lower()

    patched = api_client.patch(
        f"{API}/adapters/{adapter['id']}/", {"intensity": 0.5}, format="json"
    )
    assert patched.status_code == 200
    job_id = finished(api_client, api_client.post(f"{API}/jobs/", stylize, format="json"))
    personal = api_client.get(f"{API}/results/", {"job": job_id}).json()["results"][0]
    assert (personal["adapter"], personal["adapter_version"]) == (adapter["id"], 1)
    assert personal["adapter_intensity"] == 0.5
    taste = adapter["taste"]["temperature"]
    assert personal["applied_edits"]["temperature"] == pytest.approx(taste * 0.5, abs=1e-3)
    assert 0 < taste <= 40
