"""Benchmark the supporters' page on a phone's slow connection, as a supporter uses it:
a real `imhcard serve`, a real Chromium at 360×740 with touch, and Chromium's own network
emulation (CDP Network.emulateNetworkConditions: 750 kbit/s up, 1.6 Mbit/s down, 150 ms
latency), the issue's budgets.

    python bench/page_bench.py                 # both photos, both ways (~1.5 minutes)
    python bench/page_bench.py --photo noise   # one photo

It counts every byte between the browser and the server with a relay in between (so a
request the page forgot to count still counts), and times, from the moment the photo is
chosen, to the card downloaded:

- first load: bytes the browser downloads to show the page and its first preview;
- a card as most supporters make it: words typed (every preview counts), photo chosen,
  "Make my card" pressed as soon as the preview shows the photo, card downloaded;
- the same with the photo moved first (dragged, zoomed) so the card is made anew.

Two 12-megapixel photos: "face" (a person on a soft background with camera grain, about
what a phone photo of a person costs) and "noise" (tests/webhelp.phone_jpeg: coloured
noise, the worst case for every encoder on the way). Budgets: ≤ 1 MB uploaded per card
including every preview; ≤ 6 s from choosing the photo to the downloaded card; first load
≤ 300 KB. Timings depend on the machine (the phone's work is done by this one's CPU);
the defaults are the page's and server's own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
sys.path.insert(0, str(CHECKOUT / "tests"))

UP, DOWN, LATENCY = 750_000 / 8, 1_600_000 / 8, 150  # bytes/s, bytes/s, ms
BUDGETS = {"upload per card": 1_000_000, "seconds to card": 6.0, "first load": 300_000}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-gpu"]


class Relay:
    """A TCP relay from a local port to the server, counting the bytes each way."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.up = self.down = 0
        self.loop = asyncio.new_event_loop()
        self.port = 0
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       up: bool) -> None:
            try:
                while data := await reader.read(65536):
                    if up:
                        self.up += len(data)
                    else:
                        self.down += len(data)
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                r2, w2 = await asyncio.open_connection("127.0.0.1", self.target)
            except OSError:
                writer.close()
                return
            await asyncio.gather(pipe(reader, w2, True), pipe(r2, writer, False))

        server = self.loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def reset(self) -> None:
        self.up = self.down = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve() -> Iterator[int]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    server = subprocess.Popen([sys.executable, "-m", "imhcard", "serve", "--port", str(port)],
                              cwd=tempfile.mkdtemp(), env=env, stderr=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        server.wait(30)


def photos(folder: Path) -> dict[str, Path]:
    import facehelp
    from webhelp import phone_jpeg

    out = {"face": folder / "face.jpg", "noise": folder / "noise.jpg"}
    scene = facehelp.compose((4000, 3000), [("kodim04", 0.12, 0.45, 0.35)], "face", grain=40)
    out["face"].write_bytes(scene.jpeg(90))
    out["noise"].write_bytes(phone_jpeg())
    return out


@dataclass
class Figures:
    photo: str
    photo_bytes: int
    first_load: int  # bytes down
    upload: int  # bytes up, page load to card, previews included
    seconds: float  # photo chosen -> card downloaded
    download: int  # bytes down, photo chosen -> card downloaded
    card_bytes: int
    card_type: str
    moved_upload: int  # the same with the photo moved before making the card
    moved_seconds: float

    def lines(self) -> list[str]:
        def ok(v: float, budget: float) -> str:
            return "ok" if v <= budget else "OVER"
        return [
            f"  photo {self.photo} ({self.photo_bytes / 1e6:.1f} MB, 12 MP):",
            f"    first load: {self.first_load / 1000:.0f} KB down (budget "
            f"{BUDGETS['first load'] / 1000:.0f} KB) {ok(self.first_load, BUDGETS['first load'])}",
            f"    card as most make it: {self.seconds:.2f} s from choosing the photo to the "
            f"downloaded card (budget {BUDGETS['seconds to card']:.0f} s) "
            f"{ok(self.seconds, BUDGETS['seconds to card'])}; {self.upload / 1000:.0f} KB up "
            f"in all, previews included (budget 1000 KB) "
            f"{ok(self.upload, BUDGETS['upload per card'])}; {self.download / 1000:.0f} KB "
            f"down; the card: {self.card_type}, {self.card_bytes / 1000:.0f} KB",
            f"    photo moved first (made anew): {self.moved_seconds:.2f} s, "
            f"{self.moved_upload / 1000:.0f} KB up "
            f"{ok(self.moved_upload, BUDGETS['upload per card'])}",
        ]


def _throttle(page: object) -> None:
    cdp = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY, "downloadThroughput": DOWN,
        "uploadThroughput": UP})


def _wait(page: object, script: str, timeout: float = 60000) -> None:
    page.wait_for_function(script, timeout=timeout)  # type: ignore[attr-defined]


PLACED = "() => document.querySelector('[data-preview]').dataset.photo === 'placed'"
IDLE = "() => !document.querySelector('[data-preview]').dataset.pending"


def one_card(browser: object, url: str, relay: Relay, photo: Path, move: bool,
             ) -> tuple[int, int, float, int, int, str]:
    """(first load bytes, upload bytes, seconds, download bytes, card bytes, card type)."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
        has_touch=True, accept_downloads=True)
    page = context.new_page()
    _throttle(page)
    relay.reset()
    page.goto(url, wait_until="load")
    _wait(page, IDLE)
    page.wait_for_load_state("networkidle")
    first_load = relay.down
    page.fill("#name", "Aoife Ní Bhriain")
    page.check("#pledge-choice-own")
    page.type("#pledge_own", "read to my baby every night", delay=40)
    page.fill("#org", "Sure Start Newry")
    _wait(page, IDLE)
    down_before = relay.down
    start = time.perf_counter()
    page.set_input_files("#photo", str(photo))
    _wait(page, PLACED)
    if move:
        page.get_by_role("button", name="Zoom in").click()
        page.get_by_role("button", name="Move left").click()
    page.get_by_role("button", name="Make my card").click()
    link = page.locator("[data-download-link]")
    link.wait_for(state="visible", timeout=60000)
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    seconds = time.perf_counter() - start
    figures = (first_load, relay.up, seconds, relay.down - down_before, len(data),
               info.value.suggested_filename.rsplit(".", 1)[-1])
    context.close()
    return figures


def run(names: list[str], say: Callable[[str], None] = print) -> list[Figures]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("IMHCARD_CHROMIUM", "/usr/bin/chromium")
    folder = Path(tempfile.mkdtemp())
    files = photos(folder)
    out = []
    with serve() as port, sync_playwright() as p:
        relay = Relay(port)
        url = f"http://127.0.0.1:{relay.port}/"
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        one_card(browser, url, relay, files["face"], False)  # warm the server's caches
        for name in names:
            first, up, secs, down, size, kind = one_card(browser, url, relay, files[name], False)
            _, up2, secs2, _, _, _ = one_card(browser, url, relay, files[name], True)
            fig = Figures(name, files[name].stat().st_size, first, up, secs, down, size, kind,
                          up2, secs2)
            out.append(fig)
            for line in fig.lines():
                say(line)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photo", choices=("face", "noise"), action="append")
    args = parser.parse_args()
    print(f"imhcard page benchmark: {UP * 8 / 1000:.0f} kbit/s up, {DOWN * 8 / 1e6:.1f} Mbit/s "
          f"down, {LATENCY} ms latency (Chromium's network emulation), 360×740 touch, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    run(args.photo or ["face", "noise"])


if __name__ == "__main__":
    main()
