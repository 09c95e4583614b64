"""A supporter's own words, as they meant them, after the card's own opening words.

The card prints the theme's stem ("I pledge to", "Geallaim") and then the pledge, so
`normalise_pledge` turns what people type into what reads right after the stem,
without changing what they said:

- surrounding white space and quotes go ("“read every night”" -> read every night);
- opening words that repeat the stem are folded into it: "I pledge to", "I will",
  "I'll", "I promise to", "I commit to", "to" ...; in Irish "Geallaim", "Tugaim
  gealltanas";
- in Irish, what follows "Geallaim" must be a verbal-noun phrase or a go/nach clause,
  so a future or present verb becomes a clause with its dependent, eclipsed form
  ("Déanfaidh mé ..." -> "go ndéanfaidh mé ...", "Ní bheidh mé" -> "nach mbeidh mé"),
  and any other clause is kept as written after "an méid seo:" rather than guessed
  at (the rules, by grammar and not by list of examples, are in core/irish.py);
- doubled or clashing punctuation is tidied ("night.." -> "night.", "Read…!." ->
  "Read…!"); a trailing comma, colon or semicolon goes;
- the first letter is lower-cased after the stem **only** when the first word is a
  common word written with a capital because it began the sentence: written
  Capitalised (not ALL CAPS, not McName or iPhone), and a word on the list of
  common words below or one that starts one of the theme's prompts. Anything else
  (Irish, Sam, NHS, Belfast) is kept as typed: better "I pledge to Read" than
  "I pledge to irish dancing".

Only the first letter's case may change, and only letters of the words folded into
the stem are removed (in Irish the verb of a clause also takes its dependent form, and
"go", "nach" or "an méid seo:" is added). The result is idempotent: normalising it
again changes nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from imhcard.core.irish_pledge import after_geallaim

# Quotes people wrap their words in, opening -> closing.
_QUOTES = {'"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "’": "’", "«": "»", "„": "“",
           "‚": "‘", "»": "«", "「": "」", "『": "』"}

_APOS = "['’]"
# Opening words that say again what the card's stem says, per language. Each ends at a
# word boundary and takes the punctuation after it (I pledge: ..., I pledge… ...).
_STEMS = {
    "en": [
        r"i\s+(?:hereby\s+)?(?:solemnly\s+)?pledge(?:\s+that\s+i\s+will|\s+to)?",
        r"i\s+promise(?:\s+that\s+i\s+will|\s+to)?",
        r"i\s+commit(?:\s+myself)?\s+to",
        r"i\s+vow\s+to",
        r"i\s+will",
        rf"i{_APOS}ll",
        r"i\s+am\s+going\s+to",
        rf"i{_APOS}m\s+going\s+to",
        r"to",
    ],
    "ga": [
        r"geallaim(?:\s+(?:duit|daoibh))?",
        r"tugaim\s+(?:mo\s+)?ghealltanas|tugaim\s+gealltanas",
    ],
}
_TAIL = r"(?=\s|[:,;.…!-]|$)[\s:,;.…!-]*"

# Common words that start a pledge, written with a capital only because they began
# the sentence. A Capitalised first word not here (and not starting a theme prompt)
# is left alone: it may be a name.
_COMMON = """
a about act add advocate all also always an and any ask attend be become believe better
bring build buy call care celebrate challenge champion change check cherish choose come
comfort commit connect continue cook create cuddle dance do donate each educate embrace
encourage engage enjoy ensure every explore feed find focus follow get give go grow hear
help hold hug include inspire invest join keep kiss know laugh learn let listen look love
make more mind my nurture offer our pause play practise practice prioritise prioritize
promote protect provide put raise reach read recognise recognize reflect remember respect
respond rest share show sing sit slow smile speak spend stand start stay stop support take
talk teach tell thank think treat try understand use value walk welcome work write
never not only really still just even no
notice turn switch limit reduce visit volunteer campaign lobby train pass run organise
organize host fundraise wear post set dedicate devote allow trust honour honor consider
acknowledge sleep eat breastfeed nurse bathe rock soothe calm attune observe name tune
make sure slow down open lead guide inform advise signpost refer sign tell
labhairt éisteacht cabhrú luach am seasamh léamh tacú spreagadh cuidiú tabhairt déanamh
bheith a go súgradh caint canadh imirt aire níos gach mo ár foghlaim
sa san le leis do de ar ag i ó ón faoi trí chun nach anois cinnte gan ina ionas
"""
COMMON_FIRST_WORDS = frozenset(_COMMON.split())

_SPACE_BEFORE = re.compile(r"\s+([.,])")
_DOUBLE_DOT = re.compile(r"(?<![.…])\.\.(?![.…])")
_AFTER_STOP = re.compile(r"([!?…])\.+")
_DOUBLE_COMMA = re.compile(r",{2,}")
_TRAILING = re.compile(r"[\s,;:–—-]+$")
_SPACES = re.compile(r"\s+")


def _strip_quotes(text: str) -> str:
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        inner = text[1:-1].strip()
        # "read 'Goodnight Moon'" keeps its quotes: only a quote pair that wraps
        # the whole pledge (no other quote of that kind inside) is removed.
        if text[0] in inner or _QUOTES[text[0]] in inner:
            break
        text = inner
    return text


def _fold_stems(text: str, language: str, intro: str) -> tuple[str, bool]:
    """Remove opening words the stem already says; True if any were removed."""
    patterns = [*_STEMS.get(language, []), re.escape(intro.strip())] if intro.strip() \
        else list(_STEMS.get(language, []))
    folded = False
    while True:
        for pattern in patterns:
            m = re.match(rf"(?:{pattern}){_TAIL}", text, re.IGNORECASE)
            if m and m.end() < len(text):  # never fold a pledge away to nothing
                text = text[m.end():].lstrip()
                folded = True
                break
        else:
            return text, folded


def only_stem(text: str, intro: str = "I pledge to", language: str = "en") -> bool:
    """True when the words are nothing but a stem ("I pledge to", "Geallaim:"), in the
    card's language or another: an empty pledge, not a card reading "I pledge to I pledge
    to" or "Geallaim I pledge to"."""
    text = _strip_quotes(_SPACES.sub(" ", text).strip())
    patterns = [*_STEMS.get(language, []), re.escape(intro.strip()),
                *(p for code, stems in _STEMS.items() if code != language for p in stems
                  if p != "to")]
    return any(re.fullmatch(rf"(?:{p}){_TAIL}", text, re.IGNORECASE)
               for p in patterns if p)


