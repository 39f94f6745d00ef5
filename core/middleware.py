"""Everything under /api/ speaks JSON, in every mode, takes its paths with or without the
trailing slash, and tells a throttled operation's limits (`RateLimit-*` headers).

Django's own pages (the DEBUG 404 and 500 pages, the 400 for too many form fields) are HTML; a
mobile client needs the API's error shape. And `POST /api/v1/jobs` would be redirected (a
client replays the redirect as GET) or, with DEBUG on, fail: the slash is added here instead,
before URL resolution, when only the slashed path exists.
"""

from django.http import JsonResponse
from django.urls import is_valid_path

from core.api import error_body

CODES = {
    400: ("bad_request", "The request could not be understood."),
    403: ("permission_denied", "Not allowed."),
    404: ("not_found", "No such endpoint."),
    405: ("method_not_allowed", "Method not allowed."),
    413: ("too_large", "The request is too large."),
    500: ("server_error", "Something went wrong on our side."),
}
KEPT_HEADERS = ("Allow", "Retry-After")


class ApiSpeaksJson:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        _append_slash(request)
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            response = _as_json(response)
        if getattr(request, "rate_limit", None):
            limit, remaining, reset = request.rate_limit
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
        return response


def _append_slash(request) -> None:
    path = request.path_info
    urlconf = getattr(request, "urlconf", None)
    if path.endswith("/") or is_valid_path(path, urlconf):
        return
    if is_valid_path(f"{path}/", urlconf):
        request.path_info = f"{path}/"
        request.path = f"{request.path}/"


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _as_json(response) -> JsonResponse:
    code, message = CODES.get(response.status_code, ("error", "The request failed."))
    answer = JsonResponse(error_body(code, message), status=response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            answer[header] = response[header]
    return answer
