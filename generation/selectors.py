"""Owner-scoped queries for photos, jobs, results and adapters, shaped for lists (no N+1)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from generation.models import AdapterStatus, PersonalAdapter, Photo, QuickTuneQuestion, Result
from generation.taste import MIN_EVIDENCE_WEIGHT, evidence_weight
from jobs.models import Job, JobKind
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
        .order_by("-created")
    )


def jobs_with_results(user) -> QuerySet[Job]:
    """The user's jobs with their results in the order they were made, as the job cards show
    (quick-tune questions are not shown as jobs)."""
    return (
        jobs_for(user)
        .exclude(kind=JobKind.QUICK_TUNE)
        .prefetch_related(Prefetch("results", queryset=Result.objects.order_by("created")))
    )


def looks_of_results(user) -> QuerySet[Look]:
    """The looks of the user's results, by name (the gallery's filter)."""
    return Look.objects.filter(results__owner=user).distinct().order_by("name")


def newest_adapter(user, look) -> PersonalAdapter | None:
    """The newest version of the user's adapter for the look, whatever its status."""
    return PersonalAdapter.objects.filter(owner=user, look=look).order_by("-version").first()


def adapter_for(user, look) -> PersonalAdapter | None:
    """The adapter version stylize uses: the newest ready one, once its evidence is heavy enough
    (`taste.MIN_EVIDENCE_WEIGHT`); None before that."""
    adapter = (
        PersonalAdapter.objects.filter(owner=user, look=look, status=AdapterStatus.READY)
        .exclude(Q(file="") | Q(file__isnull=True))
        .order_by("-version")
        .first()
    )
    if adapter is None or not is_offered(adapter):
        return None
    return adapter


def is_offered(adapter: PersonalAdapter) -> bool:
    return evidence_weight(adapter.evidence) >= MIN_EVIDENCE_WEIGHT


def adapter_versions(user, look) -> QuerySet[PersonalAdapter]:
    return adapters_for(user).filter(look=look).select_related("job").order_by("-version")


def open_question(user, look) -> QuickTuneQuestion | None:
    return QuickTuneQuestion.objects.filter(owner=user, look=look, winner__isnull=True).first()


def questions_for(user) -> QuerySet[QuickTuneQuestion]:
    return QuickTuneQuestion.objects.filter(owner=user).select_related("look").order_by("-created")
