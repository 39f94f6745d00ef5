"""API throttles, counted in the cache (Redis in production): their headers, and what happens
when the cache is down.

Failure direction (docs/api.md): when the cache cannot be reached, sign-in throttles fail
closed (503, with Retry-After) because they are the only brake on password guessing; every other
scope fails open, because the database quotas (concurrent jobs, daily compute, exports per
day) still bound the expensive work and a phone should not lose its upload to a cache outage.

A request that passes records `RateLimit-Limit/Remaining/Reset` for `core.middleware`.
"""

import hashlib
import logging

from redis.exceptions import RedisError
from rest_framework import throttling

from core.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

FAIL_CLOSED_SCOPES = frozenset({"auth", "auth_user"})


class _Counted:
    def allow_request(self, request, view) -> bool:
        try:
            allowed = super().allow_request(request, view)
        except RedisError as exc:
            logger.warning("throttle cache unreachable (%s) for scope %s", exc, self.scope)
            if self.scope in FAIL_CLOSED_SCOPES:
                raise ServiceUnavailable(
                    "Signing in is briefly unavailable. Try again shortly."
                ) from exc
            return True
        if allowed and getattr(self, "key", None):
            self._record_headers(request)
        return allowed

    def _record_headers(self, request) -> None:
        """On the HttpRequest (a DRF request wraps it; web views pass it as is)."""
        target = getattr(request, "_request", request)
        remaining = max(0, self.num_requests - len(self.history))
        reset = self.duration - (self.now - self.history[-1]) if self.history else 0
        current = getattr(target, "rate_limit", None)
        if current is None or remaining < current[1]:
            target.rate_limit = (self.num_requests, remaining, max(0, int(reset)))


class ScopedRateThrottle(_Counted, throttling.ScopedRateThrottle):
    """The view's `throttle_scope`, per user (or per address when anonymous)."""


class LoginThrottle(_Counted, throttling.SimpleRateThrottle):
    """Sign-in attempts per user name, from any address: a carrier's NAT puts many phones
    behind one address, so the per-address limit alone is both too tight and too loose."""

    scope = "auth_user"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data if request.method == "POST" else None
        username = data.get("username") if isinstance(data, dict) else None
        if not isinstance(username, str) or not username:
            return None
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
