"""API v1 for photos, jobs, results and personal adapters. Views stay thin: the services decide."""

from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import NewestFirstPagination, ThrottleCreateOnly, error_responses
from core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from core.parsers import MultiPartParser
from generation import personalization, selectors, services
from generation.api.serializers import (
    AdapterSerializer,
    AdapterUpdateSerializer,
    AnswerSerializer,
    EditSerializer,
    FeedbackSerializer,
    JobCreateSerializer,
    JobSerializer,
    PhotoSerializer,
    QuestionCreateSerializer,
    QuestionFilter,
    QuestionSerializer,
    ResultFilter,
    ResultSerializer,
    RevertSerializer,
)
from generation.models import PersonalAdapter, Photo, QuickTuneQuestion, Result
from jobs import services as job_services
from jobs.models import Job, JobKind

UPLOAD_REQUEST = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "image": {
                "type": "array",
                "items": {"type": "string", "format": "binary"},
                "description": "One or more images (JPEG, PNG, WebP or HEIC); repeat the field.",
            }
        },
        "required": ["image"],
    }
}


def located(job) -> dict[str, str]:
    """The `Location` of a queued job: where to poll it."""
    return {"Location": reverse("job-detail", kwargs={"pk": job.id})}


class PhotoSchema(AutoSchema):
    """An upload answers with a plain list of photos, not a page of them."""

    def _get_paginator(self):
        return None if self.method == "POST" else super()._get_paginator()


