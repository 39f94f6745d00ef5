"""Photos, jobs, results and adapters through the web pages, owner-scoped."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.throttling import ScopedRateThrottle

from core.tests.images import image_bytes
from generation.models import PersonalAdapter, Photo, Result
from generation.tests.factories import PersonalAdapterFactory, PhotoFactory, ResultFactory
from jobs.models import Job, JobKind, JobStatus
from jobs.tests.factories import JobFactory
from styles.tests.factories import LookFactory

JSON = {"HTTP_ACCEPT": "application/json"}


def upload(client, name="photo.jpg", content=None, **extra):
    content = image_bytes() if content is None else content
    return client.post(
        reverse("photo-upload"),
        {"image": SimpleUploadedFile(name, content), **extra},
        **JSON,
    )


@pytest.mark.django_db
def test_upload_returns_a_card_for_the_grid(logged_in, user):
    response = upload(logged_in)

    assert response.status_code == 201
    body = response.json()
    photo = Photo.objects.get(owner=user)
    assert body["ok"] and body["id"] == str(photo.pk)
    assert f'id="photo-{photo.pk}"' in body["card"]


@pytest.mark.django_db
def test_upload_of_the_same_file_again_is_not_a_new_photo(logged_in, user):
    upload(logged_in)

    response = upload(logged_in, variant="picker")

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert 'name="photos"' in response.json()["card"]
    assert Photo.objects.filter(owner=user).count() == 1


@pytest.mark.django_db
def test_upload_of_a_non_image_gets_a_readable_error(logged_in):
    response = upload(logged_in, name="notes.jpg", content=b"just some text")

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert "image" in response.json()["message"].lower()
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_upload_over_the_size_limit_is_413_with_a_message(logged_in, settings):
    settings.MAX_UPLOAD_BYTES = 1000

    response = upload(logged_in, content=image_bytes((400, 400)))

    assert response.status_code == 413
    assert response.json()["message"].startswith("This file is larger than the limit of")
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_plain_form_upload_without_javascript_redirects_with_a_message(client, user):
    client.force_login(user)
    files = [SimpleUploadedFile(f"p{i}.png", image_bytes(color=(i, 9, 9))) for i in range(2)]

    response = client.post(reverse("photo-upload"), {"image": files}, follow=True)

    assert "Uploaded 2 photos." in response.content.decode()
    assert Photo.objects.filter(owner=user).count() == 2


@pytest.mark.django_db
def test_delete_photo_is_owner_scoped(logged_in, user, other_user):
    mine, theirs = PhotoFactory(owner=user), PhotoFactory(owner=other_user)

    assert logged_in.post(reverse("photo-delete", args=[theirs.pk])).status_code == 404
    response = logged_in.post(reverse("photo-delete", args=[mine.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert not Photo.objects.filter(pk=mine.pk).exists()
    assert Photo.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_stylize_creates_a_job_at_the_chosen_strength(
    logged_in, user, catalog_look, django_capture_on_commit_callbacks
):
    photo = PhotoFactory(owner=user)

    response = logged_in.post(
        reverse("stylize"), {"look": catalog_look.slug, "photos": [photo.pk], "strength": 60}
    )

    assert response["Location"] == reverse("jobs")
    job = Job.objects.get(owner=user)
    assert job.kind == JobKind.STYLIZE and job.params["strength"] == pytest.approx(0.6)
    assert list(job.photos.all()) == [photo]


@pytest.mark.django_db
def test_stylize_with_another_users_photo_shows_the_error(logged_in, other_user, catalog_look):
    theirs = PhotoFactory(owner=other_user)

    response = logged_in.post(
        reverse("stylize"),
        {"look": catalog_look.slug, "photos": [theirs.pk], "strength": 60},
        follow=True,
    )

    assert not Job.objects.exists()
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_quota_error_is_429_for_htmx(logged_in, user, catalog_look):
    photo = PhotoFactory(owner=user)
    for _ in range(user.quota("concurrent_jobs")):
        JobFactory(owner=user)

    response = logged_in.post(
        reverse("stylize"),
        {"look": catalog_look.slug, "photos": [photo.pk], "strength": 100},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 429
    assert "limit" in response.content.decode()


@pytest.mark.django_db
def test_job_card_polls_while_active_and_stops_when_finished(logged_in, user):
    job = JobFactory(owner=user, status=JobStatus.RUNNING, progress=40)
    url = reverse("job-card", args=[job.pk])

    running = logged_in.get(url).content.decode()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress=100)
    finished = logged_in.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in running and 'value="40"' in running
    assert "hx-trigger" not in finished and 'value="100"' in finished


@pytest.mark.django_db
def test_a_failed_job_shows_its_error_in_the_readers_language(logged_in, api_client, user):
    english = "Something went wrong while processing this job. Please try again."
    job = JobFactory(owner=user, status=JobStatus.FAILED, error=english)
    logged_in.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    card = logged_in.get(reverse("job-card", args=[job.pk])).content.decode()
    api_client.force_authenticate(user)
    api = api_client.get(f"/api/v1/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    unknown = JobFactory(owner=user, status=JobStatus.FAILED, error="disk quota exceeded on node 7")

    with translation.override("zh-hans"):
        chinese = translation.gettext(english)
    assert chinese != english
    assert chinese in card and english not in card
    assert api["error"] == chinese
    assert api_client.get(f"/api/v1/jobs/{unknown.pk}/").json()["error"] == unknown.error


@pytest.mark.django_db
def test_job_card_of_another_user_is_404(logged_in, other_user):
    job = JobFactory(owner=other_user)

    assert logged_in.get(reverse("job-card", args=[job.pk])).status_code == 404
    assert logged_in.post(reverse("job-cancel", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_cancel_then_cancel_again_shows_the_conflict(logged_in, user):
    job = JobFactory(owner=user)
    url = reverse("job-cancel", args=[job.pk])

    first = logged_in.post(url, HTTP_HX_REQUEST="true")
    second = logged_in.post(url, HTTP_HX_REQUEST="true")

    assert first.status_code == 200 and "Cancelled" in first.content.decode()
    assert second.status_code == 409 and "already" in second.content.decode()


@pytest.mark.django_db
def test_gallery_filters_by_favourite_and_look(logged_in, user):
    look, other_look = LookFactory(ready=True), LookFactory(ready=True)
    favourite = ResultFactory(owner=user, look=look, favourite=True)
    plain = ResultFactory(owner=user, look=other_look)

    favourites = logged_in.get(reverse("gallery"), {"favourite": "on"}).content.decode()
    by_look = logged_in.get(reverse("gallery"), {"look": other_look.slug}).content.decode()

    assert reverse("result", args=[favourite.pk]) in favourites
    assert reverse("result", args=[plain.pk]) not in favourites
    assert reverse("result", args=[plain.pk]) in by_look
    assert reverse("result", args=[favourite.pk]) not in by_look


@pytest.mark.django_db
def test_result_page_feedback_download_and_delete(logged_in, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look)

    page = logged_in.get(reverse("result", args=[result.pk])).content.decode()
    logged_in.post(reverse("result-feedback", args=[result.pk]), {"favourite": "true"})
    logged_in.post(reverse("result-feedback", args=[result.pk]), {"rating": "-1"})
    download = logged_in.get(reverse("result-download", args=[result.pk]))
    file_response = logged_in.get(download["Location"])

    assert 'class="compare-range" type="range"' in page
    result.refresh_from_db()
    assert result.favourite is True and result.rating == -1
    assert file_response.status_code == 200
    assert file_response["Content-Disposition"].startswith("attachment")
    logged_in.post(reverse("result-delete", args=[result.pk]))
    assert not Result.objects.filter(pk=result.pk).exists()


@pytest.mark.django_db
def test_results_of_another_user_are_404(logged_in, other_user, catalog_look):
    result = ResultFactory(owner=other_user, look=catalog_look)

    for name in ("result", "result-download"):
        assert logged_in.get(reverse(name, args=[result.pk])).status_code == 404
    for name in ("result-feedback", "result-delete"):
        assert logged_in.post(reverse(name, args=[result.pk])).status_code == 404


@pytest.mark.django_db
def test_training_an_adapter_needs_something_to_learn_from(logged_in, user, catalog_look):
    url = reverse("adapter-train", args=[catalog_look.slug])

    nothing = logged_in.post(url, follow=True).content.decode()
    ResultFactory(owner=user, look=catalog_look, rating=1)
    logged_in.post(url)

    assert "Nothing to learn from yet" in nothing
    assert PersonalAdapter.objects.get(owner=user).version == 1


@pytest.mark.django_db
def test_personalize_page_shows_the_taste_its_preview_and_versions(logged_in, user, catalog_look):
    PersonalAdapterFactory(owner=user, look=catalog_look, version=1, taste={"exposure": -0.5})
    newest = PersonalAdapterFactory(
        owner=user, look=catalog_look, version=2, taste={"temperature": 20.0}, intensity=0.5
    )

    page = logged_in.get(reverse("personalize", args=[catalog_look.slug])).content.decode()

    assert "Warmer than the look" in page
    assert 'id="taste-after"' in page and "data-taste=" in page
    assert 'value="50"' in page  # the intensity slider
    assert reverse("adapter-revert", args=[PersonalAdapter.objects.get(version=1).pk]) in page
    assert reverse("adapter-revert", args=[newest.pk]) not in page  # the newest is in use


@pytest.mark.django_db
def test_an_adapter_without_enough_evidence_is_not_offered(logged_in, user, catalog_look):
    PersonalAdapterFactory(owner=user, look=catalog_look, evidence={"ratings": 1, "weight": 1.0})
    page = logged_in.get(reverse("personalize", args=[catalog_look.slug])).content.decode()
    assert "Not used yet" in page and 'id="taste-after"' not in page


@pytest.mark.django_db
def test_saving_edits_on_a_result_queues_an_edit_job(logged_in, user, catalog_look):
    result = ResultFactory(owner=user, look=catalog_look, strength=0.7)
    page = logged_in.get(reverse("result", args=[result.pk])).content.decode()
    assert 'data-edit="temperature"' in page

    logged_in.post(
        reverse("result-edit", args=[result.pk]), {"edit_temperature": "30", "edit_fade": "5"}
    )
    job = Job.objects.get(owner=user, kind=JobKind.STYLIZE, params__use_adapter=False)
    assert job.params["edits"]["temperature"] == 30.0
    assert job.params["strength"] == 0.7
    assert job.params["edited_from"] == {str(result.photo_id): str(result.pk)}

    bad = logged_in.post(
        reverse("result-edit", args=[result.pk]), {"edit_exposure": "9"}, follow=True
    )
    assert "Exposure (exposure) must be a number from -2 to 2." in bad.content.decode()


@pytest.mark.django_db
def test_copying_edits_queues_one_job_per_look_version_and_strength(logged_in, user):
    source = ResultFactory(owner=user, edits={"saturation": -20.0})
    same = ResultFactory(owner=user, look=source.look, strength=source.strength)
    other = ResultFactory(owner=user, strength=0.5)
    logged_in.post(reverse("result-copy-edits", args=[source.pk]), {"results": [same.pk, other.pk]})
    jobs = Job.objects.filter(owner=user, params__use_adapter=False)
    assert jobs.count() == 2
    assert all(job.params["edits"]["saturation"] == -20.0 for job in jobs)


@pytest.mark.django_db
def test_adapter_delete_is_owner_scoped(logged_in, user, other_user, catalog_look):
    mine, theirs = (
        PersonalAdapterFactory(owner=user, look=catalog_look),
        PersonalAdapterFactory(owner=other_user, look=catalog_look),
    )

    assert logged_in.post(reverse("adapter-delete", args=[theirs.pk])).status_code == 404
    logged_in.post(reverse("adapter-delete", args=[mine.pk]))

    assert list(PersonalAdapter.objects.all()) == [theirs]


@pytest.mark.django_db
def test_personalization_toggle(logged_in, user):
    logged_in.post(reverse("personalization-toggle"), {})
    user.profile.refresh_from_db()
    assert user.profile.personalization_enabled is False

    logged_in.post(reverse("personalization-toggle"), {"enabled": "on"})
    user.profile.refresh_from_db()
    assert user.profile.personalization_enabled is True


@pytest.mark.django_db
def test_deleting_a_photo_in_use_keeps_its_card_with_the_reason(logged_in, user):
    photo = PhotoFactory(owner=user)
    JobFactory(owner=user, photos=[photo])

    response = logged_in.post(reverse("photo-delete", args=[photo.pk]), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 409
    assert f'id="photo-{photo.pk}"' in body and "Wait for it to finish" in body
    assert Photo.objects.filter(pk=photo.pk).exists()


@pytest.mark.django_db
def test_gallery_filters_by_date(logged_in, user, catalog_look):
    old = ResultFactory(owner=user, look=catalog_look)
    new = ResultFactory(owner=user, look=catalog_look)
    Result.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=10))
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    until = (timezone.now() - timedelta(days=5)).date().isoformat()

    recent = logged_in.get(reverse("gallery"), {"since": since}).content.decode()
    earlier = logged_in.get(reverse("gallery"), {"until": until}).content.decode()

    assert reverse("result", args=[new.pk]) in recent
    assert reverse("result", args=[old.pk]) not in recent
    assert reverse("result", args=[old.pk]) in earlier
    assert reverse("result", args=[new.pk]) not in earlier


@pytest.mark.django_db
def test_web_uploads_and_jobs_share_the_api_rates(logged_in, user, catalog_look, monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"uploads": "1/hour", "jobs": "1/hour"}
    )
    photo = PhotoFactory(owner=user)
    stylize = {"look": catalog_look.slug, "photos": [photo.pk], "strength": 100}

    first_upload = upload(logged_in, content=image_bytes((90, 60)))
    second_upload = upload(logged_in, content=image_bytes((60, 90)))
    first_job = logged_in.post(reverse("stylize"), stylize, HTTP_HX_REQUEST="true")
    second_job = logged_in.post(reverse("stylize"), stylize, HTTP_HX_REQUEST="true")

    assert first_upload.status_code == 201
    assert second_upload.status_code == 429
    assert second_upload.json()["message"].startswith("Too many requests. Try again in")
    assert Photo.objects.filter(owner=user).count() == 2  # the stored one and the first upload
    assert first_job.status_code == 302
    assert second_job.status_code == 429 and "Too many requests" in second_job.content.decode()
    assert Job.objects.filter(owner=user).count() == 1


@pytest.mark.django_db
def test_web_list_pages_run_a_fixed_number_of_queries(
    logged_in,
    user,
    django_assert_num_queries,
):
    def add_rows() -> None:
        for _ in range(3):
            ResultFactory(owner=user, look=LookFactory(ready=True))
            PhotoFactory(owner=user)

    def count(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get(reverse(name)).status_code == 200
        return len(captured)

    add_rows()
    few = {name: count(name) for name in ("home", "photos", "jobs", "gallery")}
    add_rows()
    for name, expected in few.items():
        with django_assert_num_queries(expected):
            assert logged_in.get(reverse(name)).status_code == 200
