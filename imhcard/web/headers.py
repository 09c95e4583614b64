"""What every response carries, whichever layer shapes it (the app or the server's own
refusals), and how anything a visitor sent is written to the log."""

from __future__ import annotations

import re

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "object-src 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]

# The backslash (escapes start with it), C0 and C1 controls, DEL, the Unicode line and
# paragraph separators and bidi controls: anything that could start a forged line, move
# the cursor or hide text in a log viewer.
# the cursor or hide text in a log viewer.
_UNSAFE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def log_safe(text: str, limit: int = 200) -> str:
    """`text` as it may appear in a log line: control characters as \\xNN (or \\uNNNN)
    escapes, and at most `limit` characters."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)
