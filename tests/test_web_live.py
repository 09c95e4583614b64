"""The routes behind the page's live preview and its one upload, over HTTP in process:
POST /frame (the card without its photo, to draw the photo under), POST /photo (where
the photo sits in every card, and the card at once), the crop the supporter did or did
not touch, the plain form's kept photo, the file type chosen for the phone, and the
light fonts."""

from __future__ import annotations

import base64
import gzip
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import facehelp
import pytest
from conftest import sample_photo
from PIL import Image, ImageChops, ImageDraw
from starlette.testclient import TestClient
from webhelp import FIXTURES, jpeg, png

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Crop
from imhcard.core.theme import Theme
from imhcard.render import faces
from imhcard.render.cover import cover_box
from imhcard.web.app import create_app

AOIFE = {"name": "Aoife Ní Bhriain", "pledge": "speak-up", "org": "Sure Start Newry"}
OWN = {"name": "Aoife Ní Bhriain", "pledge_choice": "own"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app("2026", workers=2, queue=8)) as c:
        yield c


def post(client: TestClient, path: str, photo: bytes | None = None, **fields: Any) -> Any:
    data = {k: v for k, v in {**AOIFE, **fields}.items() if v is not None}
    files = {"photo": ("me.jpg", photo or b"", "application/octet-stream")}
    return client.post(path, data=data, files=files)


def image_of(data_url: str) -> Image.Image:
    head, _, b64 = data_url.partition(",")
    assert head in ("data:image/webp;base64", "data:image/png;base64")
    return Image.open(io.BytesIO(base64.b64decode(b64)))


