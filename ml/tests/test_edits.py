import numpy as np
import pytest
import torch

import ml
from ml import MLError
from ml.color import identity_lut
from ml.edits import EDIT_RANGES, apply_edits, check_edits


def test_missing_edits_are_zero_and_zero_edits_change_nothing():
    edits = check_edits({"exposure": 0.5})
    assert edits == {**dict.fromkeys(EDIT_RANGES, 0.0), "exposure": 0.5}
    grid = identity_lut(9)
    torch.testing.assert_close(apply_edits(grid, check_edits(None)), grid)


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ({"exposure": 3}, "between -2 and 2"),
        ({"fade": -1}, "between 0 and 100"),
        ({"contrast": True}, "must be a number"),
        ({"tint": "10"}, "must be a number"),
        ({"tint": float("nan")}, "must be a number"),
        ({"sparkle": 1}, "unknown edit 'sparkle'"),
        ([1, 2], "must be an object"),
    ],
)
def test_bad_edits_name_the_field(edits, message):
    with pytest.raises(MLError, match=message):
        check_edits(edits)


def test_each_control_moves_colours_the_way_its_name_says():
    grey = torch.full((3, 1), 0.5)
    dark = torch.full((3, 1), 0.05)
    assert apply_edits(grey, check_edits({"exposure": 1}))[0, 0] > 0.6
    warm = apply_edits(grey, check_edits({"temperature": 50}))
    assert warm[0, 0] > warm[2, 0]
    magenta = apply_edits(grey, check_edits({"tint": 50}))
    assert magenta[1, 0] < magenta[0, 0]
    assert apply_edits(dark, check_edits({"fade": 100}))[0, 0] > 0.25
    ramp = torch.linspace(0, 1, 11).expand(3, -1)
    steeper = apply_edits(ramp, check_edits({"contrast": 80}))
    assert steeper[0, 7] - steeper[0, 3] > ramp[0, 7] - ramp[0, 3]
    red = torch.tensor([[0.8], [0.3], [0.3]])
    assert np.ptp(apply_edits(red, check_edits({"saturation": -100}))[:, 0].numpy()) < 1e-6


def test_every_edit_keeps_colours_in_range_and_ordered():
    ramp = torch.linspace(0, 1, 33).expand(3, -1)
    for name, (lo, hi) in EDIT_RANGES.items():
        for value in (lo, hi):
            out = apply_edits(ramp, check_edits({name: value}))
            assert out.min() >= 0 and out.max() <= 1
            assert (out.diff(dim=1) >= -1e-6).all(), (name, value)


def test_stylize_applies_edits_even_at_strength_zero(look, heldout):
    photo = heldout[0]
    brighter = ml.stylize(photo, look, strength=0.0, edits={"exposure": 1.0})
    assert np.asarray(brighter, float).mean() > np.asarray(photo, float).mean() + 10
    with pytest.raises(MLError, match="exposure"):
        ml.stylize(photo, look, edits={"exposure": 9})
