"""factory_boy factories for the catalog. `LookFactory(ready=True)` is a published, ready look
whose version file is a placeholder (enough for services and pages); a look that `ml` can load
is the `ready_look` fixture's.
"""

import hashlib

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jobs.models import JobKind, JobStatus
from jobs.tests.factories import JobFactory
from styles import images
from styles.models import Influencer, Look, LookStatus, LookVersion, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class InfluencerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Influencer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Influencer {n}")
    handle = factory.Sequence(lambda n: f"@influencer{n}")
    slug = factory.Sequence(lambda n: f"influencer-{n}")
    bio = "Shoots golden hour on film."
    is_published = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class LookVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LookVersion
        exclude = ["content"]

    look = factory.SubFactory("styles.tests.factories.LookFactory")
    number = 1
    method = LookVersion.Method.ZERO_SHOT
    content = b"not a look file"
    file = factory.LazyAttribute(
        lambda version: default_storage.save(
            images.version_name(version.look.id, version.number, ".safetensors"),
            ContentFile(version.content),
        )
    )
    fingerprint = factory.LazyAttribute(lambda version: hashlib.sha256(version.content).hexdigest())


class LookFactory(factory.django.DjangoModelFactory):
    """A draft, unpublished look without a version; `ready=True` publishes it with version 1."""

    class Meta:
        model = Look
        skip_postgeneration_save = True

    class Params:
        ready = factory.Trait(status=LookStatus.READY, is_published=True)

    influencer = factory.SubFactory(InfluencerFactory)
    name = factory.Sequence(lambda n: f"Look {n}")
    slug = factory.Sequence(lambda n: f"look-{n}")
    description = "Warm highlights, teal shadows."
    status = LookStatus.DRAFT
    is_published = False

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def current_version(self, create, extracted, **kwargs):
        """A ready look gets version 1 (`current_version__content=...` sets its file)."""
        if create and extracted is None and self.status == LookStatus.READY:
            extracted = LookVersionFactory(look=self, **kwargs)
        if create and extracted is not None:
            self.current_version = extracted
            self.save(update_fields=["current_version"])


class BuildJobFactory(JobFactory):
    """A running `train_look` job of a look; `method` as the admin's build actions send it."""

    class Params:
        method = LookVersion.Method.ZERO_SHOT

    kind = JobKind.TRAIN_LOOK
    status = JobStatus.RUNNING
    look = factory.SubFactory(LookFactory)
    params = factory.LazyAttribute(lambda job: {"method": job.method})
