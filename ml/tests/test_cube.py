import numpy as np
import torch
from PIL import Image
from skimage.color import deltaE_ciede2000, rgb2lab

import ml
from ml.color import apply_lut
from ml.cube import read_cube
from ml.looks import random_look


def apply_cube(image: Image.Image, table: np.ndarray) -> Image.Image:
    """Independent trilinear application of a parsed .cube table [b, g, r, c]."""
    lut = torch.from_numpy(table).permute(3, 0, 1, 2)[None]
    x = torch.from_numpy(np.asarray(image, np.float32) / 255.0).permute(2, 0, 1)[None]
    out = apply_lut(x, lut)[0].permute(1, 2, 0).numpy()
    return Image.fromarray((out * 255 + 0.5).astype(np.uint8))


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


def test_cube_matches_stylize_for_a_global_look(tmp_path, photos, heldout):
    # "airy" looks have no vignette; the centre crop also excludes any predicted vignette.
    grade = random_look(4, "airy")
    look = ml.encode_look([grade.apply(p) for p in photos])
    photo = heldout[2]
    ml.export_cube(look, tmp_path / "a.cube", image=photo)
    via_cube = apply_cube(photo, read_cube(tmp_path / "a.cube"))
    styled = ml.stylize(photo, look)
    w, h = photo.size
    box = (w // 4, h // 4, 3 * w // 4, 3 * h // 4)
    lab = [rgb2lab(np.asarray(x.crop(box)) / 255.0) for x in (via_cube, styled)]
    assert float(deltaE_ciede2000(*lab).mean()) < 1.5
