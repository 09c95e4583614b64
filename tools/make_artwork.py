#!/usr/bin/env python3
"""Generate the default artwork and logo mark for imhcard.

Everything here is original, drawn from primitive shapes with Pillow, and fully
deterministic (no randomness, no external files). Run from anywhere:

    python tools/make_artwork.py            # writes assets/logo/mark.png and assets/art/*.png
    python tools/make_artwork.py --preview  # also writes previews to /tmp/imhcard_previews

Shapes are drawn at SS x the output resolution and downsampled with LANCZOS,
which gives smooth anti-aliased edges.

Outputs
-------
assets/logo/mark.png   512x512 RGBA, white on transparent. Only the alpha channel
                       matters: the card renderer uses it as a mask and tints it.
assets/art/2024.png    1600x1600 RGBA, transparent background ("Speak Up For Babies").
assets/art/2026.png    1600x1600 RGBA, transparent background (theme not yet announced:
                       a general "Stronger from the Start" growth motif).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

SS = 4  # supersampling factor

ROOT = Path(__file__).resolve().parent.parent
ART_DIR = ROOT / "assets" / "art"
LOGO_DIR = ROOT / "assets" / "logo"

Point = tuple[float, float]


# --------------------------------------------------------------------------- #
# Geometry helpers (all in output-pixel coordinates; Layer scales by SS)
# --------------------------------------------------------------------------- #
def hex_rgba(h: str, a: int = 255) -> tuple[int, int, int, int]:
    h = h.lstrip("#")
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), a)


def mix(h1: str, h2: str, t: float) -> str:
    """Blend two hex colours (t=0 -> h1, t=1 -> h2)."""
    a, b = hex_rgba(h1), hex_rgba(h2)
    return "#" + "".join(f"{round(a[i] + (b[i] - a[i]) * t):02X}" for i in range(3))


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 80) -> list[Point]:
    pts = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        x = u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0]
        y = u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]
        pts.append((x, y))
    return pts


def arc_points(c: Point, r: float, a0: float, a1: float, n: int = 120) -> list[Point]:
    """Points on a circle, angles in degrees (y axis points down)."""
    return [
        (
            c[0] + r * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
            c[1] + r * math.sin(math.radians(a0 + (a1 - a0) * i / n)),
        )
        for i in range(n + 1)
    ]


def _normals(path: list[Point]) -> list[Point]:
    out = []
    for i in range(len(path)):
        a = path[max(i - 1, 0)]
        b = path[min(i + 1, len(path) - 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        ln = math.hypot(dx, dy) or 1.0
        out.append((-dy / ln, dx / ln))
    return out


def stroke_outline(path: list[Point], widths) -> list[Point]:
    """Polygon outlining a variable-width stroke along `path`.

    `widths` is a number or a function of t in [0, 1] returning the full width.
    """
    if not callable(widths):
        w0 = float(widths)
        def widths(t):
            return w0
    ns = _normals(path)
    n = len(path) - 1
    left, right = [], []
    for i, (p, nv) in enumerate(zip(path, ns, strict=False)):
        hw = widths(i / n) / 2
        left.append((p[0] + nv[0] * hw, p[1] + nv[1] * hw))
        right.append((p[0] - nv[0] * hw, p[1] - nv[1] * hw))
    return left + right[::-1]


def leaf_midrib(base: Point, tip: Point, bend: float = 0.0, n: int = 60) -> list[Point]:
    """Curved centre line of a leaf; `bend` bows it sideways (fraction of length)."""
    bx, by = base
    dx, dy = tip[0] - bx, tip[1] - by
    ln = math.hypot(dx, dy)
    nx, ny = -dy / ln, dx / ln
    pts = []
    for i in range(n + 1):
        t = i / n
        off = bend * ln * math.sin(math.pi * t)
        pts.append((bx + dx * t + nx * off, by + dy * t + ny * off))
    return pts


def leaf(base: Point, tip: Point, width: float, bend: float = 0.0, n: int = 60) -> list[Point]:
    """Pointed leaf from base to tip, widest a little below the middle."""
    mid = leaf_midrib(base, tip, bend, n)
    return stroke_outline(mid, lambda t: width * (math.sin(math.pi * t) ** 0.8) * (1.12 - 0.3 * t))


def blob(
    c: Point,
    r: float,
    wobble: list[tuple[int, float, float]],
    n: int = 360,
    sx: float = 1.0,
    sy: float = 1.0,
) -> list[Point]:
    """Soft organic closed shape: circle with a few low-frequency harmonics."""
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        rr = r * (1 + sum(amp * math.sin(k * a + ph) for k, amp, ph in wobble))
        pts.append((c[0] + rr * math.cos(a) * sx, c[1] + rr * math.sin(a) * sy))
    return pts


def rotate(pts: list[Point], c: Point, deg: float) -> list[Point]:
    ca, sa = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return [
        (c[0] + (x - c[0]) * ca - (y - c[1]) * sa, c[1] + (x - c[0]) * sa + (y - c[1]) * ca)
        for x, y in pts
    ]


def pill(a: Point, b: Point, width: float, n: int = 40) -> list[Point]:
    """Capsule (stadium) shape between centre points a and b."""
    ang = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    r = width / 2
    return arc_points(b, r, ang - 90, ang + 90, n) + arc_points(a, r, ang + 90, ang + 270, n)


def rounded_rect(x0, y0, x1, y1, r, n: int = 16) -> list[Point]:
    return (
        arc_points((x1 - r, y0 + r), r, -90, 0, n)
        + arc_points((x1 - r, y1 - r), r, 0, 90, n)
        + arc_points((x0 + r, y1 - r), r, 90, 180, n)
        + arc_points((x0 + r, y0 + r), r, 180, 270, n)
    )


# --------------------------------------------------------------------------- #
# Drawing surface
# --------------------------------------------------------------------------- #
class Layer:
    """RGBA surface drawn at SS x resolution; optional horizontal mirroring."""

    def __init__(self, size: int, mirror: bool = False):
        self.size = size
        self.mirror = mirror
        self.img = Image.new("RGBA", (size * SS, size * SS), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.img)

    def _xy(self, pts):
        if self.mirror:
            return [((self.size - x) * SS, y * SS) for x, y in pts]
        return [(x * SS, y * SS) for x, y in pts]

    def poly(self, pts, fill):
        self.draw.polygon(self._xy(pts), fill=hex_rgba(fill) if isinstance(fill, str) else fill)

    def erase(self, pts):
        self.draw.polygon(self._xy(pts), fill=(0, 0, 0, 0))

    def circle(self, c, r, fill):
        self.poly(arc_points(c, r, 0, 360, max(60, int(r))), fill)

    def stroke(self, path, widths, fill, caps: str = "round"):
        self.poly(stroke_outline(path, widths), fill)
        if caps == "round":
            w = widths if not callable(widths) else None
            w0 = w if w is not None else widths(0.0)
            w1 = w if w is not None else widths(1.0)
            if w0 > 0.5:
                self.circle(path[0], w0 / 2, fill)
            if w1 > 0.5:
                self.circle(path[-1], w1 / 2, fill)

    def paste_layer(self, other: Layer, clip: Layer | None = None):
        """Alpha-composite another layer on top, optionally clipped to clip's alpha."""
        src = other.img
        if clip is not None:
            a = ImageChops.multiply(src.getchannel("A"), clip.img.getchannel("A"))
            src = src.copy()
            src.putalpha(a)
        self.img.alpha_composite(src)

    def final(self) -> Image.Image:
        return self.img.resize((self.size, self.size), Image.LANCZOS)


