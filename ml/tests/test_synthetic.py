import numpy as np
import pytest
import torch
from PIL import Image

from ml import MLError
from ml.color import identity_lut
from ml.synthetic import FAMILIES, random_look, random_tweak, stack_looks


def test_same_seed_same_look_and_different_seeds_differ(photos):
    a, b, c = random_look(3), random_look(3), random_look(4)
    assert a.family == b.family and a.family in FAMILIES
    assert np.array_equal(np.asarray(a.apply(photos[0])), np.asarray(b.apply(photos[0])))
    assert not np.array_equal(np.asarray(a.apply(photos[0])), np.asarray(c.apply(photos[0])))


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_changes_the_photo_and_keeps_its_size(photos, family):
    out = random_look(1, family).apply(photos[0])
    assert out.size == photos[0].size and out.mode == "RGB"
    diff = np.abs(np.asarray(out, float) - np.asarray(photos[0], float)).mean()
    assert diff > 3.0


def test_mono_family_is_nearly_grey_before_toning(photos):
    out = np.asarray(random_look(2, "mono").apply(photos[0], grain=False), float)
    assert np.abs(out - out.mean(-1, keepdims=True)).mean() < 12.0


def test_unknown_family_is_a_caller_error():
    with pytest.raises(MLError, match="unknown look family"):
        random_look(1, "glitter")


def test_tensor_and_pil_paths_agree(photos):
    look = random_look(9)
    x = torch.from_numpy(np.asarray(photos[1], np.float32) / 255).permute(2, 0, 1)[None]
    via_tensor = look.apply(x, grain=False)[0].permute(1, 2, 0).numpy() * 255
    via_pil = np.asarray(look.apply(photos[1], grain=False), np.float32)
    assert np.abs(via_tensor - via_pil).max() <= 1.0


def test_every_lut_is_in_range_and_looks_are_stackable():
    looks = [random_look(s) for s in range(40)]
    luts, vignette, grain = stack_looks(looks)
    assert luts.shape == (40, 3, 17, 17, 17) and vignette.shape == grain.shape == (40,)
    assert luts.min() >= 0.0 and luts.max() <= 1.0
    assert (vignette >= 0).all() and (grain >= 0).all()


def test_strong_looks_are_common():
    """A generator of mostly gentle looks teaches a model to apply every look gently."""
    ident = identity_lut(17)
    moves = [float((random_look(s).lut - ident).abs().mean()) for s in range(200)]
    assert np.mean(np.array(moves) > 0.08) > 0.25
    assert np.mean(np.array(moves) < 0.04) > 0.05  # and subtle looks are there too


def test_subtle_looks_stay_close_to_the_photo():
    ident = identity_lut(17)
    subtle = [float((random_look(s, "subtle").lut - ident).abs().mean()) for s in range(30)]
    strong = [float((random_look(s, "cast").lut - ident).abs().mean()) for s in range(30)]
    assert np.mean(subtle) < 0.5 * np.mean(strong)


def test_tweak_is_mild(photos):
    out = np.asarray(random_tweak(5).apply(photos[0]), float)
    diff = np.abs(out - np.asarray(photos[0], float)).mean()
    assert 0.5 < diff < 25.0


def test_grain_is_seeded():
    img = Image.new("RGB", (32, 32), (128, 128, 128))
    look = random_look(7, "film")
    assert np.array_equal(np.asarray(look.apply(img)), np.asarray(look.apply(img)))
