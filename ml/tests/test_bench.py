import numpy as np
from PIL import Image

from ml.bench import run_bench, transfer_fraction


def test_quick_bench_reports_both_sets_and_the_shipped_engine_beats_identity(tmp_path):
    report = run_bench(quick=True, json_path=str(tmp_path / "ml.json"))
    for name in ("outside", "synthetic"):
        summary = report[name]["summary"]
        assert summary["delta_e"]["zero-shot"] < summary["delta_e"]["identity"]
        assert 0.0 < summary["transfer_fraction"]["zero-shot"] < 1.5
    assert report["cube_delta_e"] < 1.0
    for sheet in ("ml.json", "ml_sheet_outside.png", "ml_sheet_synthetic.png"):
        assert (tmp_path / sheet).is_file()


def test_transfer_fraction_measures_how_much_of_the_look_was_applied():
    source = Image.new("RGB", (8, 8), (100, 100, 100))
    truth = Image.new("RGB", (8, 8), (200, 120, 60))
    half = Image.blend(source, truth, 0.5)
    assert transfer_fraction(source, truth, truth) == 1.0
    assert abs(transfer_fraction(source, half, truth) - 0.5) < 0.1
    assert transfer_fraction(source, source, truth) == 0.0
    assert np.isclose(transfer_fraction(source, source, source), 1.0)
