"""Quick tune in Chromium with a real worker: two renderings of the look drawn in the browser,
pick one, the next question follows; the answer is evidence for the adapter."""

import pytest

from generation.models import QuickTuneQuestion
from tests.e2e.helpers import screenshot, sign_up

pytestmark = pytest.mark.e2e


def test_answering_quick_tune_questions(page, ready_look, worker_factory):
    worker_factory()
    page.goto("/accounts/signup/")
    sign_up(page, "mei")
    page.goto(f"/looks/{ready_look.slug}/personalize/")

    page.click("#quick-tune button:has-text('Start a quick tune')")
    options = page.locator("#quick-tune canvas.quick-tune-option.has-preview")
    options.nth(1).wait_for(timeout=60_000)
    first, second = (options.nth(index).get_attribute("data-preview-edits") for index in (0, 1))
    assert first != second  # two different edits of the look, drawn in the browser
    screenshot(page, "quick-tune")

    page.click("#quick-tune button:has-text('(right)')")
    page.locator("#quick-tune:has-text('1 answer so far')").wait_for(timeout=60_000)
    answered = QuickTuneQuestion.objects.get(winner__isnull=False)
    assert answered.winner == 1
    assert QuickTuneQuestion.objects.filter(winner__isnull=True).count() == 1
