"""The automatic crop: where a photo sits in its window so every face stays in frame.

Pure geometry, no pixels. The crop means what render.cover.cover_box makes of it: the
window covers the photo like CSS object-fit: cover, magnified by `zoom`, centred on
(x, y) (fractions of the photo's width and height) and kept inside the photo.

A face must be whole and inside `clear`, the part of the window nothing is drawn
over (the window less the QR code, the logo's chip, a story's app buttons; the
inscribed square of a circle), and outside every rectangle in `avoid` (things drawn
over part of the window that do not span it). face_window() works both out from a
card's layout. auto_crop() then:

1. keeps every face, with room for the hair above it and the chin below, inside
   `clear` at zoom 1 when it can, placing the group as a photographer would: centred
   across, the top face's eyes a third of the way down `clear`;
2. zooms in (up to AUTO_ZOOM_MAX) only when that is what lets every face fit, and
   then as little as it can;
3. makes do with the bare face boxes (no hair room) before giving up a face;
4. when the faces cannot all fit, keeps the biggest and most central group that
   does, and places the window so that no face it leaves out is cut in half by the
   window's edge (each is wholly in or wholly out) where it can.

Without faces it is default_crop(): a photo taller than the window keeps its upper
part, FACE_BIAS of the spare height above the window; a wider one keeps its centre.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from imhcard.core.formats import Format
from imhcard.core.layout import BACKDROP, Box, Element
from imhcard.core.supporter import ZOOM_MAX, Crop
from imhcard.render.faces import Face

# (left, top, right, bottom), in the window's pixels.
Rect = tuple[float, float, float, float]

# Where the kept window sits in the spare height of a portrait photo without faces:
# 0 is the top, 0.5 the centre. A quarter keeps the head with a little room above it.
FACE_BIAS = 0.25
# The head around a detected face box (YuNet's box runs from the brows to the chin),
# as fractions of the box: hair above, ears at the sides, the chin below.
HEAD_TOP, HEAD_SIDE, HEAD_BOTTOM = 0.45, 0.12, 0.12
# Where the top face's eyes go: this fraction of the way down `clear`. The eyes sit
# this far down the face box.
EYES_AT, EYES_IN_FACE = 1 / 3, 0.4
# How far the crop may zoom in to fit the faces, and in what steps it tries.
AUTO_ZOOM_MAX = 2.0
ZOOM_STEP = 1.04
# The most faces the placement weighs (the largest, most central ones); the rest
# of a crowd does not move the crop.
MAX_FACES = 8
# When not every face fits, a group is grown from each of this many faces.
SEEDS = 3
# An obstacle across this much of the window's width (height), within EDGE of its
# top or bottom (side), trims `clear` rather than being stepped around: no face
# fits in the sliver beside it.
SPAN, EDGE = 0.85, 0.08


@dataclass(frozen=True)
class Window:
    """A photo window on a card: its size and where faces may sit in it (see
    auto_crop), all in the window's own pixels."""

    w: int
    h: int
    clear: Rect
    avoid: tuple[Rect, ...] = ()


def default_crop(photo_w: int, photo_h: int, window_w: int, window_h: int) -> Crop:
    """Today's rule as a Crop: a photo taller than the window keeps its upper part
    (FACE_BIAS of the spare height above), a wider one its centre; zoom 1."""
    _check_sizes(photo_w, photo_h, window_w, window_h)
    _, rh = _view(photo_w, photo_h, window_w, window_h, 1.0)
    bias = FACE_BIAS if photo_h * window_w > photo_w * window_h else 0.5
    top = (photo_h - rh) * bias
    return Crop(0.5, _fraction(top + rh / 2, photo_h), 1.0)


