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
    """One photo in a look. `edits` are the user's own edit controls (ml.edits);
    `applied_edits` are what was rendered: those edits plus the adapter's taste at
    `adapter_intensity`. An edited copy names the result it came from (`edited_from`)."""

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
    adapter_version = models.PositiveIntegerField(null=True, blank=True)
    adapter_intensity = models.FloatField(null=True, blank=True)
    strength = models.FloatField()
    edits = models.JSONField(default=dict, blank=True)
    applied_edits = models.JSONField(default=dict, blank=True)
    edited_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="edits_made"
    )
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
    """One version of a user's taste for a look: the edits they would make to it (`taste`, in
    ml.edits' space), learnt from `evidence` (counts of edits, ratings and quick-tune pairs, and
    their weight). Stylize uses the newest ready version once its evidence weight reaches
    `generation.taste.MIN_EVIDENCE_WEIGHT`, at `intensity`. `look_version` is the version that
    was current when it was trained; a taste applies to any version of the look.
    """

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
    version = models.PositiveIntegerField(default=1)
    intensity = models.FloatField(default=1.0)
    taste = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    reverted_from = models.PositiveIntegerField(null=True, blank=True)
    photos = models.ManyToManyField(Photo, blank=True, related_name="adapters")
    metrics = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["owner", "look", "-created"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "look", "version"], name="adapter_version_once_per_look"
            ),
            models.CheckConstraint(
                condition=models.Q(intensity__gte=0.0, intensity__lte=1.0),
                name="adapter_intensity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"adapter {self.id} v{self.version}"


class QuickTuneQuestion(models.Model):
    """ "Which of these two do you prefer?": two edits of a look (from ml.next_pair, filled in by
    a `quick_tune` job) and the answer (`winner` 0 for `a`, 1 for `b`). A user has at most one
    unanswered question per look."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quick_tune_questions"
    )
    look = models.ForeignKey("styles.Look", on_delete=models.CASCADE, related_name="+")
    a = models.JSONField(null=True, blank=True)
    b = models.JSONField(null=True, blank=True)
    winner = models.SmallIntegerField(null=True, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "look"],
                condition=models.Q(winner__isnull=True),
                name="one_open_question_per_look",
            ),
            models.CheckConstraint(
                condition=models.Q(winner__in=[0, 1]) | models.Q(winner__isnull=True),
                name="question_winner_0_or_1",
            ),
        ]

    def __str__(self) -> str:
        return f"quick-tune question {self.id}"

    @property
    def is_ready(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def is_stuck(self) -> bool:
        """Not ready, and its job will not make it ready (it failed, was cancelled or deleted)."""
        return not self.is_ready and (self.job is None or self.job.is_finished)
