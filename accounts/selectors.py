from jobs.models import Job, JobKind


def latest_export(user) -> Job | None:
    return Job.objects.filter(owner=user, kind=JobKind.EXPORT).order_by("-created").first()
