"""Helpers for the browser tests: screenshots, small photos, and the steps many tests take."""

import io
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 360, "height": 740}


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header would repeat mid-page
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def photo_file(folder: Path, name: str, seed: int, size=(320, 240)) -> Path:
    """A small photo-like JPEG: a gradient sky, a sun and a ground, different per seed."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(255 * y / height)
        draw.line(
            [(0, y), (width, y)], fill=(90 + seed * 40 % 120, 140 + shade // 3, 220 - shade // 2)
        )
    draw.ellipse([width * 0.6, height * 0.15, width * 0.8, height * 0.42], fill=(250, 210, 120))
    draw.rectangle([0, height * 0.7, width, height], fill=(60 + seed * 30 % 90, 110, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def sign_up(page, username: str, password: str = "a-long-pass-phrase") -> None:
    page.goto("/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.com")
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.click("form button[type=submit] >> text=Sign up")
    page.wait_for_url("**/photos/")


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def upload(page, files: list[Path], selector: str = "#upload-grid") -> None:
    finished = page.locator(".upload-done, .upload-failed")
    expected = finished.count() + len(files)
    page.set_input_files(selector, [str(path) for path in files])
    expect(finished).to_have_count(expected)
