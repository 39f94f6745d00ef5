"""A typed client generated from the live schema with openapi-python-client imports cleanly
and drives the whole mobile flow against a live server: sign-up, sign-in, catalog, upload,
stylize, poll, results, feedback, adapter, export and sign-out.

Jobs are queued to a stand-in broker and run in this process by the job runner.
"""

import importlib
import io
import json
import pkgutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PIL import Image

from jobs import runner

pytestmark = pytest.mark.usefixtures("small_renders")

PACKAGE = "lookbook_client"


@pytest.fixture
def client_package(tmp_path, client):
    """Generate the client from /api/schema/ and import it."""
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(client.get("/api/schema/", {"format": "json"}).json()))
    config = tmp_path / "config.yaml"
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
    generated = subprocess.run(
        [
            *[str(Path(sys.executable).parent / "openapi-python-client"), "generate"],
            *["--path", str(schema), "--meta", "none", "--config", str(config)],
            *["--output-path", str(tmp_path / PACKAGE)],
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, generated.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def api(name: str):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def models():
    return importlib.import_module(f"{PACKAGE}.models")


def test_every_generated_module_imports(client_package):
    failures = []
    package = importlib.import_module(f"{PACKAGE}.api")
    for module in pkgutil.walk_packages(package.__path__, f"{PACKAGE}.api."):
        try:
            importlib.import_module(module.name)
        except Exception as error:
            failures.append(f"{module.name}: {error}")
    assert failures == []


def jpeg(shade: int):
    from lookbook_client.types import File

    data = io.BytesIO()
    Image.new("RGB", (96, 64), (shade, 120, 80)).save(data, "JPEG")
    return File(
        payload=io.BytesIO(data.getvalue()), file_name=f"p{shade}.jpg", mime_type="image/jpeg"
    )


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.parsed


@pytest.mark.django_db(transaction=True)
def test_the_mobile_flow_through_the_generated_client(
    client_package, live_server, make_ready_look, sent
):
    look = make_ready_look()
    m = models()
    anonymous = client_package.Client(base_url=live_server.url)
    name = f"mobile-{uuid.uuid4().hex[:8]}"
    password = "a-long-passphrase-9"

    ok(
        api("v1.v1_auth_signup_create").sync_detailed(
            client=anonymous,
            body=m.SignUpRequest(username=name, email=f"{name}@example.com", password=password),
        ),
        201,
    )
    issued = ok(
        api("v1.v1_auth_token_create").sync_detailed(
            client=anonymous,
            body=m.TokenRequestRequest(username=name, password=password, device="phone"),
        ),
        201,
    )
    me = client_package.AuthenticatedClient(
        base_url=live_server.url, token=issued.token, prefix="Token"
    )
    assert ok(api("v1.v1_me_retrieve").sync_detailed(client=me)).username == name

    looks = ok(api("v1.v1_looks_list").sync_detailed(client=anonymous))
    assert look.slug in [item.slug for item in looks.results]

    photos = ok(
        api("photos.v1_photos_create").sync_detailed(
            client=me, body=m.V1PhotosCreateBody(image=[jpeg(40), jpeg(90)]), idempotency_key="u1"
        ),
        201,
    )
    photo_ids = [photo.id for photo in photos]

    job = ok(
        api("jobs.v1_jobs_create").sync_detailed(
            client=me,
            body=m.JobCreateRequest(
                kind=m.JobCreateKindEnum.STYLIZE, photos=[str(i) for i in photo_ids], look=look.slug
            ),
            idempotency_key="j1",
        ),
        202,
    )
    runner.run(sent[-1])
    polled = ok(api("jobs.v1_jobs_retrieve").sync_detailed(client=me, id=job.id))
    assert (polled.status, polled.results.count) == ("succeeded", 2)

    results = ok(api("results.v1_results_list").sync_detailed(client=me, job=job.id)).results
    assert sorted(result.photo for result in results) == sorted(photo_ids)
    rated = ok(
        api("results.v1_results_feedback_create").sync_detailed(
            client=me,
            id=results[0].id,
            body=m.FeedbackRequest(rating=m.RatingEnum.LIKE, favourite=True),
        )
    )
    assert rated.favourite is True

    training = ok(
        api("jobs.v1_jobs_create").sync_detailed(
            client=me,
            body=m.JobCreateRequest(kind=m.JobCreateKindEnum.TRAIN_ADAPTER, look=look.slug),
        ),
        202,
    )
    runner.run(sent[-1])
    assert (
        ok(api("jobs.v1_jobs_retrieve").sync_detailed(client=me, id=training.id)).status
        == "succeeded"
    )
    adapters = ok(api("adapters.v1_adapters_list").sync_detailed(client=me)).results
    assert [adapter.look for adapter in adapters] == [look.slug]

    export = ok(api("v1.v1_me_export_create").sync_detailed(client=me), 202)
    runner.run(sent[-1])
    exported = ok(api("jobs.v1_jobs_retrieve").sync_detailed(client=me, id=export.id))
    assert exported.status == "succeeded" and exported.output_url

    assert api("v1.v1_auth_token_destroy").sync_detailed(client=me).status_code == 204
    assert api("v1.v1_me_retrieve").sync_detailed(client=me).status_code == 401
