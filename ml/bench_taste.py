"""Simulated users for the personalization benchmark (part of `python -m ml bench`).

Each user has a hidden taste: a consistent tweak of exposure, temperature, contrast and
saturation on top of a look (drawn here, not from ml.taste). The user only does what the app
lets them do: save edits on a few results (their taste, give or take their hand's
imprecision), answer quick-tune questions by picking the rendering closer to what they want,
or like and dislike results. Scores are mean ΔE2000 on held-out photos between the
personalised result and the result the user wants, against no adapter.
"""

import numpy as np
from PIL import Image

import ml
from ml.taste import Evidence, clamp_edits, next_pair

TASTE_SPREAD = {"exposure": 0.35, "temperature": 25.0, "contrast": 25.0, "saturation": 25.0}
HAND_NOISE = 0.25  # a user's saved edit misses their taste by a quarter of its spread


def hidden_taste(rng: np.random.Generator) -> dict[str, float]:
    return {k: float(np.clip(rng.normal(0.0, s), -2 * s, 2 * s)) for k, s in TASTE_SPREAD.items()}


def _render(photo: Image.Image, look, edits: dict, base) -> Image.Image:
    return ml.stylize(photo, look, edits=edits, base=base)


def simulate_user(look, taste: dict, photos: list, held_out: list, scenario: str, seed: int,
                  base, delta_e) -> dict:  # fmt: skip
    """Act out one scenario; return ΔE without and with the adapter on held-out photos."""
    rng = np.random.default_rng(seed)
    evidence = Evidence()
    if scenario == "5 edits":
        for _ in range(5):
            noisy = {k: v + rng.normal(0, HAND_NOISE * TASTE_SPREAD[k]) for k, v in taste.items()}
            evidence.edited.append(clamp_edits(noisy))
    elif scenario in ("10 quick-tune answers", "no taste, 10 answers"):
        for i in range(10):
            a, b = next_pair(evidence)
            photo = photos[i % len(photos)]
            want = _render(photo, look, taste, base)
            closer = delta_e(_render(photo, look, a, base), want) <= delta_e(
                _render(photo, look, b, base), want
            )
            evidence.pairs.append((a, b, 0 if closer else 1))
    elif scenario == "1 contradictory rating":
        evidence.ratings.append(({}, -1))
    adapter = ml.train_adapter(evidence)
    without, with_adapter = [], []
    for photo in held_out:
        want = _render(photo, look, taste, base)
        without.append(delta_e(_render(photo, look, {}, base), want))
        with_adapter.append(delta_e(ml.stylize(photo, look, adapter, base=base), want))
    return {"without": float(np.mean(without)), "with": float(np.mean(with_adapter))}


def personalization(looks: list, photos: list, held_out: list, users: int, base,
                    delta_e) -> dict:  # fmt: skip
    """Mean ΔE per scenario over users (each with a look and a hidden taste)."""
    scenarios = ("5 edits", "10 quick-tune answers", "no taste, 10 answers",
                 "1 contradictory rating")  # fmt: skip
    results: dict[str, dict[str, list[float]]] = {s: {"without": [], "with": []} for s in scenarios}
    for u in range(users):
        rng = np.random.default_rng([u, 2024])
        look = looks[u % len(looks)]
        taste = hidden_taste(rng)
        for scenario in scenarios:
            wanted = taste if scenario in ("5 edits", "10 quick-tune answers") else {}
            r = simulate_user(look, wanted, photos, held_out, scenario, u, base, delta_e)
            results[scenario]["without"].append(r["without"])
            results[scenario]["with"].append(r["with"])
    return {s: {k: float(np.mean(v)) for k, v in r.items()} for s, r in results.items()}
