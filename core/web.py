"""Helpers of the web pages: service errors as messages or htmx partials, safe redirects and the
API's rate limits applied to the same work done through a page.
"""

import math
from types import SimpleNamespace

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from core.errors import QuotaExceeded, ServiceError
from core.throttling import ScopedRateThrottle


def error_response(request: HttpRequest, error: ServiceError, fallback: str) -> HttpResponse:
    """An htmx request gets the message as a partial with the error's status; others a redirect."""
    if request.htmx:
        return render(
            request, "partials/error.html", {"message": error.message}, status=error.status
        )
    messages.error(request, error.message)
    return redirect(safe_next(request, fallback))


def first_form_error(form) -> ServiceError:
    return ServiceError(next(iter(form.errors.values()))[0])


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def check_rate(request: HttpRequest, scope: str) -> None:
    """Count the request against the API's scoped rate for the same work (shared cache)."""
    throttle = ScopedRateThrottle()
    if not throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):
        seconds = math.ceil(throttle.wait() or 1)
        raise QuotaExceeded(
            ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
            code="throttled",
            retry_after=seconds,
        )
