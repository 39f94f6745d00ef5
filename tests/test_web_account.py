"""The account page: preferences, data export and account deletion."""

import pytest
from django.urls import reverse

from accounts.models import User
from generation.models import Job, JobKind


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


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
