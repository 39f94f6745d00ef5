"""Owner-scoped queries for photos, jobs, results and adapters, shaped for lists (no N+1)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from generation.models import AdapterStatus, PersonalAdapter, Photo, Result
from jobs.models import Job
from styles.models import Look


def photos_for(user) -> QuerySet[Photo]:
    """The user's photos, newest first."""
    return Photo.objects.filter(owner=user).order_by("-created")


def photos_with_original(user) -> QuerySet[Photo]:
    """The user's photos that can still be stylized (their original was not purged)."""
    return photos_for(user).exclude(original="")


def jobs_for(user) -> QuerySet[Job]:
    return (
        Job.objects.filter(owner=user)
        .select_related("look", "look_version")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.only("id")))
        .annotate(result_count=Count("results", distinct=True))
        .order_by("-created")
    )


def results_for(user) -> QuerySet[Result]:
    return (
        Result.objects.filter(owner=user)
        .select_related("look", "look_version")
        .order_by("-created")
    )


def adapters_for(user) -> QuerySet[PersonalAdapter]:
    return (
        PersonalAdapter.objects.filter(owner=user)
        .select_related("look", "look_version")
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("-created")
    )


def jobs_with_results(user) -> QuerySet[Job]:
    """The user's jobs with their results in the order they were made, as the job cards show."""
    return jobs_for(user).prefetch_related(
        Prefetch("results", queryset=Result.objects.order_by("created"))
    )


def looks_of_results(user) -> QuerySet[Look]:
    """The looks of the user's results, by name (the gallery's filter)."""
    return Look.objects.filter(results__owner=user).distinct().order_by("name")


def adapter_for(user, look) -> PersonalAdapter | None:
    """The user's newest ready adapter for the look's current version, if any."""
    if look.current_version_id is None:
        return None
    return (
        PersonalAdapter.objects.filter(
            owner=user,
            look=look,
            look_version_id=look.current_version_id,
            status=AdapterStatus.READY,
        )
        .exclude(Q(file="") | Q(file__isnull=True))
        .order_by("-created")
        .first()
    )
