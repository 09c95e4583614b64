"""The Irish page in a real Chromium (issue 20): its live character count says every
number from 0 to 1,000 with the noun in the form Irish asks for, exactly as the server
says it (web/strings.py count_message), and the page passes axe-core in Irish too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from webhelp import CHROMIUM_ARGS, Server, chromium_path, running_server

from imhcard.core.theme import Theme
from imhcard.web.strings import count_message

CHROMIUM = chromium_path()
if CHROMIUM is None:
    if os.environ.get("IMHCARD_REQUIRE_BROWSER") == "1":
        raise RuntimeError("IMHCARD_REQUIRE_BROWSER=1 but no Chromium at $IMHCARD_CHROMIUM or "
                           "/usr/bin/chromium; install it: apt-get install -y chromium")
    pytest.skip("no Chromium (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("irish-page")) as s:
        yield s


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(**PHONE)  # type: ignore[arg-type]
        pg = context.new_page()
        pg.goto(server.url + "/?lang=ga")
        yield pg
        browser.close()


# Types `length` characters into the own-words box and reads the count, for each length.
_TYPE_AND_READ = """lengths => {
  const own = document.querySelector('#pledge_own');
  const count = document.querySelector('#pledge_own-count');
  return lengths.map(n => {
    own.value = 'a'.repeat(n);
    own.dispatchEvent(new Event('input', {bubbles: true}));
    return count.textContent;
  });
}"""


def test_the_count_says_every_number_from_0_to_1000(page: Page, theme_2026: Theme) -> None:
    most = theme_2026.pledge_max
    assert page.text_content("#pledge_own-count") == count_message("ga", most)  # on load
    # Characters left run from the theme's limit down to 0; characters too many from 1
    # to 1,000: every number from 0 to 1,000 is said at least once, through the page.
    lengths = list(range(0, most + 1001))
    said = page.evaluate(_TYPE_AND_READ, lengths)
    expected = [count_message("ga", most - n) for n in lengths]
    wrong = [(n, s, e) for n, s, e in zip(lengths, said, expected, strict=True) if s != e]
    assert wrong == []
    assert said[most - 7] == "Tá 7 gcarachtar fágtha agat"
    assert said[most + 21] == "Tá 21 charachtar sa bhreis agat"
    assert said[most] == "Níl aon charachtar fágtha agat"
    page.fill("#pledge_own", "")


def test_the_irish_page_at_360px(page: Page, tmp_path_factory: pytest.TempPathFactory) -> None:
    page.fill("#name", "Aoife Ní Bhriain")
    page.check("#pledge-choice-own")
    page.fill("#pledge_own", "Léifidh mé do mo leanbh gach oíche")
    page.wait_for_function(  # the preview of these words has arrived and is drawn
        "() => { const c = document.querySelector('[data-preview]');"
        " return !c.dataset.pending && !!c.dataset.frame; }", timeout=30000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
    shot = Path(tmp_path_factory.mktemp("shots")) / "page-ga-360.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
