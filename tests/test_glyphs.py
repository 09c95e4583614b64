"""Every supporter's name renders: fallback fonts, colour emoji, right-to-left, shaping."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw

from imhcard.core.formats import FORMATS
from imhcard.core.supporter import Supporter, resolve
from imhcard.core.theme import Theme, load_theme, resolve_theme
from imhcard.errors import GlyphError, ImhcardError
from imhcard.render.bidi import paragraph_rtl
from imhcard.render.compose import render_card
from imhcard.render.draw import chain_for
from imhcard.render.fonts import (
    FontChain,
    draw_runs,
    graphemes,
    line_runs,
    pil_font,
    split_runs,
)

# Real-looking names and pledges in the scripts Northern Ireland's supporters write.
CORPUS = [
    ("Caoimhín Ó Súilleabháin", "éisteacht le leanaí gach lá", "ga"),
    ("Łucja Wróbel-Żółkiewska 👶🏽", "czytać mojemu dziecku każdego wieczoru", None),
    ("Rūta Žemaitytė", "skaityti savo kūdikiui kiekvieną vakarą", None),
    ("Ștefania Constantinescu", "să cânt bebelușului în fiecare seară", None),
    ("João Gonçalves", "brincar com o meu bebé todos os dias", None),
    ("Nguyễn Thị Hương 🇮🇪", "hát cho con nghe mỗi tối", None),
    ("Людмила Иванова", "читать ребёнку каждый вечер", None),
    ("Йорданка Петрова", "да чета на бебето всяка вечер", None),
    ("Ελένη Παπαδοπούλου", "να διαβάζω στο μωρό μου κάθε βράδυ", None),
    ("شيماء الحسيني", "أن أتحدث نيابة عن الأطفال", None),
    ("陈美玲 💙", "陪伴宝宝度过每一天", None),
    ("陳美玲", "每天陪寶寶讀書", None),
    ("प्रिया शर्मा", "अपने बच्चे के साथ हर दिन खेलना", None),
    ("Ahmed شيماء Smith 👨‍👩‍👧", "speak up for babies بالعربية too 💙", None),
]


@pytest.fixture(scope="module")
def theme() -> Theme:
    return load_theme(resolve_theme("2026"))


def _ink(img: Image.Image) -> Image.Image:
    """Where anything was drawn on a white canvas."""
    return ImageChops.difference(img.convert("RGB"), Image.new("RGB", img.size, "white"))


def _glyph(path: object, text: str) -> bytes:
    img = Image.new("L", (160, 120), 0)
    ImageDraw.Draw(img).text((20, 90), text, font=pil_font(path, 48), fill=255,  # type: ignore[arg-type]
                             anchor="ls")
    return img.tobytes()


def _notdef(path: object) -> bytes:
    """The font's missing-glyph shape: what it draws for a code point it lacks."""
    return _glyph(path, "\U0010fffd")


@pytest.mark.parametrize(("name", "pledge", "lang"), CORPUS, ids=[c[0] for c in CORPUS])
def test_no_grapheme_is_drawn_as_the_missing_glyph_box(
        theme: Theme, name: str, pledge: str, lang: str | None) -> None:
    chain = chain_for(theme, "display")
    for cluster in graphemes(name + pledge):
        face = chain.face_for(cluster)
        assert face is not None, f"no font for {cluster!r}"
        if face.emoji or cluster.isspace():
            continue
        assert _glyph(face.path, cluster) != _notdef(face.path), (
            f"{cluster!r} drawn as the missing glyph")