def lines(r: Any) -> list[dict[str, Any]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/x-ndjson"
    return [json.loads(line) for line in r.text.splitlines() if line]


# --- the frame --------------------------------------------------------------------------


def test_a_frame_is_the_card_without_its_photo(client: TestClient, theme_2026: Theme) -> None:
    r = client.post("/frame?photo=1", data={**AOIFE, "format": "instagram-square"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    f = r.json()
    assert (f["format"], f["style"], f["factor"], f["size"]) == ("instagram-square", "photo",
                                                                 2, [1080, 1080])
    assert f["window"] == [0, 0, 1080, 580]  # the photo style's photo box
    layer = image_of(f["layer"]).convert("RGBA")
    assert layer.size == (540, 540)
    alpha = layer.getchannel("A")
    assert alpha.getpixel((270, 150)) == 0  # the photo shows through its window
    assert alpha.getpixel((100, 400)) == 255  # the words' panel is opaque
    assert alpha.getpixel((440, 340)) == 255  # the QR sticker, over the photo's edge
    marks = f["marks"]
    assert marks is not None and marks["moved"] and len(marks["failing"]) == 2
    assert all(len(t) == 256 and set(t) <= {"0", "1"} for t in marks["failing"])
    assert f["pledge_chars"] is None  # a prompt: nothing to count


def test_a_frame_without_a_photo_is_the_whole_card(client: TestClient) -> None:
    f = client.post("/frame?layer=png", data={**AOIFE, "format": "story"}).json()
    assert f["window"] is None and f["marks"] is None and f["style"] == "text"
    layer = image_of(f["layer"])
    assert layer.format == "PNG" and layer.size == (360, 640)
    assert layer.convert("RGBA").getchannel("A").getextrema() == (255, 255)


def test_the_text_styles_frame_has_a_round_window(client: TestClient) -> None:
    f = client.post("/frame?photo=1", data={**AOIFE, "style": "text"}).json()
    assert f["shape"] == "circle"
    x, y, w, h = f["window"]
    assert w == h
    alpha = image_of(f["layer"]).convert("RGBA").getchannel("A")
    cx, cy = (x + w / 2) / 2, (y + h / 2) / 2
    assert alpha.getpixel((int(cx), int(cy))) == 0
    assert alpha.getpixel((int(x / 2) + 2, int(y / 2) + 2)) == 255  # the circle's corner


def test_a_frame_says_what_is_wrong_with_the_words_in_the_pages_language(
        client: TestClient) -> None:
    r = client.post("/frame", data={**AOIFE, "name": "Aoife \ue000", "lang": "ga"})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "name" and "U+E000" in r.json()["error"]["message"]


@pytest.mark.parametrize(("typed", "counted"), [
    ("read to my baby every night", 27),
    ("I pledge to read to my baby every night.", 28),  # the stem is the card's own
    ("“I will read to my baby every night!!”", 29),
    ("  read   to my baby  ", 15),
])
def test_the_counter_counts_what_the_server_counts(client: TestClient, typed: str,
                                                    counted: int) -> None:
    f = client.post("/frame", data={**OWN, "pledge_own": typed}).json()
    assert f["pledge_chars"] == counted


def test_the_counter_and_the_limit_agree_past_the_limit(client: TestClient) -> None:
    """The server's count in its own error is the count the page shows: one number."""
    typed = "I pledge to " + "read to my baby " * 9 + "and sing."
    r = client.post("/frame", data={**OWN, "pledge_own": typed})
    assert r.status_code == 422
    body = r.json()
    n = int(re.search(r"is (\d+) characters", body["error"]["message"]).group(1))  # type: ignore[union-attr]
    assert body["pledge_chars"] == n > 140
    assert len(typed) != n  # what was typed is not what counts


def _compose_like_the_page(frame: dict[str, Any], photo: Image.Image, crop: Crop,
                           move: str = "") -> Image.Image:
    """The preview as page.js draws it: the photo under the frame's window by the crop
    rule, the marks in the colour that reads there (moved as the photo's framing says),
    the layer on top."""
    layer = image_of(frame["layer"]).convert("RGBA")
    k = frame["factor"]
    x, y, w, h = frame["window"]
    out = Image.new("RGBA", layer.size, frame["under"])
    box = cover_box(photo.width, photo.height, w, h, crop)
    shown = photo.convert("RGB").resize((round(w / k), round(h / k)), Image.Resampling.BILINEAR,
                                        box=box)
    out.paste(shown, (round(x / k), round(y / k)))
    m = frame["marks"]
    if m:
        dx, dy = m["moved"][move] if move else (0, 0)
        cx, cy, cw, ch = ((m["chip"][0] + dx) / k, (m["chip"][1] + dy) / k,
                          m["chip"][2] / k, m["chip"][3] / k)
        region = out.crop((int(cx), int(cy), int(cx + cw), int(cy + ch))).convert("RGB").convert(
            "L", (0.2126, 0.7152, 0.0722, 0))
        hist = region.histogram()
        shares = [sum(n for n, bad in zip(hist, t, strict=True) if bad == "1") / sum(hist)
                  for t in m["failing"]]
        best = 1 if shares[1] < shares[0] else 0
        chip = shares[best] > m["max_failing"]
        colour = m["colours"][0] if chip else m["colours"][best]
        if chip:
            solid = Image.new("RGBA", out.size, (0, 0, 0, 0))
            ImageDraw.Draw(solid).rounded_rectangle(
                (cx, cy, cx + cw - 1, cy + ch - 1), radius=m["radius"] / k,
                fill=(*Image.new("RGB", (1, 1), m["chip_colour"]).getpixel((0, 0)),
                      round(255 * m["chip_opacity"])))
            out.alpha_composite(solid)
        mask = image_of(m["mask"]).convert("LA").getchannel("A")
        tint = Image.new("RGBA", mask.size, colour)
        tint.putalpha(mask)
        mx, my = m["box"][0], m["box"][1]
        out.alpha_composite(tint, (round((mx - mx % k + dx) / k), round((my - my % k + dy) / k)))
    out.alpha_composite(layer)
    return out.convert("RGB")


@pytest.mark.parametrize(("style", "fmt"), [("photo", "instagram-square"), ("text", "story"),
                                            ("photo", "facebook")])
def test_the_frame_and_the_photo_make_the_card(client: TestClient, style: str,
                                               fmt: str) -> None:
    """What the page draws from the frame and its photo is the card the pipeline makes
    from the same photo and crop (the browser's own drawing: test_web_browser.py)."""
    scene = facehelp.compose((1200, 1600), [("kodim04", 0.3, 0.4, 0.35)], "one", grain=20)
    photo = scene.jpeg()
    crop = Crop(0.45, 0.4, 1.3)
    frame = client.post("/frame?photo=1", data={**AOIFE, "style": style,
                                                 "format": fmt}).json()
    card = post(client, "/card", photo, style=style, format=fmt, crop="set",
                crop_x=str(crop.x), crop_y=str(crop.y), zoom=str(crop.zoom))
    made = Image.open(io.BytesIO(card.content)).convert("RGB").reduce(frame["factor"])
    placed = lines(post(client, "/photo", photo))[0]["framings"][fmt][style]
    drawn = _compose_like_the_page(frame, Image.open(io.BytesIO(photo)), crop,
                                   placed.get("move_marks") or "")
    diff = ImageChops.difference(made, drawn).convert("L")
    hist = diff.histogram()
    mean = sum(i * n for i, n in enumerate(hist)) / sum(hist)
    large = sum(hist[40:]) / sum(hist)
    # Resampling differs (the card is drawn large and reduced, the preview drawn small):
    # a mean difference of a few levels, and edges a pixel apart.
    assert mean < 4, mean
    assert large < 0.02, large


# --- the photo, sent once ---------------------------------------------------------------


def test_photo_gives_its_place_in_every_card(client: TestClient) -> None:
    got = lines(post(client, "/photo", jpeg(sample_photo((600, 800)))))
    assert len(got) == 1
    framings = got[0]["framings"]
    assert set(framings) == set(FORMATS)
    for fmt, styles in framings.items():
        assert set(styles) == {"photo", "text"}, fmt
        for place in styles.values():
            assert 0 <= place["x"] <= 1 and 0 <= place["y"] <= 1 and place["zoom"] >= 1
    # No faces in this picture: the rule's own place (a portrait keeps its upper part).
    square = framings["instagram-square"]["photo"]
    assert not square["faces"] and square["x"] == 0.5 and square["y"] < 0.5


@pytest.mark.skipif(not faces.available(), reason="the face extra is not installed")
def test_photo_places_a_face_as_the_card_will(client: TestClient) -> None:
    got = lines(post(client, "/photo", facehelp.at_edge("bottom").jpeg()))[0]["framings"]
    assert got["facebook"]["photo"]["faces"] and got["facebook"]["photo"]["move_marks"]


def test_photo_with_card_sends_the_card_at_once(client: TestClient) -> None:
    r = client.post("/photo?card=1", data={**AOIFE, "image_format": "auto"},
                    files={"photo": ("me.jpg", jpeg(sample_photo((600, 800))), "image/jpeg")},
                    headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and r.headers["x-accel-buffering"] == "no"
    first, second = lines(r)
    assert "framings" in first
    card = second["card"]
    assert card["media_type"] == "image/jpeg"  # a card with a photo: JPEG, for the phone
    assert card["filename"] == "aoife-ni-bhriain-instagram-square.jpg"
    same = post(client, "/card.json", jpeg(sample_photo((600, 800))), image_format="jpeg")
    # The same card as /card.json makes (pixels: the JPEG's sRGB profile carries the
    # time each worker made it).
    assert Image.open(io.BytesIO(base64.b64decode(card["image"]))).tobytes() == \
        Image.open(io.BytesIO(base64.b64decode(same.json()["image"]))).tobytes()


def test_photo_with_words_not_ready_sends_the_places_and_the_reason(client: TestClient) -> None:
    r = client.post("/photo?card=1", data={**AOIFE, "name": ""},
                    files={"photo": ("me.jpg", jpeg(sample_photo()), "image/jpeg")})
    first, second = lines(r)
    assert "framings" in first and second["error"]["field"] == "name"


def test_heic_the_browser_cannot_read_comes_back_as_the_servers_copy(client: TestClient) -> None:
    heic = (FIXTURES / "portrait.heic").read_bytes()
    got = lines(post(client, "/photo?copy=1", heic))[0]
    copy = Image.open(io.BytesIO(base64.b64decode(got["copy"])))
    assert copy.format == "JPEG" and not copy.info.get("exif")
    assert copy.height > copy.width  # upright, as the phone took it
    assert "framings" in got


@pytest.mark.parametrize(("photo", "code", "status"), [
    (b"", "photo_missing", 422), (b"not a photo at all", "photo_unreadable", 422)])
def test_photo_errors(client: TestClient, photo: bytes, code: str, status: int) -> None:
    r = post(client, "/photo", photo, lang="ga")
    assert r.status_code == status and r.json()["error"]["code"] == code
    assert r.json()["error"]["field"] == "photo"


def test_a_phone_sized_copy_is_no_bigger_than_the_cards_need(client: TestClient) -> None:
    big = Image.new("RGB", (3000, 4000), (120, 140, 160))
    got = lines(post(client, "/photo?copy=1", jpeg(big)))[0]
    copy = Image.open(io.BytesIO(base64.b64decode(got["copy"])))
    assert copy.size == (1080, 1440)  # covers the largest photo box, 1080 wide, at zoom 1


# --- the crop, touched or not ----------------------------------------------------------


def test_an_untouched_crop_is_the_automatic_one(client: TestClient) -> None:
    photo = jpeg(sample_photo((600, 900)))
    auto = post(client, "/card", photo).content
    assert post(client, "/card", photo, crop="auto", crop_x="0.5", crop_y="0.5",
                zoom="1").content == auto
    centred = post(client, "/card", photo, crop="set", crop_x="0.5", crop_y="0.5",
                   zoom="1").content
    assert centred != auto  # the centre, asked for, is not the automatic upper part
    assert post(client, "/card", photo, crop_x="0.5", crop_y="0.5", zoom="1").content == centred


# --- the plain form keeps the photo -----------------------------------------------------


def test_the_plain_form_keeps_the_photo_after_an_error(client: TestClient) -> None:
    r = client.post("/", data={"name": "", "pledge_choice": "listen", "lang": "en"},
                    files={"photo": ("me.jpg", jpeg(sample_photo((600, 800))), "image/jpeg")})
    assert r.status_code == 422
    kept = re.search(r'name="photo_kept" value="([^"]+)"', r.text)
    assert kept and "Your photo is still here" in r.text
    again = client.post("/", data={"name": "Seán", "pledge_choice": "listen", "lang": "en",
                                   "photo_kept": kept.group(1)},
                        files={"photo": ("", b"", "application/octet-stream")})
    assert again.status_code == 200
    assert "Their photo fills the top of the card" in again.text
    assert 'name="photo_kept"' in again.text  # kept for the next card too
    gone = client.post("/", data={"name": "Seán", "pledge_choice": "listen", "lang": "en",
                                  "photo_kept": kept.group(1), "photo_remove": "1"},
                       files={"photo": ("", b"", "application/octet-stream")})
    assert "photo" not in re.search(r'alt="([^"]*)"', gone.text.split(
        'class="result-card"')[1]).group(1).lower()  # type: ignore[union-attr]


def test_a_kept_photo_that_is_not_base64_is_a_400(client: TestClient) -> None:
    r = client.post("/card", data={**AOIFE, "photo_kept": "%%%"},
                    files={"photo": ("", b"", "application/octet-stream")})
    assert r.status_code == 400 and r.json()["error"]["field"] == "photo"


# --- what comes back --------------------------------------------------------------------


def test_auto_file_type(client: TestClient) -> None:
    with_photo = post(client, "/card.json", png(sample_photo()), image_format="auto").json()
    assert with_photo["media_type"] == "image/jpeg"
    words_only = post(client, "/card.json", None, image_format="auto").json()
    assert words_only["media_type"] == "image/png"


def test_card_json_is_gzipped_for_a_phone(client: TestClient) -> None:
    r = client.post("/card.json", data=AOIFE, headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    raw = len(json.dumps(r.json()).encode())
    assert int(r.headers["content-length"]) < 0.8 * raw


def test_the_page_loads_light_fonts(client: TestClient) -> None:
    css = client.get("/theme.css").text
    assert css.count(".woff2)") == 3 and ".ttf" not in css
    for role in ("display", "body", "body_bold"):
        r = client.get(f"/fonts/{role}.woff2")
        assert r.status_code == 200 and r.headers["content-type"] == "font/woff2"
        assert r.content[:4] == b"wOF2" and len(r.content) < 40_000
    assert client.get("/fonts/body.ttf").content[:4] == b"\x00\x01\x00\x00"
    assert client.get("/fonts/nothing.woff2").status_code == 404


def test_gzip_is_only_for_clients_that_take_it(client: TestClient) -> None:
    r = client.post("/frame", data=AOIFE, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in r.headers
    assert gzip.compress(r.content)  # plain JSON
