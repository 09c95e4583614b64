"""The automatic crop (render/framing.py): exact numbers for the rules, and property
tests checking every crop against the real crop geometry (render.cover.cover_box) and
an independent search for a placement that keeps every face in `clear`."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imhcard.core.formats import FORMATS
from imhcard.core.layout import build_layout
from imhcard.core.supporter import Crop
from imhcard.render import framing
from imhcard.render.cover import cover_box
from imhcard.render.faces import Face
from imhcard.render.framing import (
    AUTO_ZOOM_MAX,
    Rect,
    Window,
    auto_crop,
    default_crop,
    face_window,
)

TOL = 1e-6


def window_of(pw: int, ph: int, ww: int, wh: int, crop: Crop) -> tuple[float, float, float]:
    """(left, top, scale) of the window the crop means, by the card's own geometry."""
    left, top, right, _ = cover_box(pw, ph, ww, wh, crop)
    return left, top, ww / (right - left)


def in_window(face: Rect | Face, left: float, top: float, s: float) -> Rect:
    if isinstance(face, Face):
        face = (face.x, face.y, face.right, face.bottom)
    return ((face[0] - left) * s, (face[1] - top) * s, (face[2] - left) * s, (face[3] - top) * s)


def inside(r: Rect, clear: Rect, tol: float) -> bool:
    return (r[0] >= clear[0] - tol and r[1] >= clear[1] - tol and r[2] <= clear[2] + tol
            and r[3] <= clear[3] + tol)


def overlaps(r: Rect, a: Rect, tol: float) -> bool:
    return r[0] < a[2] - tol and a[0] < r[2] - tol and r[1] < a[3] - tol and a[1] < r[3] - tol


def zooms() -> list[float]:
    z = [1.0]
    while z[-1] * framing.ZOOM_STEP <= AUTO_ZOOM_MAX + 1e-9:
        z.append(z[-1] * framing.ZOOM_STEP)
    return z


def search(pw: int, ph: int, ww: int, wh: int, boxes: list[Rect], clear: Rect,
           avoid: list[Rect], only_zoom_1: bool = False, steps: int = 30,
           below: float = math.inf) -> bool:
    """An independent, brute-force answer to "can these boxes all sit inside clear and
    off avoid?": every zoom auto_crop tries (those under `below`), positions on a grid
    (so it may miss a sliver of a solution, never invent one)."""
    for z in [z for z in (zooms()[:1] if only_zoom_1 else zooms()) if z < below - 1e-9]:
        s = max(ww / pw, wh / ph) * z
        rw, rh = min(pw, ww / s), min(ph, wh / s)
        lefts = [(pw - rw) * i / steps for i in range(steps + 1)]
        tops = [(ph - rh) * i / steps for i in range(steps + 1)]
        for left in lefts:
            for top in tops:
                ws = [in_window(b, left, top, s) for b in boxes]
                if all(inside(w, clear, 0) for w in ws) and not any(
                        overlaps(w, a, 0) for w in ws for a in avoid):
                    return True
    return False


def heads(faces: list[Face], pw: int, ph: int) -> list[Rect]:
    return [framing._head(f, pw, ph) for f in faces]


# --- without faces: today's rule ------------------------------------------------------

@pytest.mark.parametrize(("pw", "ph", "ww", "wh", "expected"), [
    (3000, 4000, 1080, 580, Crop(0.5, (0.25 * (4000 - 3000 * 580 / 1080) + 1500 * 580 / 1080)
                                 / 4000, 1.0)),
    # A 4:3 photo is taller than this window's shape: its upper part too.
    (4000, 3000, 1080, 580, Crop(0.5, (0.25 * (3000 - 4000 * 580 / 1080) + 2000 * 580 / 1080)
                                 / 3000, 1.0)),
    (4000, 1000, 1080, 580, Crop(0.5, 0.5, 1.0)),      # wider than the window: the centre
    (1000, 1000, 500, 500, Crop(0.5, 0.5, 1.0)),       # the same shape: all of it
    (1000, 2000, 500, 500, Crop(0.5, 0.375, 1.0)),     # top at a quarter of the spare 1000
])
def test_without_faces_the_rule_of_today(pw: int, ph: int, ww: int, wh: int,
                                         expected: Crop) -> None:
    got = auto_crop(pw, ph, ww, wh, [])
    assert (got.x, got.y, got.zoom) == pytest.approx((expected.x, expected.y, expected.zoom))
    assert got == default_crop(pw, ph, ww, wh)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8000), st.integers(1, 8000), st.integers(1, 3000), st.integers(1, 3000))
