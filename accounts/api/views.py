from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import (
    PreferenceProfileSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from config.api import error_responses


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
        return services.profile_for(self.request.user)
