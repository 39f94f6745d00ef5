"""The worker's access to `ml`: imported lazily, configured once, with an LRU of loaded files.

The web tier imports handler modules (they register at app ready) but never `ml` or torch:
every function here that touches them imports them inside. Loaded looks and adapters are kept
in a small in-process LRU keyed by `(kind, id, version)`, so a second job on the same look pays
no load cost.
"""

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core import files
from core.errors import ServiceError

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, Any, Any], Any] = OrderedDict()
_configured = False


def ml() -> ModuleType:
    """The `ml` package, with torch's threads set from `ML_THREADS` on first use."""
    global _configured
    import ml as ml_package

    if not _configured:
        import torch

        torch.set_num_threads(max(1, settings.ML_THREADS))
        _configured = True
    return ml_package


def device() -> str:
    return settings.ML_DEVICE


def look(version) -> Any:
    """The loaded `ml.Look` of a `styles.LookVersion`."""
    key = ("look", version.look_id, version.number)
    damaged = _("The file of this look is damaged; please choose another look.")
    return _cached(key, lambda: _load(version.file, ml().Look.load, damaged))


def adapter(personal_adapter) -> Any:
    """The loaded `ml.Adapter` of a ready `PersonalAdapter`."""
    key = ("adapter", personal_adapter.id, personal_adapter.look_version_id)
    damaged = _("The file of your personal adapter is damaged; delete it and train it again.")
    return _cached(key, lambda: _load(personal_adapter.file, ml().Adapter.load, damaged))


def clear() -> None:
    with _lock:
        _cache.clear()


def cached_keys() -> list[tuple[str, Any, Any]]:
    with _lock:
        return list(_cache)


def _cached(key: tuple[str, Any, Any], load: Callable[[], Any]) -> Any:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    loaded = load()
    with _lock:
        _cache[key] = loaded
        _cache.move_to_end(key)
        while len(_cache) > max(0, settings.ML_CACHE_SIZE):
            _cache.popitem(last=False)
    return loaded


def _load(field, loader: Callable[[Path], Any], damaged: str) -> Any:
    """Copy a stored file to a local temporary file (storage may be S3) and load it.

    `ml` names its temporary path in errors; the user reads `damaged` instead.
    """
    suffix = Path(field.name).suffix
    with tempfile.TemporaryDirectory(prefix="lookbook-") as folder:
        path = Path(folder) / f"file{suffix}"
        try:
            path.write_bytes(files.read(field.name))
        except FileNotFoundError:
            raise ServiceError(damaged) from None
        try:
            return loader(path)
        except ml().MLError:
            raise ServiceError(damaged) from None
