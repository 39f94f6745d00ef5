from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken
from jobs.models import Job, JobKind


def latest_export(user) -> Job | None:
    return Job.objects.filter(owner=user, kind=JobKind.EXPORT).order_by("-created").first()


def tokens_for(user) -> QuerySet[ApiToken]:
    """The user's unexpired API tokens, newest first."""
    unexpired = ApiToken.objects.filter(user=user, expiry__gt=timezone.now())
    return unexpired.order_by("-created")
