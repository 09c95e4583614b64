"""Screenshots of the supporters' page at phone and desktop widths, in English and
Irish, to look at after changing the page (and for docs/page.png).

    python tools/page_screenshots.py OUT_DIR [--url http://127.0.0.1:8000]

Without --url it starts `imhcard serve` on a free port. Needs the test extra
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
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import sync_playwright

CHECKOUT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-gpu"]


def photo(path: Path) -> None:
    img = Image.new("RGB", (600, 800), (120, 160, 200))
    d = ImageDraw.Draw(img)
    d.ellipse((170, 150, 430, 450), fill=(236, 190, 160))
    d.rectangle((120, 480, 480, 800), fill=(40, 90, 140))
    img.save(path, quality=90)


def shoot(url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    picture = out / "photo.jpg"
    photo(picture)
    chromium = os.environ.get("IMHCARD_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        for lang, name in (("en", "Aoife Ní Bhriain"), ("ga", "Caoimhín Ó Murchú")):
            for width, height in ((360, 800), (1280, 800)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{url}/?lang={lang}")
                page.fill("#name", name)
                page.fill("#org", "Sure Start Newry")
                page.set_input_files("#photo", str(picture))
                page.wait_for_function("() => { const i = document.querySelector("
                                       "'[data-preview]'); return i.src && !i.dataset.pending; }",
                                       timeout=30000)
                page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
                page.screenshot(path=str(out / f"page-{lang}-{width}.png"), full_page=True)
                page.screenshot(path=str(out / f"page-{lang}-{width}-top.png"))
                page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.url:
        shoot(args.url, args.out)
        return
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
        shoot(url, args.out)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
