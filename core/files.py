"""Stored files: where a user's files live, writing and reading them, and deleting them.

Every file of a user lives under `users/<user_id>/`, so deleting an account removes that whole
prefix. Names are generated here (a uuid or a row's id); a user's filename never appears.
"""

import contextlib
import shutil
import uuid
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

from core.errors import StorageUnavailable


def user_folder(user_id) -> str:
    return f"users/{user_id}/"


def user_file_name(user_id, kind: str, extension: str, stem=None) -> str:
    """`users/<user_id>/<kind>/<stem>.<extension>`; a fresh uuid when no stem is given."""
    return f"{user_folder(user_id)}{kind}/{stem or uuid.uuid4().hex}.{extension}"


def store(name: str, content: bytes) -> str:
    """Save bytes under `name` (storage may pick a free variant); an outage is transient."""
    try:
        return default_storage.save(name, ContentFile(content))
    except OSError as exc:
        raise StorageUnavailable(name) from exc


def read(name: str) -> bytes:
    """The bytes of a stored file. FileNotFoundError passes; any other OSError is transient."""
    try:
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise StorageUnavailable(name) from exc


def stored_names(*fields: FieldFile) -> list[str]:
    """The storage names of the fields that hold a file."""
    return [field.name for field in fields if field]


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def delete_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        default_storage.delete(name)


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Delete the files once the surrounding transaction commits; a rollback keeps them."""
    names = list(names)
    transaction.on_commit(lambda: delete_files(names))


def delete_prefix(prefix: str) -> int:
    """Delete every file under a storage folder (S3 prefix or local directory), recursively."""
    prefix = prefix.rstrip("/")
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return 0
    deleted = 0
    for file_name in files:
        default_storage.delete(f"{prefix}/{file_name}")
        deleted += 1
    for folder in folders:
        deleted += delete_prefix(f"{prefix}/{folder}")
    _remove_local_folder(prefix)
    return deleted


def _remove_local_folder(prefix: str) -> None:
    try:
        path = default_storage.path(prefix)
    except NotImplementedError:
        return  # object storage has no folders
    shutil.rmtree(path, ignore_errors=True)


def download_url(field: FieldFile, filename: str) -> str:
    """A signed link that makes the browser save the file under `filename` instead of showing it."""
    disposition = f'attachment; filename="{filename}"'
    return field.storage.url(field.name, parameters={"ResponseContentDisposition": disposition})
