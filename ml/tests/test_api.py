import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage.color import deltaE_ciede2000, rgb2lab

import ml
from ml import MLError
from ml.artifacts import Look

MODES = ["L", "LA", "RGB", "RGBA", "P", "CMYK", "I;16", "I", "F", "1"]


def make_image(mode: str, w: int, h: int, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    rgba = Image.fromarray(rng.integers(0, 256, (h, w, 4), dtype=np.uint8), "RGBA")
    if mode == "I;16":
        return Image.fromarray(rng.integers(0, 65536, (h, w), dtype=np.uint16))
    if mode == "P":
        return rgba.convert("RGB").convert("P")
    return rgba.convert(mode)


def mean_delta_e(a: Image.Image, b: Image.Image) -> float:
    la, lb = (rgb2lab(np.asarray(x.convert("RGB")) / 255.0) for x in (a, b))
    return float(deltaE_ciede2000(la, lb).mean())


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mode=st.sampled_from(MODES),
    w=st.integers(1, 300),
    h=st.integers(1, 300),
    strength=st.floats(0.0, 1.5),
)
def test_any_mode_and_size_keeps_size_and_alpha(look, mode, w, h, strength):
    image = make_image(mode, w, h, w * 1000 + h)
    out = ml.stylize(image, look, strength=strength)
    assert out.size == image.size
    if strength == 0.0:
        assert out.mode == image.mode
    elif mode in ("LA", "RGBA"):
        assert out.mode == "RGBA"
        assert np.array_equal(np.asarray(out)[..., 3], np.asarray(image.getchannel("A")))
    else:
        assert out.mode == "RGB"


def test_strength_zero_returns_the_input_exactly(look, heldout):
    out = ml.stylize(heldout[0], look, strength=0)
    assert out is not heldout[0]
    assert out.tobytes() == heldout[0].tobytes() and out.mode == heldout[0].mode


@pytest.mark.parametrize("bad", [-0.1, 1.51, float("nan"), "strong"])
def test_strength_outside_range_is_refused(look, heldout, bad):
    with pytest.raises(MLError, match="strength"):
        ml.stylize(heldout[0], look, strength=bad)


def test_strength_scales_the_change(look, heldout):
    src = np.asarray(heldout[1], float)
    half = np.abs(np.asarray(ml.stylize(heldout[1], look, strength=0.5), float) - src).mean()
    full = np.abs(np.asarray(ml.stylize(heldout[1], look, strength=1.0), float) - src).mean()
    more = np.abs(np.asarray(ml.stylize(heldout[1], look, strength=1.5), float) - src).mean()
    assert 0 < half < full < more


def test_zero_shot_moves_heldout_photo_towards_the_look(look, heldout, synthetic):
    for photo in heldout:
        gt = synthetic.apply(photo, grain=False)
        assert mean_delta_e(ml.stylize(photo, look), gt) < mean_delta_e(photo, gt)


def test_too_few_references_is_a_caller_error(refs):
    with pytest.raises(MLError, match="need at least 3 reference photos, got 2"):
        ml.encode_look(refs[:2])


def test_encoding_is_deterministic_and_order_invariant(refs, look):
    again = ml.encode_look(list(reversed(refs)))
    assert np.allclose(again.code.numpy(), look.code.numpy(), atol=1e-5)
    assert ml.encode_look(refs).fingerprint == look.fingerprint


def test_look_from_another_base_is_refused(look, heldout):
    stale = Look(look.code, look.residual, "not-this-base")
    with pytest.raises(MLError, match="another base model"):
        ml.stylize(heldout[0], stale)


def test_cuda_without_cuda_is_a_caller_error(refs):
    import torch

    if torch.cuda.is_available():
        ml.encode_look(refs, device="cuda")
    else:
        with pytest.raises(MLError, match="CUDA"):
            ml.encode_look(refs, device="cuda")


def test_demo_seeding_flow(tmp_path):
    look = ml.synthetic.random_look(seed=3, family="film")
    refs = [look.apply(p) for p in ml.sample_photos()[:8]]
    lk = ml.encode_look(refs)
    lk.save(tmp_path / "look.safetensors")
    ml.export_cube(lk, tmp_path / "look.cube")
    out = ml.stylize(ml.sample_photos()[0], ml.Look.load(tmp_path / "look.safetensors"))
    assert out.size == ml.sample_photos()[0].size
