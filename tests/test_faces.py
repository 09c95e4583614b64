"""Finding faces (render/faces.py) in real photos, and the automatic crop keeping
them whole and clear of the band, chip and QR code in every format and style.

The photos and their licences: tests/fixtures/faces/README.md; the hard cases are
composed from them by tests/facehelp.py. These tests need the `face` extra (CI
installs it and sets IMHCARD_REQUIRE_FACE=1, so there they fail rather than skip).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import threading

import facehelp as H
import pytest
from PIL import Image
from test_framing import cut, heads, in_window, inside, overlaps, search, search_uncut, window_of

from imhcard.core.formats import FORMATS, Format
from imhcard.core.layout import build_layout
from imhcard.render import faces as faces_mod
from imhcard.render.faces import DETECT_SIDE, MAX_DETECT_PIXELS, Face, detect_size, find_faces
from imhcard.render.framing import auto_crop, face_window
from imhcard.render.photo import load_photo

if not faces_mod.available():
    if os.environ.get("IMHCARD_REQUIRE_FACE"):
        raise RuntimeError("IMHCARD_REQUIRE_FACE is set but the face extra is not installed: "
                           'pip install ".[face]"')
    pytest.skip('the face extra is not installed (pip install ".[face]")',
                allow_module_level=True)


def iou(a: tuple[float, float, float, float], b: Face) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b.right, b.bottom
    w = max(0.0, min(ax1, bx1) - max(a[0], b.x))
    h = max(0.0, min(ay1, by1) - max(a[1], b.y))
    inter = w * h
    return inter / (a[2] * a[3] + b.w * b.h - inter)


def assert_finds(scene: H.Scene, found: tuple[Face, ...], min_iou: float = 0.5) -> None:
    """Every known face found, and nothing else."""
    assert len(found) == len(scene.faces), (scene.name, found)
    for known in scene.faces:
        best = max(iou(known, f) for f in found)
        assert best >= min_iou, (scene.name, known, found)


# --- finding them -----------------------------------------------------------------------

@pytest.mark.parametrize("name", H.PEOPLE)
def test_one_face_in_each_portrait(name: str) -> None:
    scene = H.original(name)
    found = find_faces(scene.image)
    assert_finds(scene, found, min_iou=0.8)
    assert all(0.6 <= f.score <= 1 for f in found)


@pytest.mark.parametrize("name", H.NO_PEOPLE)
def test_no_face_in_a_cat_or_a_coffee_cup(name: str) -> None:
    assert find_faces(H.photo(name)) == ()


def test_several_faces() -> None:
    scene = H.group()
    found = find_faces(scene.image)
    assert_finds(scene, found)
    # Largest first.
    assert [f.w * f.h for f in found] == sorted((f.w * f.h for f in found), reverse=True)


@pytest.mark.parametrize("portrait", [False, True])
@pytest.mark.parametrize("edge", H.EDGES)
def test_a_face_at_each_edge(edge: str, portrait: bool) -> None:
    scene = H.at_edge(edge, portrait)
    assert_finds(scene, find_faces(scene.image))


def test_a_small_face_held_low() -> None:
    scene = H.baby_low()
    assert_finds(scene, find_faces(scene.image))


@pytest.mark.parametrize("frac", [0.04, 0.05])
@pytest.mark.parametrize("where", [(0.3, 0.7), (0.92, 0.1), (0.08, 0.93)])
def test_a_face_a_twentieth_of_a_12_megapixel_photo(frac: float,
                                                    where: tuple[float, float]) -> None:
    """Decoded as the card pipeline decodes it (JPEG draft to the card's size), the
    detector's small copy still holds a face 4-5% of the photo's width."""
    scene = H.small_face(frac, where=where)
    photo = load_photo(scene.jpeg(), max_side=1080)
    assert photo.size == (2000, 1500)  # the draft's halving
    k = photo.width / scene.image.width
    scaled = H.Scene(scene.name, photo, tuple(tuple(v * k for v in f) for f in scene.faces))
    assert_finds(scaled, find_faces(photo), min_iou=0.4)


def test_the_boxes_are_in_the_photos_own_pixels() -> None:
    scene = H.original("astronaut")
    big = scene.image.resize((2048, 2048))
    (small_face,), (big_face,) = find_faces(scene.image), find_faces(big)
    for a, b in zip((small_face.x, small_face.y, small_face.w, small_face.h),
                    (big_face.x, big_face.y, big_face.w, big_face.h), strict=True):
        assert b == pytest.approx(a * 4, rel=0.05, abs=4)


def test_transparent_and_grey_photos() -> None:
    rgba = H.photo("kodim04").convert("RGBA")
    grey = H.photo("kodim04").convert("L")
    assert len(find_faces(rgba)) == len(find_faces(grey)) == 1
    assert find_faces(Image.new("RGB", (1, 1))) == ()


# --- bounded cost -------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "expected"), [
    ((4000, 3000), (640, 480)), ((3000, 4000), (480, 640)), ((640, 480), (640, 480)),
    ((300, 200), (300, 200)),            # never enlarged
    ((20000, 100), (640, 3)),            # a strip
    ((1, 1), (1, 1)),
])
def test_detect_size(size: tuple[int, int], expected: tuple[int, int]) -> None:
    assert detect_size(*size) == expected
    w, h = detect_size(*size)
    assert w * h <= MAX_DETECT_PIXELS and max(w, h) <= DETECT_SIDE


def test_the_detector_never_sees_more_than_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, ...]] = []
    real = faces_mod._detector

    class Spy:
        def __init__(self) -> None:
            self.inner = real()

        def setInputSize(self, size: tuple[int, int]) -> None:
            self.inner.setInputSize(size)

        def detect(self, image: object) -> object:
            seen.append(image.shape)  # type: ignore[attr-defined]
            return self.inner.detect(image)

    monkeypatch.setattr(faces_mod, "_detector", Spy)
    find_faces(Image.new("RGB", (6000, 4000), (120, 90, 60)))
    assert seen == [(427, 640, 3)]


# --- without the extra ----------------------------------------------------------------------

def test_without_the_extra_no_faces_and_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cv2", None)  # import cv2 now raises ImportError
    faces_mod.available.cache_clear()
    try:
        assert faces_mod.available() is False
        assert find_faces(H.photo("astronaut")) == ()
    finally:
        monkeypatch.undo()
        faces_mod.available.cache_clear()
    assert faces_mod.available() is True


def test_the_module_imports_without_opencv() -> None:
    """The core install has no OpenCV: importing the crop modules must not need it."""
    code = ("import sys; sys.modules['cv2'] = None; "
            "import imhcard.render.framing, imhcard.render.faces as f; "
            "assert not f.available(); print('ok')")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "ok" and out.stderr == ""


# --- threads and processes ------------------------------------------------------------------

@pytest.mark.slow
def test_threads_each_get_their_own_detector() -> None:
    scenes = [H.group(), H.baby_low(), H.at_edge("left"), H.original("kodim15")]
    expected = [find_faces(s.image) for s in scenes]
    got: dict[int, tuple[Face, ...]] = {}

    def work(i: int) -> None:
        for _ in range(3):
            got[i] = find_faces(scenes[i].image)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(scenes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[i] for i in range(len(scenes))] == expected


def _child(conn: object) -> None:
    conn.send(find_faces(H.group().image))  # type: ignore[attr-defined]


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_worker_makes_its_own_detector() -> None:
    parent = find_faces(H.group().image)  # the parent has loaded its detector
    ctx = multiprocessing.get_context("fork")
    a, b = ctx.Pipe()
    p = ctx.Process(target=_child, args=(b,))
    p.start()
    got = a.recv()
    p.join(30)
    assert p.exitcode == 0 and got == parent


# --- the crop, for every shipped window -----------------------------------------------------

WINDOWS = [(fmt, style) for fmt in FORMATS.values() for style in ("photo", "text")]
CASES = H.hard_cases()


@functools.cache
def found_in(name: str) -> tuple[Face, ...]:
    return find_faces(next(c for c in CASES if c.name == name).image)


@pytest.mark.slow
@pytest.mark.parametrize("fmt_style", WINDOWS, ids=lambda fs: f"{fs[0].name}@{fs[1]}")
def test_faces_stay_whole_and_clear_in_every_window(fmt_style: tuple[Format, str]) -> None:
    """For every shipped photo window (each format's backdrop less the chip, QR code
    and a story's app zones; the text style's circle) and every hard case: the faces
    found are all whole inside clear whenever some crop can do that (the brute-force
    search of test_framing.py decides); otherwise a group is, whenever one face can
    be; and no face is cut by the window's edge when a crop keeping that group
    could avoid it."""
    fmt, style = fmt_style
    win = face_window(build_layout(fmt, None, style), style, fmt)
    assert win is not None
    avoid = list(win.avoid)
    for scene in CASES:
        pw, ph = scene.image.size
        found = found_in(scene.name)
        crop = auto_crop(pw, ph, win.w, win.h, found, win.clear, win.avoid)
        left, top, s = window_of(pw, ph, win.w, win.h, crop)
        tol = 1e-6 * max(win.w, win.h)
        where = (scene.name, crop, win)
        placed = {f: in_window(f, left, top, s) for f in found}
        kept = [f for f, w in placed.items() if inside(w, win.clear, tol)
                and not any(overlaps(w, a, tol) for a in avoid)]
        bare = [(f.x, f.y, f.right, f.bottom) for f in found]
        if search(pw, ph, win.w, win.h, bare, win.clear, avoid):
            assert len(kept) == len(found), where
            continue
        if any(search(pw, ph, win.w, win.h, [b], win.clear, avoid) for b in bare):
            assert kept, where
        others = [f for f in found if f not in kept]
        if kept and others and search_uncut(pw, ph, win.w, win.h,
                                            [(f.x, f.y, f.right, f.bottom) for f in kept],
                                            heads(others, pw, ph), win.clear, avoid):
            assert not any(cut(h, left, top, s, win.w, win.h, tol)
                           for h in heads(others, pw, ph)), where


def test_the_story_keeps_faces_below_the_app_buttons() -> None:
    """A portrait in a story's photo style: the face goes below the top 250 px the
    apps cover, and off the logo's chip."""
    fmt = FORMATS["story"]
    win = face_window(build_layout(fmt, None, "photo"), "photo", fmt)
    assert win is not None and win.clear[1] == 250
    scene = H.original("astronaut")
    (face,) = find_faces(scene.image)
    crop = auto_crop(512, 512, win.w, win.h, [face], win.clear, win.avoid)
    left, top, s = window_of(512, 512, win.w, win.h, crop)
    box = in_window(face, left, top, s)
    assert box[1] >= 250 and inside(box, win.clear, 1e-6)
    assert not any(overlaps(box, a, 1e-6) for a in win.avoid)


@pytest.mark.slow
def test_the_benchmark_runs() -> None:
    """bench/face_bench.py --quick: a smoke run, so the benchmark keeps working."""
    import subprocess
    from pathlib import Path

    bench = Path(__file__).resolve().parent.parent / "bench" / "face_bench.py"
    out = subprocess.run([sys.executable, str(bench), "--quick"], capture_output=True,
                         text=True, timeout=300, check=True)
    assert "find_faces" in out.stdout and "Model load" in out.stdout, out.stdout
    assert "4 of 4 faces" in out.stdout and out.stderr == "", out.stderr
