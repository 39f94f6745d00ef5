import numpy as np
import pytest
from PIL import Image

from ml import MLError
from ml.imageio import load_folder, load_image, sample_photos, split_alpha


def test_sample_photos_are_natural_colour_photos():
    photos = sample_photos()
    assert len(photos) >= 8
    assert all(p.mode == "RGB" and min(p.size) >= 200 for p in photos)


def test_load_image_errors(tmp_path):
    with pytest.raises(MLError, match="no such file"):
        load_image(tmp_path / "missing.jpg")
    (tmp_path / "notes.jpg").write_text("hello")
    with pytest.raises(MLError, match="not an image"):
        load_image(tmp_path / "notes.jpg")
    Image.new("RGB", (64, 64), "red").save(tmp_path / "full.jpg")
    data = (tmp_path / "full.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(MLError, match="truncated"):
        load_image(tmp_path / "cut.jpg")


def test_load_folder_rejects_empty(tmp_path):
    with pytest.raises(MLError, match="empty"):
        load_folder(tmp_path)


def test_sixteen_bit_grey_is_rescaled_not_clipped():
    arr = np.array([[0, 32768, 65535]], dtype=np.uint16)
    image = Image.fromarray(arr)
    assert image.mode == "I;16"
    rgb, alpha = split_alpha(image)
    assert alpha is None and rgb.mode == "RGB"
    assert list(np.asarray(rgb)[0, :, 0]) == [0, 128, 255]


def test_palette_with_transparency_keeps_alpha():
    im = Image.new("P", (4, 4), 0)
    im.info["transparency"] = 0
    rgb, alpha = split_alpha(im)
    assert rgb.mode == "RGB" and alpha is not None
