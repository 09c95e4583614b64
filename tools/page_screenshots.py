"""Screenshots of the supporters' page on a 360×740 phone at every stage, in English and
Irish, to look at after changing the page, and docs/page.png.

    python tools/page_screenshots.py OUT_DIR [--url http://127.0.0.1:8000] [--docs]

Stages: fresh, photo chosen, photo moved, an error, the card made, inside Instagram's
browser, and the plain form (no JavaScript) after an error, each as the first screen
(`-top`) and the whole page. --docs also writes docs/page.png (the phone beside the
desktop). Without --url it starts `imhcard serve` on a free port. Needs the test extra
(Playwright) and a Chromium at $IMHCARD_CHROMIUM or /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, sync_playwright

CHECKOUT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-gpu"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
INSTAGRAM = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98")
NAMES = {"en": "Aoife Ní Bhriain", "ga": "Caoimhín Ó Murchú"}
IDLE = "() => !document.querySelector('[data-preview]').dataset.pending"
PLACED = "() => document.querySelector('[data-preview]').dataset.photo === 'placed'"


def photo(path: Path) -> None:
    """A portrait: Kodak's kodim04 (released for unrestricted use; see
    tests/fixtures/faces/README.md), at a phone photo's size; a made-up one without it."""
    real = CHECKOUT / "tests" / "fixtures" / "faces" / "kodim04.jpg"
    if real.is_file():
        with Image.open(real) as im:
            im.convert("RGB").resize((1200, 1800), Image.Resampling.LANCZOS).save(path, quality=90)
        return
    img = Image.new("RGB", (900, 1200), (120, 160, 200))
    d = ImageDraw.Draw(img)
    d.ellipse((300, 260, 600, 640), fill=(236, 190, 160))
    d.rectangle((180, 700, 720, 1200), fill=(40, 90, 140))
    img.save(path, quality=90)


def _idle(page: Page) -> None:
    page.wait_for_function(IDLE, timeout=30000)


def _shoot(page: Page, out: Path, name: str) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(out / f"{name}-top.png"))


def _fill(page: Page, lang: str, picture: Path) -> None:
    page.fill("#name", NAMES[lang])
    page.fill("#org", "Sure Start Newry")
    page.set_input_files("#photo", str(picture))
    page.wait_for_function(PLACED, timeout=30000)
    _idle(page)


def _make(page: Page) -> None:
    page.locator("[data-submit]").click()
    page.wait_for_selector("[data-share-section]:not([hidden])", timeout=30000)


def stages(browser: Browser, url: str, out: Path, lang: str, picture: Path) -> None:
    def context(**extra: object) -> Page:
        ctx = browser.new_context(**{**PHONE, **extra})  # type: ignore[arg-type]
        page = ctx.new_page()
        page.goto(f"{url}/?lang={lang}")
        return page

    page = context()
    _idle(page)
    _shoot(page, out, f"{lang}-1-fresh")
    _fill(page, lang, picture)
    page.locator("[data-preview]").scroll_into_view_if_needed()
    _shoot(page, out, f"{lang}-2-photo")
    for name in ("zoom_in", "move_left"):  # the buttons' own words are the page's
        page.locator(f"[data-{'zoom' if name == 'zoom_in' else 'move'}="
                     f"'{'1' if name == 'zoom_in' else '-1,0'}']").click()
    _idle(page)
    _shoot(page, out, f"{lang}-3-moved")
    _make(page)
    _shoot(page, out, f"{lang}-5-card")
    page.context.close()

    page = context()
    _idle(page)
    page.check("#pledge-choice-own")
    page.fill("#pledge_own", "read to my baby every night and sing " * 5)
    page.locator("[data-submit]").click()
    page.wait_for_selector("[data-error-summary]:not([hidden])", timeout=30000)
    _shoot(page, out, f"{lang}-4-errors")
    page.context.close()

    page = context(user_agent=INSTAGRAM)
    _fill(page, lang, picture)
    _make(page)
    page.locator("[data-share-section]").scroll_into_view_if_needed()
    page.screenshot(path=str(out / f"{lang}-6-instagram-card.png"))
    page.context.close()

    page = context(java_script_enabled=False)
    page.set_input_files("#photo", str(picture))
    page.locator("[data-submit]").click()
    page.wait_for_selector(".error-summary")
    _shoot(page, out, f"{lang}-7-no-javascript-error")
    page.context.close()


def docs_image(browser: Browser, url: str, out: Path, picture: Path) -> Image.Image:
    """The phone's first screen with a photo beside the desktop page."""
    shots = []
    for viewport in ({"width": 360, "height": 740}, {"width": 1280, "height": 740}):
        ctx = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = ctx.new_page()
        page.goto(url + "/")
        _fill(page, "en", picture)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        if viewport["width"] == 360:
            page.locator("[data-preview-section]").scroll_into_view_if_needed()
        else:
            page.evaluate("() => window.scrollTo(0, 0)")
        path = out / f"docs-{viewport['width']}.png"
        page.screenshot(path=str(path))
        shots.append(Image.open(path).convert("RGB"))
        ctx.close()
    phone, desk = shots
    sheet = Image.new("RGB", (phone.width + desk.width + 40, desk.height + 40), (230, 233, 236))
    sheet.paste(desk, (20, 20))
    sheet.paste(phone, (desk.width + 30, 20))
    return sheet


def shoot(url: str, out: Path, docs: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    picture = out / "photo.jpg"
    photo(picture)
    chromium = os.environ.get("IMHCARD_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for lang in ("en", "ga"):
            stages(browser, url, out, lang, picture)
        if docs:
            docs_image(browser, url, out, picture).save(CHECKOUT / "docs" / "page.png",
                                                         optimize=True)
        browser.close()


def with_server(run: Callable[[str], None]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "imhcard", "serve", "--port", str(port)],
                              cwd=CHECKOUT, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.25)
        run(url)
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--url")
    parser.add_argument("--docs", action="store_true", help="also write docs/page.png")
    args = parser.parse_args()
    if args.url:
        shoot(args.url, args.out, args.docs)
    else:
        with_server(lambda url: shoot(url, args.out, args.docs))


if __name__ == "__main__":
    main()
