"""Errors that services raise. ServiceError and its kinds are the caller's mistakes (4xx);
`StorageUnavailable` is a transient outage that a job retries.
"""


class ServiceError(Exception):
    """A request that cannot be done as asked. `message` is shown to the user as is."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.fields = fields or {}


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class QuotaExceeded(ServiceError):
    status = 429
    code = "quota_exceeded"


class PayloadTooLarge(ServiceError):
    status = 413
    code = "too_large"


class StorageUnavailable(Exception):
    """Object storage could not be reached; the work is worth trying again later."""
