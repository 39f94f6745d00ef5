import numpy as np
import torch
from skimage.color import deltaE_ciede2000, rgb2lab

import ml
from ml.bench import app_colour_render, cube_render
from ml.cube import read_cube


def test_cube_file_is_standard(tmp_path, look):
    ml.export_cube(look, tmp_path / "a.cube")
    text = (tmp_path / "a.cube").read_text()
    assert text.startswith('TITLE "') and "LUT_3D_SIZE 33" in text
    table = read_cube(tmp_path / "a.cube")
    assert table.shape == (33, 33, 33, 3) and table.min() >= 0 and table.max() <= 1


def test_identity_corner_order_is_red_fastest(tmp_path, look):
    ml.export_cube(look, tmp_path / "a.cube", size=2)
    rows = read_cube(tmp_path / "a.cube").reshape(-1, 3)
    # Second row is input (1, 0, 0): its red output must exceed its blue output.
    assert rows[1, 0] > rows[1, 2] and rows[2, 1] > rows[2, 0]


def test_cube_matches_the_app_render_residual_included(tmp_path, look, heldout):
    """A standard trilinear reader of the file gives what the app renders (vignette aside)."""
    residual = torch.randn(3, 17, 17, 17, generator=torch.Generator().manual_seed(0)) * 0.03
    trained = ml.Look(look.code, residual, look.base)
    ml.export_cube(trained, tmp_path / "a.cube")
    for photo in heldout[:2]:
        via_cube = cube_render(photo, tmp_path / "a.cube")
        app = app_colour_render(photo, trained, ml.load_base())
        lab = [rgb2lab(np.asarray(x) / 255.0) for x in (via_cube, app)]
        assert float(deltaE_ciede2000(*lab).mean()) < 1.0
    ml.export_cube(look, tmp_path / "zero-shot.cube")
    without_residual = cube_render(heldout[1], tmp_path / "zero-shot.cube")
    assert np.abs(np.asarray(without_residual, float) - np.asarray(via_cube, float)).mean() > 0.5