@extend_schema(tags=["photos"])
@extend_schema_view(
    list=extend_schema(responses={200: PhotoSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: PhotoSerializer, **error_responses(401, 404)}),
)
class PhotoViewSet(
    ThrottleCreateOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your photos. Uploads are re-encoded without metadata; other users' photos are 404."""

    serializer_class = PhotoSerializer
    queryset = Photo.objects.none()
    pagination_class = NewestFirstPagination
    throttle_scope = "uploads"
    lookup_value_converter = "uuid"
    parser_classes = [MultiPartParser]
    schema = PhotoSchema()

    def get_queryset(self):
        return selectors.photos_for(self.request.user)

    @extend_schema(
        request=UPLOAD_REQUEST,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: PhotoSerializer(many=True),
            **error_responses(400, 401, 409, 413, 422, 429),
        },
        description=(
            "Upload up to 20 images in the `image` field. All files are checked before any is "
            "stored: one bad file rejects the request (400, or 413 when too large) and its "
            "message names the file's position. A file you uploaded before returns the "
            "existing photo. 429 when you upload too often."
        ),
        examples=[
            OpenApiExample(
                "Bad file in a batch",
                value={
                    "error": {
                        "code": "unsupported_type",
                        "message": "File 2: GIF is not supported. Upload a JPEG, PNG, WebP or "
                        "HEIC image.",
                        "fields": {"image": ["File 2: GIF is not supported. ..."]},
                    }
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        uploaded = services.upload_photos(request.user, request.FILES.getlist("image"))
        data = self.get_serializer([photo for photo, _created in uploaded], many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None, **error_responses(401, 404, 409)},
        description="Delete the photo, its results and their files. 409 while a job uses it.",
    )
    def destroy(self, request, *args, **kwargs):
        services.delete_photo(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["jobs"])
@extend_schema_view(
    list=extend_schema(responses={200: JobSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: JobSerializer, **error_responses(401, 404)}),
)
class JobViewSet(
    ThrottleCreateOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your background jobs: stylize photos or train your personal adapter."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    pagination_class = NewestFirstPagination
    throttle_scope = "jobs"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.jobs_for(self.request.user)

    @extend_schema(
        request=JobCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={202: JobSerializer, **error_responses(400, 401, 404, 409, 422, 429)},
        description="Queue a job. `stylize` renders `photos` in `look` at `strength` with your "
        "`edits`, plus your adapter's taste if it is active. `train_adapter` learns a new version "
        "of your adapter for `look` from your edited, rated and favourite results and quick-tune "
        "answers (400 `no_signal` when there are none). 404 for an unknown look, 400 for unknown "
        "photos or bad values (the error names the edit control), 429 for a quota: more "
        "photos than a job may take, too many jobs running, or today's compute used up (or "
        "when you create jobs too often).",
    )
    @idempotent
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
                edits=values["edits"],
                use_adapter=values["use_adapter"],
            )
        else:
            job = personalization.create_adapter_job(request.user, look_slug=values["look"])
        job = self.get_queryset().get(id=job.id)
        return Response(
            self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED, headers=located(job)
        )

    @extend_schema(request=None, responses={200: JobSerializer, **error_responses(401, 404, 409)})
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Cancel a queued or running job. 409 if it already finished."""
        job = job_services.cancel(self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(id=job.id)).data)


@extend_schema(tags=["results"])
@extend_schema_view(
    list=extend_schema(responses={200: ResultSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(responses={200: ResultSerializer, **error_responses(401, 404)}),
)
class ResultViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your stylized photos. Filter by `look` (slug), `favourite`, `job` or `rating`."""

    serializer_class = ResultSerializer
    queryset = Result.objects.none()
    pagination_class = NewestFirstPagination
    filterset_class = ResultFilter
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.results_for(self.request.user)

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

    @extend_schema(
        request=EditSerializer,
        responses={202: JobSerializer, **error_responses(400, 401, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request, *args, **kwargs):
        """Render the result's photo again from the same look version and strength with these
        `edits` (no adapter). The job's new result names this one in `edited_from`."""
        result = self.get_object()
        data = EditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = personalization.edit_result(result, data.validated_data["edits"])
        job = selectors.jobs_for(request.user).get(id=job.id)
        data = JobSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers=located(job))


@extend_schema(tags=["adapters"])
@extend_schema_view(
    list=extend_schema(responses={200: AdapterSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: AdapterSerializer, **error_responses(401, 404)}),
)
class AdapterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal adapters: versions of your taste for each look (the edits you would make
    to it). Stylize uses the newest ready version once it is `active`, at its `intensity`."""

    serializer_class = AdapterSerializer
    queryset = PersonalAdapter.objects.none()
    lookup_value_converter = "uuid"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.adapters_for(self.request.user)

    @extend_schema(
        request=AdapterUpdateSerializer,
        responses={200: AdapterSerializer, **error_responses(400, 401, 404)},
    )
    def partial_update(self, request, *args, **kwargs):
        """Set how much of the taste stylize adds: `intensity` from 0 to 1."""
        adapter = self.get_object()
        data = AdapterUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        personalization.set_intensity(adapter, data.validated_data["intensity"])
        return Response(self.get_serializer(adapter).data)

    @extend_schema(
        request=RevertSerializer,
        responses={201: AdapterSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post"])
    def revert(self, request, *args, **kwargs):
        """Restore an earlier ready `version` of this adapter: a copy of it becomes the newest
        version (a new id). 400 naming `version` when there is no such ready version."""
        adapter = self.get_object()
        data = RevertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restored = personalization.revert_adapter(adapter, data.validated_data["version"])
        restored = self.get_queryset().get(id=restored.id)
        location = {"Location": reverse("adapter-detail", kwargs={"pk": restored.id})}
        return Response(
            self.get_serializer(restored).data, status=status.HTTP_201_CREATED, headers=location
        )

    @extend_schema(responses={204: None, **error_responses(401, 404, 409)})
    def destroy(self, request, *args, **kwargs):
        """Delete an adapter version and its file. 409 while it is still training."""
        services.delete_adapter(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["adapters"])
@extend_schema_view(
    list=extend_schema(responses={200: QuestionSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: QuestionSerializer, **error_responses(401, 404)}),
)
class QuickTuneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quick tune: "which of these two do you prefer?". Each question is two edits of a look
    (`a`, `b`); render them with the look's .cube and ml.edits' arithmetic, show both, and
    answer. Answers count as evidence when you next train your adapter."""

    serializer_class = QuestionSerializer
    queryset = QuickTuneQuestion.objects.none()
    filterset_class = QuestionFilter
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.questions_for(self.request.user)

    @extend_schema(
        request=QuestionCreateSerializer,
        responses={200: QuestionSerializer, **error_responses(400, 401, 404)},
    )
    def create(self, request, *args, **kwargs):
        """Your open question for `look`, or a new one; poll it until `ready`. 404 for a look
        you cannot use."""
        data = QuestionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = personalization.open_question(request.user, data.validated_data["look"])
        return Response(self.get_serializer(question).data)

    @extend_schema(
        request=AnswerSerializer,
        responses={200: QuestionSerializer, **error_responses(400, 401, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """Answer with `winner` 0 (a) or 1 (b); returns the next question (poll it until
        `ready`). 409 if the question is answered already or not ready yet."""
        question = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        following = personalization.answer_question(question, data.validated_data["winner"])
        return Response(self.get_serializer(following).data)
