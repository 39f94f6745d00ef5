"""A new user's whole journey in a real browser, with a real Celery worker doing the work."""

import json

import pytest
from PIL import Image
from playwright.sync_api import expect

from generation.models import PersonalAdapter, Result
from tests.e2e.helpers import log_in, photo_file, screenshot, sign_up, upload

pytestmark = pytest.mark.e2e


def test_sign_up_upload_stylize_edit_and_personalize(page, ready_look, worker_factory, tmp_path):
    # The first worker start purges the queues; stopping it leaves jobs queued until the
    # second start, so the jobs page is seen polling a job that has not started yet.
    worker_factory().stop()
    photos = [photo_file(tmp_path, f"holiday-{index}.jpg", index) for index in range(2)]

    # 1. sign up, then upload two photos
    page.goto("/accounts/signup/")
    screenshot(page, "signup")
    sign_up(page, "lin")
    upload(page, photos)
    assert page.locator(".upload-done").count() == 2
    assert page.locator("#photo-grid .photo-card").count() == 2
    screenshot(page, "photos")

    # 2. open a look, preview at 60 %, stylize both photos
    page.goto("/")
    screenshot(page, "home")
    page.click(f"a[href='/looks/{ready_look.slug}/']")
    page.wait_for_url(f"**/looks/{ready_look.slug}/")
    page.locator("#picker-grid input[name=photos]").nth(1).check()
    page.locator("#picker-grid input[name=photos]").nth(0).check()
    page.fill("#strength", "60")
    assert page.inner_text("#strength-output") == "60%"
    page.locator("#look-preview[data-preview-strength='60']").wait_for()
    render_ms = int(page.get_attribute("#look-preview", "data-render-ms"))
    screenshot(page, "look")
    page.click("#stylize-form button[type=submit]")
    page.wait_for_url("**/jobs/")

    # 3. the progress bar reaches done without a reload
    page.evaluate("window.__sameDocument = true")
    card = page.locator(".job-card").first
    assert card.get_attribute("data-status") == "queued"
    assert card.get_attribute("hx-trigger") == "every 1s"
    worker_factory()
    card.locator("xpath=self::*[@data-status='succeeded']").wait_for(timeout=120_000)
    assert page.evaluate("window.__sameDocument") is True
    assert card.locator("progress").get_attribute("value") == "100"
    screenshot(page, "jobs")

    # 4. the result: comparison slider, download, favourite, gallery filter
    card.locator(".job-results a").first.click()
    page.wait_for_url("**/results/**")
    result = Result.objects.get(pk=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert result.strength == pytest.approx(0.6)
    compare = page.locator("[data-compare]")
    position = (
        "getComputedStyle(document.querySelector('[data-compare]'))"
        ".getPropertyValue('--position').trim()"
    )
    page.focus(".compare-range")
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    assert page.evaluate(position) == "40%"
    box = compare.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    assert 75 <= float(page.evaluate(position).rstrip("%")) <= 85
    screenshot(page, "result")
    with page.expect_download() as download_info:
        page.click("a[href$='/download/']")
    with Image.open(download_info.value.path()) as downloaded:
        downloaded.load()
        assert downloaded.size == (result.width, result.height) == (320, 240)
    page.click("#feedback button:has-text('Favourite')")
    page.wait_for_selector("#feedback button[aria-pressed=true]:has-text('Favourite')")
    page.goto("/gallery/")
    assert page.locator(".result-card").count() == 2
    page.check("#id_favourite")
    expect(page.locator(".result-card")).to_have_count(1)
    assert page.locator(f".result-card a[href='/results/{result.pk}/']").count() == 1
    assert "favourite=on" in page.url
    screenshot(page, "gallery")

    # 5. edit the result with the sliders and save it as a new result
    page.goto(f"/results/{result.pk}/")
    page.fill("#edit-temperature", "40")
    page.fill("#edit-exposure", "0.3")
    page.locator("#edit-preview[data-preview-edits*='\"temperature\":40']").wait_for()
    assert int(page.get_attribute("#edit-preview", "data-render-ms")) < 250
    screenshot(page, "result-edit")
    page.click("#edit-form button[type=submit]")
    page.wait_for_url("**/jobs/")
    page.locator(".job-card").first.locator("xpath=self::*[@data-status='succeeded']").wait_for(
        timeout=120_000
    )
    edited = Result.objects.get(edited_from=result)
    assert (edited.edits["temperature"], edited.edits["exposure"]) == (40.0, 0.3)

    # 6. train the adapter from that edit, see its before/after, lower its intensity
    personalize = f"/looks/{ready_look.slug}/personalize/"
    page.goto(personalize)
    page.click("form[action$='/train/'] button[type=submit]")
    page.locator(".adapter-row .job-card[data-status=succeeded]").wait_for(timeout=120_000)
    page.goto(personalize)
    assert "warmer" in page.inner_text("#taste-summary").lower()
    after = page.locator("#taste-after")
    after.locator("xpath=self::*[contains(@class, 'has-preview')]").wait_for()
    full = json.loads(after.get_attribute("data-preview-edits"))
    page.fill("#intensity", "50")
    expect(page.locator("#intensity-output")).to_have_text("50%")
    page.wait_for_function(
        "t => JSON.parse(document.querySelector('#taste-after').dataset.previewEdits)"
        ".temperature < t",
        arg=full["temperature"],
    )
    screenshot(page, "personalize")
    page.click("#intensity-form button[type=submit]")
    expect(page.locator("#intensity")).to_have_value("50")
    adapter = PersonalAdapter.objects.get(owner=result.owner)
    assert adapter.intensity == 0.5

    # 7. a second version, then revert to the first
    page.click("form[action$='/train/'] button[type=submit]")
    page.locator(".adapter-row .job-card[data-status=succeeded]").wait_for(timeout=120_000)
    page.goto(personalize)
    page.click(f"form[action$='/adapters/{adapter.pk}/revert/'] button")
    expect(page.locator(".adapter-row").first).to_contain_text("restores version 1")
    newest = PersonalAdapter.objects.filter(owner=result.owner).order_by("-version").first()
    assert (newest.version, newest.reverted_from, newest.taste) == (3, 1, adapter.taste)
    print(f"preview render: {render_ms} ms")


def test_too_large_and_non_image_uploads_show_readable_errors(
    page, user, password, settings, tmp_path
):
    settings.MAX_UPLOAD_BYTES = 5_000
    big = photo_file(tmp_path, "big.jpg", 1, size=(900, 700))
    text = tmp_path / "notes.jpg"
    text.write_text("this is not a photo")
    log_in(page, user.username, password)
    page.goto("/photos/")

    upload(page, [big, text])

    failures = page.locator(".upload-failed .upload-status")
    assert failures.count() == 2
    messages = sorted(failures.all_inner_texts())
    assert all(message and "{" not in message for message in messages)
    assert any("large" in message.lower() for message in messages), messages
    assert any("image" in message.lower() for message in messages), messages
    assert page.locator("#photo-grid .photo-card").count() == 0
    screenshot(page, "upload-errors")
