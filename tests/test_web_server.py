"""A real `imhcard serve` in a subprocess on a free port, as an alliance runs it: cards
with a phone's photo, errors, overload (503), graceful shutdown, what it logs, and that
nothing lands on its disk."""

from __future__ import annotations

import io
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from helper import decode_qr
from PIL import Image
from webhelp import Server, bomb_png, phone_jpeg, running_server

from imhcard.core.formats import FORMATS
from imhcard.core.theme import Theme

# A real browser, a real server or the pool's processes: the slow part of the suite.
pytestmark = pytest.mark.slow

AOIFE = {"name": "Aoife Ní Bhriain", "pledge": "speak-up", "org": "Sure Start Newry"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("serve"), "--workers", "2") as s:
        yield s


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    return phone_jpeg()


def post(server: Server, path: str = "/card", photo: bytes | None = None, timeout: float = 60,
         **fields: str) -> httpx.Response:
    files = {"photo": ("IMG_0001.jpg", photo or b"", "image/jpeg")}
    return httpx.post(server.url + path, data={**AOIFE, **fields}, files=files, timeout=timeout)


def test_card_with_a_phone_photo(server: Server, phone_photo: bytes, theme_2026: Theme) -> None:
    assert 3_000_000 < len(phone_photo) < 6_000_000  # about what a phone saves
    r = post(server, photo=phone_photo)
    assert r.status_code == 200, r.text
    img = Image.open(io.BytesIO(r.content))
    assert img.size == (1080, 1080)
    assert decode_qr(img) == [theme_2026.campaign_url(FORMATS["instagram-square"])]
    assert r.headers["content-disposition"] == \
        'attachment; filename="aoife-ni-bhriain-instagram-square.png"'


def test_irish_card_json(server: Server) -> None:
    body = post(server, "/card.json", lang="ga", format="print-a5").json()
    assert body["media_type"] == "application/pdf"
    assert body["alt_text"].startswith("Cárta gealltanais")


def test_errors_over_the_wire(server: Server) -> None:
    r = post(server, photo=b"just some text\n")
    assert r.status_code == 422 and r.json()["error"]["field"] == "photo"
    r = post(server, photo=bomb_png())
    assert r.status_code == 422 and "the limit is 50 megapixels" in r.json()["error"]["detail"]
    r = post(server, name="")
    assert r.json()["error"] == {"field": "name", "message": "Enter your name: a card needs it.",
                                 "code": "empty",
                                 "detail": "the name is empty; a card needs the supporter's name"}


def test_thirty_megabytes_is_413(server: Server) -> None:
    r = post(server, photo=b"\xff" * (30 * 1024 * 1024))
    assert r.status_code == 413
    assert r.json()["error"]["field"] == "photo"
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_security_headers(server: Server) -> None:
    for path in ("/", "/static/page.css"):
        h = httpx.get(server.url + path).headers
        assert h["content-security-policy"].startswith("default-src 'self'")
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        assert "server" not in h


def test_log_has_no_names_and_disk_has_nothing(server: Server, phone_photo: bytes) -> None:
    post(server, photo=phone_photo, name="Zebedee Quartermaine")
    post(server, "/", photo=phone_photo, name="Zebedee Quartermaine")
    httpx.get(server.url + "/?lang=ga&name=Zebedee")
    # The first line says where the page is; after it, no visitor's address.
    first, _, log = server.log_text().partition("\n")
    assert first.startswith("imhcard: the supporters' page is at http://127.0.0.1:")
    # The shipped 2026 theme is a draft: whoever starts the page is told, every time.
    assert "imhcard: theme " in log and "WARNING: DRAFT THEME" in log
    assert "Zebedee" not in log and "127.0.0.1" not in log and "lang=" not in log
    request_lines = [line for line in log.splitlines() if re.search(r" (GET|POST) ", line)]
    assert request_lines
    for line in request_lines:
        assert re.fullmatch(r"\S+ \S+ (GET|POST) /[\w./-]* \d{3} \d+ms", line), line
    assert list(server.cwd.iterdir()) == []
    assert list(server.tmp.iterdir()) == []


def test_overload_is_503_and_shutdown_is_graceful(tmp_path: Path, phone_photo: bytes) -> None:
    with running_server(tmp_path, "--workers", "1", "--queue", "0") as s:
        def make(_: int) -> httpx.Response:
            return post(s, format="print-a5")

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(make, range(6)))
        codes = sorted(r.status_code for r in answers)
        assert set(codes) <= {200, 503} and codes[0] == 200 and codes[-1] == 503, codes
        busy = next(r for r in answers if r.status_code == 503)
        assert busy.headers["retry-after"].isdigit()
        assert busy.json()["error"]["code"] == "busy"

        # SIGTERM while a card is being made: that card still arrives, then it exits.
        result: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: result.setdefault(
            "r", post(s, format="print-a5", photo=phone_photo)))
        worker.start()
        deadline = time.monotonic() + 20
        while httpx.get(s.url + "/healthz").json()["busy"] == 0:  # until it is rendering
            assert time.monotonic() < deadline, "the card never reached a worker"
            time.sleep(0.02)
        s.process.send_signal(signal.SIGTERM)
        worker.join(60)
        assert result["r"].status_code == 200
        # The server finishes, then re-raises the signal so the exit status tells of it.
        assert s.process.wait(30) in (143, -signal.SIGTERM)