def auto_crop(photo_w: int, photo_h: int, window_w: int, window_h: int,
              faces: Sequence[Face], clear: Rect | None = None,
              avoid: Sequence[Rect] = ()) -> Crop:
    """The crop of a photo_w x photo_h photo in a window_w x window_h window that
    keeps `faces` (in the photo's pixels) whole inside `clear` (window pixels; the
    whole window when None) and off every rectangle of `avoid`; see the module's
    docstring for the order of preferences. Without faces, default_crop()."""
    _check_sizes(photo_w, photo_h, window_w, window_h)
    heads = _important(photo_w, photo_h, faces)
    if not heads:
        return default_crop(photo_w, photo_h, window_w, window_h)
    geo = _Geometry(photo_w, photo_h, window_w, window_h, _clip(clear, window_w, window_h),
                    tuple(r for r in (_clip(a, window_w, window_h) for a in avoid)
                          if r[2] > r[0] and r[3] > r[1]))
    placed = geo.fit(heads)
    # Not all of them: the most important group that fits, first with no face left
    # half in the window, then (when that keeps none) with as few as can be.
    for uncut in (True, False):
        if placed is not None:
            break
        kept = _group(geo, heads, uncut)
        if kept:
            placed = geo.fit(kept, left_out=_others(heads, kept), uncut=uncut)
    if placed is None:  # not even the main face fits: centre it, the most it can do
        placed = geo.centre_on(heads[0])
    zoom, left, top = placed
    rw, rh = geo.view(zoom)
    return Crop(_fraction(left + rw / 2, photo_w), _fraction(top + rh / 2, photo_h), zoom)


def face_window(layout: Mapping[str, Element], style: str, fmt: Format | None = None,
                ) -> Window | None:
    """The photo window of a card's layout and where faces may sit in it, or None
    when the layout has no photo.

    Photo style: the photo box (the backdrop) less what is drawn over it: the QR
    code, the chip behind the logo and the week, any panel or band that overlaps
    it, and the parts of a story the apps cover (fmt.safe_top, fmt.safe_bottom).
    Text style: the photo's own shape: a circle (the window is its square) keeps
    faces in the inscribed square, a rounded square inside its rounded corners."""
    el = layout.get(BACKDROP if style == "photo" else "photo")
    if el is None:
        return None
    b = el.box
    over: list[Box] = []
    if style == "photo":
        # Everything drawn over the photo; what sits inside the chip is covered by it.
        chip = layout.get("chip")
        over = [e.box for name, e in layout.items()
                if name not in (BACKDROP, "art") and not e.hidden and e.box.overlaps(b)
                and (chip is None or name == "chip" or not _inside(e.box, chip.box))]
        w, h, x0, y0 = b.w, b.h, b.x, b.y
        inset = 0.0
    else:
        side = min(b.w, b.h) if el.shape == "circle" else 0
        w, h = (side, side) if side else (b.w, b.h)
        x0, y0 = b.x + (b.w - w) // 2, b.y + (b.h - h) // 2
        inset = {"circle": w * (1 - math.sqrt(0.5)) / 2,
                 "rounded": min(w, h) / 6 * (1 - math.sqrt(0.5))}.get(el.shape, 0.0)
    if fmt is not None:
        if fmt.safe_top:
            over.append(Box(0, 0, fmt.width, fmt.safe_top))
        if fmt.safe_bottom:
            over.append(Box(0, fmt.height - fmt.safe_bottom, fmt.width, fmt.safe_bottom))
    rects = [_clip((o.x - x0, o.y - y0, o.right - x0, o.bottom - y0), w, h) for o in over]
    return _trimmed(w, h, (inset, inset, w - inset, h - inset),
                    [r for r in rects if r[2] > r[0] and r[3] > r[1]])


def _inside(inner: Box, outer: Box) -> bool:
    return (outer.x <= inner.x and outer.y <= inner.y and inner.right <= outer.right
            and inner.bottom <= outer.bottom)


def _trimmed(w: int, h: int, clear: Rect, rects: Iterable[Rect]) -> Window:
    """`clear` less the obstacles that span the window at one of its edges; the
    others are left to step around."""
    x0, y0, x1, y1 = clear
    avoid: list[Rect] = []
    near_y, near_x = EDGE * h, EDGE * w
    for r in rects:
        across, down = r[2] - r[0] >= SPAN * w, r[3] - r[1] >= SPAN * h
        if across and r[1] <= y0 + near_y and r[3] < y1:
            y0 = max(y0, r[3])
        elif across and r[3] >= y1 - near_y and r[1] > y0:
            y1 = min(y1, r[1])
        elif down and r[0] <= x0 + near_x and r[2] < x1:
            x0 = max(x0, r[2])
        elif down and r[2] >= x1 - near_x and r[0] > x0:
            x1 = min(x1, r[0])
        else:
            avoid.append(r)
    inner = (x0, y0, x1, y1)
    kept = tuple(r for r in (_clip_to(a, inner) for a in avoid) if r[2] > r[0] and r[3] > r[1])
    return Window(w, h, inner, kept)


# --- the geometry ---------------------------------------------------------------------

Placement = tuple[float, float, float]  # zoom, left, top (the window's corner in the photo)


class _Geometry:
    """One photo in one window: the search over zoom and position."""

    def __init__(self, pw: int, ph: int, ww: int, wh: int, clear: Rect,
                 avoid: tuple[Rect, ...]) -> None:
        self.pw, self.ph, self.ww, self.wh = pw, ph, ww, wh
        self.clear, self.avoid = clear, avoid
        self.base = max(ww / pw, wh / ph)
        zooms = [1.0]
        while zooms[-1] * ZOOM_STEP <= min(AUTO_ZOOM_MAX, ZOOM_MAX) + 1e-9:
            zooms.append(zooms[-1] * ZOOM_STEP)
        self.zooms = zooms
        # Tolerance for touching edges, in the photo's pixels.
        self.eps = 1e-9 * max(pw, ph)

    def view(self, zoom: float) -> tuple[float, float]:
        """The size of the part of the photo the window shows, in photo pixels."""
        return _view(self.pw, self.ph, self.ww, self.wh, zoom)

    def fit(self, faces: Sequence[Face], tight_only: bool = False,
            left_out: Sequence[Face] = (), uncut: bool = False) -> Placement | None:
        """The best placement keeping every face of `faces` whole in clear: with
        head room at zoom 1, then zoomed, then bare boxes at zoom 1, then zoomed.
        `tight_only` tries bare boxes alone (is it possible at all?). The faces of
        `left_out` are each wholly in or wholly out of the window when `uncut`, and
        as many of them as can be otherwise."""
        ladders = [False] if tight_only else [True, False]
        for padded in ladders:
            boxes = [_head(f, self.pw, self.ph) if padded else _bare(f) for f in faces]
            for zoom in self.zooms:
                found = self._place(zoom, boxes, faces, left_out, uncut)
                if found is not None:
                    return zoom, found[0], found[1]
        return None

    def centre_on(self, face: Face) -> Placement:
        """Zoom 1, the face centred in clear as nearly as the photo allows."""
        rw, rh = self.view(1.0)
        cx0, cy0, cx1, cy1 = self.clear
        left = face.x + face.w / 2 - (cx0 + cx1) / 2 / self.base
        top = face.y + face.h / 2 - (cy0 + cy1) / 2 / self.base
        return 1.0, _clamp(left, 0.0, self.pw - rw), _clamp(top, 0.0, self.ph - rh)

    def _place(self, zoom: float, boxes: Sequence[Rect], faces: Sequence[Face],
               left_out: Sequence[Face], uncut: bool) -> tuple[float, float] | None:
        """The window's corner (left, top) nearest the preferred one that keeps
        every box in clear and off `avoid`, or None. Among those, fewest faces of
        `left_out` cut by the window's edge comes first (none at all when `uncut`).

        The corners that keep the boxes in clear form a rectangle; each (box,
        obstacle) pair bans an open rectangle of it. The best corner is the
        preferred one clamped into some cell of the grid those rectangles' edges
        make, so it is among the grid's coordinates and the preferred ones: they
        are tried nearest first."""
        s = self.base * zoom
        rw, rh = self.view(zoom)
        cx0, cy0, cx1, cy1 = self.clear
        # Every box inside clear: an interval for left and one for top.
        l_lo = max(0.0, max(b[2] for b in boxes) - cx1 / s)
        l_hi = min(self.pw - rw, min(b[0] for b in boxes) - cx0 / s)
        t_lo = max(0.0, max(b[3] for b in boxes) - cy1 / s)
        t_hi = min(self.ph - rh, min(b[1] for b in boxes) - cy0 / s)
        if l_lo > l_hi + self.eps or t_lo > t_hi + self.eps:
            return None
        l_hi, t_hi = max(l_lo, l_hi), max(t_lo, t_hi)
        # A box over an obstacle: an open rectangle of corners to stay out of.
        banned = []
        for b in boxes:
            for a in self.avoid:
                r = (b[0] - a[2] / s, b[1] - a[3] / s, b[2] - a[0] / s, b[3] - a[1] / s)
                if r[0] < l_hi and r[2] > l_lo and r[1] < t_hi and r[3] > t_lo:
                    banned.append(r)
        # A left-out face is cut when it is partly in the window: in the open box
        # `touch` but not in the closed box `whole`.
        cuts = []
        for f in left_out:
            x0, y0, x1, y1 = _head(f, self.pw, self.ph)
            cuts.append(((x0 - rw, y0 - rh, x1, y1), (x1 - rw, y1 - rh, x0, y0)))
        pref_l, pref_t = self._preferred(boxes, faces, s)
        xs = {_clamp(pref_l, l_lo, l_hi), l_lo, l_hi}
        ys = {_clamp(pref_t, t_lo, t_hi), t_lo, t_hi}
        for r in banned:
            xs.update((r[0], r[2]))
            ys.update((r[1], r[3]))
        for touch, whole in cuts:
            xs.update((touch[0], touch[2], whole[0], whole[2]))
            ys.update((touch[1], touch[3], whole[1], whole[3]))
        xs = {x for x in xs if l_lo - self.eps <= x <= l_hi + self.eps}
        ys = {y for y in ys if t_lo - self.eps <= y <= t_hi + self.eps}
        eps = self.eps
        best: tuple[int, float, float, float] | None = None
        for cost, x, y in sorted((((x - pref_l) / rw) ** 2 + ((y - pref_t) / rh) ** 2, x, y)
                                  for x in xs for y in ys):
            if any(r[0] + eps < x < r[2] - eps and r[1] + eps < y < r[3] - eps
                   for r in banned):
                continue
            if not cuts:
                return _clamp(x, l_lo, l_hi), _clamp(y, t_lo, t_hi)
            n = sum(1 for touch, whole in cuts
                    if touch[0] + eps < x < touch[2] - eps and touch[1] + eps < y < touch[3] - eps
                    and not (whole[0] - eps <= x <= whole[2] + eps
                             and whole[1] - eps <= y <= whole[3] + eps))
            if uncut and n:
                continue
            if best is None or (n, cost) < best[:2]:
                best = (n, cost, x, y)
                if n == 0:
                    break
        if best is None:
            return None
        return _clamp(best[2], l_lo, l_hi), _clamp(best[3], t_lo, t_hi)

    def _preferred(self, boxes: Sequence[Rect], faces: Sequence[Face],
                   s: float) -> tuple[float, float]:
        """The corner a photographer would choose: the faces centred across clear,
        the top face's eyes EYES_AT of the way down it."""
        cx0, cy0, cx1, cy1 = self.clear
        gx = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
        top_face = min(faces, key=lambda f: f.y)
        eyes = top_face.y + EYES_IN_FACE * top_face.h
        return gx - (cx0 + cx1) / 2 / s, eyes - (cy0 + EYES_AT * (cy1 - cy0)) / s