@pytest.mark.parametrize(("name", "pledge", "lang"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_renders_in_every_format(theme: Theme, name: str, pledge: str,
                                        lang: str | None) -> None:
    supporter = resolve(Supporter(name=name, pledge=pledge, org="Sure Start", language=lang),
                        theme)
    for fmt in FORMATS.values():
        card = render_card(theme, supporter, fmt)
        assert card.image.size == (fmt.width, fmt.height)


@pytest.mark.parametrize("emoji", ["💙", "👶🏽", "👨‍👩‍👧", "🇮🇪"])
def test_emoji_is_one_colour_glyph_scaled_to_the_text(theme: Theme, emoji: str) -> None:
    chain = chain_for(theme, "display")
    runs = split_runs(f"Aoife {emoji}", chain, "name")
    assert [r.text for r in runs] == ["Aoife ", emoji]
    assert runs[1].face.emoji
    img = Image.new("RGB", (400, 120), "white")
    # Text in pure red: any pixel that is not a blend of red and white was drawn
    # from the emoji's own colours, not as a one-colour silhouette.
    draw_runs(ImageDraw.Draw(img), img, runs, 10, 80, 48, (255, 0, 0))
    data = img.tobytes()
    own = sum(1 for i in range(0, len(data), 3)
              if data[i] < 250 or abs(data[i + 1] - data[i + 2]) > 8)
    assert own > 300, "the emoji should be drawn in its own colours"
    # One glyph, about as tall as the text: the emoji's ink sits within the line.
    box = _ink(img.crop((150, 0, 400, 120))).getbbox()
    assert box is not None
    height = box[3] - box[1]
    assert 30 <= height <= 64
    width = box[2] - box[0]
    assert width <= 70, "a sequence must be drawn as one glyph, not its parts side by side"


def test_text_symbols_stay_in_the_text_font(theme: Theme) -> None:
    chain = chain_for(theme, "body")
    (run,) = split_runs("© 2026 ™", chain, "org")
    assert not run.face.emoji


def test_arabic_is_joined_and_drawn_right_to_left(theme: Theme) -> None:
    chain = chain_for(theme, "display")
    word, rest = "شيماء", "يماء"  # the name, and the name without its first letter
    (run,) = split_runs(word, chain, "name")
    assert run.rtl

    def draw(text: str) -> Image.Image:
        img = Image.new("RGB", (400, 120), "white")
        draw_runs(ImageDraw.Draw(img), img, split_runs(text, chain, "name"), 20, 80, 60,
                  (0, 0, 0))
        return img

    full, tail = _ink(draw(word)), _ink(draw(rest))
    full_box, tail_box = full.getbbox(), tail.getbbox()
    assert full_box and tail_box
    # The first letter (ش) is the right-most glyph: drawn without it, the word
    # loses ink on the right, not the left.
    assert abs(full_box[0] - tail_box[0]) <= 3
    assert full_box[2] - tail_box[2] > 15
    # Joined: one connected word is much narrower than its letters drawn apart.
    apart = sum(pil_font(run.face.path, 60).getlength(c) for c in word)
    assert pil_font(run.face.path, 60).getlength(word, direction="rtl") < apart


def test_mixed_line_runs_are_in_visual_order(theme: Theme) -> None:
    chain = chain_for(theme, "display")
    line = "Ahmed شيماء الحسيني Smith"
    order = [r.text for r in line_runs(line, chain, "name", paragraph_rtl(line))]
    # The spaces either side of the Arabic read left to right with the paragraph.
    assert order == ["Ahmed ", "شيماء الحسيني", " Smith"]
    line = "شيماء الحسيني Belfast"
    order = [r.text for r in line_runs(line, chain, "name", paragraph_rtl(line))]
    assert order[0] == "Belfast", "in a right-to-left line, Latin that comes last sits left"


def test_devanagari_conjunct_is_shaped(theme: Theme) -> None:
    chain = chain_for(theme, "display")
    (run,) = split_runs("प्रिया", chain, "name")
    font = pil_font(run.face.path, 60)
    # प + ् + र form one conjunct glyph: narrower than the letters one by one.
    assert font.getlength("प्र") < font.getlength("प") + font.getlength("्") + font.getlength("र")


def test_a_character_no_font_has_is_named_with_its_code_point(theme: Theme) -> None:
    supporter = resolve(Supporter(name="Aoife \U000f0000", pledge="listen"), theme)
    with pytest.raises(GlyphError) as err:
        render_card(theme, supporter, FORMATS["instagram-square"])
    assert "U+F0000" in str(err.value)
    assert "fonts.fallback" in str(err.value)
    assert err.value.field == "name"


def test_a_theme_font_added_to_the_chain_is_tried_after_the_brand_font() -> None:
    from imhcard.render.fonts import builtin_font

    chain = FontChain.build(builtin_font("brand-Bold.ttf"),
                            [builtin_font("NotoSansArabic-Bold.ttf")], "bold")
    assert chain.faces[1].path.name == "NotoSansArabic-Bold.ttf"


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=30))
def test_any_unicode_name_renders_or_raises_the_documented_error(theme: Theme,
                                                                 name: str) -> None:
    try:
        supporter = resolve(Supporter(name=name, pledge="listen"), theme)
        card = render_card(theme, supporter, FORMATS["instagram-square"])
    except ImhcardError:
        return
    assert card.image.size == (1080, 1080)


# Golden cards for the two cases a font problem shows first: Irish wording with fadas,
# and one line mixing Latin, Arabic (right to left), Chinese and emoji. Same tolerance
# and reasoning as tests/test_golden.py: half a pixel of blur over the whole card
# measures 0.87; a box in place of a letter or a mis-ordered word measures far more.
GOLDEN_CARDS = {
    "glyphs-irish": Supporter(name="Caoimhín Ó Súilleabháin", pledge="listen",
                              org="Naíscoil an Iúir", language="ga"),
    "glyphs-mixed": Supporter(name="Ahmed شيماء Smith 👨‍👩‍👧",
                              pledge="speak up for babies بالعربية و 中文 too 💙",
                              org="陈美玲 · Łucja 👶🏽"),
}


@pytest.mark.parametrize("key", list(GOLDEN_CARDS))
def test_golden_script_cards(theme: Theme, regen_golden: bool, key: str) -> None:
    from helper import GOLDEN, assert_image_similar, half

    card = render_card(theme, resolve(GOLDEN_CARDS[key], theme), FORMATS["instagram-square"])
    actual = half(card.image)
    path = GOLDEN / f"{key}.png"
    if regen_golden:
        actual.save(path, optimize=True)
        return
    assert path.exists(), f"no golden {path}; run pytest --regen-golden and look at it"
    with Image.open(path) as img:
        expected = img.convert("RGB")
    assert_image_similar(actual, expected, 1.0, key)


def test_without_shaping_arabic_is_an_error_not_wrong_letters(
        theme: Theme, monkeypatch: pytest.MonkeyPatch) -> None:
    import imhcard.render.fonts as fonts

    chain = chain_for(theme, "display")
    monkeypatch.setattr(fonts, "shaping_available", lambda: False)
    split_runs.cache_clear()
    try:
        with pytest.raises(GlyphError) as err:
            split_runs("شيماء الحسيني", chain, "name")
        assert "shaping" in str(err.value) and err.value.field == "name"
        # Latin, Greek, Cyrillic and Chinese need no shaping and still render.
        assert split_runs("Ελένη 陈美玲", chain, "name")
    finally:
        split_runs.cache_clear()
