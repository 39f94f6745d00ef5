import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab

import ml
from ml import MLError
from ml.train_base import TrainConfig, train_base


def mean_delta_e(a, b) -> float:
    la, lb = (rgb2lab(np.asarray(x.convert("RGB")) / 255.0) for x in (a, b))
    return float(deltaE_ciede2000(la, lb).mean())


def test_base_training_loss_falls(tmp_path):
    losses = []
    cfg = TrainConfig(steps=60, looks=8, refs=4, pool=48, lr=3e-3)
    train_base(cfg, tmp_path / "b.safetensors", log=lambda s: None, history=losses)
    assert np.mean(losses[-15:]) < np.mean(losses[:15])
    base = ml.load_base(path=tmp_path / "b.safetensors")
    assert base.meta["steps"] == "60"


def test_train_look_loss_falls_and_returns_a_look(refs, photos):
    losses, seen = [], []
    look = ml.train_look(refs, photos, steps=12, seed=1, progress=seen.append, history=losses)
    assert np.mean(losses[-4:]) < np.mean(losses[:4])
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert look.meta["steps"] == "12"


def test_train_look_is_deterministic(refs, photos):
    a = ml.train_look(refs, photos, steps=3, seed=5)
    b = ml.train_look(refs, photos, steps=3, seed=5)
    assert a.fingerprint == b.fingerprint


def test_train_look_needs_three_references(refs):
    with pytest.raises(MLError, match="need at least 3 reference photos, got 2"):
        ml.train_look(refs[:2], steps=1)
