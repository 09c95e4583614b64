"""What the font fallback chain costs, and how big the bundled fonts are.

    python bench/fonts_bench.py            # ~20 s

Renders the same number of instagram-square cards for supporters whose names and
pledges are plain Latin and for supporters writing in other scripts with emoji
(Chinese, Arabic, Devanagari, Polish with skin-tone emoji, ...), and prints the
render time per card for each (compose only, no encoding), with the per-text
caches cleared between repeats so every card pays for splitting its text into
runs and measuring it. Also prints the size of every bundled font file and of
the whole package folder, against the 60 MB limit.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import imhcard
from imhcard.bundled import assets_dir
from imhcard.core.formats import FORMATS
from imhcard.core.supporter import CardText, Supporter, resolve
from imhcard.core.theme import Theme, load_theme, resolve_theme
from imhcard.render.compose import render_card
from imhcard.render.fit import text_width
from imhcard.render.fonts import split_runs

LATIN = [("Aoife Ní Bhriain {i}", "read to my baby every night and sing {i} songs together"),
         ("Seán Ó Súilleabháin {i}", "make time every day to play, talk and cuddle, {i} times")]
SCRIPTS = [("陈美玲 {i} 💙", "陪伴宝宝度过每一天，读 {i} 本书 🌱"),
           ("شيماء الحسيني {i}", "أن أتحدث نيابة عن الأطفال وعائلاتهم {i}"),
           ("Łucja Wróbel-Żółkiewska {i} 👶🏽", "czytać mojemu dziecku {i} razy każdego wieczoru"),
           ("प्रिया शर्मा {i}", "अपने बच्चे के साथ हर दिन खेलना {i} 👨‍👩‍👧"),
           ("Nguyễn Thị Hương {i} 🇮🇪", "hát cho con nghe mỗi tối, {i} bài"),
           ("Ελένη Παπαδοπούλου {i}", "να διαβάζω στο μωρό μου κάθε βράδυ {i}")]


def supporters(theme: Theme, pairs: list[tuple[str, str]], count: int) -> list[CardText]:
    return [resolve(Supporter(name=pairs[i % len(pairs)][0].format(i=i),
                              pledge=pairs[i % len(pairs)][1].format(i=i),
                              org="Sure Start Newry"), theme) for i in range(count)]


def per_card(theme: Theme, pledges: list[CardText], repeat: int) -> float:
    fmt = FORMATS["instagram-square"]
    render_card(theme, pledges[0], fmt)  # static layer, fonts and QR made once
    best = float("inf")
    for _ in range(repeat):
        split_runs.cache_clear()
        text_width.cache_clear()
        started = time.perf_counter()
        for pledge in pledges:
            render_card(theme, pledge, fmt)
        best = min(best, (time.perf_counter() - started) / len(pledges))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    theme = load_theme(resolve_theme(None))
    latin = per_card(theme, supporters(theme, LATIN, args.cards), args.repeat)
    scripts = per_card(theme, supporters(theme, SCRIPTS, args.cards), args.repeat)
    print(f"render per card, instagram-square, best of {args.repeat} x {args.cards} cards:")
    print(f"  Latin names and pledges:               {latin * 1000:6.2f} ms")
    print(f"  other scripts with emoji (6 scripts):  {scripts * 1000:6.2f} ms "
          f"({(scripts - latin) * 1000:+.2f} ms)")
    fonts = sorted((assets_dir() / "fonts").glob("*.[ot]tf"))
    total = sum(f.stat().st_size for f in fonts)
    for f in fonts:
        print(f"  {f.stat().st_size / 1e6:6.2f} MB  {f.name}")
    package = Path(imhcard.__file__).parent
    folders = {package, assets_dir(), package.parent / "themes"}
    size = sum(p.stat().st_size for d in folders if d.is_dir() for p in d.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts)
    print(f"fonts: {total / 1e6:.1f} MB; package with fonts, artwork and themes: "
          f"{size / 1e6:.1f} MB (limit 60 MB)")


if __name__ == "__main__":
    main()
