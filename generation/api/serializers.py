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
)
from core.strength import MAX_STRENGTH
from generation.models import Photo, Rating, Result
from jobs.models import JobKind


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
    status = serializers.CharField()
    progress = serializers.IntegerField(help_text="0 to 100.")
    error = TranslatedMessage(help_text="Why the job failed, for the user; empty otherwise.")
    look = serializers.CharField(source="look.slug", allow_null=True, help_text="The look's slug.")
    look_version = serializers.IntegerField(source="look_version.number", allow_null=True)
    strength = serializers.SerializerMethodField()
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

    def get_photos(self, job) -> list[str]:
        return [str(photo.id) for photo in job.photos.all()]

    @extend_schema_field(ResultSummary)
    def get_results(self, job) -> dict:
        return {"count": job.result_count}


class JobCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[JobKind.STYLIZE, JobKind.TRAIN_ADAPTER])
    photos = serializers.ListField(
        child=serializers.CharField(max_length=64), allow_empty=True, max_length=1000
    )
    look = serializers.CharField(max_length=100, help_text="The look's slug.")
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
    adapter = serializers.UUIDField(source="adapter_id", allow_null=True)
    strength = serializers.FloatField()
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


class AdapterSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    look = serializers.CharField(source="look.slug", help_text="The look's slug.")
    look_version = serializers.IntegerField(source="look_version.number")
    status = serializers.CharField()
    job = serializers.UUIDField(source="job_id", allow_null=True)
    photo_count = serializers.IntegerField()
    metrics = serializers.DictField()
    created = serializers.DateTimeField()


class ResultFilter(filters.FilterSet):
    look = filters.CharFilter(field_name="look__slug", help_text="A look's slug.")
    favourite = filters.BooleanFilter()
    job = filters.UUIDFilter(field_name="job_id")
    rating = filters.TypedChoiceFilter(choices=Rating.choices, coerce=int)

    class Meta:
        model = Result
        fields = ["look", "favourite", "job", "rating"]
