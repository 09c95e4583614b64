"""Real faces for the face tests and bench/face_bench.py, and the hard cases made
from them: several faces, a face at each edge, a small face held low, a face a
twentieth of the photo's width in a 12-megapixel photo.

The photos are in tests/fixtures/faces/ (README.md there gives each one's source and
licence). Each composition pastes a real head, feathered at its edges, on a soft
background and says where the face box landed, scaled from FACE_BOX: the box
YuNet finds in the original, checked by eye (tools: draw it with `debug_sheet`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "faces"

# The face box (x, y, w, h) in each original: brows to chin, cheek to cheek.
FACE_BOX: dict[str, tuple[int, int, int, int]] = {
    "astronaut": (178, 63, 90, 113),
    "camera": (196, 113, 61, 81),
    "kodim04": (119, 188, 282, 378),
    "kodim15": (383, 0, 328, 426),
}
PEOPLE = tuple(FACE_BOX)
NO_PEOPLE = ("chelsea", "coffee")

Box = tuple[float, float, float, float]  # x, y, w, h


@dataclass(frozen=True)
class Scene:
    """A photo and where its faces are (x, y, w, h in its pixels)."""

    name: str
    image: Image.Image
    faces: tuple[Box, ...]

    def jpeg(self, quality: int = 88) -> bytes:
        buf = io.BytesIO()
        self.image.save(buf, "JPEG", quality=quality)
        return buf.getvalue()


@cache
def photo(name: str) -> Image.Image:
    with Image.open(FIXTURES / f"{name}.jpg") as im:
        return im.convert("RGB")


def original(name: str) -> Scene:
    return Scene(name, photo(name), (FACE_BOX[name],))


def _head(name: str) -> tuple[Image.Image, Box]:
    """The head around the face, as much of it as the photo has, and where the face
    box sits in that crop."""
    im = photo(name)
    x, y, w, h = FACE_BOX[name]
    box = (max(0, round(x - 0.5 * w)), max(0, round(y - 0.7 * h)),
           min(im.width, round(x + 1.5 * w)), min(im.height, round(y + 1.4 * h)))
    return im.crop(box), (x - box[0], y - box[1], w, h)


@cache
def _background(w: int, h: int) -> Image.Image:
    """A soft, faceless background: two colours blended, with a little texture."""
    small = Image.linear_gradient("L").resize((max(2, w // 8), max(2, h // 8)))
    bg = Image.merge("RGB", (small.point(lambda v: 90 + v // 3),
                             small.point(lambda v: 120 + v // 5),
                             small.point(lambda v: 150 - v // 4)))
    return bg.resize((w, h), Image.Resampling.BILINEAR)


def compose(canvas: tuple[int, int], heads: list[tuple[str, float, float, float]],
            name: str, grain: int = 0) -> Scene:
    """`heads`: (photo name, face width as a fraction of the canvas width, face centre
    x and y as fractions of the canvas). The face box is kept inside the canvas.
    `grain` adds that much noise to the background, so a JPEG of it costs about what
    a phone photo costs to decode (a smooth gradient decodes much faster)."""
    w, h = canvas
    image = _background(w, h).copy()
    if grain:
        noise = Image.effect_noise((w, h), grain).convert("RGB")
        image = Image.blend(image, noise, 0.25)
    faces = []
    for who, frac, cx, cy in heads:
        head, (fx, fy, fw, fh) = _head(who)
        k = frac * w / fw
        size = (max(1, round(head.width * k)), max(1, round(head.height * k)))
        scaled = head.resize(size, Image.Resampling.LANCZOS)
        face = (fx * k, fy * k, fw * k, fh * k)
        left = min(max(cx * w - face[0] - face[2] / 2, -face[0]), w - face[0] - face[2])
        top = min(max(cy * h - face[1] - face[3] / 2, -face[1]), h - face[1] - face[3])
        left, top = round(left), round(top)
        mask = Image.new("L", size, 0)
        edge = max(1, min(size) // 12)
        ImageDraw.Draw(mask).rectangle((edge, edge, size[0] - edge, size[1] - edge), fill=255)
        image.paste(scaled, (left, top), mask.filter(ImageFilter.GaussianBlur(edge / 2)))
        faces.append((left + face[0], top + face[1], face[2], face[3]))
    return Scene(name, image, tuple(faces))


def group() -> Scene:
    """Four people in a row, of different sizes, across a landscape photo."""
    return compose((1600, 1000), [("kodim04", 0.11, 0.18, 0.40), ("astronaut", 0.10, 0.42, 0.36),
                                  ("kodim15", 0.09, 0.64, 0.45), ("camera", 0.08, 0.85, 0.38)],
                   "group")


def pair() -> Scene:
    """Two people side by side, as in a selfie together."""
    return compose((1200, 900), [("astronaut", 0.13, 0.40, 0.42), ("kodim04", 0.15, 0.62, 0.45)],
                   "pair")


EDGES = ("left", "right", "top", "bottom")


def at_edge(edge: str, portrait: bool = False) -> Scene:
    """One face touching `edge` of the photo (its box a few pixels from it)."""
    canvas = (900, 1200) if portrait else (1600, 1000)
    cx, cy = {"left": (0.0, 0.5), "right": (1.0, 0.5), "top": (0.5, 0.0),
              "bottom": (0.5, 1.0)}[edge]
    return compose(canvas, [("astronaut", 0.14 if portrait else 0.09, cx, cy)],
                   f"edge-{edge}-{'portrait' if portrait else 'landscape'}")


def baby_low() -> Scene:
    """A parent's face high in a portrait photo and a small child's face held low,
    off-centre, near the bottom."""
    return compose((900, 1200), [("kodim04", 0.16, 0.45, 0.30), ("kodim15", 0.09, 0.60, 0.64)],
                   "baby-low")


def small_face(frac: float = 0.05, size: tuple[int, int] = (4000, 3000),
               where: tuple[float, float] = (0.3, 0.7)) -> Scene:
    """A 12-megapixel photo with one face `frac` of its width across."""
    return compose(size, [("astronaut", frac, *where)], f"small-{frac:g}")


def hard_cases() -> list[Scene]:
    return [group(), pair(), baby_low(), *(at_edge(e) for e in EDGES),
            *(at_edge(e, portrait=True) for e in EDGES), *(original(n) for n in PEOPLE)]


def debug_sheet(scene: Scene, found: list[Box] | None = None) -> Image.Image:
    """The scene with its known faces in green and `found` ones in red."""
    im = scene.image.copy()
    draw = ImageDraw.Draw(im)
    for x, y, w, h in scene.faces:
        draw.rectangle((x, y, x + w, y + h), outline=(0, 220, 0), width=3)
    for x, y, w, h in found or []:
        draw.rectangle((x, y, x + w, y + h), outline=(230, 0, 0), width=2)
    return im
