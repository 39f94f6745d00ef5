"""`python manage.py seed_demo`: a small published demo catalog for `make run`.

Five fictional influencers with one or two looks each. Reference photos are ml's bundled
sample photos graded by a seeded synthetic look; each look is encoded zero-shot in this process
(no worker needed) and published. Running it again only fills in what is missing, so a complete
catalog costs a few queries and never loads torch.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageOps

from styles import build, images, services
from styles.models import MIN_REFERENCES, Influencer, Look, LookStatus, Tag

REFERENCES_PER_LOOK = 4
REFERENCE_LONG_SIDE = 512
AVATAR_SIDE = 256


@dataclass(frozen=True)
class DemoLook:
    slug: str
    name: str
    description: str
    family: str
    seed: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class DemoInfluencer:
    slug: str
    name: str
    handle: str
    bio: str
    tags: tuple[str, ...]
    looks: tuple[DemoLook, ...]


CATALOG = (
    DemoInfluencer(
        "mira-solenne",
        "Mira Solenne",
        "@mirasolenne",
        "Film photographer chasing the last hour of light along the Ligurian coast.",
        ("film", "travel"),
        (
            DemoLook(
                "golden-hour-film",
                "Golden Hour Film",
                "Warm highlights, soft contrast and a gentle fade, like a roll of Portra.",
                "film",
                101,
                ("film", "warm"),
            ),
            DemoLook(
                "harbour-blue",
                "Harbour Blue",
                "Deep teal shadows and muted colour for overcast mornings at the port.",
                "moody",
                102,
                ("moody",),
            ),
        ),
    ),
    DemoInfluencer(
        "kai-okafor",
        "Kai Okafor",
        "@kai.after.dark",
        "Street photographer. Lagos, Lisbon, wherever the night buses go.",
        ("city", "night"),
        (
            DemoLook(
                "neon-rain",
                "Neon Rain",
                "Punchy saturation and crisp contrast for wet streets and shop lights.",
                "vivid",
                201,
                ("city", "vivid"),
            ),
        ),
    ),
    DemoInfluencer(
        "liv-haraldsen",
        "Liv Haraldsen",
        "@liv.in.linen",
        "Slow living, pale wood and window light from a small flat in Bergen.",
        ("minimal", "airy"),
        (
            DemoLook(
                "linen-morning",
                "Linen Morning",
                "Bright, low-contrast and airy, with cream whites.",
                "airy",
                301,
                ("airy", "minimal"),
            ),
            DemoLook(
                "soft-nordic",
                "Soft Nordic",
                "Cool, lifted shadows and quiet colour for grey northern days.",
                "airy",
                302,
                ("airy",),
            ),
        ),
    ),
    DemoInfluencer(
        "tomas-vierra",
        "Tomás Vierra",
        "@vierra.analog",
        "Collects old cameras and the colours that came with them.",
        ("vintage", "film"),
        (
            DemoLook(
                "seventies-summer",
                "Seventies Summer",
                "Faded warm tones and a touch of vignette, like a family album.",
                "vintage",
                401,
                ("vintage", "warm"),
            ),
            DemoLook(
                "silver-mono",
                "Silver Mono",
                "Rich black and white with deep blacks.",
                "mono",
                402,
                ("black-and-white",),
            ),
        ),
    ),
    DemoInfluencer(
        "anais-delacourt",
        "Anaïs Delacourt",
        "@anais.wanders",
        "Travel and food between Marseille and the islands, always in colour.",
        ("travel", "summer"),
        (
            DemoLook(
                "riviera-pop",
                "Riviera Pop",
                "Saturated blues and sunny skin tones for beach days.",
                "vivid",
                501,
                ("vivid", "summer"),
            ),
        ),
    ),
)


class Command(BaseCommand):
    help = "Create the demo catalog (idempotent): influencers, looks, encoded and published."

    def handle(self, *args, **options):
        created_looks = built = 0
        for demo in CATALOG:
            influencer = self._influencer(demo)
            for demo_look in demo.looks:
                look, created = self._look(influencer, demo_look)
                created_looks += created
                if look.references.count() < MIN_REFERENCES:
                    self._add_references(look, demo_look)
                if look.current_version_id is None:
                    self.stdout.write(f"Encoding {look.name}...")
                    build.build_look_now(look)
                    look.refresh_from_db()
                    built += 1
                if not look.is_published:
                    services.publish(look)
            if not influencer.avatar:
                self._add_avatar(influencer)
        built += build.rebuild_stale_looks(log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalog ready: {len(CATALOG)} influencers; "
                f"{created_looks} looks created, {built} encoded."
            )
        )

    def _influencer(self, demo: DemoInfluencer) -> Influencer:
        influencer, created = Influencer.objects.get_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "handle": demo.handle,
                "bio": demo.bio,
                "is_published": True,
            },
        )
        if created:
            influencer.tags.set(_tags(demo.tags))
        return influencer

    def _look(self, influencer: Influencer, demo: DemoLook) -> tuple[Look, bool]:
        with transaction.atomic():
            look, created = Look.objects.get_or_create(
                slug=demo.slug,
                defaults={
                    "influencer": influencer,
                    "name": demo.name,
                    "description": demo.description,
                    "status": LookStatus.DRAFT,
                },
            )
            if created:
                look.tags.set(_tags(demo.tags))
        return look, created

    def _add_references(self, look: Look, demo: DemoLook) -> None:
        import ml

        grade = ml.synthetic.random_look(demo.seed, family=demo.family)
        photos = ml.sample_photos()
        start = demo.seed % len(photos)
        chosen = [photos[(start + step) % len(photos)] for step in range(REFERENCES_PER_LOOK)]
        cleaned = []
        for photo in chosen:
            photo.thumbnail((REFERENCE_LONG_SIDE, REFERENCE_LONG_SIDE))
            graded = grade.apply(photo)
            cleaned.append((images.jpeg_bytes(graded), images.thumbnail_bytes(graded)))
        services.store_references(look, cleaned)

    def _add_avatar(self, influencer: Influencer) -> None:
        """A square crop of the influencer's first reference photo."""
        look = influencer.looks.filter(references__isnull=False).first()
        if look is None:
            return
        with default_storage.open(look.references.first().image.name, "rb") as handle:
            avatar = ImageOps.fit(Image.open(handle).convert("RGB"), (AVATAR_SIDE, AVATAR_SIDE))
        name = default_storage.save(
            f"catalog/influencers/{influencer.id}/avatar.jpg",
            ContentFile(images.jpeg_bytes(avatar)),
        )
        Influencer.objects.filter(pk=influencer.pk).update(avatar=name)


def _tags(slugs: tuple[str, ...]) -> list[Tag]:
    return [
        Tag.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ")})[0]
        for slug in slugs
    ]
