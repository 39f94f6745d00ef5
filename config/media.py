"""The signed-link view of private local media (`core.storage`). Its answers are JSON errors a
client can act on: 403 "expired" (fetch a fresh link from the API) and 404 (the file is gone)."""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, JsonResponse
from django.utils.cache import patch_cache_control

from core.api import error_body
from core.storage import LinkInvalid, current_time, open_token


def serve(request, token: str):
    """Serve a local media file whose unexpired token this server issued."""
    try:
        name, expires = open_token(token)
    except LinkInvalid:
        message = "This link has expired or is invalid. Fetch a fresh one from the API."
        return JsonResponse(error_body("expired", message), status=403)
    if not default_storage.exists(name):
        return JsonResponse(error_body("not_found", "This file no longer exists."), status=404)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # The link repeats while it is valid, so the client may keep the file until it expires.
    patch_cache_control(response, private=True, max_age=max(0, int(expires - current_time())))
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    return response
