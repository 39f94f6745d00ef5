"""Accounts and a user's data rights: sign-up, tokens, preferences, export requests, deleting an
account with every file, and expiring originals and exports.
"""

import contextlib
import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, PreferenceProfile, User
from core import files
from core.errors import Conflict, QuotaExceeded, ServiceError
from generation.models import Photo
from jobs import services as job_services
from jobs.models import ACTIVE_STATUSES, Job, JobKind

logger = logging.getLogger(__name__)


@transaction.atomic
def register_user(*, username: str, email: str, password: str) -> User:
    user = User.objects.create_user(username=username, email=email, password=password)
    PreferenceProfile.objects.create(user=user)
    return user


def issue_token(*, username: str, password: str, device: str = "") -> tuple[ApiToken, str]:
    """A new token for one device: the row and the token itself (shown once, stored hashed)."""
    user = authenticate(username=username, password=password)
    if user is None:
        raise ServiceError(_("Unable to log in with the given credentials."), code="invalid_login")
    return ApiToken.objects.create(user=user, device=device)


def sign_up(*, username: str, email: str, password: str, device: str = "") -> tuple[ApiToken, str]:
    """Register through the API: the same account as the web form, signed in on this device."""
    if User.objects.filter(username__iexact=username).exists():
        message = _("A user with that username already exists.")
        raise ServiceError(message, code="username_taken", fields={"username": [message]})
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        raise ServiceError(
            " ".join(error.messages), code="weak_password", fields={"password": error.messages}
        ) from None
    user = register_user(username=username, email=email, password=password)
    return ApiToken.objects.create(user=user, device=device)


def revoke_token(token: ApiToken) -> None:
    token.delete()


def revoke_all_tokens(user: User) -> None:
    ApiToken.objects.filter(user=user).delete()


def set_personalization(user: User, enabled: bool) -> PreferenceProfile:
    profile = user.preference_profile()
    profile.personalization_enabled = enabled
    profile.save(update_fields=["personalization_enabled"])
    return profile


# --- export ----------------------------------------------------------------------------------


def request_export(user: User) -> Job:
    """Queue an export of the user's data.

    429 while another export is queued or running, and after `QUOTA_DAILY_EXPORTS` today: an
    export reads every file of the user's, so it is the most expensive thing a request starts.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        exports = Job.objects.filter(owner=user, kind=JobKind.EXPORT)
        if exports.filter(status__in=ACTIVE_STATUSES).exists():
            raise QuotaExceeded(
                _("Your export is still being prepared. Wait for it to finish."),
                code="export_in_progress",
            )
        midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        limit = settings.QUOTA_DAILY_EXPORTS
        if exports.filter(created__gte=midnight).count() >= limit:
            raise QuotaExceeded(
                _("You can export your data %(limit)d times a day. It resets at midnight UTC.")
                % {"limit": limit},
                retry_after=job_services.seconds_to_midnight(),
            )
        job = Job.objects.create(owner=user, kind=JobKind.EXPORT)
        job_services.enqueue(job)
    return job


# --- deletion --------------------------------------------------------------------------------


def confirm_password(user: User, password: str | None) -> None:
    """Deleting an account needs the current password, so a stolen token alone cannot."""
    if not password or not user.check_password(password):
        message = _("Enter your current password to delete your account.")
        raise ServiceError(message, code="wrong_password", fields={"password": [message]})


def delete_account(user: User) -> None:
    """Delete the user, everything the database holds about them, and every stored file.

    Active jobs are cancelled first. Files go once the deletion commits; a second sweep a
    little later catches files that a cancelled worker was still writing.
    """
    for job in Job.objects.filter(owner=user, status__in=ACTIVE_STATUSES):
        with contextlib.suppress(Conflict):  # it finished meanwhile
            job_services.cancel(job)
    revoke_all_tokens(user)
    user_id = user.pk
    with transaction.atomic():
        user.delete()
        transaction.on_commit(lambda: _delete_files_now_and_later(user_id))


def _delete_files_now_and_later(user_id) -> None:
    try:
        delete_user_files_now(user_id)
    except Exception:
        logger.exception("could not delete the files of deleted user %s; retrying later", user_id)
    # Sent by name: the task imports this module.
    current_app.send_task(
        "accounts.tasks.delete_user_files",
        args=(user_id,),
        countdown=settings.JOB_STALE_AFTER.total_seconds() * 2,
    )


def sweep_deleted_user_files(user_id) -> int:
    """The later sweep: delete what is left under a deleted user's prefix."""
    if User.objects.filter(pk=user_id).exists():
        return 0
    return delete_user_files_now(user_id)


def delete_user_files_now(user_id) -> int:
    """Delete every stored object under `users/<user_id>/`. Returns how many files went."""
    return files.delete_prefix(files.user_folder(user_id))


# --- retention -------------------------------------------------------------------------------


def purge_expired_originals() -> int:
    """Delete originals older than each owner's `keep_originals_days` (0 keeps them forever).

    Thumbnails and results stay. A photo that an active job uses keeps its original until
    the next run. Returns how many originals were deleted.
    """
    now = timezone.now()
    purged = 0
    retention = PreferenceProfile.objects.filter(keep_originals_days__gt=0).values_list(
        "user_id", "keep_originals_days"
    )
    for user_id, days in retention:
        expired = (
            Photo.objects.filter(owner_id=user_id, created__lt=now - timedelta(days=days))
            .exclude(original="")
            .exclude(jobs__status__in=ACTIVE_STATUSES)
        )
        for photo_id, name in expired.values_list("id", "original"):
            if Photo.objects.filter(pk=photo_id, original=name).update(
                original="", original_purged_at=now
            ):
                default_storage.delete(name)
                purged += 1
    return purged


def purge_expired_exports() -> int:
    """Delete export archives finished longer than `EXPORT_RETENTION` ago.

    An export holds every original, so it should not outlive its purpose. The job stays (its
    card says the download expired); returns how many archives were deleted.
    """
    cutoff = timezone.now() - settings.EXPORT_RETENTION
    expired = Job.objects.filter(kind=JobKind.EXPORT, finished_at__lt=cutoff).exclude(output="")
    purged = 0
    for job_id, name in expired.values_list("id", "output"):
        if Job.objects.filter(pk=job_id, output=name).update(output=""):
            default_storage.delete(name)
            purged += 1
    return purged