def _tidy_punctuation(text: str) -> str:
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _DOUBLE_DOT.sub(".", text)
    text = _AFTER_STOP.sub(r"\1", text)
    text = _DOUBLE_COMMA.sub(",", text)
    return _TRAILING.sub("", text)


def _first_word(text: str) -> str:
    m = re.match(r"[^\W\d_]+", text)
    return m.group(0) if m else ""


def _lower_first(text: str, common: frozenset[str]) -> str:
    word = _first_word(text)
    if word == "A":  # the article or the particle (Irish "A bheith"), not "I"
        return "a" + text[1:]
    if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
        return text  # "I", ALL CAPS, McName, iPhone, or not a word: as typed
    if word.lower() not in common:
        return text  # could be a name (Sam, Irish, Belfast): as typed
    return text[0].lower() + text[1:]


def normalise_pledge(text: str, intro: str = "I pledge to", language: str = "en",
                     prompts: Iterable[str] = ()) -> str:
    """A supporter's own words as they read after the card's stem (see the module
    docstring for every rule). `prompts` are the theme's prompt wordings in this
    language: their first words count as common words. Pure; idempotent; never
    empties a pledge that had something in it."""
    common = COMMON_FIRST_WORDS | {_first_word(p).lower() for p in prompts}
    current = _SPACES.sub(" ", text).strip()
    # Each step can uncover work for another ("“I will read”," loses its comma, then its
    # quotes, then "I will"), so repeat until nothing changes; every step but the Irish
    # clause only removes characters, and that one leaves its own output as it is, so
    # this ends.
    for _ in range(8):
        step = _strip_quotes(current)
        step, _ = _fold_stems(step, language, intro)
        if language == "ga":
            step = after_geallaim(step).text
        step = _strip_quotes(_tidy_punctuation(step)).strip()
        step = _lower_first(step, frozenset(common))
        if not step or step == current:
            break
        current = step
    return current


def sentence(intro: str, pledge: str) -> str:
    """The whole sentence a card reads: 'I pledge to read to my baby every night'."""
    return f"{intro.strip()} {pledge}".strip()


def tidy_sentence(text: str) -> str:
    """Punctuation where a template meets a pledge: 'night.. Every' -> 'night. Every',
    'Read…!. Every' -> 'Read…! Every'."""
    return _AFTER_STOP.sub(r"\1", _DOUBLE_DOT.sub(".", text))


# --- prompt ids typed by hand ---------------------------------------------------------

_ID_LIKE = re.compile(r"[\w.]+(?:[-_ .][\w.]+)*")


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def mistyped_prompt(text: str, prompt_ids: Iterable[str]) -> str | None:
    """The prompt id a pledge looks like a mistyped version of ('speakup', 'speak_up',
    'Speak-Up!' -> 'speak-up'), or None for own words. Only a single word (or words
    joined by - or _) can be an id: "speak up for my baby" is a pledge."""
    ids = list(prompt_ids)
    word = text.strip()
    if not word or " " in word or not _ID_LIKE.fullmatch(word.rstrip(".!")):
        return None
    squashed = _squash(word)
    by_squash = {_squash(pid): pid for pid in ids}
    if squashed in by_squash:
        return by_squash[squashed]
    close = difflib.get_close_matches(squashed, list(by_squash), n=1, cutoff=0.8)
    if close:
        return by_squash[close[0]]
    if re.search(r"[-_]", word):
        # Joined like an id but close to none: still not a pledge anyone means.
        near = difflib.get_close_matches(word.lower(), ids, n=1, cutoff=0.6)
        return near[0] if near else ""
    return None
