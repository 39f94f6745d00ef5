"""Stored files of rows: their names, and deleting them (at once, or once a deletion commits)."""

from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile


def stored_names(*fields: FieldFile) -> list[str]:
    """The storage names of the fields that hold a file."""
    return [field.name for field in fields if field]


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Delete the files once the surrounding transaction commits; a rollback keeps them."""
    names = list(names)
    transaction.on_commit(lambda: delete_files(names))
