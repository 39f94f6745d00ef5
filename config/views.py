"""Error pages: HTML for people, the API's JSON error shape under /api/."""

import logging

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from config.api import error_body, json_not_found

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return json_not_found(request)
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("permission_denied", "Not allowed."), status=403)
    return render(request, "errors/403.html", status=403)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", "Something went wrong on our side."), status=500
        )
    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # the page itself must not fail: the database may be what is down
        logger.exception("errors/500.html could not be rendered")
        title = escape(_("Something went wrong on our side."))
        return HttpResponseServerError(
            f"<!doctype html><title>{title}</title><h1>{title}</h1>", content_type="text/html"
        )
