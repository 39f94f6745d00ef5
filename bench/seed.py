"""Rows for the benchmark: a few hundred looks and results, run inside Django.

`python -m bench.seed` (with the benchmark's environment) prints what the load needs as JSON.
It runs after `manage.py seed_demo`, whose real looks the extra rows reuse: list endpoints
only sign file names, so the extra looks, photos and results need no files of their own.
"""

import json
import uuid

LOOKS = 200
INFLUENCERS = 20
JOBS = 30
PHOTOS_PER_JOB = 10


def seed() -> dict:
    from django.db import transaction
    from django.utils.text import slugify

    from accounts import services as accounts
    from accounts.models import ApiToken
    from core.files import user_file_name
    from generation.models import Photo, Result
    from jobs.models import Job, JobKind, JobStatus
    from styles.models import Influencer, Look, LookStatus, LookVersion, ReferencePhoto, Tag

    demo_looks = list(
        Look.objects.filter(is_published=True).select_related("current_version").order_by("id")
    )
    if not demo_looks:
        raise SystemExit("seed_demo made no published look")
    template = demo_looks[0]
    references = list(template.references.all())

    with transaction.atomic():
        user = accounts.register_user(
            username="bench", email="bench@example.com", password=uuid.uuid4().hex
        )
        user.quota_concurrent_jobs = 100
        user.quota_daily_compute_seconds = 10**6
        user.save()
        _row, token = ApiToken.objects.create(user=user, device="bench")

        tags = [
            Tag.objects.get_or_create(slug=f"bench-{n}", name=f"bench {n}")[0] for n in range(5)
        ]
        influencers = Influencer.objects.bulk_create(
            Influencer(name=f"Bench {n}", slug=f"bench-{n}", is_published=True)
            for n in range(INFLUENCERS)
        )
        for index in range(LOOKS):
            name = f"Bench look {index}"
            look = Look.objects.create(
                influencer=influencers[index % INFLUENCERS],
                name=name,
                slug=slugify(name),
                description="Seeded for the benchmark.",
                status=LookStatus.READY,
                cover=template.cover.name,
            )
            look.current_version = LookVersion.objects.create(
                look=look,
                number=1,
                method=LookVersion.Method.ZERO_SHOT,
                file=template.current_version.file.name,
                cube=template.current_version.cube.name,
                fingerprint=template.current_version.fingerprint,
            )
            look.is_published = True
            look.save(update_fields=["current_version", "is_published"])
            look.tags.set(tags[index % 5 : index % 5 + 2])
            ReferencePhoto.objects.bulk_create(
                ReferencePhoto(
                    look=look, order=r.order, image=r.image.name, thumbnail=r.thumbnail.name
                )
                for r in references
            )

        results = 0
        for job_index in range(JOBS):
            look = demo_looks[job_index % len(demo_looks)]
            job = Job.objects.create(
                owner=user,
                kind=JobKind.STYLIZE,
                status=JobStatus.SUCCEEDED,
                progress=100,
                look=look,
                look_version=look.current_version,
                params={"strength": 1.0},
            )
            photos = Photo.objects.bulk_create(
                Photo(
                    owner=user,
                    original=user_file_name(user.id, "photos", "jpg"),
                    thumbnail=user_file_name(user.id, "thumbs", "webp"),
                    width=1200,
                    height=900,
                    sha256=uuid.uuid4().hex * 2,
                    content_type="image/jpeg",
                    byte_size=300_000,
                )
                for _ in range(PHOTOS_PER_JOB)
            )
            job.photos.set(photos)
            Result.objects.bulk_create(
                Result(
                    owner=user,
                    job=job,
                    photo=photo,
                    look=look,
                    look_version=look.current_version,
                    strength=1.0,
                    image=user_file_name(user.id, "results", "jpg"),
                    thumbnail=user_file_name(user.id, "thumbs", "webp"),
                    width=1200,
                    height=900,
                )
                for photo in photos
            )
            results += len(photos)

    return {
        "token": token,
        "job_id": str(job.id),
        "look_slug": template.slug,
        "looks": Look.objects.filter(is_published=True).count(),
        "results": results,
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(seed()))