def test_without_faces_the_same_window_as_cover_box(pw: int, ph: int, ww: int, wh: int) -> None:
    crop = default_crop(pw, ph, ww, wh)
    assert 0 <= crop.x <= 1 and 0 <= crop.y <= 1 and crop.zoom == 1
    assert cover_box(pw, ph, ww, wh, crop) == pytest.approx(cover_box(pw, ph, ww, wh),
                                                            rel=1e-9, abs=1e-6)


# --- exact numbers ----------------------------------------------------------------------

def test_a_face_at_the_side_of_a_wide_photo_is_followed() -> None:
    # 2000x1000 in a 500x500 window: 1000 px of it shown, the face's head at 1476..1724.
    assert auto_crop(2000, 1000, 500, 500, [Face(1500, 300, 200, 250)]) == Crop(0.75, 0.5, 1.0)
    assert auto_crop(2000, 1000, 500, 500, [Face(100, 300, 200, 250)]) == Crop(0.25, 0.5, 1.0)
    assert auto_crop(2000, 1000, 500, 500, [Face(900, 300, 200, 250)]) == Crop(0.5, 0.5, 1.0)


def test_a_face_low_in_a_portrait_has_its_eyes_a_third_down() -> None:
    # 1000x2000 in 500x500: today's rule shows rows 250..1250 and cuts this face
    # (rows 1200..1450) in half; its eyes (row 1300) go a third of the way down.
    crop = auto_crop(1000, 2000, 500, 500, [Face(400, 1200, 200, 250)])
    assert crop.x == 0.5 and crop.zoom == 1.0
    assert crop.y == pytest.approx((1300 - 500 / 3 / 0.5 + 500) / 2000)
    _, top, s = window_of(1000, 2000, 500, 500, crop)
    assert (1300 - top) * s == pytest.approx(500 / 3)


def test_clear_keeps_the_face_out_of_the_band() -> None:
    # The bottom 150 px of the window are covered (a band). This face is so low in
    # the photo that at zoom 1 the band would cover its chin: the crop zooms in, by
    # the first step that frees the whole head, and no further.
    clear = (0.0, 0.0, 500.0, 350.0)
    face = Face(400, 1500, 200, 250)
    crop = auto_crop(1000, 2000, 500, 500, [face], clear)
    left, top, s = window_of(1000, 2000, 500, 500, crop)
    head = framing._head(face, 1000, 2000)
    assert inside(in_window(head, left, top, s), clear, TOL)
    assert crop.zoom > 1
    assert not search(1000, 2000, 500, 500, [head], clear, [], below=crop.zoom)
    # A face higher up needs no zoom, and sits with its eyes a third down clear.
    crop = auto_crop(1000, 2000, 500, 500, [Face(400, 1000, 200, 250)], clear)
    left, top, s = window_of(1000, 2000, 500, 500, crop)
    assert crop.zoom == 1 and (1100 - top) * s == pytest.approx(350 / 3)


def test_an_obstacle_is_stepped_round_by_zooming_as_little_as_it_can() -> None:
    # 1000x1000 in 1000x500 (the width all shown), a chip over the top-left corner and
    # a face under it. No position at zoom 1 frees the head; 1.04**5 is the first
    # zoom step that does, and its window is the one nearest the preferred.
    z = 1.04 ** 5
    crop = auto_crop(1000, 1000, 1000, 500, [Face(100, 300, 100, 100)],
                     avoid=[(0.0, 0.0, 300.0, 300.0)])
    assert crop.zoom == pytest.approx(z)
    rh = 500 / z
    assert crop.x == pytest.approx(1000 / z / 2 / 1000)
    assert crop.y == pytest.approx(((255 - 300 / z) + rh / 2) / 1000)


