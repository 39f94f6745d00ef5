"""API representations of photos, jobs, results and personal adapters. Files are signed,
expiring links (`core.api.FileUrlField`).
"""

from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from core.api import (
    FileUrlField,
    LinksExpireAtField,
    StrictFloatField,
    StrictIntegerChoiceField,
    StrictIntegerField,
)
from core.strength import MAX_STRENGTH
from generation import selectors, taste
from generation.models import (
    AdapterStatus,
    PersonalAdapter,
    Photo,
    QuickTuneQuestion,
    Rating,
    Result,
)
from jobs.models import JobKind, JobStatus
from ml.edits import EDIT_RANGES

EDITS_SCHEMA = {
    "type": "object",
    "description": "Edit controls on top of the look; missing keys mean 0. Exposure is in stops.",
    "properties": {
        name: {"type": "number", "minimum": low, "maximum": high}
        for name, (low, high) in EDIT_RANGES.items()
    },
    "additionalProperties": False,
}


@extend_schema_field(EDITS_SCHEMA)
class EditsField(serializers.JSONField):
    """Edit controls as a JSON object; the services validate the values and name the control."""


class PhotoSerializer(serializers.ModelSerializer):
    url = FileUrlField(source="original", help_text="Short-lived link to the original.")
    thumbnail_url = FileUrlField(source="thumbnail", help_text="Short-lived link (WebP).")
    expires_at = LinksExpireAtField()
    original_available = serializers.SerializerMethodField(
        help_text="False once the original was deleted after your retention period."
    )

    class Meta:
        model = Photo
        fields = [
            *["id", "width", "height", "url", "thumbnail_url", "expires_at"],
            *["created", "original_available"],
        ]
        read_only_fields = fields

    def get_original_available(self, photo: Photo) -> bool:
        return bool(photo.original)


ResultSummary = inline_serializer(
    name="JobResultSummary", fields={"count": serializers.IntegerField()}
)


class TranslatedMessage(serializers.CharField):
    """Workers store messages in English; a reader gets them in their language where translated."""

    def to_representation(self, value) -> str:
        return gettext(value) if value else ""


class JobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=JobKind.choices)
    status = serializers.ChoiceField(choices=JobStatus.choices)
    progress = serializers.IntegerField(help_text="0 to 100.")
    error = TranslatedMessage(help_text="Why the job failed, for the user; empty otherwise.")
    look = serializers.CharField(source="look.slug", allow_null=True, help_text="The look's slug.")
    look_version = serializers.IntegerField(source="look_version.number", allow_null=True)
    strength = serializers.SerializerMethodField()
    edits = serializers.SerializerMethodField()
    adapter = serializers.UUIDField(source="adapter_id", allow_null=True)
    photos = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    output_url = FileUrlField(
        source="output", help_text="Short-lived link to an export job's archive once it is built."
    )
    attempts = serializers.IntegerField()
    compute_seconds = serializers.FloatField()
    created = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = LinksExpireAtField()

    def get_strength(self, job) -> float | None:
        return job.params.get("strength")

    @extend_schema_field({**EDITS_SCHEMA, "nullable": True})
    def get_edits(self, job) -> dict | None:
        return job.params.get("edits")

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_photos(self, job) -> list[str]:
        return [str(photo.id) for photo in job.photos.all()]

    @extend_schema_field(ResultSummary)
    def get_results(self, job) -> dict:
        return {"count": job.result_count}


class JobCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[JobKind.STYLIZE, JobKind.TRAIN_ADAPTER])
    photos = serializers.ListField(
        child=serializers.CharField(max_length=64),
        allow_empty=True,
        max_length=1000,
        required=False,
        default=list,
        help_text="The photos to stylize (stylize only; train_adapter learns from everything "
        "you did with the look).",
    )
    look = serializers.CharField(max_length=100, help_text="The look's slug.")
    edits = EditsField(required=False, default=dict, help_text="Stylize only.")
    strength = StrictFloatField(
        required=False,
        allow_null=True,
        help_text=f"0 to {MAX_STRENGTH}; empty uses your profile's default.",
    )
    use_adapter = serializers.BooleanField(
        default=True, help_text="Use your personal adapter for this look if you have one."
    )


class ResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    job = serializers.UUIDField(source="job_id")
    photo = serializers.UUIDField(source="photo_id")
    look = serializers.CharField(source="look.slug", help_text="The look's slug.")
    look_version = serializers.IntegerField(source="look_version.number")
    adapter = serializers.UUIDField(
        source="adapter_id", allow_null=True, help_text="The adapter used, if any."
    )
    adapter_version = serializers.IntegerField(allow_null=True)
    adapter_intensity = serializers.FloatField(
        allow_null=True, help_text="How much of the adapter's taste was added (0 to 1)."
    )
    strength = serializers.FloatField(help_text="The look's strength applied.")
    edits = EditsField(help_text="Your edits of this result.")
    applied_edits = EditsField(
        help_text="What was rendered: your edits plus the adapter's taste at its intensity."
    )
    edited_from = serializers.UUIDField(
        source="edited_from_id", allow_null=True, help_text="The result this is an edit of."
    )
    expires_at = LinksExpireAtField()
    image_url = FileUrlField(source="image", allow_null=False, help_text="Short-lived link.")
    thumbnail_url = FileUrlField(
        source="thumbnail", allow_null=False, help_text="Short-lived link."
    )
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    favourite = serializers.BooleanField()
    created = serializers.DateTimeField()


class FeedbackSerializer(serializers.Serializer):
    rating = StrictIntegerChoiceField(choices=Rating.choices, required=False)
    favourite = serializers.BooleanField(required=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError(gettext("Give a rating, a favourite or both."))
        return attrs


class EditSerializer(serializers.Serializer):
    edits = EditsField()


EvidenceCounts = inline_serializer(
    name="AdapterEvidence",
    fields={
        "edits": serializers.IntegerField(help_text="Edited results learnt from."),
        "ratings": serializers.IntegerField(help_text="Likes, dislikes and favourites."),
        "pairs": serializers.IntegerField(help_text="Quick-tune answers."),
        "weight": serializers.FloatField(help_text="An edit weighs 3, the others 1."),
    },
)


class AdapterSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    look = serializers.CharField(source="look.slug", help_text="The look's slug.")
    version = serializers.IntegerField(help_text="1, 2, ... per look; the newest ready is used.")
    look_version = serializers.IntegerField(
        source="look_version.number", help_text="The look's version when it was trained."
    )
    status = serializers.ChoiceField(choices=AdapterStatus.choices)
    active = serializers.SerializerMethodField(
        help_text=f"Enough evidence to be used (weight ≥ {taste.MIN_EVIDENCE_WEIGHT:g})."
    )
    intensity = serializers.FloatField(help_text="0 to 1: how much of the taste stylize adds.")
    taste = EditsField(help_text="The edits learnt: what you would change in the look.")
    summary = serializers.SerializerMethodField(help_text="What it learnt, in one line.")
    evidence = serializers.SerializerMethodField()
    reverted_from = serializers.IntegerField(
        allow_null=True, help_text="The version this one restores, if it is a revert."
    )
    job = serializers.UUIDField(source="job_id", allow_null=True)
    created = serializers.DateTimeField()

    def get_active(self, adapter: PersonalAdapter) -> bool:
        return selectors.is_offered(adapter)

    def get_summary(self, adapter: PersonalAdapter) -> str:
        return taste.summary(adapter.taste) if adapter.taste else ""

    @extend_schema_field(EvidenceCounts)
    def get_evidence(self, adapter: PersonalAdapter) -> dict:
        counts = {"edits": 0, "ratings": 0, "pairs": 0, "weight": 0.0}
        return {**counts, **adapter.evidence}


class AdapterUpdateSerializer(serializers.Serializer):
    intensity = StrictFloatField(min_value=0.0, max_value=1.0)


class RevertSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, help_text="The version to restore.")


class QuestionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    look = serializers.CharField(source="look.slug", help_text="The look's slug.")
    ready = serializers.BooleanField(
        source="is_ready", help_text="False while a worker prepares the pair: poll again."
    )
    a = EditsField(allow_null=True, help_text="Edits of the first rendering of the look.")
    b = EditsField(allow_null=True, help_text="Edits of the second rendering.")
    winner = serializers.IntegerField(allow_null=True, help_text="0 (a), 1 (b) or null.")
    created = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class QuestionCreateSerializer(serializers.Serializer):
    look = serializers.CharField(max_length=100, help_text="The look's slug.")


class AnswerSerializer(serializers.Serializer):
    winner = StrictIntegerField(min_value=0, max_value=1, help_text="0 if you prefer a, 1 if b.")


class QuestionFilter(filters.FilterSet):
    look = filters.CharFilter(field_name="look__slug", help_text="A look's slug.")

    class Meta:
        model = QuickTuneQuestion
        fields = ["look"]


class ResultFilter(filters.FilterSet):
    look = filters.CharFilter(field_name="look__slug", help_text="A look's slug.")
    favourite = filters.BooleanFilter()
    job = filters.UUIDFilter(field_name="job_id")
    rating = filters.TypedChoiceFilter(choices=Rating.choices, coerce=int)

    class Meta:
        model = Result
        fields = ["look", "favourite", "job", "rating"]
