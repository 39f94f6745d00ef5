"""Private media links: opaque, signed within a time window, the same link while it is valid.

Local storage serves files through `config.media.serve` with a token; S3 serves presigned URLs.
Both sign per window of `MEDIA_URL_EXPIRY` seconds: every link made in one window expires at the
same moment, the end of the next window, so a link lives between one and two windows and a
client's image cache sees the same URL for a whole window (`link_expiry()`, the `expires_at` of
API responses).

The local token is the storage name and its expiry encrypted with AES-SIV: deterministic (the
same input gives the same token, so links repeat) and authenticated (a changed token does not
open), and it shows nothing of the name, such as the owner's id.
"""

import base64
import binascii
import contextlib
import math
import time
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError
from storages.backends.s3 import S3Storage

SALT = "lookbook.media"


class LinkInvalid(Exception):
    """The link expired or was changed: the client should fetch a fresh one."""


def current_time() -> float:
    """The clock links are signed and checked by (a seam for tests)."""
    return time.time()


def link_expiry(now: float | None = None) -> int:
    """The Unix time at which links made now stop working: the end of the next window."""
    window = settings.MEDIA_URL_EXPIRY
    now = current_time() if now is None else now
    return (math.floor(now / window) + 2) * window


def link_expires_at() -> datetime:
    return datetime.fromtimestamp(link_expiry(), tz=UTC)


def _cipher() -> AESSIV:
    return AESSIV(salted_hmac(SALT, "media-link-key", algorithm="sha512").digest())


def token_for(name: str, expires: int) -> str:
    sealed = _cipher().encrypt(f"{expires}:{name}".encode(), None)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def open_token(token: str, now: float | None = None) -> tuple[str, int]:
    """The storage name a token grants and when it expires; LinkInvalid when it expired or
    was changed."""
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        expires, name = _cipher().decrypt(sealed, None).decode().split(":", 1)
        expires = int(expires)
    except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
        raise LinkInvalid from None
    if (current_time() if now is None else now) >= expires:
        raise LinkInvalid
    return name, expires


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name: str, parameters: dict | None = None) -> str:
        """A signed link; `parameters` with a Content-Disposition asks for a download, as on S3."""
        url = reverse("private-media", kwargs={"token": token_for(name, link_expiry())})
        if parameters and "ResponseContentDisposition" in parameters:
            url += "?download=1"
        return url


class PrivateS3Storage(S3Storage):
    """Presigned URLs that repeat within a window: each is made once per window and kept in the
    cache until the window ends (made afresh when the cache is down)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        now = current_time()
        expires = link_expiry(now)
        key = f"media-url:{expires}:{name}:{sorted((parameters or {}).items())}"
        try:
            url = cache.get(key)
        except RedisError:
            url = None
        if url is None:
            lifetime = math.floor(expires - now)
            url = super().url(name, parameters, expire=lifetime, http_method=http_method)
            with contextlib.suppress(RedisError):
                cache.set(key, url, timeout=max(1, expires - settings.MEDIA_URL_EXPIRY - now))
        return url
