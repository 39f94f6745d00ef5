"""Language, data export and account deletion, curation in the admin, and the phone layout."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from generation.models import Photo
from generation.tests.factories import ResultFactory
from jobs.models import Job
from styles.models import Look, LookStatus
from styles.tests.factories import InfluencerFactory
from styles.tests.fixtures import synthetic_references
from tests.e2e.helpers import PHONE, log_in, photo_file, screenshot, sign_up, upload

pytestmark = pytest.mark.e2e


def test_switching_to_chinese_translates_the_page(page, ready_look):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Find your look"

    page.select_option("#language-select", "zh-hans")

    expect(page.locator("h1")).to_have_text("找到你的风格")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in page.locator(".site-nav").inner_text()
    screenshot(page, "home-zh-hans")


def test_export_then_delete_the_account(page, worker_factory, tmp_path):
    worker_factory()
    sign_up(page, "ada", password="a-long-pass-phrase")
    upload(page, [photo_file(tmp_path, "one.jpg", 1)])
    user = User.objects.get(username="ada")
    user_folder = Path(settings.MEDIA_ROOT) / "users" / str(user.pk)
    assert any(path.is_file() for path in user_folder.rglob("*"))

    page.goto("/accounts/")
    page.click("text=Export my data")
    link = page.locator(".job-card[data-status=succeeded] a:has-text('Download my data')")
    link.wait_for(timeout=60_000)
    screenshot(page, "account")
    with page.expect_download() as download_info:
        link.click()
    with zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes())) as archive:
        names = archive.namelist()
    assert "data.json" in names and any(name.startswith("photos/") for name in names)

    page.click("text=Delete my account")
    page.fill("#id_password", "wrong password")
    page.click("main form button[type=submit]")
    expect(page.locator(".field-error")).to_be_visible()
    page.fill("#id_password", "a-long-pass-phrase")
    screenshot(page, "account-delete")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Find your look")
    expect(page.locator(".message-success")).to_be_visible()

    assert not User.objects.filter(username="ada").exists()
    assert not Photo.objects.filter(owner_id=user.pk).exists()
    assert not Job.objects.filter(owner_id=user.pk).exists()
    assert not [path for path in user_folder.rglob("*") if path.is_file()]
    page.goto("/accounts/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", "a-long-pass-phrase")
    page.click("main form button[type=submit]")
    expect(page.locator(".form-error")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_curator_builds_and_publishes_a_look_that_appears_in_the_catalog(
    page, worker_factory, tmp_path
):
    worker_factory()
    curator = UserFactory(is_staff=True, is_superuser=True)
    influencer = InfluencerFactory(is_published=True, name="Mira Sol")
    references = []
    for index, image in enumerate(synthetic_references()):
        path = tmp_path / f"reference-{index}.jpg"
        image.save(path, "JPEG")
        references.append(str(path))

    page.goto("/admin/login/")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"/admin/styles/look/add/?influencer={influencer.pk}")
    page.fill("#id_name", "Golden Hour")
    page.fill("#id_description", "Soft warm light.")
    page.set_input_files("#id_new_references", references)
    page.click("input[name=_save]")
    screenshot(page, "admin-look-saved")
    look = Look.objects.get(slug="golden-hour")
    assert look.references.count() == 3

    run_action(page, look, "encode_looks")
    for _ in range(120):
        look.refresh_from_db()
        if look.status in (LookStatus.READY, LookStatus.FAILED):
            break
        page.wait_for_timeout(500)
    assert look.status == LookStatus.READY, look.error
    page.goto("/")
    assert page.locator("text=Golden Hour").count() == 0
    run_action(page, look, "publish_looks")

    page.goto("/")
    expect(page.locator(".look-card", has_text="Golden Hour")).to_be_visible()
    page.click("text=Golden Hour")
    expect(page.locator("h1")).to_have_text("Golden Hour")


def run_action(page, look: Look, action: str) -> None:
    page.goto("/admin/styles/look/")
    page.check(f"input[name=_selected_action][value='{look.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_be_visible()


def test_main_pages_fit_a_360px_phone(browser, live_server, ready_look, transactional_db):
    width = PHONE["width"]
    user = UserFactory()
    result = ResultFactory(owner=user, look=ready_look)
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    try:
        log_in(page, user.username, PASSWORD)
        pages = {
            "home": "/",
            "look": f"/looks/{ready_look.slug}/",
            "photos": "/photos/",
            "jobs": "/jobs/",
            "gallery": "/gallery/",
            "result": f"/results/{result.pk}/",
            "personalize": f"/looks/{ready_look.slug}/personalize/",
            "account": "/accounts/",
        }
        too_wide = {}
        for name, url in pages.items():
            page.goto(url)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[name] = scroll_width
            screenshot(page, f"phone-{name}")
        assert not too_wide
    finally:
        context.close()
