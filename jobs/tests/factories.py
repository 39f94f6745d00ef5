import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from jobs.models import ACTIVE_STATUSES, Job, JobKind, JobStatus


def _started(job):
    return None if job.status == JobStatus.QUEUED else timezone.now()


class JobFactory(factory.django.DjangoModelFactory):
    """A job row as a worker would have left it in its status."""

    class Meta:
        model = Job
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = JobKind.STYLIZE
    status = JobStatus.QUEUED
    started_at = factory.LazyAttribute(_started)
    finished_at = factory.LazyAttribute(
        lambda job: None if job.status in ACTIVE_STATUSES else timezone.now()
    )
    heartbeat_at = factory.LazyAttribute(
        lambda job: timezone.now() if job.status == JobStatus.RUNNING else None
    )
    attempts = factory.LazyAttribute(lambda job: 1 if job.status == JobStatus.RUNNING else 0)

    @factory.post_generation
    def photos(self, create, extracted, **kwargs):
        if create and extracted:
            self.photos.set(extracted)
