"""API token authentication: per-device, expiring tokens (django-rest-knox), sent as
`Authorization: Token <token>`. A `Bearer` header gets a 401 that names the right scheme,
since generated clients often default to it."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        scheme = get_authorization_header(request).split(b" ", 1)[0]
        if scheme.lower() == b"bearer":
            raise exceptions.AuthenticationFailed(
                "Use the Token scheme: send `Authorization: Token <token>`, not Bearer."
            )
        return super().authenticate(request)


class TokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme so generated clients send `Token`, not their default `Bearer`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, with the token from POST /api/v1/auth/token/ or "
            "/api/v1/auth/signup/. The prefix is `Token`, not `Bearer`.",
        }
