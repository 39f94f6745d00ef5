"""Errors that services raise. ServiceError and its kinds are the caller's mistakes (4xx) or a
service that is down for a while (503); `StorageUnavailable` is a transient outage that a job
retries. A `retry_after` (seconds) becomes the response's `Retry-After` header.
"""


class ServiceError(Exception):
    """A request that cannot be done as asked. `message` is shown to the user as is."""

    status = 400
    code = "invalid"

    retry_after: int | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: dict | None = None,
        retry_after: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.fields = fields or {}
        self.retry_after = retry_after if retry_after is not None else self.retry_after


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class QuotaExceeded(ServiceError):
    status = 429
    code = "quota_exceeded"
    retry_after = 60


class Unprocessable(ServiceError):
    status = 422
    code = "unprocessable"


class ServiceUnavailable(ServiceError):
    """The database, cache or broker cannot be reached: try again shortly."""

    status = 503
    code = "unavailable"
    retry_after = 30


class PayloadTooLarge(ServiceError):
    status = 413
    code = "too_large"


class StorageUnavailable(Exception):
    """Object storage could not be reached; the work is worth trying again later."""
