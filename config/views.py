"""Error pages: HTML for people, the API's JSON error shape under /api/."""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.api import error_body, json_not_found

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


def bad_request(request, exception=None):
    if _is_api(request):
        message = _("The request could not be understood.")
        return JsonResponse(error_body("bad_request", message), status=400)
    return _page_or_plain(request, "errors/400.html", 400, _("Bad request."))


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", "Something went wrong on our side."), status=500
        )
    return _page_or_plain(request, "errors/500.html", 500, _("Something went wrong on our side."))


def _page_or_plain(request, template: str, status: int, title: str) -> HttpResponse:
    """The error page, or a bare one when it cannot render (the database may be what is down)."""
    try:
        return render(request, template, status=status)
    except Exception as exc:
        if not isinstance(exc, TemplateDoesNotExist):
            logger.exception("%s could not be rendered", template)
        title = escape(title)
        return HttpResponse(
            f"<!doctype html><title>{title}</title><h1>{title}</h1>",
            content_type="text/html",
            status=status,
        )
