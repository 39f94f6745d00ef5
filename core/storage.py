"""Private media on local disk: URLs are signed, expiring links served by `config.media.serve`.

This mirrors presigned S3 URLs, so templates and API serializers use `field.url` for both
backends, and a mobile client can load an image without sending its token.
"""

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

SALT = "lookbook.media"


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name: str, parameters: dict | None = None) -> str:
        """A signed link; `parameters` with a Content-Disposition asks for a download, as on S3."""
        token = signing.TimestampSigner(salt=SALT).sign_object(name, compress=True)
        url = reverse("private-media", kwargs={"token": token})
        if parameters and "ResponseContentDisposition" in parameters:
            url += "?download=1"
        return url


def name_from_token(token: str) -> str:
    """Return the storage name a signed token grants, or raise signing.BadSignature."""
    max_age = settings.MEDIA_URL_EXPIRY
    return signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
