"""API throttles, counted in the cache (Redis in production), and what happens when it is down.

Failure direction (docs/api.md): when the cache cannot be reached, the `auth` scope fails
closed (503, with Retry-After) because it is the only brake on password guessing; every other
scope fails open, because the database quotas (concurrent jobs, daily compute, exports per
day) still bound the expensive work and a phone should not lose its upload to a cache outage.
"""

import logging

from redis.exceptions import RedisError
from rest_framework import throttling

from core.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

FAIL_CLOSED_SCOPES = frozenset({"auth"})


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except RedisError as exc:
            scope = getattr(view, "throttle_scope", None)
            logger.warning("throttle cache unreachable (%s) for scope %s", exc, scope)
            if scope in FAIL_CLOSED_SCOPES:
                raise ServiceUnavailable(
                    "Signing in is briefly unavailable. Try again shortly."
                ) from exc
            return True
