"""factory_boy factories for photos, results and personal adapters, with their files in storage."""

import hashlib
import itertools
import uuid

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.tests.factories import UserFactory
from core.files import user_file_name
from core.tests.images import image_bytes
from generation.models import AdapterStatus, PersonalAdapter, Photo, Result
from jobs.models import JobStatus
from jobs.tests.factories import JobFactory
from styles.tests.factories import LookFactory

_shades = itertools.count()


def stored(user_id, kind: str, extension: str, content: bytes, stem=None) -> str:
    return default_storage.save(
        user_file_name(user_id, kind, extension, stem), ContentFile(content)
    )


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo whose original (two-tone, so stylizing shows) and thumbnail are in storage."""

    class Meta:
        model = Photo
        exclude = ["data"]

    class Params:
        size = (64, 48)
        alpha = False
        color = factory.LazyFunction(lambda: (40 + next(_shades) % 200, 120, 60))

    id = factory.LazyFunction(uuid.uuid4)  # names its files, as an upload does
    owner = factory.SubFactory(UserFactory)
    data = factory.LazyAttribute(
        lambda photo: image_bytes(
            photo.size,
            (*photo.color, 200) if photo.alpha else photo.color,
            mode="RGBA" if photo.alpha else "RGB",
            format="PNG" if photo.alpha else "JPEG",
            two_tone=True,
        )
    )
    original = factory.LazyAttribute(
        lambda photo: stored(
            photo.owner.pk, "photos", "png" if photo.alpha else "jpg", photo.data, photo.id
        )
    )
    thumbnail = factory.LazyAttribute(
        lambda photo: stored(
            photo.owner.pk, "thumbs", "webp", image_bytes((32, 24), format="WEBP"), photo.id
        )
    )
    width = factory.LazyAttribute(lambda photo: photo.size[0])
    height = factory.LazyAttribute(lambda photo: photo.size[1])
    # Salted with the stem: two photos of the same pixels are still two uploads.
    sha256 = factory.LazyAttribute(
        lambda photo: hashlib.sha256(photo.data + photo.id.bytes).hexdigest()
    )
    content_type = factory.LazyAttribute(lambda photo: "image/png" if photo.alpha else "image/jpeg")
    byte_size = factory.LazyAttribute(lambda photo: len(photo.data))


class ResultFactory(factory.django.DjangoModelFactory):
    """A result of a finished stylize job, with its image and thumbnail in storage."""

    class Meta:
        model = Result
        exclude = ["stem"]

    owner = factory.SubFactory(UserFactory)
    photo = factory.SubFactory(PhotoFactory, owner=factory.SelfAttribute("..owner"))
    look = factory.SubFactory(LookFactory, ready=True)
    look_version = factory.LazyAttribute(lambda result: result.look.current_version)
    job = factory.SubFactory(
        JobFactory,
        owner=factory.SelfAttribute("..owner"),
        status=JobStatus.SUCCEEDED,
        look=factory.SelfAttribute("..look"),
        look_version=factory.SelfAttribute("..look_version"),
        params={"strength": 1.0},
    )
    strength = 1.0
    stem = factory.LazyFunction(lambda: uuid.uuid4().hex)
    image = factory.LazyAttribute(
        lambda result: stored(
            result.owner.pk, "results", "jpg", image_bytes(color=(10, 200, 30)), result.stem
        )
    )
    thumbnail = factory.LazyAttribute(
        lambda result: stored(
            result.owner.pk, "thumbs", "webp", image_bytes(format="WEBP"), result.stem
        )
    )
    width = 64
    height = 48

    @classmethod
    def _generate(cls, strategy, params):
        if "photo" in params and "owner" not in params:  # a given photo brings its owner
            params = {**params, "owner": params["photo"].owner}
        return super()._generate(strategy, params)


class PersonalAdapterFactory(factory.django.DjangoModelFactory):
    """A version of a user's adapter for a look, with enough evidence to be used; a ready one has
    its file in storage."""

    class Meta:
        model = PersonalAdapter
        exclude = ["content"]
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    look = factory.SubFactory(LookFactory, ready=True)
    look_version = factory.LazyAttribute(lambda adapter: adapter.look.current_version)
    status = AdapterStatus.READY
    version = factory.Sequence(lambda n: n + 1)
    intensity = 1.0
    taste = factory.LazyFunction(lambda: {"temperature": 20.0, "exposure": 0.2})
    evidence = factory.LazyFunction(lambda: {"edits": 1, "ratings": 0, "pairs": 0, "weight": 3.0})
    content = b"weights"
    file = factory.LazyAttribute(
        lambda adapter: (
            stored(adapter.owner.pk, "adapters", "safetensors", adapter.content)
            if adapter.status == AdapterStatus.READY
            else ""
        )
    )

    @factory.post_generation
    def photos(self, create, extracted, **kwargs):
        if create and extracted:
            self.photos.set(extracted)
