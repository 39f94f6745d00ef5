"""Shared API plumbing: pagination, create-only throttling, file links and the one error shape.

Every error body is `{"error": {"code": str, "message": str, "fields": {field: [messages]}}}`.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, models
from django.http import Http404, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ServiceError, ServiceUnavailable
from core.storage import link_expires_at

logger = logging.getLogger(__name__)

# A dependency that is down: the request may succeed in a moment, so 503, never a 500.
OUTAGES = (OperationalError, InterfaceError, RedisError, BrokerError)


class Pagination(PageNumberPagination):
    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstPagination(CursorPagination):
    """Lists that grow at the top (photos, jobs, results): a cursor, so a new item never pushes
    one onto the next page where the client would see it twice. Follow `next`."""

    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created", "-id")


class ThrottleCreateOnly:
    """Count only `create` against the view's `throttle_scope`; reading, polling and deleting
    are free."""

    def get_throttles(self):
        return super().get_throttles() if self.action == "create" else []


class _JsonNumber:
    """A number must be a JSON number: `true`, `"1"` and `"0.5"` are invalid, not 1 or 0.5."""

    error_key = "invalid"

    def to_internal_value(self, data):
        if isinstance(data, bool | str):
            self.fail(self.error_key, input=data)
        return super().to_internal_value(data)


class StrictFloatField(_JsonNumber, serializers.FloatField):
    pass


class StrictIntegerField(_JsonNumber, serializers.IntegerField):
    pass


class StrictIntegerChoiceField(_JsonNumber, serializers.ChoiceField):
    """A choice among integers (a rating), given as a JSON number."""

    error_key = "invalid_choice"


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose number fields take JSON numbers only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: StrictFloatField,
        models.IntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
    }


@extend_schema_field(OpenApiTypes.URI)
class FileUrlField(serializers.Field):
    """A file field's signed, expiring link (absolute when there is a request), or null.

    Used for every stored file in the API: catalog images, photos, results and exports.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(value.url) if request else value.url


@extend_schema_field(OpenApiTypes.DATETIME)
class LinksExpireAtField(serializers.Field):
    """When the object's file links stop working; until then the same links are returned."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text", "When the links in this object expire; until then they stay the same."
        )
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return serializers.DateTimeField().to_representation(link_expires_at())


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    return str(detail)


def _messages(detail) -> list[str]:
    """A field's errors as a flat list; nested ones (list items, sub-objects) keep their key."""
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    if isinstance(detail, dict):
        return [
            f"{key}: {message}" for key, value in detail.items() for message in _messages(value)
        ]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, OUTAGES):
        logger.warning("answering 503: %s: %s", type(exc).__name__, exc)
        exc = ServiceUnavailable("The service is briefly unavailable. Try again shortly.")
    if isinstance(exc, ServiceError):
        response = Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
        if exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        fields = {
            key: _messages(value) for key, value in detail.items() if key != "non_field_errors"
        }
        message = _flatten(detail.get("non_field_errors", [])) or "Some fields are invalid."
        response.data = error_body("invalid", message, fields)
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(detail, dict) and "detail" in detail:
            code = getattr(detail["detail"], "code", code)
        message = _flatten(detail.get("detail", detail) if isinstance(detail, dict) else detail)
        response.data = error_body(code, message)
    return response


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField())
                ),
            },
        )
    },
)


def error_responses(*statuses: int) -> dict:
    """Document the error shape for the given status codes in the OpenAPI schema."""
    return {status: OpenApiResponse(ErrorSerializer) for status in statuses}


def json_not_found(request, exception=None):
    """404 for unknown /api/ urls, in the API's error shape."""
    return JsonResponse(error_body("not_found", "No such endpoint."), status=404)


PAGING = {"page", "page_size", "cursor"}


def _require_every_response_field(components: dict) -> None:
    """An answer always carries every field of its serializer (null where empty), so response
    components list them all as required; request components keep their optional fields."""
    for name, component in components.items():
        if name.endswith("Request") or component.get("type") != "object":
            continue
        properties = component.get("properties", {})
        writable = [key for key, field in properties.items() if not field.get("writeOnly")]
        if writable:
            component["required"] = writable


def document_common_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: document the errors any operation of its kind can answer.

    A request body or a filter can fail validation (400) or come as another media type (415), a
    private operation needs credentials (401) and a paginated list answers 404 for a page that
    does not exist; all in the one error shape. Response components require every field.
    """
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result

    def error(description: str) -> dict:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    _require_every_response_field(result["components"]["schemas"])
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation["responses"]
            if "requestBody" in operation:
                responses.setdefault("400", error("Invalid input."))
                responses.setdefault("415", error("The body is not of the documented type."))
            security = operation.get("security", [])
            if security and {} not in security:
                responses.setdefault("401", error("Missing or invalid credentials."))
            parameters = operation.get("parameters", [])
            if any(p.get("in") == "query" and p["name"] not in PAGING for p in parameters):
                responses.setdefault("400", error("Invalid filter value."))
            if any(
                p.get("in") == "query" and p.get("name") in {"page", "cursor"} for p in parameters
            ):
                responses.setdefault("404", error("No such page."))
    return result