# --------------------------------------------------------------------------- #
# Logo mark
# --------------------------------------------------------------------------- #
def make_mark() -> Image.Image:
    """A heart drawn as an embrace around a small circle (the baby).

    The heavy left stroke is the holding arm; the lighter right side rises as a
    stem and opens into a leaf that forms the heart's second lobe (growth,
    "from the start"). A knocked-out ring keeps the baby separate at small sizes.
    """
    W = "#FFFFFF"
    L = Layer(512)
    # left lobe + left side: starts as a hook at the heart's centre, heaviest
    # along the outside, easing towards the point
    left = bezier((250, 182), (222, 92), (84, 70), (76, 196), 80)[:-1] + bezier(
        (76, 196), (70, 300), (190, 372), (256, 440), 80
    )

    def w_left(t):
        a, b, c = 44, 76, 44
        if t < 0.62:
            return a + (b - a) * math.sin(math.pi * min(1.0, t * 1.6) / 2)
        return b + (c - b) * ((t - 0.62) / 0.38) ** 1.3

    L.stroke(left, w_left, W)
    # right side: a stem rising from the point into a leaf
    l_base, l_tip, l_bend = (446, 262), (296, 104), 0.10
    mid = leaf_midrib(l_base, l_tip, l_bend, 80)
    right = bezier((256, 440), (340, 372), (462, 318), mid[10], 80)
    L.stroke(right, lambda t: 44 - 18 * t, W)
    L.poly(leaf(l_base, l_tip, 116, bend=l_bend), W)
    L.erase(stroke_outline(mid[16:60], lambda t: 12 * (1 - 0.6 * t)))  # midrib
    # the baby, nestled in the embrace
    baby, r, gap = (262, 320), 72, 18
    L.erase(arc_points(baby, r + gap, 0, 360, 200))
    L.circle(baby, r, W)
    L.img = recentre(L.img, margin=28 * SS)  # centre the mark optically in its square
    alpha = L.final().getchannel("A")
    out = Image.new("RGBA", alpha.size, (255, 255, 255, 0))  # pure white everywhere
    out.putalpha(alpha)
    return out


