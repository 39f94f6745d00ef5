"""static/js/edits.js runs ml/edits.py's arithmetic in Chromium: within 1/255 of
ml.edits.apply_edits on sample colours, for each control alone and all together."""

from pathlib import Path

import pytest
import torch

from ml.edits import apply_edits, check_edits
from ml.taste import combine

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "edits.js"
COLOURS = [
    [0.0, 0.0, 0.0],
    [1.0, 1.0, 1.0],
    [0.5, 0.5, 0.5],
    [0.9, 0.2, 0.1],
    [0.1, 0.6, 0.95],
    [0.35, 0.8, 0.2],
    [0.02, 0.03, 0.05],
    [0.97, 0.85, 0.7],
]
EDITS = [
    {"exposure": 0.7},
    {"exposure": -1.5},
    {"temperature": 60},
    {"tint": -45},
    {"contrast": 80},
    {"contrast": -100},
    {"saturation": 70},
    {"saturation": -100},
    {"fade": 40},
    {"exposure": 2, "temperature": -100, "tint": 100, "contrast": 100, "saturation": 100},
    {"exposure": 0.3, "temperature": 25, "tint": 5, "contrast": -20, "saturation": -30, "fade": 12},
]


@pytest.fixture
def blank(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>edits</title>")
    page.add_script_tag(path=str(SCRIPT))
    yield page
    context.close()


@pytest.mark.parametrize("edits", EDITS, ids=lambda edits: ",".join(edits))
def test_the_browser_matches_ml_edits_within_one_level(blank, edits):
    in_browser = blank.evaluate(
        """([colours, edits]) => {
            const prepared = LookbookEdits.prepare(edits);
            return colours.map((colour) => LookbookEdits.applyColour(prepared, colour.slice()));
        }""",
        [COLOURS, edits],
    )
    expected = apply_edits(torch.tensor(COLOURS, dtype=torch.float32).T, check_edits(edits)).T
    difference = (torch.tensor(in_browser) - expected).abs().max().item()
    assert difference <= 1 / 255, difference


def test_combining_edits_with_a_taste_matches_ml_taste(blank):
    edits, taste = {"exposure": 1.9, "temperature": -10}, {"exposure": 0.4, "fade": 20}
    in_browser = blank.evaluate("([e, t]) => LookbookEdits.combine(e, t, 0.5)", [edits, taste])
    assert in_browser == pytest.approx(combine(edits, taste, 0.5))


def test_edits_of_a_preview_sized_canvas_take_well_under_a_frame(blank):
    """Issue 11's budget: the edits of a 256 x 192 preview within 16 ms (the LUT pass before
    them takes 2-5 ms, docs/ui.md)."""
    milliseconds = blank.evaluate(
        """() => {
            const edits = {exposure: 0.3, temperature: 25, tint: 5, contrast: -20,
                           saturation: -30, fade: 12};
            const pixels = 256 * 192, colour = [0, 0, 0], times = [];
            for (let run = 0; run < 7; run++) {
                const started = performance.now();
                const prepared = LookbookEdits.prepare(edits);
                for (let i = 0; i < pixels; i++) {
                    colour[0] = (i % 256) / 255; colour[1] = (i % 97) / 96; colour[2] = 0.5;
                    LookbookEdits.applyColour(prepared, colour);
                }
                times.push(performance.now() - started);
            }
            return times.sort((a, b) => a - b)[3];
        }"""
    )
    print(f"edits of a 256 x 192 preview: {milliseconds:.1f} ms (median of 7)")
    assert milliseconds < 16
