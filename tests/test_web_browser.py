"""The supporters' page in a real Chromium, as a supporter on a phone uses it: making,
previewing, moving and downloading their card; the preview is the card; moving the photo
costs no request and follows the finger; nothing stale; errors that go when fixed; the
in-app browsers; the keyboard alone; Irish; no JavaScript; the layout at 360 px and at
200% zoom; axe-core finds no accessibility violations. Skipped when no Chromium is
installed, unless IMHCARD_REQUIRE_BROWSER=1 (CI sets it), which makes a missing browser
a failure."""

from __future__ import annotations

import base64
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import facehelp
import pytest
from conftest import sample_photo
from helper import decode_qr
from PIL import Image, ImageChops, ImageDraw
from webhelp import CHROMIUM_ARGS, Server, chromium_path, jpeg, running_server

from imhcard.core.formats import FORMATS
from imhcard.core.theme import Theme
from imhcard.render import faces

CHROMIUM = chromium_path()
if CHROMIUM is None:
    if os.environ.get("IMHCARD_REQUIRE_BROWSER") == "1":
        raise RuntimeError("IMHCARD_REQUIRE_BROWSER=1 but no Chromium at $IMHCARD_CHROMIUM or "
                           "/usr/bin/chromium; install it: apt-get install -y chromium")
    pytest.skip("no Chromium at $IMHCARD_CHROMIUM or /usr/bin/chromium (apt-get install "
                "chromium); set IMHCARD_REQUIRE_BROWSER=1 to make this a failure",
                allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
SCREEN = 740
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}
INSTAGRAM = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone14,5; iOS 17_5; "
             "en_GB; en-GB; scale=3.00; 1170x2532; 606542226)")
PLACED = "() => document.querySelector('[data-preview]').dataset.photo === 'placed'"
IDLE = "() => !document.querySelector('[data-preview]').dataset.pending"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("browser"), "--workers", "2") as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser: Browser, server: Server, path: str = "/", **options: Any) -> Page:
    context = browser.new_context(**{**PHONE, "accept_downloads": True, **options})
    pg = context.new_page()
    pg.outside = []  # type: ignore[attr-defined]
    # No request may leave this server: fonts, scripts and images are all its own.
    pg.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
          else pg.outside.append(r.url))  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.goto(server.url + path)
    return pg


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    pg = open_page(browser, server)
    yield pg
    assert pg.outside == [] and pg.errors == []  # type: ignore[attr-defined]
    pg.context.close()


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    out = {"plain": folder / "me.jpg", "dot": folder / "dot.jpg", "face": folder / "face.jpg"}
    out["plain"].write_bytes(jpeg(sample_photo((600, 800))))
    dot = Image.new("RGB", (1200, 1600), (60, 90, 150))
    ImageDraw.Draw(dot).ellipse((570, 570, 630, 630), fill=(250, 220, 20))
    out["dot"].write_bytes(jpeg(dot))
    scene = facehelp.compose((1500, 2000), [("kodim04", 0.3, 0.45, 0.35)], "face", grain=30)
    out["face"].write_bytes(scene.jpeg())
    # A face high at the left: on a square photo card the marks move across, off it.
    left = facehelp.compose((1500, 2000), [("astronaut", 0.2, 0.12, 0.3)], "left", grain=30)
    out["left"] = folder / "left.jpg"
    out["left"].write_bytes(left.jpeg())
    return out


def wait_idle(page: Page) -> None:
    page.wait_for_function(IDLE, timeout=30000)


def choose_photo(page: Page, path: Path) -> None:
    page.set_input_files("#photo", str(path))
    page.wait_for_function(PLACED, timeout=30000)
    wait_idle(page)


def preview_image(page: Page) -> Image.Image:
    """The preview as the page drew it, read from its canvas."""
    url: str = page.evaluate("document.querySelector('[data-preview]').toDataURL('image/png')")
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")


def shown_crop(page: Page) -> tuple[float, float, float]:
    wait_idle(page)  # drawn
    x, y, z = (float(v) for v in page.get_attribute("[data-preview]", "data-crop").split(","))  # type: ignore[union-attr]
    return x, y, z


def dot_on_screen(page: Page) -> tuple[float, float]:
    """Where the yellow dot of the 'dot' photo is on the screen, in CSS pixels."""
    wait_idle(page)
    img = preview_image(page)
    box = page.locator("[data-preview]").bounding_box()
    assert box is not None
    k = box["width"] / img.width
    yellow = [(x, y) for y in range(img.height) for x in range(img.width)
              if (p := img.getpixel((x, y))) and p[0] > 200 and p[1] > 170 and p[2] < 90]  # type: ignore[index]
    assert yellow, "the dot is not in the preview"
    cx = sum(x for x, _ in yellow) / len(yellow)
    cy = sum(y for _, y in yellow) / len(yellow)
    return box["x"] + (cx + 0.5) * k, box["y"] + (cy + 0.5) * k


def touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
        {"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})


def downloaded(page: Page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.locator("[data-download-link]").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def make_card(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Make my card|Déan mo chárta")).click()
    expect(page.locator("[data-share-section]")).to_be_visible(timeout=30000)


def assert_no_violations(page: Page, what: str) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def no_broken_images(page: Page) -> None:
    broken = page.evaluate("() => Array.from(document.images).filter(i => i.offsetParent !== "
                           "null && !(i.complete && i.naturalWidth > 0)).map(i => i.className)")
    assert broken == []


# --- a supporter's card --------------------------------------------------------------


def test_phone_end_to_end(page: Page, photos: dict[str, Path], theme_2026: Theme) -> None:
    wait_idle(page)
    no_broken_images(page)
    assert page.get_attribute("[data-preview]", "data-frame") == "instagram-square/text"
    expect(page.locator("[data-move-controls]")).to_be_hidden()  # no photo, no controls
    page.fill("#name", "Aoife Ní Bhriain")
    page.check("#pledge-choice-own")
    page.fill("#pledge_own", "I pledge to read to my baby every night.")
    # The counter counts what the server counts: the card's own "I pledge to" is not
    # the supporter's (140 - 28 characters).
    expect(page.locator("#pledge_own-count")).to_have_text("You have 112 characters left",
                                                           timeout=10000)
    page.fill("#org", "Sure Start Newry")
    choose_photo(page, photos["face"])
    assert page.get_attribute("[data-preview]", "data-frame") == "instagram-square/photo"
    expect(page.locator("[data-move-controls]")).to_be_visible()
    before, zoom = preview_image(page), shown_crop(page)[2]
    page.get_by_role("button", name="Zoom in").click()
    assert shown_crop(page)[2] == pytest.approx(zoom * 1.25, rel=1e-4)
    assert ImageChops.difference(before, preview_image(page)).getbbox()  # redrawn at once

    make_card(page)
    link = page.locator("[data-download-link]")
    expect(link).to_have_text("Download aoife-ni-bhriain-instagram-square.jpg")
    expect(link).to_be_focused()
    name, data = downloaded(page)
    card = Image.open(io.BytesIO(data))
    assert name == "aoife-ni-bhriain-instagram-square.jpg" and card.format == "JPEG"
    assert card.size == (1080, 1080)
    assert decode_qr(card) == [theme_2026.campaign_url(FORMATS["instagram-square"])]
    assert "I pledge to read to my baby every night" in page.input_value("#alt")
    assert "#StrongerFromTheStart" in page.input_value("#caption")
    expect(page.locator("[data-result-card]")).to_be_visible()
    no_broken_images(page)
    page.get_by_role("button", name="Copy alt text").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert_no_violations(page, "the page with a card made")


def test_the_card_is_made_with_the_photo_and_ready_at_once(page: Page,
                                                            photos: dict[str, Path]) -> None:
    """The photo crosses the connection once: the card for the words typed is made with
    it, so pressing the button changes nothing on the network."""
    page.fill("#name", "Seán")
    wait_idle(page)
    choose_photo(page, photos["plain"])
    page.wait_for_timeout(1500)  # the card made with the photo arrives
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    make_card(page)
    assert posts == []


def test_make_my_card_at_once_after_choosing_a_photo_waits_for_it(
        page: Page, photos: dict[str, Path]) -> None:
    page.fill("#name", "Aoife")
    wait_idle(page)
    page.set_input_files("#photo", str(photos["plain"]))
    make_card(page)
    assert "Their photo fills the top of the card" in page.input_value("#alt")


def test_an_iphone_heic_this_browser_cannot_read_is_shrunk_by_the_server(
        page: Page) -> None:
    """Chromium cannot decode HEIC: the photo goes as it is, once, and the server's copy
    comes back to be the page's photo."""
    from webhelp import FIXTURES

    page.fill("#name", "Aoife")
    sent: list[int] = []
    page.on("request", lambda r: sent.append(len(r.post_data_buffer or b""))
            if "/photo" in r.url else None)
    page.set_input_files("#photo", str(FIXTURES / "portrait.heic"))
    page.wait_for_function(PLACED, timeout=30000)
    make_card(page)
    assert len(sent) == 1
    assert "Their photo fills the top of the card" in page.input_value("#alt")


def test_without_create_image_bitmap_the_photo_is_read_by_an_image(
        browser: Browser, server: Server, photos: dict[str, Path]) -> None:
    """An iPhone before iOS 15 has no createImageBitmap: the page decodes with <img>."""
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    context.add_init_script("delete window.createImageBitmap;")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server.url + "/")
    pg.fill("#name", "Aoife")
    choose_photo(pg, photos["dot"])
    make_card(pg)
    assert "Their photo fills the top of the card" in pg.input_value("#alt")
    assert errors == []
    context.close()


def test_moving_the_photo_costs_no_request_and_follows_the_finger(
        page: Page, photos: dict[str, Path]) -> None:
    page.fill("#name", "Aoife")
    choose_photo(page, photos["dot"])
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url))
    x0, y0 = dot_on_screen(page)
    cdp = page.context.new_cdp_session(page)
    # One finger: the dot stays under it, 1:1 (away from the logo's chip, which would
    # hide part of the dot).
    touch(cdp, "touchStart", [(x0, y0)])
    for i in range(1, 11):
        touch(cdp, "touchMove", [(x0 + 4 * i, y0 + 2 * i)])
    touch(cdp, "touchEnd", [])
    page.wait_for_timeout(100)
    x1, y1 = dot_on_screen(page)
    assert x1 == pytest.approx(x0 + 40, abs=1) and y1 == pytest.approx(y0 + 20, abs=1)
    # Two fingers: pinched apart to twice the distance, the zoom doubles and the dot,
    # between them, stays between them.
    zoom = shown_crop(page)[2]
    touch(cdp, "touchStart", [(x1 - 30, y1), (x1 + 30, y1)])
    for i in range(1, 7):
        touch(cdp, "touchMove", [(x1 - 30 - 5 * i, y1), (x1 + 30 + 5 * i, y1)])
    touch(cdp, "touchEnd", [])
    page.wait_for_timeout(100)
    assert shown_crop(page)[2] == pytest.approx(min(4.0, zoom * 2), rel=0.02)
    x2, y2 = dot_on_screen(page)
    assert x2 == pytest.approx(x1, abs=3) and y2 == pytest.approx(y1, abs=3)
    assert sent == []  # all of it drawn here, with no request
    # The page scrolls where the preview shows no photo: the handle covers the photo only.
    handle = page.locator(".photo-handle").bounding_box()
    canvas = page.locator("[data-preview]").bounding_box()
    assert handle and canvas and handle["height"] < 0.6 * canvas["height"]


