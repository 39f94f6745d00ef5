from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.serializers import (
    AccountDeletionSerializer,
    AccountSerializer,
    DeviceTokenSerializer,
    ExportJobSerializer,
    IssuedTokenSerializer,
    PreferenceProfileSerializer,
    SignUpSerializer,
    TokenRequestSerializer,
)
from accounts.models import ApiToken
from core.api import error_responses
from core.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from core.throttling import LoginThrottle, ScopedRateThrottle


def issued(request, token_and_secret) -> Response:
    """201 with the new token, shown this once, and where the device is listed."""
    token, secret = token_and_secret
    token.token = secret
    body = IssuedTokenSerializer(token, context={"request": request}).data
    location = reverse("api-token-device-detail", kwargs={"id": token.token_key})
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class TokenView(APIView):
    """Sign in a device (a new token for it), or sign out this device (revoke its token)."""

    throttle_scope = "auth"
    throttle_classes = [ScopedRateThrottle, LoginThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={201: IssuedTokenSerializer, **error_responses(400, 429, 503)},
        auth=[],
        description="Each call signs in one more device with its own token, which expires "
        "after 30 days without use. Your other devices stay signed in.",
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return issued(request, services.issue_token(**data.validated_data))

    @extend_schema(responses={204: None, **error_responses(401)})
    def delete(self, request):
        """Sign out this device: its token stops working; other devices stay signed in."""
        if isinstance(request.auth, ApiToken):
            services.revoke_token(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignUpView(APIView):
    """Create an account and sign this device in."""

    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(
        request=SignUpSerializer,
        responses={201: IssuedTokenSerializer, **error_responses(400, 429, 503)},
        auth=[],
    )
    def post(self, request):
        data = SignUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return issued(request, services.sign_up(**data.validated_data))


@extend_schema_view(
    list=extend_schema(responses={200: DeviceTokenSerializer(many=True), **error_responses(401)}),
    retrieve=extend_schema(responses={200: DeviceTokenSerializer, **error_responses(401, 404)}),
)
class DeviceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your signed-in devices (API tokens). Deleting one signs that device out."""

    serializer_class = DeviceTokenSerializer
    queryset = ApiToken.objects.none()
    lookup_field = "token_key"
    lookup_url_kwarg = "id"
    pagination_class = None

    def get_queryset(self):
        return selectors.tokens_for(self.request.user)

    @extend_schema(responses={204: None, **error_responses(401, 404)})
    def destroy(self, request, *args, **kwargs):
        services.revoke_token(self.get_object())
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

    @extend_schema(responses={200: AccountSerializer, **error_responses(401)})
    def get(self, request):
        return Response(AccountSerializer(request.user).data)

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
        location = reverse("job-detail", kwargs={"pk": job.id})
        return Response(
            serializer.data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )
