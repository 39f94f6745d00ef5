from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import (
    AccountDeletionSerializer,
    ExportJobSerializer,
    PreferenceProfileSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from core.api import error_responses
from core.idempotency import IDEMPOTENCY_PARAMETER, idempotent


class TokenView(APIView):
    """Exchange a username and password for an API token, or revoke the current one."""

    throttle_scope = "auth"

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = services.issue_token(**data.validated_data)
        return Response(TokenSerializer(token).data)

    @extend_schema(responses={204: None, **error_responses(401)})
    def delete(self, request):
        services.revoke_token(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileView(generics.RetrieveUpdateAPIView):
    serializer_class = PreferenceProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user.preference_profile()


class DeleteWithBodySchema(AutoSchema):
    """drf-spectacular documents no body for DELETE; account deletion takes a password in one."""

    def _get_request_body(self, direction="request"):
        method = self.method
        if method == "DELETE":
            self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = method


class MeView(APIView):
    """Your account. DELETE removes it with all your photos, results, adapters and exports."""

    schema = DeleteWithBodySchema()

    @extend_schema(
        request=AccountDeletionSerializer,
        responses={204: None, **error_responses(400, 401)},
        description="Permanently delete your account and every file of yours. Confirm with "
        "your current password; a wrong or missing password is a 400 and changes nothing. "
        "Your queued and running jobs are cancelled.",
    )
    def delete(self, request):
        data = AccountDeletionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.confirm_password(request.user, data.validated_data["password"])
        services.delete_account(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportView(APIView):
    """Request a zip of all your data: originals, results and a data.json."""

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={202: ExportJobSerializer, **error_responses(400, 401, 409, 422, 429)},
        description="Queues an export job (or returns the one already in progress). Follow it "
        "at GET /api/v1/jobs/{id}/; `output_url` links to the zip once it succeeded.",
    )
    @idempotent
    def post(self, request):
        job = services.request_export(request.user)
        serializer = ExportJobSerializer(job, context={"request": request})
        return Response(serializer.data, status=status.HTTP_202_ACCEPTED)
