"""Faces in a supporter's photo, so the automatic crop can keep them in frame.

OpenCV's YuNet detector (the `face` extra: `pip install "imhcard[face]"`) runs on a
small copy of the photo: DETECT_SIDE pixels on its longer side at most, so its cost
is bounded whatever the photo's size (see bench/face_bench.py for the figures and
why that size). Without the extra, find_faces() finds nothing and the crop falls
back to its rule for a photo without faces (imhcard.render.framing).

The model (assets/models/face_detection_yunet_2023mar.onnx, MIT, from OpenCV Zoo) is
loaded once per thread of each process: an OpenCV detector is not safe to share
between threads (setInputSize changes it), and a forked worker makes its own rather
than using its parent's.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from imhcard.bundled import assets_dir

MODEL_FILE = "face_detection_yunet_2023mar.onnx"
# The longer side of the copy the detector sees. YuNet finds faces from about 10 px
# across; at 640 px a face a twentieth of the photo's width is 32 px, found reliably,
# and a 640x480 copy costs ~15 ms (bench/face_bench.py measured 320 to 1024).
DETECT_SIDE = 640
# So the detector is never given more than this many pixels (a panorama included).
MAX_DETECT_PIXELS = DETECT_SIDE * DETECT_SIDE
# Faces scored below this are not faces (YuNet's own demo uses 0.9; lower finds a
# turned or shadowed face and, on the test photos, still no cat or coffee cup).
SCORE_MIN = 0.6
NMS_IOU = 0.3
# Candidates kept before non-maximum suppression, and faces returned (the largest).
TOP_K = 200
MAX_FACES = 24


@dataclass(frozen=True)
class Face:
    """A face's box in the photo's pixels (x, y: its top-left corner) and how sure
    the detector is (0 to 1)."""

    x: float
    y: float
    w: float
    h: float
    score: float = 1.0

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def scaled(self, factor: float) -> Face:
        """The same face in a copy of the photo `factor` times as large."""
        return Face(self.x * factor, self.y * factor, self.w * factor, self.h * factor,
                    self.score)


def model_path() -> Path:
    """The bundled YuNet model file."""
    return assets_dir() / "models" / MODEL_FILE


@cache
def available() -> bool:
    """Whether faces can be found here: the `face` extra (OpenCV) is installed and
    the model is bundled."""
    try:
        import cv2
        import numpy  # noqa: F401
    except ImportError:
        return False
    return hasattr(cv2, "FaceDetectorYN") and model_path().is_file()


class _Local(threading.local):
    pid: int = -1
    detector: Any = None


_local = _Local()


def _detector() -> Any:
    """This thread's detector, made on first use in this process."""
    if _local.detector is None or _local.pid != os.getpid():
        import cv2

        # One thread per detection: the batch and the web page already run a
        # worker per core, and OpenCV's own pool on top of them only contends.
        cv2.setNumThreads(1)
        # OpenCV 5 warns on stderr that its new engine ignores the target device;
        # nothing a supporter or the staff could act on.
        level = cv2.utils.logging.getLogLevel()
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
        try:
            _local.detector = cv2.FaceDetectorYN.create(
                str(model_path()), "", (DETECT_SIDE, DETECT_SIDE), SCORE_MIN, NMS_IOU, TOP_K)
        finally:
            cv2.utils.logging.setLogLevel(level)
        _local.pid = os.getpid()
    return _local.detector


def warm() -> None:
    """Make this process's detector and run it once (its first detection costs twice
    the next), so a render process pays it before its first supporter does."""
    if available():
        find_faces(Image.new("RGB", (DETECT_SIDE, DETECT_SIDE * 3 // 4), (128, 128, 128)))


def detect_size(width: int, height: int) -> tuple[int, int]:
    """The size of the copy the detector sees: the photo's shape, its longer side at
    most DETECT_SIDE (never enlarged), and never more than MAX_DETECT_PIXELS."""
    scale = min(1.0, DETECT_SIDE / max(width, height),
                (MAX_DETECT_PIXELS / (width * height)) ** 0.5)
    return max(1, round(width * scale)), max(1, round(height * scale))


def find_faces(image: Image.Image) -> tuple[Face, ...]:
    """The faces in `image`, largest first, in its own pixel coordinates; () when
    none is found or the `face` extra is not installed."""
    if not available() or image.width < 2 or image.height < 2:
        return ()
    import numpy as np

    w, h = detect_size(image.width, image.height)
    # RGB first (Pillow resizes RGBA three times slower), then a whole-factor box
    # reduction and a short bilinear step: ~10 ms from 2000x1500, against ~30 ms for
    # one resize of the RGBA photo. The detector wants BGR bytes.
    small = image if image.mode == "RGB" else image.convert("RGB")
    factor = min(small.width // w, small.height // h)
    if factor >= 2:
        small = small.reduce(factor)
    if small.size != (w, h):
        small = small.resize((w, h), Image.Resampling.BILINEAR)
    bgr = np.ascontiguousarray(np.asarray(small)[:, :, ::-1])
    detector = _detector()
    detector.setInputSize((w, h))
    _, rows = detector.detect(bgr)
    if rows is None:
        return ()
    sx, sy = image.width / w, image.height / h
    faces = []
    for row in rows:
        x0, y0 = max(0.0, float(row[0])), max(0.0, float(row[1]))
        x1, y1 = min(float(w), float(row[0] + row[2])), min(float(h), float(row[1] + row[3]))
        if x1 > x0 and y1 > y0:
            faces.append(Face(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy,
                              float(row[-1])))
    faces.sort(key=lambda f: f.w * f.h, reverse=True)
    return tuple(faces[:MAX_FACES])
