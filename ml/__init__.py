"""Lookbook's models: zero-shot look transfer, look training (GAN) and personal adapters.

Importing ml is cheap; torch loads on first use of a function below. See docs/ml.md.
"""

import os
from typing import Any

from ml.errors import MLError

# On a shared CPU, OpenMP threads that spin while waiting make torch up to 40x slower
# (measured on the 2-core dev machine). Passive waiting costs nothing when the CPU is idle.
# Only effective if torch has not been imported yet; an explicit setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

_EXPORTS = {
    "load_base": "ml.api",
    "encode_look": "ml.api",
    "stylize": "ml.api",
    "export_cube": "ml.api",
    "set_threads": "ml.api",
    "train_look": "ml.look_training",
    "train_adapter": "ml.taste",
    "next_pair": "ml.taste",
    "Evidence": "ml.taste",
    "check_edits": "ml.edits",
    "EDIT_RANGES": "ml.edits",
    "Look": "ml.artifacts",
    "Adapter": "ml.artifacts",
    "sample_photos": "ml.imageio",
    "load_image": "ml.imageio",
    "synthetic": None,
}

__all__ = ["MLError", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ml' has no attribute {name!r}")
    import importlib

    if _EXPORTS[name] is None:
        return importlib.import_module(f"ml.{name}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
