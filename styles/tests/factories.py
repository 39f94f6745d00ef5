"""factory_boy factories for the catalog. Rows only: files come from the fixtures module."""

import factory

from styles.models import Influencer, Look, LookStatus, Tag


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


class LookFactory(factory.django.DjangoModelFactory):
    """A draft, unpublished look without a version; the fixtures add real files."""

    class Meta:
        model = Look
        skip_postgeneration_save = True

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