def test_the_controls_start_from_the_automatic_crop(page: Page,
                                                    photos: dict[str, Path]) -> None:
    page.fill("#name", "Aoife")
    choose_photo(page, photos["face"])
    x, y, z = shown_crop(page)
    assert page.input_value("#crop-auto") == "auto" and page.is_checked("#crop-auto")
    page.get_by_role("button", name="Move right").click()
    x1, y1, z1 = shown_crop(page)
    # A small step from where the photo was, not a jump from the centre.
    assert 0 < x1 - x < 0.15 and y1 == pytest.approx(y, abs=1e-4) and z1 == z
    assert page.is_checked("#crop-set")
    page.get_by_role("button", name="Reset position").click()
    assert shown_crop(page) == (x, y, z) and page.is_checked("#crop-auto")


@pytest.mark.parametrize(("style", "fmt"), [("photo", "instagram-square"), ("text", "story"),
                                            ("photo", "facebook")])
def test_the_preview_is_the_card(page: Page, photos: dict[str, Path], style: str,
                                 fmt: str) -> None:
    """The browser's own drawing of the preview and the card the pipeline makes from the
    same photo and crop, side by side: the same within resampling."""
    page.fill("#name", "Aoife Ní Bhriain")
    page.locator("details.more summary").click()
    page.check(f"input[name=style][value={style}]")
    page.select_option("#format", fmt)
    page.select_option("#image_format", "png")
    choose_photo(page, photos["face"])
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Move up").click()
    wait_idle(page)
    shown = preview_image(page)
    make_card(page)
    _, data = downloaded(page)
    factor = FORMATS[fmt].width // shown.width
    card = Image.open(io.BytesIO(data)).convert("RGB").reduce(factor)
    assert card.size == shown.size
    hist = ImageChops.difference(card, shown).convert("L").histogram()
    mean = sum(i * n for i, n in enumerate(hist)) / sum(hist)
    assert mean < 4, mean
    assert sum(hist[48:]) / sum(hist) < 0.02


