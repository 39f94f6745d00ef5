"""Owner-scoped queries for jobs, results and adapters, shaped for lists (no N+1)."""

from django.db.models import Count, Prefetch, QuerySet

from generation.models import Job, PersonalAdapter, Photo, Result


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
