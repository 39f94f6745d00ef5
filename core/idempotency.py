"""`Idempotency-Key` for creating writes (jobs, uploads, exports): a retried request gets the
first answer instead of making a second job.

The same key with the same request within `IDEMPOTENCY_TTL` replays the first 2xx answer (with
`Idempotent-Replayed: true`); the same key with another request is a 422; a key whose first
request is still running is a 409. Error answers are not kept, so a client can fix its request
and retry with the same key.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from core.errors import Conflict, ServiceError, Unprocessable
from core.models import IdempotentRequest

IDEMPOTENCY_TTL = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)  # a first request that died without an answer
HEADER = "Idempotency-Key"


def idempotent(view_method):
    """Wrap a viewset's or APIView's creating method (`create`, `post`)."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        if not 1 <= len(key) <= 255:
            raise ServiceError(
                f"{HEADER} must be 1 to 255 characters.", code="invalid_idempotency_key"
            )
        record, replay = _claim(request.user, key, fingerprint(request))
        if replay:
            headers = {"Idempotent-Replayed": "true"}
            if record.location:
                headers["Location"] = record.location
            return Response(record.body, status=record.status_code, headers=headers)
        try:
            response = view_method(view, request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if 200 <= response.status_code < 300:
            record.status_code = response.status_code
            record.body = response.data
            record.location = response.get("Location", "")
            record.save(update_fields=["status_code", "body", "location"])
        else:
            record.delete()
        return response

    return wrapper


def fingerprint(request) -> str:
    """A hash of the method, path and parsed body (uploaded files by their content)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):
        for name, values in sorted(data.lists(), key=lambda item: item[0]):
            digest.update(name.encode() + b"\0")
            for value in values:
                digest.update(_file_digest(value) if isinstance(value, UploadedFile) else b"")
                digest.update(str(value).encode() + b"\0")
    else:
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _file_digest(uploaded: UploadedFile) -> bytes:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.digest()


def _claim(owner, key: str, fingerprint: str) -> tuple[IdempotentRequest, bool]:
    """Record a new key (False), or return the finished record to replay (True)."""
    now = timezone.now()
    IdempotentRequest.objects.filter(
        owner=owner, key=key, created__lt=now - IDEMPOTENCY_TTL
    ).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                owner=owner, key=key, fingerprint=fingerprint
            ), False
    except IntegrityError:
        record = IdempotentRequest.objects.get(owner=owner, key=key)
    if record.fingerprint != fingerprint:
        raise Unprocessable(
            f"This {HEADER} was used with a different request.", code="idempotency_key_reused"
        )
    if record.status_code is None:
        if record.created < now - ABANDONED_AFTER:
            IdempotentRequest.objects.filter(pk=record.pk).update(created=now)
            return record, False
        raise Conflict(
            f"A request with this {HEADER} is still in progress.",
            code="idempotency_in_progress",
            retry_after=1,
        )
    return record, True


def purge_expired() -> int:
    """Delete records older than `IDEMPOTENCY_TTL`; returns how many went."""
    cutoff = timezone.now() - IDEMPOTENCY_TTL
    return IdempotentRequest.objects.filter(created__lt=cutoff).delete()[0]


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID): a retry with the same key and request within 24 h "
    "returns the first answer and creates nothing new; another request with it is a 422.",
)