@pytest.mark.skipif(not faces.available(), reason="the face extra is not installed")
def test_the_preview_draws_the_marks_where_the_card_moved_them(page: Page,
                                                               photos: dict[str, Path]) -> None:
    """The marks moved across, off a face at the top left: the preview draws them there
    too (page.js, from the photo's framing and the frame's moves)."""
    page.fill("#name", "Aoife Ní Bhriain")
    page.locator("details.more summary").click()
    page.check("input[name=style][value=photo]")
    page.select_option("#format", "instagram-square")
    page.select_option("#image_format", "png")
    choose_photo(page, photos["left"])
    wait_idle(page)
    shown = preview_image(page)
    make_card(page)
    _, data = downloaded(page)
    factor = FORMATS["instagram-square"].width // shown.width
    card = Image.open(io.BytesIO(data)).convert("RGB").reduce(factor)
    hist = ImageChops.difference(card, shown).convert("L").histogram()
    assert sum(i * n for i, n in enumerate(hist)) / sum(hist) < 4
    assert sum(hist[48:]) / sum(hist) < 0.02
    # Where the chip went (the top right) and where it was (the top left) agree too.
    for half in (0, 1):
        box = (half * card.width // 2, 0, (half + 1) * card.width // 2, card.height // 3)
        part = ImageChops.difference(card.crop(box), shown.crop(box)).convert("L").histogram()
        assert sum(i * n for i, n in enumerate(part)) / sum(part) < 6, half


def test_a_small_photo_is_said_to_look_blurry(page: Page, photos: dict[str, Path],
                                              tmp_path: Path) -> None:
    """A 160 px photo would be enlarged ~7 times on a photo card: the supporter is told,
    and the note goes with a photo big enough."""
    small = tmp_path / "small.jpg"
    small.write_bytes(jpeg(sample_photo((160, 160))))
    choose_photo(page, small)
    expect(page.locator("[data-photo-status]")).to_have_text(
        "Your photo is small: it may look blurry on your card.")
    choose_photo(page, photos["face"])
    expect(page.locator("[data-photo-status]")).to_have_text("")


def test_the_count_is_right_at_every_key(page: Page, theme_2026: Theme) -> None:
    """Typed one key at a time, before any preview has caught up: the count is what the
    server will count (the empty box's preview stand-in, "…", counts for nothing)."""
    page.check("#pledge-choice-own")
    wait_idle(page)  # the preview of the empty box has come back
    for n, key in enumerate("hug my baby", 1):
        page.locator("#pledge_own").press(key if key != " " else "Space")
        left = theme_2026.pledge_max - len("hug my baby"[:n].strip())
        assert page.text_content("#pledge_own-count") == f"You have {left} characters left", n


def test_a_size_seen_before_is_shown_again_without_a_request(page: Page) -> None:
    page.fill("#name", "Aoife")
    wait_idle(page)
    page.select_option("#format", "story")
    wait_idle(page)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url))
    page.select_option("#format", "instagram-square")
    wait_idle(page)
    assert page.get_attribute("[data-preview]", "data-frame") == "instagram-square/text"
    assert sent == []


def test_a_photo_card_without_a_photo_says_it_is_a_words_card(page: Page) -> None:
    page.fill("#name", "Aoife")
    page.locator("details.more summary").click()
    page.check("input[name=style][value=photo]")
    wait_idle(page)
    expect(page.locator("[data-style-note]")).to_contain_text("A photo card needs a photo")


