"""The account page: preferences, data export and account deletion."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from jobs.models import Job, JobKind, JobStatus
from jobs.tests.factories import JobFactory


@pytest.mark.django_db
def test_preferences_save_the_strength_as_a_percentage(logged_in, user):
    response = logged_in.post(
        reverse("account"),
        {"default_strength": 80, "result_long_side": 1024, "keep_originals_days": 0},
    )

    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.default_strength == pytest.approx(0.8)
    assert user.profile.personalization_enabled is False


@pytest.mark.django_db
def test_preferences_reject_a_strength_out_of_range(logged_in):
    response = logged_in.post(
        reverse("account"),
        {"default_strength": 400, "result_long_side": 1024, "keep_originals_days": 0},
    )

    assert response.status_code == 200
    assert "150" in response.content.decode()


@pytest.mark.django_db
def test_export_queues_one_job_and_shows_its_progress(logged_in, user):
    logged_in.post(reverse("account-export"))
    logged_in.post(reverse("account-export"))

    job = Job.objects.get(owner=user, kind=JobKind.EXPORT)
    page = logged_in.get(reverse("account")).content.decode()
    assert f'id="job-{job.pk}"' in page


@pytest.mark.django_db
def test_delete_account_needs_the_password(logged_in, user):
    response = logged_in.post(reverse("account-delete"), {"password": "wrong"})

    assert response.status_code == 200
    assert "current password" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_delete_account_with_the_password_logs_out_and_deletes(logged_in, user, password):
    response = logged_in.post(reverse("account-delete"), {"password": password})

    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert logged_in.get(reverse("account")).status_code == 302


@pytest.fixture
def finished_export(user):
    name = default_storage.save(f"users/{user.pk}/exports/archive.zip", ContentFile(b"PK\x05\x06"))
    return JobFactory(owner=user, kind=JobKind.EXPORT, status=JobStatus.SUCCEEDED, output=name)


@pytest.mark.django_db
def test_export_download_is_a_signed_attachment_link(logged_in, finished_export):
    response = logged_in.get(reverse("export-download", args=[finished_export.pk]))
    archive = logged_in.get(response["Location"])

    assert response.status_code == 302
    assert archive.status_code == 200
    assert archive["Content-Disposition"].startswith("attachment")
    assert b"".join(archive.streaming_content) == b"PK\x05\x06"


@pytest.mark.django_db
def test_export_download_is_404_for_another_user_or_before_it_is_ready(
    client, other_user, user, finished_export
):
    client.force_login(other_user)
    assert client.get(reverse("export-download", args=[finished_export.pk])).status_code == 404

    client.force_login(user)
    running = JobFactory(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    assert client.get(reverse("export-download", args=[running.pk])).status_code == 404


@pytest.mark.django_db
def test_an_expired_export_says_so_and_offers_a_new_one(logged_in, user, finished_export):
    from accounts import services

    Job.objects.filter(pk=finished_export.pk).update(
        finished_at=timezone.now() - timedelta(days=30)
    )
    assert services.purge_expired_exports() == 1

    page = logged_in.get(reverse("account")).content.decode()
    assert "This download has expired" in page
    assert reverse("export-download", args=[finished_export.pk]) not in page
    assert logged_in.get(reverse("export-download", args=[finished_export.pk])).status_code == 404