def test_when_both_cannot_fit_the_central_one_is_kept_and_the_other_not_cut() -> None:
    # 3000x1000 in 500x500: 1000 px of the width shown; two faces 1050 px apart
    # cannot both be in it. B is nearer the centre, so B stays, and the window
    # moves right until A's head (852..1348) is wholly out of it.
    a, b = Face(900, 300, 400, 400), Face(1550, 300, 400, 400)
    crop = auto_crop(3000, 1000, 500, 500, [a, b])
    assert crop == Crop(pytest.approx((1348 + 500) / 3000), 0.5, 1.0)  # type: ignore[arg-type]


def test_a_face_too_big_for_clear_is_centred() -> None:
    crop = auto_crop(1000, 2000, 500, 500, [Face(400, 200, 200, 250)],
                     (0.0, 250.0, 500.0, 500.0))
    assert crop == Crop(0.5, 0.25, 1.0)


def test_faces_outside_the_photo_or_empty_are_ignored() -> None:
    bad = [Face(-500, -500, 100, 100), Face(10, 10, 0, 50), Face(math.nan, 0, 5, 5)]
    assert auto_crop(1000, 2000, 500, 500, bad) == default_crop(1000, 2000, 500, 500)


def test_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        auto_crop(0, 100, 100, 100, [])


# --- the windows of the shipped layouts -------------------------------------------------

def test_face_window_of_every_layout() -> None:
    square = face_window(build_layout(FORMATS["instagram-square"], None, "photo"), "photo",
                         FORMATS["instagram-square"])
    assert square == Window(1080, 580, (0, 0, 1080, 580), ((32, 32, 412, 344),
                                                          (722, 556, 1040, 580)))
    story = face_window(build_layout(FORMATS["story"], None, "photo"), "photo",
                        FORMATS["story"])
    # The apps' buttons cover the top 250 px: clear starts below them.
    assert story == Window(1080, 1040, (0, 250, 1080, 1040), ((32, 266, 412, 578),
                                                             (722, 1010, 1040, 1040)))
    facebook = face_window(build_layout(FORMATS["facebook"], None, "photo"), "photo",
                           FORMATS["facebook"])
    # The chip spans the column's width near its foot: faces stay above it.
    assert facebook == Window(400, 630, (0, 0, 400, 290), ())
    circle = face_window(build_layout(FORMATS["instagram-square"], None, "text"), "text")
    assert circle is not None and (circle.w, circle.h) == (360, 360)
    inset = 180 - 180 * math.sqrt(0.5)
    assert circle.clear == pytest.approx((inset, inset, 360 - inset, 360 - inset))
    for fmt in FORMATS.values():
        for style in ("photo", "text"):
            win = face_window(build_layout(fmt, None, style), style, fmt)
            assert win is not None
            assert 0 <= win.clear[0] < win.clear[2] <= win.w
            assert 0 <= win.clear[1] < win.clear[3] <= win.h
            for a in win.avoid:
                assert inside(a, win.clear, 0)


def test_face_window_without_a_photo() -> None:
    layout = {k: v for k, v in build_layout(FORMATS["story"], None, "text").items()
              if k != "photo"}
    assert face_window(layout, "text") is None


# --- properties -----------------------------------------------------------------------

