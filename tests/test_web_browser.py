"""The supporters' page in a real Chromium: a supporter on a phone makes, previews,
positions and downloads their card; the same by keyboard alone; Irish; axe-core finds
no accessibility violations. Skipped when no Chromium is installed, unless
IMHCARD_REQUIRE_BROWSER=1 (CI sets it), which makes a missing browser a failure."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import sample_photo
from helper import decode_qr
from PIL import Image
from webhelp import CHROMIUM_ARGS, Server, chromium_path, jpeg, running_server

from imhcard.core.formats import FORMATS
from imhcard.core.theme import Theme

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

PHONE = {"viewport": {"width": 360, "height": 800}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


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


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(**PHONE, accept_downloads=True)  # type: ignore[arg-type]
    pg = context.new_page()
    outside: list[str] = []
    # No request may leave this server: fonts, scripts and images are all its own.
    pg.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
          else outside.append(r.url))
    pg.goto(server.url + "/")
    yield pg
    context.close()
    assert outside == []


@pytest.fixture(scope="module")
def photo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "me.jpg"
    path.write_bytes(jpeg(sample_photo((600, 800))))
    return path


def preview_src(page: Page, other_than: str | None = None) -> str:
    """The preview's blob URL once every preview asked for has arrived (a new one, if
    other_than is given)."""
    page.wait_for_function(
        "([old]) => { const i = document.querySelector('[data-preview]');"
        " return !i.dataset.pending && i.src.startsWith('blob:') && i.src !== old"
        " && i.complete && i.naturalWidth > 0; }", arg=[other_than or ""], timeout=30000)
    src: str = page.get_attribute("[data-preview]", "src") or ""
    return src


def preview_pixels(page: Page) -> list[int]:
    """The preview as shown: its pixels' channel sums per row, read through a canvas."""
    sums: list[int] = page.evaluate(
        "() => { const i = document.querySelector('[data-preview]');"
        " const c = document.createElement('canvas'); c.width = i.naturalWidth;"
        " c.height = i.naturalHeight; const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
        " const d = g.getImageData(0, 0, c.width, c.height).data; const rows = [];"
        " for (let y = 0; y < c.height; y++) { let t = 0;"
        "   for (let x = 0; x < c.width * 4; x++) t += d[y * c.width * 4 + x]; rows.push(t); }"
        " return rows; }")
    return sums


def downloaded(page: Page, click: Any) -> tuple[str, Image.Image]:
    with page.expect_download() as info:
        click()
    download = info.value
    path = download.path()
    return download.suggested_filename, Image.open(io.BytesIO(Path(path).read_bytes()))


def assert_no_violations(page: Page, what: str) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def test_phone_end_to_end(page: Page, photo_file: Path, theme_2026: Theme) -> None:
    page.fill("#name", "Aoife Ní Bhriain")
    first = preview_src(page)
    page.check("#pledge-choice-own")
    page.fill("#pledge_own", "read to my baby every night")
    expect(page.locator("#pledge_own-count")).to_have_text("You have 113 characters left")
    second = preview_src(page, first)
    page.fill("#org", "Sure Start Newry")
    page.set_input_files("#photo", str(photo_file))
    with_photo = preview_src(page, second)
    before = preview_pixels(page)
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    assert float(page.input_value("#zoom")) == 1.5
    preview_src(page, with_photo)
    assert preview_pixels(page) != before  # the zoomed photo shows in the preview

    page.get_by_role("button", name="Make my card").click()
    link = page.locator("[data-download-link]")
    expect(link).to_have_text("Download aoife-ni-bhriain-instagram-square.png", timeout=30000)
    expect(link).to_be_focused()
    name, card = downloaded(page, link.click)
    assert name == "aoife-ni-bhriain-instagram-square.png"
    assert card.size == (1080, 1080)
    assert decode_qr(card) == [theme_2026.campaign_url(FORMATS["instagram-square"])]
    assert "I pledge to read to my baby every night" in page.input_value("#alt")
    assert "#StrongerFromTheStart" in page.input_value("#caption")
    page.get_by_role("button", name="Copy alt text").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert_no_violations(page, "the page with a card made")

    page.get_by_role("link", name="Leagan Gaeilge den leathanach seo").click()
    expect(page.locator("html")).to_have_attribute("lang", "ga")
    expect(page.locator("h1")).to_have_text("Déan do chárta gealltanais")
    page.fill("#name", "Aoife")
    page.get_by_role("button", name="Déan mo chárta").click()
    expect(page.locator("[data-alt]")).to_have_value(
        re.compile("^Cárta gealltanais"), timeout=30000)


