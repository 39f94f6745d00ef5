"""`python -m bench personalization`: simulated users teach their adapter through API v1.

Each user has a hidden taste (ml.bench_taste.hidden_taste: a consistent tweak of exposure,
temperature, contrast and saturation on top of a look) and acts only through the product's API:
upload photos, stylize, save edits on results, answer quick-tune questions (judging the two
renderings as the browser preview draws them), rate, train the adapter. Held-out photos are
then stylized with and without the adapter, and each result image (as the API stores it, JPEG)
is scored by mean ΔE2000 against the result the user wants (the look with their taste).

One process: a temporary SQLite database and media folder, the demo catalog (`seed_demo`), an
in-process API client, and each queued job run by the worker's own code (`jobs.runner.run`)
right after the request that queued it, instead of through a broker. Writes
var/bench/personalization.json and prints a Markdown table.
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "var" / "bench" / "personalization.json"
SCENARIOS = ("5 edits", "10 quick-tune answers", "no taste, 10 answers", "1 contradictory rating")
PHOTO_SIDE = 192


def configure(folder: Path) -> None:
    (folder / "static").mkdir()  # collected static files are not needed here
    os.environ.update(
        DJANGO_ENV="test",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        LOOKBOOK_VAR_DIR=str(folder),
        THROTTLE_JOBS="100000/hour",
        THROTTLE_UPLOADS="100000/hour",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print("Seeding the demo catalog (encodes its looks)...", flush=True)
    call_command("seed_demo", verbosity=0)


class Client:
    """A user of API v1; every job the API queues runs before the call returns."""

    def __init__(self, username: str):
        from rest_framework.test import APIClient

        from accounts.models import User
        from config.celery import app

        self.user = User.objects.create_user(username, password="not-used-here")
        self.user.quota_daily_compute_seconds = 10**6
        self.user.save()
        self.api = APIClient()
        self.api.force_authenticate(self.user)
        self.queued: list[str] = []
        app.send_task = lambda name, args=(), **options: self.queued.append(args[0])

    def call(self, method: str, path: str, body=None, **options):
        from jobs import runner

        response = getattr(self.api, method)(f"/api/v1{path}", body, **options)
        if response.status_code >= 400:
            raise SystemExit(f"{method.upper()} {path}: {response.status_code} {response.content}")
        while self.queued:
            runner.run(self.queued.pop(0))
        return response.json() if response.content else None

    def upload(self, photo) -> str:
        data = io.BytesIO()
        photo.save(data, "PNG")
        data.name = "photo.png"
        data.seek(0)
        return self.call("post", "/photos/", {"image": data}, format="multipart")[0]["id"]

    def stylize(self, photo_id: str, look: str, **fields) -> dict:
        body = {"kind": "stylize", "photos": [photo_id], "look": look, "strength": 1.0, **fields}
        job = self.call("post", "/jobs/", body, format="json")
        return self.call("get", "/results/", {"job": job["id"]})["results"][0]


def stored_input(photo_id: str):
    """The photo as the worker reads it for a stylize job."""
    from generation.models import Photo
    from generation.stylize import open_original

    photo = Photo.objects.get(id=photo_id)
    return open_original(photo, photo.owner.preference_profile().result_long_side)


def result_image(result: dict):
    from PIL import Image

    from generation.models import Result

    with Result.objects.get(id=result["id"]).image.open("rb") as handle:
        return Image.open(handle).convert("RGB")


def simulate(client: Client, look, taste: dict, scenario: str, photos: dict, seed: int) -> dict:
    import numpy as np

    import ml
    from ml.bench import delta_e
    from ml.bench_taste import HAND_NOISE, TASTE_SPREAD
    from ml.taste import clamp_edits

    rng = np.random.default_rng(seed)
    train = [client.upload(photo) for photo in photos["train"]]
    held = [client.upload(photo) for photo in photos["held"]]
    base = ml.load_base()
    loaded = _look_file(look)

    def wanted(photo_id):
        return ml.stylize(stored_input(photo_id), loaded, edits=taste, base=base)

    if scenario == "5 edits":
        for photo_id in train[:5]:
            result = client.stylize(photo_id, look.slug)
            noisy = {k: v + rng.normal(0, HAND_NOISE * TASTE_SPREAD[k]) for k, v in taste.items()}
            client.call("post", f"/results/{result['id']}/edit/", {"edits": clamp_edits(noisy)},
                        format="json")  # fmt: skip
    elif "answers" in scenario:
        for index in range(10):
            question = client.call("post", "/quick-tune/", {"look": look.slug}, format="json")
            question = client.call("get", f"/quick-tune/{question['id']}/")
            photo_id = train[index % len(train)]
            source, want = stored_input(photo_id), wanted(photo_id)
            scores = [delta_e(ml.stylize(source, loaded, edits=question[side], base=base), want)
                      for side in ("a", "b")]  # fmt: skip
            client.call("post", f"/quick-tune/{question['id']}/answer/",
                        {"winner": int(scores[1] < scores[0])}, format="json")  # fmt: skip
    elif scenario == "1 contradictory rating":
        result = client.stylize(train[0], look.slug)
        client.call("post", f"/results/{result['id']}/feedback/", {"rating": -1}, format="json")
    started = time.perf_counter()
    client.call("post", "/jobs/", {"kind": "train_adapter", "look": look.slug}, format="json")
    training_seconds = time.perf_counter() - started
    without, with_adapter, floor = [], [], []
    for photo_id in held:
        want = wanted(photo_id)
        plain = client.stylize(photo_id, look.slug, use_adapter=False)
        personal = client.stylize(photo_id, look.slug, use_adapter=True)
        without.append(delta_e(result_image(plain), want))
        with_adapter.append(delta_e(result_image(personal), want))
        floor.append(delta_e(_jpeg_round_trip(want), want))
    [adapter] = client.call("get", "/adapters/")["results"]
    return {
        "without": float(np.mean(without)),
        "with": float(np.mean(with_adapter)),
        "jpeg_floor": float(np.mean(floor)),
        "adapter_active": adapter["active"],
        "training_seconds": training_seconds,
        "summary": adapter["summary"],
    }


def _look_file(look):
    from jobs import ml_loader

    return ml_loader.look(look.current_version)


def _jpeg_round_trip(image):
    from PIL import Image

    from core import images

    return Image.open(io.BytesIO(images.encode(image).content)).convert("RGB")


def bench_photos() -> dict:
    from ml.imageio import HELDOUT_PHOTOS, TRAIN_PHOTOS, sample_photos

    def small(photos):
        out = []
        for photo in photos:
            photo = photo.convert("RGB")
            photo.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            out.append(photo)
        return out

    return {"train": small(sample_photos(TRAIN_PHOTOS))[:5],
            "held": small(sample_photos(HELDOUT_PHOTOS))[:4]}  # fmt: skip


def run(users: int) -> dict:
    import numpy as np

    from ml.bench_taste import hidden_taste
    from styles.selectors import catalog_looks

    looks = list(catalog_looks().order_by("slug"))
    photos = bench_photos()
    rows: dict[str, list[dict]] = {scenario: [] for scenario in SCENARIOS}
    for user in range(users):
        taste = hidden_taste(np.random.default_rng([user, 2024]))
        look = looks[user % len(looks)]
        for number, scenario in enumerate(SCENARIOS):
            wants = taste if scenario in ("5 edits", "10 quick-tune answers") else {}
            client = Client(f"bench-{user}-{number}")
            row = simulate(client, look, wants, scenario, photos, seed=user)
            print(f"  user {user} ({look.slug}), {scenario}: ΔE {row['without']:.2f} -> "
                  f"{row['with']:.2f}; {row['summary']}", flush=True)  # fmt: skip
            rows[scenario].append(row)
    return {
        scenario: {
            "users": len(found),
            "without": round(statistics.mean(r["without"] for r in found), 3),
            "with": round(statistics.mean(r["with"] for r in found), 3),
            "worse_users": sum(r["with"] > r["without"] + 1e-3 for r in found),
            "jpeg_floor": round(statistics.mean(r["jpeg_floor"] for r in found), 3),
            "active": sum(r["adapter_active"] for r in found),
            "training_seconds_max": round(max(r["training_seconds"] for r in found), 2),
        }
        for scenario, found in rows.items()
    }


def markdown(results: dict) -> str:
    lines = [
        "| scenario | users | ΔE without adapter | ΔE with adapter | ratio | users worse "
        "| adapter active | JPEG floor | train job, max s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, r in results.items():
        ratio = r["with"] / r["without"] if r["without"] else 1.0
        lines.append(
            f"| {scenario} | {r['users']} | {r['without']:.2f} | {r['with']:.2f} | {ratio:.2f} "
            f"| {r['worse_users']} | {r['active']} | {r['jpeg_floor']:.2f} "
            f"| {r['training_seconds_max']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench personalization", description=__doc__)
    parser.add_argument("--users", type=int, default=4, help="simulated users per scenario")
    arguments = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lookbook-bench-") as folder:
        configure(Path(folder))
        import ml

        ml.set_threads(2)
        results = run(arguments.users)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": arguments.users,
        "photo_side": PHOTO_SIDE,
        "scenarios": results,
        "seconds": round(time.monotonic() - started, 1),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print(markdown(results))
    print(f"\nWritten to {OUTPUT} in {report['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
