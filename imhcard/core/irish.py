"""Irish grammar the product needs, as pure functions: initial mutations and the form of
a noun after a number (a supporter's own words after "Geallaim" are in irish_pledge.py).

Rules are the Caighdeán Oifigiúil's (An Caighdeán Oifigiúil, 2017; the section is named
beside each rule); docs/irish-glossary.md lists the sources. Ulster forms supporters
type (chífidh, bhéarfaidh, gheobhaidh, muid, cha) are understood; what is written is the
Standard, which Ulster readers read too.
"""

from __future__ import annotations

from typing import Literal

VOWELS = "aeiouáéíóú"
_LENITABLE = "bcdfgmpst"
_ECLIPSIS = {"b": "m", "c": "g", "d": "n", "f": "bh", "g": "n", "p": "b", "t": "d"}
# An eclipsed word starts with one of these (longest first: "bhf" before "bh").
ECLIPSED = ("bhf", "mb", "gc", "nd", "ng", "bp", "dt")


def is_upper_word(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def is_lenited(word: str) -> bool:
    """'bhád', 'Sheáin': a lenitable consonant followed by h (but 'bhf' is eclipsis)."""
    low = word.lower()
    return len(low) > 1 and low[0] in _LENITABLE and low[1] == "h" and not low.startswith("bhf")


def is_eclipsed(word: str) -> bool:
    """'mbád', 'gcárta', 'n-éan', 'nÉireann'."""
    low = word.lower()
    if low.startswith(ECLIPSED):
        return True
    return len(word) > 1 and word[0] in "nN" and (
        (word[1] == "-" and len(word) > 2 and word[2].lower() in VOWELS)
        or (word[1] in VOWELS.upper()))


def lenite(word: str, after_aon: bool = False) -> str:
    """Séimhiú: 'bád' -> 'bhád', 'Seán' -> 'Sheán'. s only before a vowel, l, n or r
    (not sc, sm, sp, st); a vowel, l, n, r, h and an already mutated word unchanged.
    `after_aon`: aon does not lenite d, t or s (CO 9.3.1)."""
    if not word or is_lenited(word) or is_eclipsed(word):
        return word
    first = word[0].lower()
    if first not in _LENITABLE:
        return word
    if first == "s" and (len(word) < 2 or word[1].lower() not in VOWELS + "lnr"):
        return word
    if after_aon and first in "dts":
        return word
    h = "H" if is_upper_word(word) else "h"
    return word[0] + h + word[1:]


def eclipse(word: str) -> str:
    """Urú: 'bád' -> 'mbád', 'éan' -> 'n-éan', 'Éire' -> 'nÉire', 'DÉAN' -> 'nDÉAN';
    l, m, n, r, s, h and an already mutated word unchanged."""
    if not word or is_eclipsed(word) or is_lenited(word):
        return word
    first = word[0].lower()
    if first in VOWELS:
        return ("n" if word[0].isupper() else "n-") + word
    if first in _ECLIPSIS:
        return _ECLIPSIS[first] + word
    return word


def delenite(word: str) -> str:
    """'bheidh' -> 'beidh'; anything not lenited unchanged."""
    return word[0] + word[2:] if is_lenited(word) else word


def uneclipse(word: str) -> str:
    """'mbeidh' -> 'beidh', 'bhfaighidh' -> 'faighidh', 'n-íosfaidh' -> 'íosfaidh'."""
    if not is_eclipsed(word):
        return word
    low = word.lower()
    if low.startswith("bhf"):
        return word[2:]
    if low.startswith(ECLIPSED):
        return word[1:]
    return word[2:] if word[1] == "-" else word[1:]


# --- numbers: the noun after a number (CO 9.3, the Established System) ---------------

NumberMutation = Literal["none", "lenition", "lenition_aon", "eclipsis"]


def number_mutation(n: int) -> NumberMutation:
    """What a number written in figures does to the singular noun after it (CO 9.3.8,
    9.3.9, 9.3.12; Established System, in which the last two figures decide):

    - 1, 11 and numbers ending in 1 (21, 101, 111, ...): aon lenites, but not d, t or s;
    - 2–6, 12–16 and numbers ending in 2–6: lenition (dhá bhád, 23 bhád);
    - 7–10, 17–19 and numbers ending in 7–9: eclipsis (seacht mbád, 110 mbád);
    - 0, the tens (20, 30 ... 90) and whole hundreds and thousands (100, 200, 1000):
      none; the noun is the nominative singular (fiche bád, céad bád).
    """
    if n < 0:
        raise ValueError(f"a count is 0 or more, not {n}")
    r = n % 100
    if n == 0 or r == 0 or (r >= 20 and r % 10 == 0):
        return "none"
    if r == 10:
        return "eclipsis"
    unit = r % 10
    if unit == 1:
        return "lenition_aon"
    return "lenition" if unit <= 6 else "eclipsis"


def noun_after_number(n: int, singular: str, plural: str | None = None) -> str:
    """The form of a noun after the number n written in figures: 'carachtar' ->
    '2 charachtar', '7 gcarachtar', '20 carachtar', '21 charachtar'.

    `plural` is for the few nouns with a plural form of their own after numbers
    (bliain/bliana, seachtain/seachtaine, ceann/cinn, pingin/pingine, uair/uaire ...;
    CO 9.3.2, Table 9G): after 3–10 and numbers ending in 3–9 the plural is used,
    unlenited after 3–6 (trí bliana) and eclipsed after 7–10 (seacht mbliana)."""
    kind = number_mutation(n)
    unit = n % 10 if n % 100 != 10 else 10
    if plural is not None and kind != "none" and (unit >= 3 or unit == 0):
        return eclipse(plural) if kind == "eclipsis" else plural
    if kind == "lenition":
        return lenite(singular)
    if kind == "lenition_aon":
        return lenite(singular, after_aon=True)
    if kind == "eclipsis":
        return eclipse(singular)
    return singular


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """'7 gcarachtar': the number in figures and the noun in the form it asks for."""
    return f"{n} {noun_after_number(n, singular, plural)}"
