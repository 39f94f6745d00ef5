import numpy as np
import torch
from skimage.color import rgb2lab

from ml.color import apply_lut, from_opponent, identity_lut, interp1d, srgb_to_lab, to_opponent


def test_opponent_round_trip():
    x = torch.rand(2, 3, 5, 7)
    assert torch.allclose(from_opponent(*to_opponent(x)), x, atol=1e-6)


def test_identity_lut_is_identity():
    x = torch.rand(3, 3, 8, 8)
    assert torch.allclose(apply_lut(x, identity_lut(9)[None]), x, atol=1e-5)


def test_lab_matches_skimage():
    x = torch.rand(1, 3, 6, 6)
    ours = srgb_to_lab(x)[0].permute(1, 2, 0).numpy()
    ref = rgb2lab(x[0].permute(1, 2, 0).numpy())
    assert np.abs(ours - ref).max() < 0.1


def test_interp1d_hits_knots_and_interpolates():
    knots = torch.tensor([[0.0, 0.5, 1.0]])
    x = torch.tensor([[0.0, 0.25, 0.5, 1.0]])
    assert torch.allclose(interp1d(x, knots), torch.tensor([[0.0, 0.25, 0.5, 1.0]]))
