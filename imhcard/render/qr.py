"""The QR code: the campaign link as modules, drawn crisp at a whole number of pixels."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants
from PIL import Image

from imhcard.core.colour import RGB
from imhcard.errors import FormatError

QUIET_ZONE = 4  # modules of light margin the QR standard asks for
MIN_MODULE_PX = 6  # on a 1080-wide card; scaled with the card's width
_LEVELS = (qrcode.constants.ERROR_CORRECT_Q, qrcode.constants.ERROR_CORRECT_M,
           qrcode.constants.ERROR_CORRECT_L)


@lru_cache(maxsize=64)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The module grid for `data`, without quiet zone.

    Uses the strongest error correction that does not make the code bigger than
    the weakest would: more robust to JPEG recompression at no cost in size. The
    version each level needs is worked out from the data's length alone, and the
    code is built once, with one search for the best mask pattern.
    """
    def version(level: int) -> int:
        code = qrcode.QRCode(error_correction=level, border=0)
        code.add_data(data)
        try:
            fitted: int = code.best_fit()
        except ValueError:  # qrcode: "Invalid version" past version 40
            raise FormatError(f"the campaign link with its tracking tags is {len(data)} "
                              "characters, more than a QR code can hold; shorten the "
                              "campaign url or its utm tags") from None
        return fitted

    smallest = version(qrcode.constants.ERROR_CORRECT_L)
    level = next(lv for lv in _LEVELS if version(lv) == smallest)
    code = qrcode.QRCode(version=smallest, error_correction=level, border=0)
    code.add_data(data)
    code.make(fit=False)
    matrix: list[list[bool]] = code.get_matrix()
    return tuple(tuple(row) for row in matrix)


def module_size(data: str, box: int) -> int:
    """Whole pixels per module for a code with its quiet zone inside a `box`-pixel square."""
    return box // (len(qr_matrix(data)) + 2 * QUIET_ZONE)


@lru_cache(maxsize=64)
def qr_image(data: str, box: int, min_module: int, dark: RGB,
             light: RGB = (255, 255, 255)) -> Image.Image:
    """The QR code with its quiet zone, as big as fits a `box` square at whole-pixel modules."""
    matrix = qr_matrix(data)
    module = module_size(data, box)
    if module < min_module:
        need = (len(matrix) + 2 * QUIET_ZONE) * min_module
        raise FormatError(f"the QR code needs a {need} px box for {min_module} px modules "
                          f"but its box is {box} px; make the qr box bigger or the "
                          f"campaign URL shorter ({len(data)} characters)")
    n = len(matrix) + 2 * QUIET_ZONE
    small = Image.new("L", (n, n), 255)
    small.putdata([0 if (QUIET_ZONE <= y < n - QUIET_ZONE and QUIET_ZONE <= x < n - QUIET_ZONE
                         and matrix[y - QUIET_ZONE][x - QUIET_ZONE]) else 255
                   for y in range(n) for x in range(n)])
    mask = small.resize((n * module, n * module), Image.Resampling.NEAREST)
    out = Image.new("RGB", mask.size, light)
    out.paste(dark, (0, 0, *mask.size), Image.eval(mask, lambda v: 255 - v))
    return out