@st.composite
def scenes(draw: st.DrawFn, min_faces: int = 0
           ) -> tuple[int, int, int, int, list[Face], Rect, list[Rect]]:
    pw, ph = draw(st.integers(40, 4000)), draw(st.integers(40, 4000))
    ww, wh = draw(st.integers(40, 1200)), draw(st.integers(40, 1200))
    faces = []
    for _ in range(draw(st.integers(min_faces, 4))):
        w = draw(st.floats(2, pw * 0.5))
        h = draw(st.floats(2, ph * 0.5))
        faces.append(Face(draw(st.floats(0, pw - w)), draw(st.floats(0, ph - h)), w, h))
    x0, y0 = draw(st.floats(0, ww * 0.4)), draw(st.floats(0, wh * 0.4))
    clear = (x0, y0, draw(st.floats(x0 + 1, ww)), draw(st.floats(y0 + 1, wh)))
    avoid = []
    for _ in range(draw(st.integers(0, 2))):
        ax0, ay0 = draw(st.floats(0, ww - 2)), draw(st.floats(0, wh - 2))
        avoid.append((ax0, ay0, draw(st.floats(ax0 + 1, ww)), draw(st.floats(ay0 + 1, wh))))
    return pw, ph, ww, wh, faces, clear, avoid


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes())
def test_every_crop_is_in_range_and_keeps_the_faces_when_it_can(
        scene: tuple[int, int, int, int, list[Face], Rect, list[Rect]]) -> None:
    pw, ph, ww, wh, faces, clear, avoid = scene
    crop = auto_crop(pw, ph, ww, wh, faces, clear, avoid)
    assert 0 <= crop.x <= 1 and 0 <= crop.y <= 1
    assert 1 <= crop.zoom <= AUTO_ZOOM_MAX + 1e-9
    crop.check()
    if not faces:
        assert crop == default_crop(pw, ph, ww, wh)
        return
    left, top, s = window_of(pw, ph, ww, wh, crop)
    tol = TOL * max(ww, wh)
    bare = [(f.x, f.y, f.right, f.bottom) for f in faces]
    if search(pw, ph, ww, wh, bare, clear, avoid):
        for b in bare:
            w = in_window(b, left, top, s)
            assert inside(w, clear, tol), (w, clear)
            assert not any(overlaps(w, a, tol) for a in avoid), (w, avoid)
    if search(pw, ph, ww, wh, heads(faces, pw, ph), clear, avoid, only_zoom_1=True):
        assert crop.zoom == 1.0  # no zoom when the heads fit without it
    # The same inputs give the same crop.
    assert auto_crop(pw, ph, ww, wh, list(faces), clear, list(avoid)) == crop


def cut(head: Rect, left: float, top: float, s: float, ww: int, wh: int, tol: float) -> bool:
    """Whether the window's edge cuts this head: partly in the window, partly out."""
    w = in_window(head, left, top, s)
    out = w[2] <= tol or w[0] >= ww - tol or w[3] <= tol or w[1] >= wh - tol
    return not out and not inside(w, (0, 0, ww, wh), tol)


def search_uncut(pw: int, ph: int, ww: int, wh: int, kept: list[Rect], others: list[Rect],
                 clear: Rect, avoid: list[Rect], steps: int = 30) -> bool:
    for z in zooms():
        s = max(ww / pw, wh / ph) * z
        rw, rh = min(pw, ww / s), min(ph, wh / s)
        for i in range(steps + 1):
            for j in range(steps + 1):
                left, top = (pw - rw) * i / steps, (ph - rh) * j / steps
                ws = [in_window(b, left, top, s) for b in kept]
                if all(inside(w, clear, 0) for w in ws) and not any(
                        overlaps(w, a, 0) for w in ws for a in avoid) and not any(
                        cut(o, left, top, s, ww, wh, 0) for o in others):
                    return True
    return False


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes(min_faces=2))
def test_a_left_out_face_is_not_cut_when_it_need_not_be(
        scene: tuple[int, int, int, int, list[Face], Rect, list[Rect]]) -> None:
    """The faces the crop keeps in clear: if some window keeps those and leaves every
    other head wholly in or wholly out of the window, the crop cuts no head."""
    pw, ph, ww, wh, faces, clear, avoid = scene
    crop = auto_crop(pw, ph, ww, wh, faces, clear, avoid)
    left, top, s = window_of(pw, ph, ww, wh, crop)
    tol = TOL * max(ww, wh)
    kept = [f for f in faces if inside(in_window(f, left, top, s), clear, tol)
            and not any(overlaps(in_window(f, left, top, s), a, tol) for a in avoid)]
    others = [f for f in faces if f not in kept]
    if not kept or not others:
        return
    bare = [(f.x, f.y, f.right, f.bottom) for f in kept]
    if search_uncut(pw, ph, ww, wh, bare, heads(others, pw, ph), clear, avoid):
        assert not any(cut(h, left, top, s, ww, wh, tol) for h in heads(others, pw, ph))


def test_the_worst_case_is_bounded() -> None:
    """Many faces, obstacles, none fitting: still quick (the group search is
    bounded by MAX_FACES, SEEDS and the zoom steps)."""
    import time

    faces = [Face(100 + 370 * i, 100 + 90 * (i % 3), 300, 360) for i in range(12)]
    start = time.perf_counter()
    crop = auto_crop(4800, 1200, 360, 360, faces, (53, 53, 307, 307),
                     [(0, 0, 120, 120), (240, 240, 360, 360)])
    assert time.perf_counter() - start < 2.0
    crop.check()
