"""The web tier starts, resolves every URL and serves pages without torch.

Only workers install the `ml` extra, so nothing that config.wsgi or config.urls imports may
import torch, nor any part of `ml` but the torch-free edit controls (`ml.edits`, `ml.errors`),
which the web tier uses to validate edits with the ranges the worker applies.
"""

import json

BLOCK_TORCH = """
import importlib.abc
import sys


WEB_ML = {"ml", "ml.edits", "ml.errors"}


class NoTorch(importlib.abc.MetaPathFinder):
    # Behaves as if the ml extra were not installed.
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in {"torch", "torchvision"} or (top == "ml" and name not in WEB_ML):
            raise ImportError(f"{name} is not installed in the web image")
        return None


sys.meta_path.insert(0, NoTorch())
"""

WALK_THE_WEB_TIER = """
import json
import sys

import config.wsgi
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver


def views(resolver):
    for pattern in resolver.url_patterns:  # importing each included urlconf on the way
        if isinstance(pattern, URLResolver):
            yield from views(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


callbacks = list(views(get_resolver()))
for callback in callbacks:
    __import__(callback.__module__)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        __import__(view_class.__module__)

call_command("migrate", verbosity=0)
client = Client(raise_request_exception=False)
statuses = {
    url: client.get(url).status_code
    for url in ["/healthz", "/api/schema/", "/accounts/login/", "/api/v1/me/profile/", "/nope/"]
}
loaded = sorted(
    name
    for name in sys.modules
    if name.split(".")[0] in {"torch", "torchvision", "ml"}
    and name not in {"ml", "ml.edits", "ml.errors"}
)
print(json.dumps({"views": len(callbacks), "statuses": statuses, "loaded": loaded}))
"""

IN_MEMORY_DATABASE = {"DATABASE_URL": "sqlite://:memory:"}


def _walk(run_django, prelude: str = "") -> dict:
    completed = run_django(code=prelude + WALK_THE_WEB_TIER, env=IN_MEMORY_DATABASE, setup=False)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_importing_every_view_loads_neither_torch_nor_ml_beyond_its_edit_controls(run_django):
    report = _walk(run_django)

    assert report["views"] > 10
    assert report["loaded"] == []


def test_the_web_tier_serves_requests_with_torch_not_installed(run_django):
    report = _walk(run_django, prelude=BLOCK_TORCH)

    assert report["loaded"] == []
    assert report["statuses"] == {
        "/healthz": 200,
        "/api/schema/": 200,
        "/accounts/login/": 200,
        "/api/v1/me/profile/": 401,
        "/nope/": 404,
    }


def test_the_blocker_really_blocks(run_django):
    """Without this, a broken blocker would let the test above pass with torch imported."""
    completed = run_django(code=BLOCK_TORCH + "import torch\n", setup=False)

    assert completed.returncode != 0
    assert "torch is not installed in the web image" in completed.stderr