def _group(geo: _Geometry, heads: list[Face], uncut: bool) -> list[Face]:
    """The group of faces to keep: grown greedily, most important face first, from
    each of the SEEDS most important faces; the group weighing most wins."""
    best: list[Face] = []
    for seed in heads[:SEEDS]:
        kept: list[Face] = []
        for face in [seed, *(f for f in heads if f is not seed)]:
            trial = [*kept, face]
            if geo.fit(trial, tight_only=True, left_out=_others(heads, trial),
                       uncut=uncut) is not None:
                kept = trial
        if sum(map(_weight_of(geo), kept)) > sum(map(_weight_of(geo), best)):
            best = kept
    return best


def _weight_of(geo: _Geometry) -> Callable[[Face], float]:
    return lambda f: _weight(f, geo.pw, geo.ph)


def _others(faces: Sequence[Face], kept: Sequence[Face]) -> list[Face]:
    return [f for f in faces if f not in kept]


def _important(pw: int, ph: int, faces: Sequence[Face]) -> list[Face]:
    """The faces that count, most important first (big and near the photo's
    centre), clipped to the photo; at most MAX_FACES."""
    usable = []
    for f in faces:
        if not all(math.isfinite(v) for v in (f.x, f.y, f.w, f.h)):
            continue
        x0, y0 = _clamp(f.x, 0.0, pw), _clamp(f.y, 0.0, ph)
        x1, y1 = _clamp(f.right, 0.0, pw), _clamp(f.bottom, 0.0, ph)
        if x1 - x0 > 0 and y1 - y0 > 0:
            usable.append(Face(x0, y0, x1 - x0, y1 - y0, f.score))

    usable.sort(key=lambda f: _weight(f, pw, ph), reverse=True)
    return usable[:MAX_FACES]


