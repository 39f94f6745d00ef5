import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    STYLIZE = "stylize", _("Stylize")
    TRAIN_ADAPTER = "train_adapter", _("Train my adapter")
    TRAIN_LOOK = "train_look", _("Train look")
    QUICK_TUNE = "quick_tune", _("Prepare a quick-tune question")
    EXPORT = "export", _("Export my data")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
GPU_KINDS = (JobKind.STYLIZE, JobKind.TRAIN_ADAPTER, JobKind.TRAIN_LOOK, JobKind.QUICK_TUNE)


class Job(models.Model):
    """One unit of background work. The database row is the truth; the broker only carries its id.

    Status changes only through `jobs.services`; a worker claims a job with one conditional
    UPDATE, so a redelivered message finds nothing to do. The apps' models are named by string,
    so the engine imports none of them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    look = models.ForeignKey(
        "styles.Look", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    look_version = models.ForeignKey(
        "styles.LookVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adapter = models.ForeignKey(
        "generation.PersonalAdapter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photos = models.ManyToManyField("generation.Photo", blank=True, related_name="jobs")
    output = models.FileField(blank=True, max_length=255)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    compute_seconds = models.FloatField(default=0.0)

    class Meta:
        db_table = "generation_job"  # the table from before the engine had an app of its own
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_range")
        ]
        indexes = [
            models.Index(fields=["owner", "-created"], name="generation__owner_i_de3369_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="generation__status_3f4e8b_idx"),
            models.Index(
                fields=["owner", "status", "finished_at"], name="generation__owner_i_c06f26_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} job {self.id}"

    @property
    def can_cancel(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status not in ACTIVE_STATUSES