# --- never stale, errors that go ------------------------------------------------------


def test_an_edit_hides_the_card_and_the_next_is_new(page: Page) -> None:
    page.fill("#name", "Aoife")
    make_card(page)
    assert "Aoife" in page.input_value("#alt")
    page.fill("#name", "Niamh")
    expect(page.locator("[data-share-section]")).to_be_hidden()
    expect(page.locator("[data-status]")).to_contain_text("You changed your card")
    make_card(page)
    assert "Niamh" in page.input_value("#alt") and "Aoife" not in page.input_value("#alt")


def test_errors_are_announced_linked_and_go_when_fixed(page: Page) -> None:
    wait_idle(page)
    page.get_by_role("button", name="Make my card").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible(timeout=20000)
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.get_by_role("link")
    expect(link).to_have_text("Enter your name: a card needs it.")
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")
    assert "name-error" in (page.get_attribute("#name", "aria-describedby") or "")
    assert_no_violations(page, "the page with an error")
    link.click()
    expect(page.locator("#name")).to_be_focused()
    page.keyboard.type("Aoife")
    expect(summary).to_be_hidden(timeout=10000)
    expect(page.locator("#name")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-message")).to_have_count(0)


def test_a_too_long_pledge_is_said_beside_it_and_goes_when_shortened(page: Page) -> None:
    page.fill("#name", "Aoife")
    page.check("#pledge-choice-own")
    page.fill("#pledge_own", "read to my baby " * 10)
    expect(page.locator("#pledge_own-count")).to_have_text("You have 19 characters too many",
                                                           timeout=10000)
    expect(page.locator("#pledge-error")).to_contain_text("shorten it by 19 characters")
    page.fill("#pledge_own", "read to my baby")
    expect(page.locator("#pledge-error")).to_have_count(0, timeout=10000)


def test_a_busy_server_is_said_and_the_preview_tried_again(page: Page) -> None:
    wait_idle(page)
    calls = {"n": 0}

    def busy_once(route: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="application/json",
                          body='{"error": {"field": null, "message": "busy", "code": "busy"}}')
        else:
            route.continue_()

    page.route("**/frame*", busy_once)
    page.fill("#name", "Aoife")
    expect(page.locator("[data-preview-status]")).to_contain_text(
        "your preview will update in 1 second.", timeout=10000)
    expect(page.locator("[data-preview-status]")).to_have_text("", timeout=10000)
    wait_idle(page)
    assert calls["n"] >= 2


def test_a_photo_too_big_is_refused_before_it_is_sent(page: Page, tmp_path: Path) -> None:
    big = tmp_path / "huge.jpg"
    big.write_bytes(b"\xff\xd8" + b"\0" * (16 * 1024 * 1024))
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/photo" in r.url else None)
    page.set_input_files("#photo", str(big))
    expect(page.locator("#photo-error")).to_contain_text("Your photo is over 15 MB")
    assert sent == []
    # A card made now is made without it, and says so beside the card, not only above.
    page.fill("#name", "Aoife")
    make_card(page)
    expect(page.locator("[data-status]")).to_contain_text("Your card is ready, without a photo")


def test_a_file_that_is_not_a_photo_is_said_in_irish_too(browser: Browser, server: Server,
                                                         tmp_path: Path) -> None:
    pg = open_page(browser, server, "/?lang=ga")
    text = tmp_path / "liosta.csv"
    text.write_text("name,pledge\nAoife,listen\n")
    pg.set_input_files("#photo", str(text))
    expect(pg.locator("#photo-error")).to_be_visible(timeout=20000)
    pg.context.close()


# --- keeping the card wherever the page is open -----------------------------------------


def test_in_instagrams_browser_the_card_is_an_image_to_press_and_hold(
        browser: Browser, server: Server, photos: dict[str, Path]) -> None:
    pg = open_page(browser, server, user_agent=INSTAGRAM)
    pg.fill("#name", "Aoife")
    choose_photo(pg, photos["plain"])
    make_card(pg)
    card = pg.locator("[data-result-card]")
    expect(card).to_be_visible()
    assert (card.get_attribute("src") or "").startswith("data:image/jpeg;base64,")
    expect(pg.locator("[data-in-app-save]")).to_contain_text("Press and hold your card")
    expect(pg.locator("[data-in-app-browser]")).to_contain_text(
        "Downloads do not work in Instagram’s browser")
    assert_no_violations(pg, "the card in Instagram's browser")
    pg.context.close()
    ga = open_page(browser, server, "/?lang=ga", user_agent=INSTAGRAM)
    ga.fill("#name", "Aoife")
    make_card(ga)
    expect(ga.locator("[data-in-app-save]")).to_contain_text("Brúigh agus coinnigh do chárta")
    ga.context.close()


def test_share_sends_the_file_and_copies_the_caption(browser: Browser, server: Server) -> None:
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    context.add_init_script("""
      navigator.canShare = (d) => !!(d && d.files && d.files.length);
      navigator.share = (d) => { window.shared = {name: d.files[0].name, type: d.files[0].type,
                                                  text: d.text}; return Promise.resolve(); };
      Object.defineProperty(navigator, 'clipboard', {value: {writeText: (t) => {
        window.clipboardText = t; return Promise.resolve(); }}});
    """)
    pg = context.new_page()
    pg.goto(server.url + "/")
    pg.fill("#name", "Aoife")
    make_card(pg)
    pg.get_by_role("button", name="Share").click()
    expect(pg.locator("[data-copy-status]")).to_have_text("Shared.")
    shared = pg.evaluate("window.shared")
    assert shared["name"] == "aoife-instagram-square.png" and shared["type"] == "image/png"
    assert "#StrongerFromTheStart" in shared["text"]
    assert pg.evaluate("window.clipboardText") == pg.input_value("#caption")
    context.close()


# --- the keyboard, Irish, no JavaScript ---------------------------------------------------


def test_keyboard_only(page: Page, photos: dict[str, Path]) -> None:
    kb = page.keyboard

    def tab_to(selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            kb.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                # Whatever has focus shows it.
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", selector
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#name")
    kb.type("Seán Ó Ceallaigh")
    page.set_input_files("#photo", str(photos["plain"]))  # a file chooser is the system's
    page.wait_for_function(PLACED, timeout=30000)
    tab_to("button[data-zoom='1']")
    before = shown_crop(page)
    kb.press("Enter")
    assert shown_crop(page) != before
    tab_to("input[name=pledge_choice]:checked")
    kb.press("ArrowDown")  # the next prompt
    assert page.is_checked("#pledge-choice-2")
    tab_to("#format")
    page.select_option("#format", "instagram-portrait")
    tab_to("button[type=submit]")
    kb.press("Enter")
    link = page.locator("[data-download-link]")
    expect(link).to_be_focused(timeout=30000)
    with page.expect_download() as info:
        kb.press("Enter")
    assert info.value.suggested_filename == "sean-o-ceallaigh-instagram-portrait.jpg"


def test_the_irish_page_is_irish(browser: Browser, server: Server,
                                 photos: dict[str, Path]) -> None:
    pg = open_page(browser, server, "/?lang=ga")
    expect(pg.locator("html")).to_have_attribute("lang", "ga")
    expect(pg.locator("h1")).to_have_text("Déan do chárta gealltanais")
    pg.fill("#name", "Aoife")
    choose_photo(pg, photos["plain"])
    make_card(pg)
    expect(pg.locator("[data-alt]")).to_have_value(re.compile("^Cárta gealltanais"))
    text = pg.locator("body").inner_text()
    for english in ("Your name", "Make my card", "Your privacy", "Download", "Move left",
                    "Preview", "Your card", "Sending", "Choose a photo"):
        assert english not in text, english
    assert_no_violations(pg, "the Irish page with a card")
    pg.context.close()


@pytest.mark.parametrize("lang", ["en", "ga"])
def test_axe_on_the_fresh_page(browser: Browser, server: Server, lang: str) -> None:
    pg = open_page(browser, server, f"/?lang={lang}")
    expect(pg.locator("html")).to_have_attribute("lang", lang)
    wait_idle(pg)
    assert_no_violations(pg, f"the page in {lang}")
    pg.context.close()


def axe_on_html(browser: Browser, server: Server, html: str, what: str) -> None:
    """axe on HTML the server sent a browser without JavaScript (axe itself needs it):
    served again at the same origin, so its styles and fonts load as they did."""
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    pg = context.new_page()
    pg.route(server.url + "/as-sent", lambda route: route.fulfill(
        body=html, content_type="text/html; charset=utf-8"))
    pg.route(server.url + "/static/page.js", lambda route: route.fulfill(
        body="", content_type="text/javascript"))
    pg.goto(server.url + "/as-sent")
    assert_no_violations(pg, what)
    context.close()


def test_without_javascript_an_error_keeps_the_photo(browser: Browser, server: Server,
                                                     photos: dict[str, Path]) -> None:
    context = browser.new_context(java_script_enabled=False, **PHONE)  # type: ignore[arg-type]
    pg = context.new_page()
    pg.goto(server.url + "/?lang=ga")
    pg.set_input_files("#photo", str(photos["plain"]))
    pg.get_by_role("button", name="Déan mo chárta").click()
    expect(pg.locator(".error-summary")).to_be_visible()
    expect(pg.locator("#name")).to_have_attribute("aria-invalid", "true")
    expect(pg.locator("[data-kept]")).to_contain_text("Tá do ghrianghraf fós anseo")
    error_page = pg.content()
    pg.fill("#name", "Caoimhín")  # and no photo chosen again
    pg.get_by_role("button", name="Déan mo chárta").click()
    card = pg.locator("img.result-card").first
    expect(card).to_be_visible()
    alt = card.get_attribute("alt") or ""
    assert alt.startswith("Cárta gealltanais") and "grianghraf an duine" in alt
    card_page = pg.content()
    context.close()
    axe_on_html(browser, server, error_page, "the plain form's error page")
    axe_on_html(browser, server, card_page, "the plain form's card page")


# --- the layout on a phone ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ga"])
def test_at_360_px_the_preview_and_the_button_are_near_the_top(
        browser: Browser, server: Server, photos: dict[str, Path], lang: str) -> None:
    """The preview within the first screen and a half, "Make my card" within three
    (740 px screens), with a phone photo chosen and its controls shown (a small photo
    adds a line saying it may look blurry: test_a_small_photo_is_said_to_look_blurry)."""
    pg = open_page(browser, server, f"/?lang={lang}")
    pg.fill("#name", "Gráinne Mac Giolla Phádraig")
    choose_photo(pg, photos["face"])
    place = pg.evaluate("""() => { const b = s => { const r = document.querySelector(s)
        .getBoundingClientRect(); return r.bottom + scrollY; };
        return [b('[data-preview]'), b('[data-submit]')]; }""")
    assert place[0] <= 1.5 * SCREEN, place
    assert place[1] <= 3 * SCREEN, place
    pg.context.close()


@pytest.mark.parametrize(("width", "height"), [(320, 640), (180, 370), (640, 400)])
def test_readable_narrow_and_at_200_percent_zoom(browser: Browser, server: Server,
                                                 photos: dict[str, Path], width: int,
                                                 height: int) -> None:
    """320 px, the narrowest phone; 180 px, a 360 px phone at 200% zoom; 640 px, a
    laptop at 200%. Nothing runs off the side, every target is 24 × 24 px or more."""
    pg = open_page(browser, server, viewport={"width": width, "height": height})
    pg.fill("#name", "Gráinne Mac Giolla Phádraig-Ó Súilleabháin")
    choose_photo(pg, photos["plain"])
    make_card(pg)
    assert pg.evaluate("document.documentElement.scrollWidth") <= width
    small = pg.evaluate(
        "() => Array.from(document.querySelectorAll('button, select, input:not([type=hidden])"
        ", textarea, .switch, .file-picker, a.button, summary')).filter(e => e.offsetParent "
        "!== null).map(e => [e.id || e.className || e.tagName, e.getBoundingClientRect()])"
        ".filter(([, r]) => r.width < 24 || r.height < 24).map(([n]) => n)")
    assert small == []  # WCAG 2.2 target size (minimum): 24 × 24 CSS pixels
    clipped = pg.evaluate(
        "() => Array.from(document.querySelectorAll('label, .hint, .button, h1, h2, legend'))"
        ".filter(e => e.offsetParent !== null && !e.classList.contains('visually-hidden')"
        " && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.className || e.tagName)")
    assert clipped == []
    pg.context.close()
