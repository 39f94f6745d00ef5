"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from django.http import JsonResponse
from django.shortcuts import render

from config.api import error_body, json_not_found


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
    return render(request, "errors/500.html", status=500)
