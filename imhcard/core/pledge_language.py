"""Which language a supporter's own words are in, English or Irish, when that is clear.

A card prints its stem ("I pledge to", "Geallaim") in the card's language, so own words
in the other one make a card that mixes the two. The guess is a count of words that
only one of the languages uses: function words and stems ("to", "my", "the", "every" /
"agus", "mo", "gach", "le", "Geallaim"), English letters Irish spelling has no use for
(w, y, k, v ...), and Irish spelling (fadas, a mutated start: "bhí", "gcónaí", "n-a").
Capitalised words inside a sentence are names ("Aoife Ní Bhriain", "Baidín Fheilimí")
and count for neither. Words both languages write ("a", "an", "do", "is", "go") count
for neither. When the words are few or the count is close, the answer is None: unsure,
which never stops a card.
"""

from __future__ import annotations

import re
import unicodedata

_ENGLISH_WORDS = """
i i'll i'm i've i'd will to my the and every pledge promise commit vow with for of be
our their them they we us it its that this on at can by about each when how what who
he she his her your you all more always time day days night nights baby babies child
children read play talk listen help make sure support care people speak up love family
feelings take have has been was are were being from into as so but not never just only
week weekend home work mum dad little one ones first best start give spend sing cuddle
hug put phone away down out get try keep show tell know learn encourage value protect
champion where live mental health infant thrive relationships loving seriously today
tonight together bedtime bath story stories song songs book books him less screen
screens attention moment moments there then than other others new parents parent
matter matters community street around before after morning evening
"""
_IRISH_WORDS = """
agus mo gach le leis lena lenár ar ag na sa san den don ón faoi trí tri ár bheith ina
inár mar atá ata nach gur gurb mé sé sí siad muid sinn iad é í aire lá la seo sin chun
beidh bhí tá ta ní ni níl nil níos nios mó geallaim gheallaim tugaim gealltanas
ghealltanas leanbh leanaí leanai linbh páiste páistí paiste paisti naíonán naionan
oíche oiche dom dó di dóibh doibh leo liom linn leat agam againn aige aici acu
léamh leamh éisteacht eisteacht labhairt cabhrú cabhru tabhairt déanfaidh deanfaidh
súgradh sugradh caint scéal scéalta grá uile chéile cheile amach isteach anseo ansin
roimh tar éis gcónaí gconai maidin tráthnóna tuismitheoirí tuismitheoiri
nua tacaíocht tacaiocht thabhairt dhéanamh déanamh deanamh chaitheamh caitheamh
fháil choinneáil coinneáil teaghlach teaghlaigh pobal pobail máithreacha
mháithreacha aithreacha spreagadh tacú tacu cuidiú cuidiu
"""
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_IRISH = frozenset(_IRISH_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_STOP = re.compile(r"[.!?:;]")
# Letters Irish spelling does without (outside loanwords).
_ENGLISH_LETTERS = re.compile(r"[wykvjqxz]")
# Irish spelling: a fada, a lenited or eclipsed start, "ao".
_IRISH_SPELLING = re.compile(r"[áéíóú]|^(?:bh|mh|dh|fh|gc|bp|dt|mb|nd|ng)|^[nt]-|ao")
MIN_WORDS = 2  # fewer telling words than this: unsure
TEXT_MAX = 2000  # a pledge is far shorter; no more is read


def _words(text: str) -> list[tuple[str, bool]]:
    """Each word, folded, and whether it counts (not a name inside a sentence)."""
    text = unicodedata.normalize("NFC", text[:TEXT_MAX])
    out: list[tuple[str, bool]] = []
    end = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        starts = not out or bool(_STOP.search(text[end:m.start()]))
        name = not starts and word[0].isupper() and word != "I" and not word.startswith("I'")
        out.append((word.casefold().replace("’", "'"), not name))
        end = m.end()
    return out


def _counts(text: str) -> tuple[int, int, int, int]:
    """(English words, English spelling, Irish words, Irish spelling): how many words of
    the text only that language writes, by the word lists and by spelling alone."""
    en_words = en_spelling = ga_words = ga_spelling = 0
    for word, counts in _words(text):
        if not counts:
            continue
        if word in _ENGLISH:
            en_words += 1
        elif word in _IRISH:
            ga_words += 1
        elif _ENGLISH_LETTERS.search(word):
            en_spelling += 1
        elif _IRISH_SPELLING.search(word):
            ga_spelling += 1
    return en_words, en_spelling, ga_words, ga_spelling


def language_scores(text: str) -> tuple[int, int]:
    """(English, Irish): how many words of the text only that language writes."""
    en_words, en_spelling, ga_words, ga_spelling = _counts(text)
    return en_words + en_spelling, ga_words + ga_spelling


def pledge_language(text: str) -> str | None:
    """'en' or 'ga' for own words clearly in English or Irish; None when unsure (a few
    words, names only, or as much of one as of the other). Pure."""
    en_words, en_spelling, ga_words, ga_spelling = _counts(text)
    english, irish = en_words + en_spelling, ga_words + ga_spelling
    # Spelling alone is not enough: other languages have accents (Vietnamese, Spanish)
    # and w, y, k (German, Polish); a word from the lists must say it too.
    if english >= MIN_WORDS and english > 2 * irish and en_words:
        return "en"
    if irish >= MIN_WORDS and irish > 2 * english and ga_words:
        return "ga"
    return None
