"""The supporters' page over HTTP, in process (Starlette's TestClient): every field,
format and image type, Irish, photos as phones make them, every error a supporter can
cause, the security headers, and no file written anywhere."""

from __future__ import annotations

import base64
import io
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import sample_photo
from helper import decode_qr
from PIL import Image
from starlette.testclient import TestClient
from webhelp import FIXTURES, bomb_png, jpeg, png, rotated_jpeg

from imhcard.core.formats import FORMATS
from imhcard.core.limits import PAGE_BODY_MAX_BYTES as MAX_BODY
from imhcard.core.supporter import Supporter
from imhcard.core.theme import Theme
from imhcard.output.memory import card_bytes
from imhcard.web.app import create_app

AOIFE = {"name": "Aoife Ní Bhriain", "pledge": "speak-up", "org": "Sure Start Newry"}


@pytest.fixture(scope="module")
def temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The temporary folder the app (and its forked workers) would spool to."""
    folder = tmp_path_factory.mktemp("spool")
    before = tempfile.tempdir
    tempfile.tempdir = str(folder)
    yield folder
    tempfile.tempdir = before


@pytest.fixture(scope="module")
def client(temp_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app("2026", workers=1, queue=8)) as c:
        yield c


def post(client: TestClient, path: str = "/card", photo: bytes | None = None,
         photo_name: str = "me.jpg", **fields: Any) -> Any:
    files = {"photo": (photo_name, photo, "application/octet-stream")} if photo else None
    data = {**AOIFE, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    if files is None:  # still multipart, as the page sends it
        files = {"photo": ("", b"", "application/octet-stream")}
    return client.post(path, data=data, files=files)


def image_of(response: Any) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


# --- cards --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format(client: TestClient, theme_2026: Theme, fmt: str) -> None:
    r = post(client, format=fmt)
    assert r.status_code == 200, r.text
    f = FORMATS[fmt]
    if f.is_print:
        assert r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")
        ext = "pdf"
    else:
        assert r.headers["content-type"] == "image/png"
        img = image_of(r)
        assert img.size == (f.width, f.height)
        assert decode_qr(img) == [theme_2026.campaign_url(f)]
        ext = "png"
    assert r.headers["content-disposition"] == \
        f'attachment; filename="aoife-ni-bhriain-{fmt}.{ext}"'
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("image_format", "media", "pil"),
                         [("png", "image/png", "PNG"), ("jpeg", "image/jpeg", "JPEG"),
                          ("webp", "image/webp", "WEBP")])
def test_every_image_type(client: TestClient, image_format: str, media: str, pil: str) -> None:
    r = post(client, image_format=image_format)
    assert r.status_code == 200
    assert r.headers["content-type"] == media
    assert image_of(r).format == pil


def test_the_card_is_the_clis_card(client: TestClient, theme_2026: Theme) -> None:
    r = post(client, format="story", image_format="png", handle="aoife")
    same = card_bytes(theme_2026, Supporter(**AOIFE, handle="aoife"), FORMATS["story"])
    assert r.content == same.data


def test_card_json_carries_alt_text_and_caption(client: TestClient) -> None:
    r = post(client, "/card.json", format="x", image_format="jpeg")
    assert r.status_code == 200
    body = r.json()
    assert body["filename"] == "aoife-ni-bhriain-x.jpg"
    assert body["media_type"] == "image/jpeg"
    assert (body["width"], body["height"]) == (1600, 900)
    assert body["alt_text"].startswith("A pledge card for Infant Mental Health Awareness Week")
    assert "Aoife Ní Bhriain, Sure Start Newry" in body["alt_text"]
    assert "#StrongerFromTheStart" in body["caption"]
    assert Image.open(io.BytesIO(base64.b64decode(body["image"]))).size == (1600, 900)


def test_own_words_and_irish(client: TestClient) -> None:
    r = post(client, "/card.json", lang="ga", pledge="léamh le mo leanbh gach oíche")
    body = r.json()
    assert body["alt_text"].startswith("Cárta gealltanais do Sheachtain Feasachta")
    assert "Geallaim léamh le mo leanbh gach oíche" in body["alt_text"]
    prompt = post(client, "/card.json", lang="ga", pledge="listen").json()
    assert "éisteacht le leanaí" in prompt["alt_text"]


def test_preview_is_a_small_jpeg(client: TestClient) -> None:
    r = post(client, "/preview", format="story")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert max(image_of(r).size) <= 720
    assert r.headers["cache-control"] == "no-store"


# --- photos -------------------------------------------------------------------------


def photo_centre(img: Image.Image, theme: Theme, fy: float = 0.5) -> tuple[int, ...]:
    from imhcard.render.static import layout_for

    b = layout_for(theme, FORMATS["instagram-square"])["photo"].box
    d = min(b.w, b.h)
    px: tuple[int, ...] = img.convert("RGB").getpixel(
        (b.x + d // 2, b.y + (b.h - d) // 2 + round(fy * d)))
    return px


@pytest.mark.parametrize("kind", ["jpeg", "png", "heic", "exif-rotated"])
def test_photos_as_phones_make_them(client: TestClient, theme_2026: Theme, kind: str) -> None:
    photo = {"jpeg": lambda: jpeg(sample_photo()), "png": lambda: png(sample_photo()),
             "heic": lambda: (FIXTURES / "portrait.heic").read_bytes(),
             "exif-rotated": rotated_jpeg}[kind]()
    # The text style's circle shows the whole photo's middle (the photo style keeps
    # a portrait's upper part: tests/test_style.py).
    r = post(client, photo=photo, photo_name=f"me.{kind}", style="text")
    assert r.status_code == 200, r.text
    card = image_of(r)
    top, middle, bottom = (photo_centre(card, theme_2026, fy) for fy in (0.2, 0.5, 0.8))
    # Upright: red above, the yellow dot in the middle, blue below.
    assert top[0] > 180 and top[2] < 90, top
    assert middle[0] > 200 and middle[1] > 170, middle
    assert bottom[2] > 180 and bottom[0] < 90, bottom


def test_crop_moves_the_photo(client: TestClient, theme_2026: Theme) -> None:
    photo = jpeg(sample_photo())
    low = image_of(post(client, photo=photo, crop_x="0.5", crop_y="0.95", zoom="2",
                        style="text"))
    assert photo_centre(low, theme_2026)[2] > 180  # the blue half fills the circle


def test_no_metadata_from_the_photo(client: TestClient) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    r = post(client, photo=jpeg(sample_photo(), exif=exif.tobytes()), image_format="jpeg")
    assert r.status_code == 200 and b"SecretPhoneMaker" not in r.content


# --- errors -------------------------------------------------------------------------


def error_of(r: Any, status: int, field: str | None) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    err = r.json()["error"]
    assert err["field"] == field
    message: str = err["message"]
    assert err["detail"] and err["code"]  # for scripts: the staff wording and its code
    return message


def test_missing_name(client: TestClient) -> None:
    message = error_of(post(client, name=None), 422, "name")
    assert message == "Enter your name: a card needs it."


def test_pledge_too_long_says_how_much_to_cut(client: TestClient) -> None:
    message = error_of(post(client, pledge="x" * 150), 422, "pledge")
    assert message == ("Your pledge is 150 characters long: shorten it by 10 characters (the "
                       "most is 140).")


def test_mistyped_prompt_suggests_the_right_one(client: TestClient) -> None:
    r = post(client, pledge="speak-upp")
    assert "not one of the pledges" in error_of(r, 422, "pledge")
    assert "did you mean 'speak-up'?" in r.json()["error"]["detail"]


def test_thirty_megabyte_body_is_refused_before_reading(client: TestClient) -> None:
    message = error_of(post(client, photo=b"\xff" * (30 * 1024 * 1024)), 413, "photo")
    assert message.startswith("Your photo is over 15 MB: choose a smaller one")


def test_photo_over_the_cap_without_content_length(client: TestClient) -> None:
    # Sent in chunks with no declared length: the cap is checked while reading.
    boundary = "xyz"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAoife\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; "
            "filename=\"big.jpg\"\r\n\r\n").encode()

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(MAX_BODY // (1024 * 1024) + 2):
            yield b"\xff" * (1024 * 1024)

    r = client.post("/card", content=body(),
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert "over 15 MB" in error_of(r, 413, "photo")


def test_a_text_file_as_photo(client: TestClient) -> None:
    message = error_of(post(client, photo=b"name,pledge\nAoife,listen\n",
                            photo_name="signups.csv"), 422, "photo")
    assert message == ("Your photo cannot be read: it may be damaged or not a photo. Save it as "
                       "a JPEG or PNG and choose it again.")


def test_a_decompression_bomb(client: TestClient) -> None:
    message = error_of(post(client, photo=bomb_png(), photo_name="bomb.png"), 422, "photo")
    assert "the most is 50" in message


def test_a_character_no_font_has(client: TestClient) -> None:
    message = error_of(post(client, name="Aoife \ue000"), 422, "name")
    assert "U+E000" in message and "cannot be printed" in message


@pytest.mark.parametrize(("fields", "field", "words", "detail"), [
    ({"format": "tiktok"}, "format", "Choose a size from the list.",
     "unknown format 'tiktok'; choose one of: instagram-square"),
    ({"image_format": "gif"}, "image_format", "Choose a file type from the list.",
     "unknown image type 'gif'; choose one of: png"),
    ({"zoom": "9"}, "zoom", "The photo's position is out of range", "use a number from 1 to 4"),
    ({"crop_x": "left"}, "crop_x", "The photo's position is not a number",
     "use a number like 0.5"),
    ({"lang": "fr"}, "lang", "Choose one of these languages: en, ga.", "choose one of: en, ga"),
    ({"org": "o" * 101}, "org", "Your organisation is 101 characters long: shorten it to 100",
     "at most 100 fit on a card"),
])
def test_every_field_is_checked(client: TestClient, fields: dict[str, str], field: str,
                                words: str, detail: str) -> None:
    r = post(client, **fields)
    assert words in error_of(r, 422, field)
    assert detail in r.json()["error"]["detail"]


def test_malformed_body(client: TestClient) -> None:
    r = client.post("/card", content=b"{}", headers={"content-type": "application/json"})
    assert "reload the page" in error_of(r, 400, "form")
    assert "multipart/form-data" in r.json()["error"]["detail"]


def test_url_encoded_form_for_scripts(client: TestClient) -> None:
    r = client.post("/card", data={"name": "Seán", "pledge": "listen", "format": "linkedin"})
    assert r.status_code == 200 and image_of(r).size == (1200, 627)


def test_the_server_stays_up_after_errors(client: TestClient) -> None:
    post(client, photo=bomb_png())
    post(client, name="\ue000")
    assert client.get("/healthz").json()["ok"] is True
    assert post(client).status_code == 200


# --- the page ---------------------------------------------------------------------------


def test_page_in_english_and_irish(client: TestClient) -> None:
    en = client.get("/")
    assert en.status_code == 200 and '<html lang="en">' in en.text
    assert "Make your pledge card" in en.text and "I pledge to listen to babies" in en.text
    ga = client.get("/?lang=ga")
    assert '<html lang="ga">' in ga.text
    assert "Déan do chárta gealltanais" in ga.text and "Geallaim éisteacht" in ga.text
    for english in ("Your name", "Make my card", "Your privacy", "Download"):
        assert english not in ga.text


def test_plain_form_post_gives_the_card(client: TestClient) -> None:
    r = client.post("/", data={"name": "Seán", "pledge_choice": "own",
                               "pledge_own": "read to my baby every night", "lang": "en"},
                    files={"photo": ("", b"", "application/octet-stream")})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert 'src="data:image/png;base64,' in r.text
    assert 'download="sean-instagram-square.png"' in r.text
    assert "It reads: &#34;I pledge to read to my baby every night&#34;" in r.text


def test_plain_form_errors_follow_the_gov_uk_pattern(client: TestClient) -> None:
    r = client.post("/", data={"name": "", "pledge_choice": "listen", "lang": "ga"},
                    files={"photo": ("", b"", "application/octet-stream")})
    assert r.status_code == 422
    html = r.text
    assert '<html lang="ga">' in html and "Tá fadhb ann" in html
    assert re.search(r'class="error-summary" role="alert"', html)
    assert re.search(r'<a href="#name">[^<]+</a>', html)
    assert re.search(r'id="name"[^>]*aria-describedby="name-hint name-error" '
                     r'aria-invalid="true"', html)
    assert 'id="name-error"' in html


def test_names_are_escaped(client: TestClient) -> None:
    r = client.post("/", data={"name": "<script>alert(1)</script>", "pledge_choice": "x" * 200},
                    files={"photo": ("", b"", "application/octet-stream")})
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text


def test_theme_json(client: TestClient) -> None:
    t = client.get("/theme").json()
    assert t["languages"]["ga"]["prompts"]["listen"].startswith("éisteacht")
    assert [f["name"] for f in t["formats"]] == list(FORMATS)
    assert t["limits"]["pledge"] == 140 and t["limits"]["photo_bytes"] == 15 * 1024 * 1024
    assert t["image_formats"] == ["png", "jpeg", "webp"]


# --- privacy and security --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/healthz", "/theme", "/static/page.js", "/theme.css",
                                  "/fonts/body.ttf", "/nowhere"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in h


def test_page_has_no_inline_script_style_or_third_party(client: TestClient,
                                                        theme_2026: Theme) -> None:
    html = client.get("/").text
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/page.js" defer>']
    assert not re.search(r"\sstyle=|\son[a-z]+=", html)
    urls = re.findall(r'(?:src|href|action)="([^"]+)"', html)
    external = [u for u in urls if re.match(r"[a-z]+:", u) and not u.startswith("data:")]
    assert external == [theme_2026.url]  # a plain link the supporter may follow; never loaded


def test_nothing_is_written_to_disk(client: TestClient, temp_dir: Path) -> None:
    cwd = set(Path.cwd().iterdir())
    for photo in (jpeg(sample_photo()), b"\x00" * (3 * 1024 * 1024)):
        post(client, photo=photo)
    post(client, "/", photo=png(sample_photo()))
    assert list(temp_dir.iterdir()) == []
    assert set(Path.cwd().iterdir()) == cwd


def test_the_page_takes_a_card_style(client: TestClient) -> None:
    """The form's style field: the photo card by default with a photo, the words card on
    request; an unknown style is a 4xx naming the field."""
    photo = jpeg(sample_photo().convert("RGB"))
    default = post(client, "/card.json", photo=photo).json()
    assert "Their photo fills the top of the card" in default["alt_text"]
    text = post(client, "/card.json", photo=photo, style="text").json()
    assert "Their photo is at the top right" in text["alt_text"]
    bad = post(client, "/card.json", style="poster")
    assert bad.status_code in (400, 422)
    assert "style" in bad.text


def test_the_irish_page_says_its_errors_in_irish(client: TestClient) -> None:
    r = post(client, name=None, lang="ga")
    assert error_of(r, 422, "name") == "Scríobh d'ainm: ní féidir cárta a dhéanamh gan é."
    r = post(client, pledge="x" * 150, lang="ga")
    assert error_of(r, 422, "pledge").startswith("Tá do ghealltanas rófhada (150 carachtar)")
    page = client.post("/", data={"name": "", "pledge_choice": "listen", "lang": "ga"},
                       files={"photo": ("", b"", "application/octet-stream")})
    assert "Scríobh d&#39;ainm" in page.text and "a card needs" not in page.text


def test_a_form_too_big_to_read_is_answered_in_the_pages_language(client: TestClient) -> None:
    """The form's own `lang` is never read when the body is refused, so the page and its
    script send the language in the address too."""
    big = {"photo": ("big.jpg", b"\xff" * (MAX_BODY + 1024), "image/jpeg")}
    page = client.post("/?lang=ga", data={"name": "Aoife", "lang": "ga"}, files=big)
    assert page.status_code == 413 and '<html lang="ga">' in page.text
    assert "15 MB" in page.text and "Your photo is over" not in page.text
    r = client.post("/card.json?lang=ga", data={"name": "Aoife", "lang": "ga"}, files=big)
    assert r.status_code == 413 and "Your photo" not in r.json()["error"]["message"]
    english = client.post("/card.json", data={"name": "Aoife"}, files=big)
    assert english.json()["error"]["message"].startswith("Your photo is over 15 MB")
