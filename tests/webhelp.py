"""Helpers for the web page's tests: photos as phones make them, and a real
`imhcard serve` in a subprocess on a free port."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from conftest import sample_photo
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures" / "photos"
CHECKOUT = Path(__file__).resolve().parent.parent


def jpeg(image: Image.Image, **save: object) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=90, **save)  # type: ignore[arg-type]
    return buf.getvalue()


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def rotated_jpeg() -> bytes:
    """sample_photo stored on its side, as a phone held upright stores it (EXIF 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return jpeg(sample_photo().transpose(Image.Transpose.ROTATE_90), exif=exif.tobytes())


def phone_jpeg(seed: int = 1) -> bytes:
    """A 12-megapixel (4000×3000) JPEG of about 4 MB, with camera-like noise."""
    rng = np.random.default_rng(seed)
    coarse = Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8))
    smooth = np.asarray(coarse.resize((4000, 3000), Image.Resampling.BILINEAR), dtype=np.int16)
    noisy = np.clip(smooth + rng.integers(-12, 13, smooth.shape, dtype=np.int16), 0, 255)
    buf = io.BytesIO()
    Image.fromarray(noisy.astype(np.uint8)).save(buf, "JPEG", quality=88)
    return buf.getvalue()


def bomb_png() -> bytes:
    """A tiny PNG whose header claims 30000×30000 pixels (900 megapixels)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * 30000
    idat = zlib.compress(row * 64, 9)  # the first rows only: the header is what counts
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 0,
                                                              0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    cwd: Path
    tmp: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_server(folder: Path, *args: str, wait: float = 90.0) -> Iterator[Server]:
    """`imhcard serve` as a supporter's alliance runs it, in an empty working folder and
    with its own empty temporary folder, so a test can see that nothing was written."""
    cwd, tmp = folder / "cwd", folder / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    port = free_port()
    log = folder / "server.log"
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(CHECKOUT)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "imhcard", "serve", "--port", str(port), *args],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, cwd, tmp, log)
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise AssertionError(f"imhcard serve exited: {server.log_text()}")
            try:
                if httpx.get(server.url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"imhcard serve did not start: {server.log_text()}")
            time.sleep(0.25)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def chromium_path() -> str | None:
    """The Chromium the browser tests drive: $IMHCARD_CHROMIUM or the system's."""
    for path in (os.environ.get("IMHCARD_CHROMIUM"), "/usr/bin/chromium",
                 "/usr/bin/chromium-browser"):
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return None


CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-gpu"]
