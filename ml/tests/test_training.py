import numpy as np
import pytest
import torch
from skimage.color import deltaE_ciede2000, rgb2lab

import ml
from ml import MLError
from ml.finetune import parse_feedback
from ml.synthetic import random_tweak
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


def test_adapter_learns_the_users_tweak(look, photos, heldout, synthetic):
    tweak = random_tweak(3)
    feedback = [(tweak.apply(ml.stylize(p, look)), 1, p) for p in photos]
    adapter = ml.train_adapter(look, photos, feedback, steps=60, seed=0)
    assert adapter.look == look.fingerprint
    for photo in heldout[:2]:
        target = tweak.apply(ml.stylize(photo, look))
        with_adapter = mean_delta_e(ml.stylize(photo, look, adapter), target)
        assert with_adapter < mean_delta_e(ml.stylize(photo, look), target)


def test_preferred_strength_is_stored(look, photos):
    adapter = ml.train_adapter(look, photos[:2], steps=1, preferred_strength=0.6)
    assert adapter.strength == pytest.approx(0.6)
    torch.testing.assert_close(adapter.code_offset, torch.zeros_like(adapter.code_offset))


@pytest.mark.parametrize(
    "feedback, message",
    [([("x", 1)], "PIL"), ([(None, 1, None, 4)], "must be"), ([(object(), 2)], "PIL")],
)
def test_bad_feedback_is_a_caller_error(feedback, message):
    with pytest.raises(MLError, match=message):
        parse_feedback(feedback)


def test_bad_rating_is_a_caller_error(photos):
    with pytest.raises(MLError, match="rating"):
        parse_feedback([(photos[0], 5)])