def test_errors_are_announced_and_linked(page: Page) -> None:
    page.get_by_role("button", name="Make my card").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible(timeout=20000)
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.get_by_role("link")
    expect(link).to_have_text("Enter your name: a card needs it.")
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")
    assert "name-jserror" in (page.get_attribute("#name", "aria-describedby") or "")
    link.click()
    expect(page.locator("#name")).to_be_focused()
    assert_no_violations(page, "the page with an error")


def test_keyboard_only(page: Page) -> None:
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
    tab_to("input[name=pledge_choice]:checked")
    kb.press("ArrowDown")  # the next prompt
    assert page.is_checked("#pledge-choice-2")
    tab_to("button[data-move='1,0']")
    kb.press("Enter")
    assert float(page.input_value("#crop_x")) > 0.5
    tab_to("#zoom")
    kb.press("ArrowRight")
    assert float(page.input_value("#zoom")) > 1
    tab_to("input[name=format]:checked")
    kb.press("ArrowDown")
    assert page.is_checked("#format-2")
    tab_to("button[type=submit]")
    kb.press("Enter")
    link = page.locator("[data-download-link]")
    expect(link).to_be_focused(timeout=30000)
    name, card = downloaded(page, lambda: kb.press("Enter"))
    assert name == "sean-o-ceallaigh-instagram-portrait.png"
    assert card.size == (1080, 1350)


@pytest.mark.parametrize("lang", ["en", "ga"])
def test_axe_on_the_fresh_page(page: Page, server: Server, lang: str) -> None:
    page.goto(f"{server.url}/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_no_violations(page, f"the page in {lang}")


def axe_on_html(browser: Browser, server: Server, html: str, what: str) -> None:
    """axe on HTML the server sent a browser without JavaScript (axe itself needs it):
    served again at the same origin, so its styles and fonts load as they did."""
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    pg = context.new_page()
    pg.route(server.url + "/as-sent", lambda route: route.fulfill(
        body=html, content_type="text/html; charset=utf-8"))
    pg.goto(server.url + "/as-sent")
    assert_no_violations(pg, what)
    context.close()


def test_without_javascript(browser: Browser, server: Server, photo_file: Path) -> None:
    context = browser.new_context(java_script_enabled=False, **PHONE)  # type: ignore[arg-type]
    pg = context.new_page()
    pg.goto(server.url + "/?lang=ga")
    pg.get_by_role("button", name="Déan mo chárta").click()
    expect(pg.locator(".error-summary")).to_be_visible()
    expect(pg.locator("#name")).to_have_attribute("aria-invalid", "true")
    error_page = pg.content()
    pg.fill("#name", "Caoimhín")
    pg.set_input_files("#photo", str(photo_file))
    pg.get_by_role("button", name="Déan mo chárta").click()
    card = pg.locator("img.result-card")
    expect(card).to_be_visible()
    assert (card.get_attribute("alt") or "").startswith("Cárta gealltanais")
    card_page = pg.content()
    context.close()
    axe_on_html(browser, server, error_page, "the plain form's error page")
    axe_on_html(browser, server, card_page, "the plain form's card page")


@pytest.mark.parametrize("lang", ["en", "ga"])
def test_readable_at_320_px_with_targets_of_24_px(browser: Browser, server: Server,
                                                   lang: str) -> None:
    narrow = {**PHONE, "viewport": {"width": 320, "height": 640}}
    context = browser.new_context(**narrow)  # type: ignore[arg-type]
    pg = context.new_page()
    pg.goto(f"{server.url}/?lang={lang}")
    pg.fill("#name", "Gráinne Mac Giolla Phádraig-Ó Súilleabháin")
    preview_src(pg)
    # Nothing sideways: no horizontal scrolling at the narrowest phone width.
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    small = pg.evaluate(
        "() => Array.from(document.querySelectorAll('button, select, input:not([type=hidden])"
        ", textarea, .switch, .file-picker, a.button')).filter(e => e.offsetParent !== null)"
        ".map(e => [e.id || e.className || e.tagName, e.getBoundingClientRect()])"
        ".filter(([, r]) => r.width < 24 || r.height < 24).map(([n]) => n)")
    assert small == []  # WCAG 2.2 target size (minimum): 24 × 24 CSS pixels
    context.close()
