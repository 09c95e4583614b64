"""Photos as forms deliver them: Drive and OneDrive links, downloaded folders, HEIC,
and every way a download goes wrong, against a local HTTP server (never the web)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from imhcard.batch import links, photos
from imhcard.batch.options import BatchOptions
from imhcard.batch.photos import (
    NOT_DOWNLOADED,
    NOT_HTTPS,
    NOT_IMAGE,
    NOT_SHARED,
    TOO_BIG,
    PhotoFolder,
    PhotoResolver,
    direct_url,
    drive_id,
    link_file_name,
    match_in_folder,
)
from imhcard.batch.runner import run_batch
from imhcard.batch.summary import BatchSummary
from imhcard.core.theme import resolve_theme

FIXTURES = Path(__file__).parent / "fixtures"
GOOGLE = FIXTURES / "batch" / "google-forms-photos.csv"
HEIC = FIXTURES / "photos" / "phone-photo.heic"
SQUARE = ("instagram-square",)
PHOTO_RED = (200, 40, 60)


def jpeg_with_metadata() -> bytes:
    """A phone photo: EXIF orientation 6 (stored sideways) and a GPS position."""
    img = Image.new("RGB", (1500, 1000), PHOTO_RED)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (54.0, 35.0, 0.0)}  # GPSInfo: where the supporter lives
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


# What the local server answers for each path. Drive ids from the Google Forms fixture
# are served under /drive/ID.
JPEG = jpeg_with_metadata()
ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/drive/1AoifePhotoReachable000000000000": (200, "image/jpeg", JPEG),
    "/drive/1GrainnePhotoNotShared00000000000": (
        200, "text/html", b"<!DOCTYPE html><html><body>Sign in to continue</body></html>"),
    "/drive/1BrokenPhotoFile000000000000000000": (200, "image/jpeg", b"\xff\xd8\xff\xe0broken"),
    "/drive/1NiamhIphonePhoto00000000000000000": (200, "image/heic", HEIC.read_bytes()),
    "/photo.jpg": (200, "image/jpeg", JPEG),
    "/notes.txt": (200, "text/plain", b"just some text, not a picture"),
}
SLOW = {"/drive/1TomaszPhotoPrivate0000000000000", "/slow"}
HUGE = "/huge"  # says it is 100 MB
ENDLESS = "/endless"  # no length given; streams until stopped


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet tests
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in SLOW:
            time.sleep(3)
        if path == HUGE:
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(100 * 2**20))
            self.end_headers()
            return
        if path == ENDLESS:
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            try:
                self.wfile.write(JPEG[:100])
                for _ in range(400):
                    self.wfile.write(b"\0" * 65536)
            except OSError:
                pass  # the client hung up, as it should
            return
        if path == "/to-plain-http":
            self.send_response(302)
            self.send_header("Location", "http://example.org/photo.jpg")
            self.end_headers()
            return
        code, kind, body = ROUTES.get(path, (404, "text/html", b"<html>Not found</html>"))
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local_web(server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Plain http to the local server allowed, Drive download links sent to it, and
    short limits so the slow and huge cases end quickly."""
    monkeypatch.setattr(links, "allow_http_loopback_for_tests", True)
    monkeypatch.setattr(links, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(links, "TOTAL_SECONDS", 2.0)
    monkeypatch.setattr(links, "MAX_BYTES", 2 * 2**20)
    real = links.download

    def via_local(url: str) -> bytes:
        fid = drive_id(url)
        return real(f"{server}/drive/{fid}" if fid else url)

    monkeypatch.setattr(links, "download", via_local)
    return server


def refused(url: str) -> links.Refused:
    with pytest.raises(links.Refused) as err:
        links.download(url)
    return err.value


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize("link", [
    "https://drive.google.com/open?id=1AbCdEfGhIjKlMnOpQrStUvWxYz012345",
    "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz012345/view?usp=sharing",
    "https://drive.google.com/uc?id=1AbCdEfGhIjKlMnOpQrStUvWxYz012345&export=view",
    "https://docs.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz012345/edit",
])
def test_drive_share_links_become_direct_downloads(link: str) -> None:
    assert direct_url(link) == ("https://drive.google.com/uc?export=download&"
                                "id=1AbCdEfGhIjKlMnOpQrStUvWxYz012345")


def test_onedrive_and_other_links() -> None:
    share = ("https://contoso-my.sharepoint.com/personal/staff_contoso_org/Documents/Apps/"
             "Microsoft%20Forms/Pledge/Question/IMG_0420_Aoife%20Ni%20Bhriain.jpg?web=1")
    assert direct_url(share).endswith("?web=1&download=1")
    assert link_file_name(share) == "IMG_0420_Aoife Ni Bhriain.jpg"
    assert direct_url("https://example.org/me.jpg") == "https://example.org/me.jpg"
    assert link_file_name("https://example.org/page") == ""


def test_folder_matches_by_id_file_name_and_supporter_name(tmp_path: Path) -> None:
    for name in ("IMG_1234 - Aoife Ni Bhriain.jpg", "1TomaszPhotoPrivate0000000000000.png",
                 "IMG_0420_Seán Ó Súilleabháin.HEIC", "notes.txt"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        (tmp_path / "sub" / name).write_bytes(b"x")
    folder = PhotoFolder(tmp_path)

    def found(cell: str, who: str) -> str | None:
        pick = match_in_folder(folder, cell, who)
        return pick.path.name if pick and pick.path else None

    drive = "https://drive.google.com/open?id="
    assert found(drive + "1TomaszPhotoPrivate0000000000000", "Tomasz") == \
        "1TomaszPhotoPrivate0000000000000.png"
    assert found(drive + "1Unknown000000000000000000000000", "Aoife Ní Bhriain") == \
        "IMG_1234 - Aoife Ni Bhriain.jpg"  # accents and case aside
    assert found("https://x.sharepoint.com/a/IMG_0420_Se%C3%A1n%20%C3%93%20"
                 "S%C3%BAilleabh%C3%A1in.HEIC", "someone else") == \
        "IMG_0420_Seán Ó Súilleabháin.HEIC"
    assert found("img_1234 - aoife ni bhriain.JPG", "") == "IMG_1234 - Aoife Ni Bhriain.jpg"
    assert found(drive + "1Unknown000000000000000000000000", "Aoife") is None  # not a suffix
    (tmp_path / "IMG_9 - Aoife Ni Bhriain.jpg").write_bytes(b"x")
    pick = match_in_folder(PhotoFolder(tmp_path), "", "Aoife Ní Bhriain")
    assert pick is not None and pick.path is None
    assert "2 photos in the folder could be this row" in pick.problem


# --- downloads -------------------------------------------------------------------------------


def test_download_reachable(local_web: str) -> None:
    assert links.download(f"{local_web}/photo.jpg") == JPEG


@pytest.mark.parametrize(("path", "kind", "words"), [
    ("/gone", NOT_DOWNLOADED, "HTTP 404"),
    ("/notes.txt", NOT_IMAGE, "not a picture"),
    ("/drive/1GrainnePhotoNotShared00000000000", NOT_SHARED, "web page"),
    ("/drive/1BrokenPhotoFile000000000000000000", NOT_IMAGE, "cannot be read"),
    (HUGE, TOO_BIG, "100 MB"),
    (ENDLESS, TOO_BIG, "over 2 MB"),
    ("/to-plain-http", NOT_HTTPS, "not https"),
])
def test_download_refusals(local_web: str, path: str, kind: str, words: str) -> None:
    err = refused(local_web + path)
    assert err.kind == kind and words in str(err)


@pytest.mark.slow
def test_a_slow_server_never_hangs_the_batch(local_web: str) -> None:
    started = time.monotonic()
    err = refused(f"{local_web}/slow")
    assert err.kind == NOT_DOWNLOADED and "no answer within" in str(err)
    assert time.monotonic() - started < 2.5


def test_plain_http_only_to_loopback_and_only_for_tests(server: str) -> None:
    assert refused(f"{server}/photo.jpg").kind == NOT_HTTPS  # the hook is off
    links.allow_http_loopback_for_tests = True
    try:
        assert refused("http://example.org/me.jpg").kind == NOT_HTTPS
    finally:
        links.allow_http_loopback_for_tests = False
    assert refused("ftp://example.org/me.jpg").kind == NOT_HTTPS


def test_photo_paths_stay_inside_the_input_and_photos_folders(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "secret.jpg").write_bytes(JPEG)
    resolver = PhotoResolver(tmp_path / "in")
    for cell in ("../secret.jpg", str(tmp_path / "secret.jpg")):
        pick = resolver.pick(cell, "Aoife")
        assert pick.path is None and "is outside" in pick.problem and "--photos" in pick.problem


# --- a Google Forms export with Drive links ----------------------------------------------------


def run(input_path: Path, out: Path, **kwargs: object) -> BatchSummary:
    return run_batch(BatchOptions(input=input_path, out_dir=out,
                                  theme_path=resolve_theme("2026"), formats=SQUARE, workers=1,
                                  **kwargs))  # type: ignore[arg-type]


def manifest(out: Path) -> dict[int, dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {int(r["row"]): r for r in csv.DictReader(fh)}


def centre_of_photo(card: Path) -> tuple[int, ...]:
    """The colour at the middle of the photo circle on the square card."""
    from imhcard.core.theme import load_theme
    from imhcard.render.static import layout_for

    box = layout_for(load_theme(resolve_theme("2026")), __import__(
        "imhcard.core.formats", fromlist=["FORMATS"]).FORMATS["instagram-square"])["photo"].box
    with Image.open(card) as img:
        return tuple(img.convert("RGB").getpixel((box.x + box.w // 2, box.y + box.h // 2)))


@pytest.mark.slow
def test_google_forms_export_with_drive_links(local_web: str, tmp_path: Path) -> None:
    out = tmp_path / "cards"
    summary = run(GOOGLE, out)
    rows = manifest(out)
    # Every supporter with a name and a pledge gets a card, photo or not.
    assert {r: rows[r]["status"] for r in rows} == {
        2: "made", 3: "made", 4: "made", 5: "made", 6: "failed", 7: "made", 8: "made"}
    assert summary.photos_fetched == 6
    # The same name and e-mail twice: both flagged, the newer one says so.
    assert rows[2]["warning"].startswith("row 7 is a newer submission (same name and e-mail)")
    assert rows[7]["warning"].startswith("also sent as row 2")
    assert "HTTP 404" in rows[3]["warning"]
    assert "not shared with 'Anyone with the link'" in rows[4]["warning"]
    assert "no answer within" in rows[5]["warning"]
    # The iPhone's HEIC photo is on the card (a small one here: staff are asked to look).
    assert rows[8]["warning"].startswith("the photo is 240×320 pixels, smaller than")
    # A row with three problems reports all three.
    assert len(rows[6]["error"].split(" | ")) == 3
    kinds = {p["kind"] for p in json.loads((out / "manifest.json").read_text(
        encoding="utf-8"))["cards"][4]["problems"]}
    assert kinds == {"the name is empty", "the pledge is too long", NOT_IMAGE}
    # The e-mail column is carried for a mail merge.
    assert rows[8]["email"] == "niamh@example.org"
    # Fetched photos are cached in the output folder only, and not fetched again.
    cached = list((out / photos.CACHE_DIR).iterdir())
    assert len(cached) == 2  # Aoife's JPEG and Niamh's HEIC
    again = run(GOOGLE, out)
    assert again.skipped == 6 and again.made == 0
    # The photo is on the card, upright, and none of its metadata went with it.
    card = out / "00002-aoife-ni-bhriain-instagram-square.png"
    assert centre_of_photo(card) == pytest.approx(PHOTO_RED, abs=12)
    with Image.open(card) as img:
        assert not img.getexif() and "exif" not in img.info
    assert b"GPS" not in card.read_bytes()
    heic_card = out / "00008-niamh-byrne-instagram-square.png"
    assert centre_of_photo(heic_card) != centre_of_photo(out / "00003-sean-o-suilleabhain-"
                                                         "instagram-square.png")


@pytest.mark.slow
def test_strict_fails_rows_without_their_photo(local_web: str, tmp_path: Path) -> None:
    summary = run(GOOGLE, tmp_path / "cards", strict=True)
    rows = manifest(tmp_path / "cards")
    assert [r for r in rows if rows[r]["status"] == "failed"] == [3, 4, 5, 6]
    assert summary.failed_rows == 4


@pytest.mark.slow
def test_downloaded_photos_folder_is_used_before_the_web(local_web: str, tmp_path: Path) -> None:
    folder = tmp_path / "Upload a photo of yourself (File responses)"
    folder.mkdir()
    Image.new("RGB", (1200, 1200), (30, 160, 90)).save(folder / "IMG_2041 - Grainne Mhic Aoidh.jpg")
    Image.new("RGB", (1200, 1200), (30, 160, 90)).save(
        folder / "1SeanPhotoDeleted0000000000000000.jpg")
    summary = run(GOOGLE, tmp_path / "cards", photos_dir=folder)
    rows = manifest(tmp_path / "cards")
    assert rows[3]["warning"] == "" and rows[4]["warning"] == ""
    assert summary.photos_fetched == 4  # the two in the folder were not fetched


def test_microsoft_forms_xlsx_with_onedrive_links(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "What is your name?",
               "Your pledge", "Upload a photo"])
    base = ("https://contoso-my.sharepoint.com/personal/staff_contoso_org/Documents/Apps/"
            "Microsoft%20Forms/Pledge%20cards/Upload%20a%20photo/")
    ws.append([1, datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 1, 9, 2), "anonymous",
               "anonymous", "Aoife Ní Bhriain", "speak-up", base + "IMG_0420_Aoife.jpg"])
    ws.append([2, datetime(2026, 6, 1, 9, 5), datetime(2026, 6, 1, 9, 6), "caoimhin@nhs.example",
               "Caoimhín", "Caoimhín", "listen", base + "photo_Caoimh%C3%ADn.heic"])
    book.save(tmp_path / "Pledge cards(1-2).xlsx")
    folder = tmp_path / "Upload a photo"
    folder.mkdir()
    Image.new("RGB", (1200, 1200), (30, 160, 90)).save(folder / "IMG_0420_Aoife.jpg")
    (folder / "photo_Caoimhín.heic").write_bytes(HEIC.read_bytes())
    out = tmp_path / "cards"
    summary = run(tmp_path / "Pledge cards(1-2).xlsx", out, photos_dir=folder)
    assert (summary.made, summary.failed_rows, summary.photos_fetched) == (2, 0, 0)
    rows = manifest(out)
    assert rows[2]["warning"] == ""
    # The iPhone's HEIC photo is used (a small one here: staff are asked to look).
    assert rows[3]["warning"].startswith("the photo is 240×320 pixels, smaller than")
    assert rows[3]["email"] == "caoimhin@nhs.example"


@pytest.mark.slow
def test_check_downloads_to_verify_but_keeps_nothing(local_web: str, tmp_path: Path) -> None:
    out = tmp_path / "cards"
    summary = run(GOOGLE, out, check=True)
    assert not out.exists()  # not even the photo cache
    by_row = {r.row: r for r in summary.tally.rows}
    assert 8 not in by_row  # Niamh's HEIC photo was fetched and reads
    assert by_row[3].status == "made without photo" and "HTTP 404" in \
        by_row[3].problems[0].message
    assert [p.kind for p in by_row[6].problems] == [
        "the name is empty", "the pledge is too long", NOT_IMAGE]
    assert summary.photos_fetched == 6
