"""API v1 for jobs, results and personal adapters. Views stay thin: the services decide."""

from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import ThrottleCreateOnly, error_responses
from generation import selectors, services
from generation.models import Job, JobKind, PersonalAdapter, Rating, Result
from styles.api.serializers import FileUrlField

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
    strength = serializers.FloatField(
        required=False, allow_null=True, help_text="0 to 1.5; empty uses your profile's default."
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
    rating = serializers.ChoiceField(choices=Rating.choices, required=False)
    favourite = serializers.BooleanField(required=False)


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


# --- views ---------------------------------------------------------------------------------


@extend_schema(tags=["jobs"])
class JobViewSet(
    ThrottleCreateOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your background jobs: stylize photos or train your personal adapter."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    throttle_scope = "jobs"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.jobs_for(self.request.user)

    @extend_schema(responses={200: JobSerializer(many=True), **error_responses(401)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: JobSerializer, **error_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=JobCreateSerializer,
        responses={202: JobSerializer, **error_responses(400, 401, 404, 429)},
        description="Queue a job. 404 for an unknown look, 400 for unknown photos or bad "
        "values, 429 for a quota: more photos than a job may take, too many jobs running, or "
        "today's compute used up (or when you create jobs too often).",
    )
    def create(self, request, *args, **kwargs):
        data = JobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["kind"] == JobKind.STYLIZE:
            job = services.create_stylize_job(
                request.user,
                photo_ids=values["photos"],
                look_slug=values["look"],
                strength=values.get("strength"),
                use_adapter=values["use_adapter"],
            )
        else:
            job = services.create_adapter_job(
                request.user, look_slug=values["look"], photo_ids=values["photos"]
            )
        job = self.get_queryset().get(id=job.id)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: JobSerializer, **error_responses(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Cancel a queued or running job. 409 if it already finished."""
        job = services.cancel(self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(id=job.id)).data)


@extend_schema(tags=["results"])
class ResultViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your stylized photos. Filter by `look` (slug), `favourite`, `job` or `rating`."""

    serializer_class = ResultSerializer
    queryset = Result.objects.none()
    filterset_class = ResultFilter
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.results_for(self.request.user)

    @extend_schema(responses={200: ResultSerializer(many=True), **error_responses(400, 401)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ResultSerializer, **error_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={204: None, **error_responses(401, 404)})
    def destroy(self, request, *args, **kwargs):
        services.delete_result(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=FeedbackSerializer,
        responses={200: ResultSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, *args, **kwargs):
        """Rate (-1, 0, 1) and/or favourite a result; either field may be left out."""
        result = self.get_object()
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_feedback(result, **data.validated_data)
        return Response(self.get_serializer(result).data)


@extend_schema(tags=["adapters"])
class AdapterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal adapters, one per training run. Stylize jobs use the newest ready one."""

    serializer_class = AdapterSerializer
    queryset = PersonalAdapter.objects.none()
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.adapters_for(self.request.user)

    @extend_schema(responses={200: AdapterSerializer(many=True), **error_responses(401)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: AdapterSerializer, **error_responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={204: None, **error_responses(401, 404, 409)})
    def destroy(self, request, *args, **kwargs):
        """Delete an adapter and its file. 409 while it is still training."""
        services.delete_adapter(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