def _weight(f: Face, pw: int, ph: int) -> float:
    """How much a face counts: its area, less the further it is from the centre."""
    off = math.hypot((f.x + f.w / 2) / pw - 0.5, (f.y + f.h / 2) / ph - 0.5)
    return f.w * f.h * (1.0 - off)  # off is at most ~0.71


def _head(f: Face, pw: int, ph: int) -> Rect:
    """The face box grown to the whole head, kept within the photo."""
    return (max(0.0, f.x - HEAD_SIDE * f.w), max(0.0, f.y - HEAD_TOP * f.h),
            min(float(pw), f.right + HEAD_SIDE * f.w), min(float(ph), f.bottom + HEAD_BOTTOM * f.h))


def _bare(f: Face) -> Rect:
    return (f.x, f.y, f.right, f.bottom)


def _view(pw: int, ph: int, ww: int, wh: int, zoom: float) -> tuple[float, float]:
    scale = max(ww / pw, wh / ph) * zoom
    return min(float(pw), ww / scale), min(float(ph), wh / scale)


def _clip(r: Rect | None, w: int, h: int) -> Rect:
    if r is None:
        return (0.0, 0.0, float(w), float(h))
    return _clip_to(r, (0.0, 0.0, float(w), float(h)))


def _clip_to(r: Rect, outer: Rect) -> Rect:
    return (_clamp(r[0], outer[0], outer[2]), _clamp(r[1], outer[1], outer[3]),
            _clamp(r[2], outer[0], outer[2]), _clamp(r[3], outer[1], outer[3]))


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if v < lo else hi if v > hi else v


def _fraction(v: float, whole: int) -> float:
    return _clamp(v / whole, 0.0, 1.0)


def _check_sizes(*sizes: int) -> None:
    if not all(s > 0 for s in sizes):
        raise ValueError(f"photo and window sizes must be positive, not {sizes}")
