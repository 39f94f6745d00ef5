"""Shared fixtures for the ml tests: small photos and a zero-shot look from the shipped base."""

import pytest
import torch

import ml
from ml.imageio import HELDOUT_PHOTOS, TRAIN_PHOTOS, sample_photos
from ml.synthetic import random_look

torch.set_num_threads(2)


def small(image, side=96):
    scale = side / max(image.size)
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))


@pytest.fixture(scope="session")
def photos():
    return [small(p) for p in sample_photos(TRAIN_PHOTOS)]


@pytest.fixture(scope="session")
def heldout():
    return [small(p, 128) for p in sample_photos(HELDOUT_PHOTOS)]


@pytest.fixture(scope="session")
def synthetic():
    return random_look(seed=11, family="vintage")


@pytest.fixture(scope="session")
def refs(photos, synthetic):
    return [synthetic.apply(p) for p in photos]


@pytest.fixture(scope="session")
def look(refs):
    return ml.encode_look(refs)
