"""The same supporter through the three doors — `imhcard card`, `imhcard batch` and the
page (POST /card) — gives the same card, pixel for pixel, in both styles, every format,
with and without a photo, for photos as phones and people really send them.

Each door is driven as its user drives it (the installed CLI's code through click, a
CSV through the batch runner, a multipart upload through the ASGI app and its render
workers); nothing here calls the card pipeline directly, so a door that makes its card
any other way fails."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import facehelp
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw
from starlette.testclient import TestClient

from imhcard.batch.options import BatchOptions
from imhcard.batch.runner import run_batch
from imhcard.cli import cli
from imhcard.core.formats import FORMATS
from imhcard.core.theme import load_theme, resolve_theme
from imhcard.render import faces
from imhcard.render.framing import face_window
from imhcard.render.static import layout_for
from imhcard.web.app import create_app

# A real browser, a real server or the pool's processes: the slow part of the suite.
pytestmark = pytest.mark.slow

WHO = {"name": "Caoimhe Ní Dhónaill", "pledge": "listen", "org": "Home-Start Newry",
       "handle": "caoimhe.nd"}


def _portrait(size: tuple[int, int]) -> Image.Image:
    """A photo-like picture: a gradient sky, a face-sized disc, grain."""
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    w, h = size
    ImageDraw.Draw(img).ellipse((w // 3, h // 5, 2 * w // 3, h // 2), fill=(224, 172, 140))
    return Image.blend(img, Image.effect_noise(size, 30).convert("RGB"), 0.15)


def _phone_jpeg() -> bytes:
    """A 12-megapixel phone photo stored sideways with EXIF orientation 6."""
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    _portrait((3000, 4000)).rotate(90, expand=True).save(buf, "JPEG", quality=88,
                                                           exif=exif.tobytes())
    return buf.getvalue()


def _png_with_alpha() -> bytes:
    img = _portrait((900, 700)).convert("RGBA")
    img.putalpha(Image.linear_gradient("L").resize((900, 700)).point(lambda v: 80 + v // 2))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _small_cmyk_jpeg() -> bytes:
    buf = io.BytesIO()
    _portrait((160, 220)).convert("CMYK").save(buf, "JPEG")
    return buf.getvalue()


PHOTOS = {"none": b"", "phone-jpeg": _phone_jpeg(), "png-alpha": _png_with_alpha(),
          "small-cmyk": _small_cmyk_jpeg()}
CASES = [(style, photo) for style in ("text", "photo") for photo in PHOTOS]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app("2026", workers=1, queue=8)) as c:
        yield c


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        return img.convert("RGB").tobytes()


def _cli_cards(tmp: Path, style: str, photo: str) -> dict[str, bytes]:
    args = ["card", "--theme", "2026", "--style", style, "--out", str(tmp / "cli"),
            *[a for k, v in WHO.items() for a in (f"--{k}", v)]]
    if PHOTOS[photo]:
        (tmp / "me.img").write_bytes(PHOTOS[photo])
        args += ["--photo", str(tmp / "me.img")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return {fmt: next((tmp / "cli").glob(f"*-{fmt}.p[nd][gf]")).read_bytes() for fmt in FORMATS}


def _batch_cards(tmp: Path, style: str, photo: str) -> dict[str, bytes]:
    folder = tmp / "batch-in"
    folder.mkdir()
    cell = ""
    if PHOTOS[photo]:
        (folder / "photo.img").write_bytes(PHOTOS[photo])
        cell = "photo.img"
    with (folder / "signups.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Name", "Pledge", "Organisation", "Instagram", "Photo", "Style"])
        out.writerow([WHO["name"], WHO["pledge"], WHO["org"], WHO["handle"], cell, style])
    summary = run_batch(BatchOptions(input=folder / "signups.csv", out_dir=tmp / "batch",
                                     theme_path=resolve_theme("2026"), workers=1))
    assert summary.failed == 0
    return {fmt: next((tmp / "batch").glob(f"00002-*-{fmt}.p[nd][gf]")).read_bytes()
            for fmt in FORMATS}


def _web_card(client: TestClient, style: str, photo: str, fmt: str) -> bytes:
    files = {"photo": ("me.img", PHOTOS[photo], "application/octet-stream")}
    r = client.post("/card", data={**WHO, "style": style, "format": fmt}, files=files)
    assert r.status_code == 200, r.text
    return r.content


@pytest.mark.slow
@pytest.mark.parametrize(("style", "photo"), CASES)
def test_the_three_doors_make_the_same_card(tmp_path: Path, client: TestClient, style: str,
                                            photo: str) -> None:
    cli_cards = _cli_cards(tmp_path, style, photo)
    batch_cards = _batch_cards(tmp_path, style, photo)
    for fmt, f in FORMATS.items():
        web = _web_card(client, style, photo, fmt)
        if f.is_print:  # a PDF with fixed dates: the same image gives the same bytes
            assert cli_cards[fmt] == batch_cards[fmt] == web, fmt
            continue
        cli_pixels = _pixels(cli_cards[fmt])
        assert _pixels(batch_cards[fmt]) == cli_pixels, f"batch differs from CLI: {fmt}"
        assert _pixels(web) == cli_pixels, f"page differs from CLI: {fmt}"


def test_a_photo_card_is_drawn_from_a_photo_as_sharp_as_its_frame(client: TestClient) -> None:
    """The page's photo card is not an upscaled copy: its photo area has as much fine
    detail as the same card from the CLI (it once had half, from the text style's circle)."""
    web = Image.open(io.BytesIO(_web_card(client, "photo", "phone-jpeg", "instagram-square")))
    area = web.convert("L").crop((440, 0, 1080, 540))  # the photo alone: no marks, no QR
    edges = [abs(a - b) for a, b in zip(area.tobytes(), area.tobytes()[1:], strict=False)]
    energy = sum(edges) / len(edges)
    blurred = area.resize((320, 270)).resize((640, 540))
    soft = [abs(a - b) for a, b in zip(blurred.tobytes(), blurred.tobytes()[1:], strict=False)]
    assert energy > 1.5 * sum(soft) / len(soft)


@pytest.mark.slow
@pytest.mark.skipif(not faces.available(), reason="the face extra is not installed")
@pytest.mark.parametrize("scene", ["baby_low", "pair"])
def test_the_cards_keep_the_faces_whole(tmp_path: Path, scene: str) -> None:
    """A card made through `imhcard card` keeps the faces of the photo whole and clear of
    what is drawn over its photo: the card's own photo area, looked at again, still has
    a face. (Where a layout leaves no room, as for a face at the very bottom of the
    photo on the landscape photo cards whose logo chip sits low, see test_framing.)"""
    photo = {"baby_low": facehelp.baby_low, "pair": facehelp.pair}[scene]()
    (tmp_path / "me.jpg").write_bytes(photo.jpeg())
    theme = load_theme(resolve_theme("2026"))
    for style in ("photo", "text"):
        out = tmp_path / style
        result = CliRunner().invoke(cli, ["card", "--theme", "2026", "--name", "Aoife",
                                          "--pledge", "listen", "--style", style,
                                          "--photo", str(tmp_path / "me.jpg"), "--out",
                                          str(out)])
        assert result.exit_code == 0, result.output
        for fmt_name, fmt in FORMATS.items():
            if fmt.is_print or (style == "photo" and fmt.width > fmt.height):
                continue
            card = Image.open(next(out.glob(f"*-{fmt_name}.png"))).convert("RGB")
            window = face_window(layout_for(theme, fmt, style), style, fmt)
            assert window is not None
            el = layout_for(theme, fmt, style)["photo"]
            b = el.box
            side = min(b.w, b.h) if style == "text" and el.shape == "circle" else 0
            x0 = b.x + ((b.w - side) // 2 if side else 0)
            y0 = b.y + ((b.h - side) // 2 if side else 0)
            left, top, right, bottom = window.clear
            clear = card.crop((round(x0 + left), round(y0 + top), round(x0 + right),
                               round(y0 + bottom)))
            assert faces.find_faces(clear), f"{scene}: no whole face on {fmt_name} ({style})"
