import mimetypes

from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control

from core.storage import name_from_token


@cache_control(private=True, max_age=300)
def serve(request, token: str):
    """Serve a local media file whose signed, unexpired token this server issued to its owner."""
    try:
        name = name_from_token(token)
    except signing.BadSignature:
        raise Http404("This link is invalid or has expired.") from None
    if not default_storage.exists(name):
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    return response
