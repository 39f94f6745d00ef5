import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Photo(models.Model):
    """A user's uploaded original, re-encoded without metadata under a generated name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photos"
    )
    original = models.ImageField(blank=True, max_length=255)
    thumbnail = models.ImageField(blank=True, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=20)
    byte_size = models.PositiveIntegerField()
    original_purged_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="photo_unique_per_owner")
        ]
        indexes = [models.Index(fields=["owner", "-created"])]

    def __str__(self) -> str:
        return f"photo {self.id}"


class Rating(models.IntegerChoices):
    DISLIKE = -1, _("Dislike")
    NONE = 0, _("No rating")
    LIKE = 1, _("Like")


class Result(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="results"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="results")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="results")
    look = models.ForeignKey("styles.Look", on_delete=models.PROTECT, related_name="results")
    look_version = models.ForeignKey(
        "styles.LookVersion", on_delete=models.PROTECT, related_name="results"
    )
    adapter = models.ForeignKey(
        "PersonalAdapter", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    strength = models.FloatField()
    image = models.ImageField(max_length=255)
    thumbnail = models.ImageField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    rating = models.SmallIntegerField(choices=Rating.choices, default=Rating.NONE)
    favourite = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["job", "photo"], name="result_once_per_job_photo")
        ]
        indexes = [
            models.Index(fields=["owner", "-created"]),
            models.Index(fields=["owner", "look", "rating"]),
        ]

    def __str__(self) -> str:
        return f"result {self.id}"


class AdapterStatus(models.TextChoices):
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PersonalAdapter(models.Model):
    """A user's small fine-tune on top of one look version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adapters"
    )
    look = models.ForeignKey("styles.Look", on_delete=models.CASCADE, related_name="adapters")
    look_version = models.ForeignKey(
        "styles.LookVersion", on_delete=models.CASCADE, related_name="adapters"
    )
    status = models.CharField(
        max_length=10, choices=AdapterStatus.choices, default=AdapterStatus.TRAINING
    )
    file = models.FileField(blank=True, max_length=255)
    photos = models.ManyToManyField(Photo, blank=True, related_name="adapters")
    metrics = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "look", "-created"])]

    def __str__(self) -> str:
        return f"adapter {self.id}"