def recentre(img: Image.Image, margin: int) -> Image.Image:
    """Scale/translate the opaque content to sit centred with `margin` px around it."""
    box = img.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox()
    crop = img.crop(box)
    avail = img.width - 2 * margin
    k = min(avail / crop.width, avail / crop.height)
    crop = crop.resize((round(crop.width * k), round(crop.height * k)), Image.LANCZOS)
    out = Image.new("RGBA", img.size, (0, 0, 0, 0))
    out.alpha_composite(crop, ((img.width - crop.width) // 2, (img.height - crop.height) // 2))
    return out


# --------------------------------------------------------------------------- #
# Illustrations
# --------------------------------------------------------------------------- #
def draw_family(L: Layer, pal: dict, clip: Layer, bun: bool = True) -> None:
    """Abstract adult (left) holding a swaddled baby, head bowed towards the baby.

    Drawn on its own layer and clipped to the backdrop blob so the adult's body
    is cut off softly by the bottom of the shape.
    """
    fig = Layer(L.size, L.mirror)
    primary = pal["primary"]
    arm = mix(primary, "#FFFFFF", 0.18)
    swaddle = pal["accent"]
    swaddle_fold = mix(pal["accent"], "#FFFFFF", 0.32)
    baby_head = pal["skin"]

    # adult body: soft bell shape with rounded shoulders
    body = (
        bezier((400, 1640), (420, 1180), (440, 880), (600, 805), 60)
        + bezier((600, 805), (660, 778), (770, 772), (840, 792), 40)[1:]
        + bezier((840, 792), (970, 830), (1020, 1000), (1090, 1640), 60)[1:]
    )
    fig.poly(body, primary)
    # neck + head, leaning towards the baby
    neck = bezier((664, 660), (664, 750), (650, 790), (590, 815), 30) + bezier(
        (850, 800), (790, 780), (772, 750), (772, 660), 30
    )
    fig.poly(neck, primary)
    fig.circle((720, 598), 128, primary)
    if bun:
        fig.circle((618, 500), 60, primary)

    # swaddled baby lying diagonally across the chest
    sw_a, sw_b, sw_w = (650, 1035), (890, 850), 250
    fig.poly(pill(sw_a, sw_b, sw_w), swaddle)
    # blanket fold: a lighter band across the swaddle (clipped to it)
    fold_layer = Layer(L.size, L.mirror)
    flap = [*bezier((700, 845), (770, 900), (800, 980), (815, 1075), 40), (1100, 1000), (1000, 700)]
    fold_layer.poly(flap, swaddle_fold)
    swaddle_clip = Layer(L.size, L.mirror)
    swaddle_clip.poly(pill(sw_a, sw_b, sw_w), "#000000")
    fig.paste_layer(fold_layer, swaddle_clip)
    # hood + baby head
    head_c = (925, 778)
    fig.circle((head_c[0] + 22, head_c[1] - 16), 122, swaddle)
    fig.circle(head_c, 94, baby_head)

    # cradling arm: from the shoulder, down the side, under the baby,
    # hand resting on the blanket
    arm_path = bezier((600, 870), (490, 930), (440, 1140), (650, 1175), 70)[:-1] + bezier(
        (650, 1175), (790, 1198), (890, 1085), (925, 975), 70
    )
    fig.stroke(arm_path, lambda t: 100 - 14 * t, arm)

    L.paste_layer(fig, clip)


def confetti(L: Layer, dots: list[tuple[float, float, float, str]]) -> None:
    for x, y, r, col in dots:
        L.circle((x, y), r, col)


def draw_heart(L: Layer, c: Point, width: float, fill: str, rot: float = 0.0) -> None:
    """Plump geometric heart: a square on its corner plus two circles."""
    s = width / (1 + math.sqrt(2)) * math.sqrt(2)  # side of the square
    h = s / math.sqrt(2)
    dy = 0.073 * s  # vertical optical centring
    sq = [(0, -h), (h, 0), (0, h), (-h, 0)]
    sq = [(c[0] + x, c[1] + y + dy) for x, y in sq]
    L.poly(rotate(sq, c, rot), fill)
    for cx in (-h / 2, h / 2):
        cc = rotate([(c[0] + cx, c[1] - h / 2 + dy)], c, rot)[0]
        L.circle(cc, s / 2, fill)


def sprig(
    L: Layer,
    base: Point,
    c1: Point,
    c2: Point,
    tip: Point,
    stem_col: str,
    leaf_cols: list[str],
    leaf_len: float = 150,
    leaf_w: float = 70,
    stem_w: float = 14,
    positions=(0.28, 0.5, 0.72, 0.92),
) -> None:
    """A curving stem with alternating leaves."""
    path = bezier(base, c1, c2, tip, 120)
    L.stroke(path, lambda t: stem_w * (1 - 0.45 * t), stem_col)
    ns = _normals(path)
    for j, t in enumerate(positions):
        i = int(t * (len(path) - 1))
        p = path[i]
        nx, ny = ns[i]
        side = 1 if j % 2 == 0 else -1
        # tangent
        a = path[max(i - 1, 0)]
        b = path[min(i + 1, len(path) - 1)]
        tx, ty = b[0] - a[0], b[1] - a[1]
        tl = math.hypot(tx, ty)
        tx, ty = tx / tl, ty / tl
        ll = leaf_len * (1 - 0.25 * t)
        dirx, diry = 0.55 * tx + side * nx, 0.55 * ty + side * ny
        dl = math.hypot(dirx, diry)
        tipp = (p[0] + dirx / dl * ll, p[1] + diry / dl * ll)
        L.poly(
            leaf(p, tipp, leaf_w * (1 - 0.25 * t), bend=0.08 * side), leaf_cols[j % len(leaf_cols)]
        )
    # terminal leaf
    a = path[-4]
    tx, ty = tip[0] - a[0], tip[1] - a[1]
    tl = math.hypot(tx, ty)
    L.poly(
        leaf(
            tip,
            (tip[0] + tx / tl * leaf_len * 0.8, tip[1] + ty / tl * leaf_len * 0.8),
            leaf_w * 0.75,
        ),
        leaf_cols[0],
    )


def speech_bubble(
    L: Layer,
    x0,
    y0,
    x1,
    y1,
    tail_x: float,
    tail_tip: Point,
    col: str,
    r: float | None = None,
    tail_w: float = 90,
) -> None:
    """Rounded speech bubble with a soft curved tail leaving its bottom edge at tail_x."""
    r = r if r is not None else (y1 - y0) / 2
    L.poly(rounded_rect(x0, y0, x1, y1, r), col)
    lb = (tail_x - tail_w / 2, y1 - 30)
    rb = (tail_x + tail_w / 2, y1 - 30)
    tx, ty = tail_tip
    tail = (
        bezier(lb, (lb[0], lb[1] + 60), (tx + 10, ty - 40), tail_tip, 30)
        + bezier(tail_tip, (tx + 50, ty - 20), (rb[0], rb[1] + 50), rb, 30)[1:]
    )
    L.poly(tail, col)


def make_2024() -> Image.Image:
    """ "Speak Up For Babies": carer and baby, with speech bubbles."""
    pal = {
        "primary": "#1F4E8C",
        "accent": "#F2A541",
        "soft": "#CFE3F5",
        "extra": "#E86A5A",
        "bg": "#FFF8F0",
    }
    pal["skin"] = mix(pal["accent"], "#FFFFFF", 0.62)
    L = Layer(1600)

    backdrop = blob((790, 900), 560, [(2, 0.035, 0.6), (3, 0.025, 2.1), (5, 0.01, 0.3)])
    L.poly(backdrop, pal["soft"])
    clip = Layer(1600)
    clip.poly(backdrop, "#000000")

    # leafy sprig growing up the left side (behind the figures)
    sprig(
        L,
        (330, 1440),
        (220, 1260),
        (200, 1080),
        (285, 930),
        pal["primary"],
        [pal["primary"], mix(pal["primary"], "#FFFFFF", 0.3)],
    )

    draw_family(L, pal, clip, bun=True)

    # speech bubbles: the baby's voice, and a heart
    speech_bubble(L, 1010, 260, 1410, 490, 1100, (1000, 590), pal["primary"])
    for i in range(3):
        L.circle((1130 + i * 80, 375), 25, pal["bg"])
    speech_bubble(L, 1180, 575, 1420, 720, 1250, (1160, 790), pal["extra"], r=72, tail_w=64)
    draw_heart(L, (1300, 647), 86, pal["bg"])

    # small floating hearts
    draw_heart(L, (300, 430), 80, pal["extra"], rot=-14)
    draw_heart(L, (960, 160), 50, pal["accent"], rot=12)

    confetti(
        L,
        [
            (200, 660, 16, pal["accent"]),
            (480, 250, 13, pal["primary"]),
            (770, 210, 18, pal["soft"]),
            (1460, 900, 16, pal["accent"]),
            (1400, 1190, 22, pal["soft"]),
            (1270, 1420, 14, pal["primary"]),
            (640, 1520, 16, pal["accent"]),
            (140, 1000, 12, pal["extra"]),
        ],
    )
    return L.final()


def make_2026() -> Image.Image:
    """Theme TBC: a general "Stronger from the Start" growth motif (sun, sprig, hearts)."""
    pal = {
        "primary": "#0F5C5A",
        "accent": "#E76F51",
        "soft": "#CFE8E2",
        "extra": "#F4C95D",
        "bg": "#F6FAF8",
    }
    pal["skin"] = mix(pal["extra"], "#FFFFFF", 0.45)
    # coordinates below are mirrored horizontally (adult on the right)
    L = Layer(1600, mirror=True)

    # morning sun rising behind the shape (sunshine, used sparingly)
    sun_c = (1150, 520)
    L.circle(sun_c, 262, mix(pal["extra"], pal["bg"], 0.6))
    L.circle(sun_c, 200, pal["extra"])

    backdrop = blob((790, 920), 550, [(2, 0.03, 2.4), (3, 0.03, 0.9), (5, 0.012, 1.7)])
    L.poly(backdrop, pal["soft"])
    clip = Layer(1600, mirror=True)
    clip.poly(backdrop, "#000000")

    # growing sprig on the open side
    sprig(
        L,
        (330, 1450),
        (200, 1270),
        (190, 1080),
        (280, 920),
        pal["primary"],
        [pal["primary"], mix(pal["primary"], "#FFFFFF", 0.3)],
        leaf_len=165,
        leaf_w=78,
    )

    draw_family(L, pal, clip, bun=False)

    # hearts rising above the pair
    draw_heart(L, (470, 330), 96, pal["accent"], rot=-10)
    draw_heart(L, (360, 190), 56, mix(pal["accent"], "#FFFFFF", 0.35), rot=8)

    confetti(
        L,
        [
            (1420, 930, 16, pal["accent"]),
            (1460, 1180, 22, pal["soft"]),
            (800, 200, 12, pal["primary"]),
            (160, 700, 14, pal["extra"]),
            (1230, 1430, 14, pal["primary"]),
            (640, 1520, 16, pal["accent"]),
            (1400, 180, 12, pal["accent"]),
        ],
    )
    return L.final()


# --------------------------------------------------------------------------- #
def save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    print(f"wrote {path.relative_to(ROOT)}  ({path.stat().st_size / 1024:.0f} KB)")


def previews(out: Path, images: dict[str, tuple[Image.Image, str]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (img, bg) in images.items():
        for size in (400, 1080):
            canvas = Image.new("RGBA", (size, size), hex_rgba(bg))
            canvas.alpha_composite(img.resize((size, size), Image.LANCZOS))
            canvas.convert("RGB").save(out / f"{name}_{size}.png")
    print(f"previews in {out}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--preview", action="store_true", help="also write composited previews")
    ap.add_argument("--preview-dir", default="/tmp/imhcard_previews")
    ap.add_argument("--only", choices=["mark", "2024", "2026"], help="generate just one asset")
    args = ap.parse_args()

    made: dict[str, tuple[Image.Image, str]] = {}
    if args.only in (None, "mark"):
        mark = make_mark()
        save(mark, LOGO_DIR / "mark.png")
        made["mark"] = (mark, "#1F4E8C")
    if args.only in (None, "2024"):
        a = make_2024()
        save(a, ART_DIR / "2024.png")
        made["2024"] = (a, "#FFF8F0")
    if args.only in (None, "2026"):
        b = make_2026()
        save(b, ART_DIR / "2026.png")
        made["2026"] = (b, "#F6FAF8")
    if args.preview:
        previews(Path(args.preview_dir), made)


if __name__ == "__main__":
    main()
