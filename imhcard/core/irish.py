"""Irish grammar the product needs, as pure functions: initial mutations, the form of a
noun after a number, and a supporter's own words turned into a clause that reads right
after the card's "Geallaim" (I pledge).

Rules are the Caighdeán Oifigiúil's (An Caighdeán Oifigiúil, 2017; the section is named
beside each rule); docs/irish-glossary.md lists the sources. Ulster forms supporters
type (chífidh, bhéarfaidh, gheobhaidh, muid, cha) are understood; what is written is the
Standard, which Ulster readers read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

VOWELS = "aeiouáéíóú"
_LENITABLE = "bcdfgmpst"
_ECLIPSIS = {"b": "m", "c": "g", "d": "n", "f": "bh", "g": "n", "p": "b", "t": "d"}
# An eclipsed word starts with one of these (longest first: "bhf" before "bh").
_ECLIPSED = ("bhf", "mb", "gc", "nd", "ng", "bp", "dt")


def _is_upper_word(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def is_lenited(word: str) -> bool:
    """'bhád', 'Sheáin': a lenitable consonant followed by h (but 'bhf' is eclipsis)."""
    low = word.lower()
    return len(low) > 1 and low[0] in _LENITABLE and low[1] == "h" and not low.startswith("bhf")


def is_eclipsed(word: str) -> bool:
    """'mbád', 'gcárta', 'n-éan', 'nÉireann'."""
    low = word.lower()
    if low.startswith(_ECLIPSED):
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
    h = "H" if _is_upper_word(word) else "h"
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
    if low.startswith(_ECLIPSED):
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


# --- own words after "Geallaim" -----------------------------------------------------

# Marks a text kept as the supporter wrote it: "Geallaim an méid seo: <their words>"
# (I pledge this: ...) is right whatever the words are, so nothing is guessed, and the
# card still prints its own "Geallaim" once, before the pledge.
KEPT = "an méid seo:"

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Independent forms whose dependent form (after go, nach, ní) is another word: the
# irregular verbs, and the Ulster forms people write (CO 10, the irregular verbs).
_DEPENDENT = {
    # bí: tá -> (go) bhfuil
    "tá": "fuil", "táim": "fuilim", "táimid": "fuilimid", "táid": "fuilid",
    "fuil": "fuil", "fuilim": "fuilim", "fuilimid": "fuilimid",
    "beidh": "beidh", "beimid": "beimid", "bím": "bím", "bíonn": "bíonn",
    "bímid": "bímid",
    # feic; Ulster chí-/tchí- (its dependent is feic- in Ulster too)
    "chífidh": "feicfidh", "tchífidh": "feicfidh", "chífimid": "feicfimid",
    "tchífimid": "feicfimid", "chím": "feicim", "tchím": "feicim", "chíonn": "feiceann",
    "tchíonn": "feiceann", "chímid": "feicimid", "tchímid": "feicimid",
    # faigh: gheobhaidh -> (go) bhfaighidh; gheibh- is the older/Ulster present
    "gheobhaidh": "faighidh", "gheobhaimid": "faighimid", "faighidh": "faighidh",
    "faighimid": "faighimid", "gheibhim": "faighim", "gheibheann": "faigheann",
    "gheibh": "faigheann", "gheibhimid": "faighimid",
    # téigh: rachaidh (Ulster and Connacht raghaidh); r is not eclipsed
    "rachaidh": "rachaidh", "raghaidh": "raghaidh", "rachaimid": "rachaimid",
    "raghaimid": "raghaimid",
    # tabhair: Ulster bhéarfaidh / bheir (give) -> (go) dtabharfaidh / dtugann
    "bhéarfaidh": "tabharfaidh", "bhéarfaimid": "tabharfaimid", "bheirim": "tugaim",
    "bheir": "tugann", "bheireann": "tugann", "bheirimid": "tugaimid",
    # abair: deir is the present without -ann
    "deir": "deir",
}
_NIL = {"níl": "fuil", "nílim": "fuilim", "nílimid": "fuilimid", "nílid": "fuilid"}
_FUTURE = re.compile(r"[^\W\d_]+(?:fa|f|ó|eo)idh")  # léifidh, déanfaidh, ceannóidh, éireoidh
_PLURAL_1 = re.compile(r"[^\W\d_]+[ií]mid")  # léimid, léifimid, ceannóimid, déanaimid
_PRESENT = re.compile(r"[^\W\d_]+(?:ann|íonn)")  # léann, déanann, ceannaíonn
_SINGULAR_1 = re.compile(r"[^\W\d_]{2,}[ií]m")  # léim, déanaim, ceannaím
# Nouns that end like a first-person present (-im): not taken for verbs.
_NOUNS_IN_IM = frozenset({"céim", "léim", "scéim", "suim", "druim", "uaim", "réim",
                          "tuairim", "cáim", "im"})
FIRST_PERSON = frozenset({"mé", "mise", "muid", "muidne", "sinn", "sinne"})
_PRONOUNS = FIRST_PERSON | {"tú", "tusa", "thú", "sé", "seisean", "sí", "sise", "sibh",
                            "sibhse", "siad", "siadsan"}
# Words that begin a clause after which "Geallaim" cannot simply follow.
_CLAUSE_WORDS = frozenset({"is", "ba", "níor", "nár", "ná", "má", "dá", "cé", "cad", "conas",
                           "cathain", "cén", "cá", "nuair", "mar", "bhí", "bhíos", "ós",
                           "toisc", "óir", "cha", "chan"})
# Lenited words that start a phrase without being a verb.
_LENITED_NOT_VERBS = frozenset({"dhá", "chun", "chuig", "thar", "thart", "thall", "thuas",
                                "thíos", "thiar", "thoir", "theas", "cheana", "chomh",
                                "fhéin", "shin"})
# Conditional, past first person plural, imperative plural: finite, and not rewritten.
_OTHER_FINITE = re.compile(r"[^\W\d_]+(?:fainn|finn|óinn|eoinn|faimis|fimis|óimis|eoimis"
                           r"|amar|eamar|íomar|aigí|igí|aimis|imis|ímis|fá|feá)")
_ENGLISH_START = frozenset({"i'll", "i’ll", "i'm", "i’m", "we", "we'll", "we’ll", "we're",
                            "we’re", "i've", "i’ve", "my", "our", "the"})
_ENGLISH_AFTER_I = frozenset({"will", "am", "promise", "pledge", "shall", "want", "would",
                              "can", "commit", "vow", "love", "hope", "plan"})


@dataclass(frozen=True)
class Clause:
    """A supporter's words as they read after "Geallaim", and the rule that made them so."""

    text: str
    rule: str


def _dependent_of(word: str, next_word: str) -> str | None:
    """The dependent form of a finite verb written in its independent form (lower case,
    unmutated or lexically lenited: chífidh), or None when the word is not one we can
    be sure is a future or present verb."""
    if word in _DEPENDENT:
        return _DEPENDENT[word]
    if is_lenited(word) or is_eclipsed(word):
        return None  # a mutated form is only known from the table above
    if _FUTURE.fullmatch(word) or _PLURAL_1.fullmatch(word):
        return word
    if _PRESENT.fullmatch(word) and next_word in FIRST_PERSON:
        return word
    # Not before "a": "suim a léiriú" is a noun, then a + verbal noun.
    if (_SINGULAR_1.fullmatch(word) and word not in _NOUNS_IN_IM
            and next_word not in ("a", "an", "na")):
        return word
    return None


def _verb_after_particle(word: str, next_word: str, negative: bool) -> str | None:
    """After ní (lenites), cha, go and nach (eclipse) the verb may be written lenited,
    eclipsed, or (wrongly) in its independent form; its dependent form, or None."""
    tries = [delenite(word), word, uneclipse(word)] if negative \
        else [word, uneclipse(word), delenite(word)]
    for form in dict.fromkeys(tries):
        dep = _dependent_of(form, next_word)
        if dep is not None:
            return dep
    return None


def _cased(new: str, like: str) -> str:
    """`new` (lower case) in the case of the word it replaces: ALL CAPS stays, with the
    eclipsis letters small as Irish writes them (nDÉANFAIDH, bhFEICFIDH, nÍOSFAIDH);
    otherwise lower case, since the verb no longer starts the sentence."""
    if not _is_upper_word(uneclipse(delenite(like))):
        return new
    if new.startswith("bhf"):
        return "bh" + new[2:].upper()
    if new.startswith("n-"):
        return "n" + new[2:].upper()
    if new.startswith(_ECLIPSED):
        return new[0] + new[1:].upper()
    return new.upper()


def _words(text: str) -> list[tuple[int, int, str]]:
    """The first two words (start, end, lower-cased text), if they open the text."""
    out = []
    pos = 0
    for _ in range(2):
        m = _WORD.search(text, pos)
        if not m or text[pos:m.start()].strip(" ,"):
            break
        out.append((m.start(), m.end(), m.group().lower().replace("’", "'")))
        pos = m.end()
    return out


# "agus"/"is" (and) before a second finite verb: its clause is a go/nach clause too.
_AND = re.compile(r"(?<![^\W\d_])(?:agus|is)\s+", re.IGNORECASE)


def _has_subject(verb: str, next_word: str) -> bool:
    """A second clause is rewritten only when its verb visibly has a subject: a pronoun
    after it, or a first-person ending (léimid, táim, beimid)."""
    if next_word in _PRONOUNS or verb in ("táim", "táimid", "nílim", "nílimid"):
        return True
    return bool(_PLURAL_1.fullmatch(verb)) or (
        bool(_SINGULAR_1.fullmatch(verb)) and verb not in _NOUNS_IN_IM)


def _coordinated(tail: str) -> str:
    """The rest of a rewritten pledge, each later clause joined by agus/is that starts
    with a future or present verb made a go/nach clause as well (CO 10: the particle is
    repeated in each coordinated clause): "... agus canfaidh mé" -> "... agus go
    gcanfaidh mé", "... agus ní bheidh mé" -> "... agus nach mbeidh mé". Anything else
    after "agus" is left as typed."""
    out, pos = [], 0
    for m in _AND.finditer(tail):
        if m.start() < pos:
            continue
        words = _words(tail[m.end():])
        if not words:
            continue
        (s1, e1, w1), w2 = words[0], (words[1][2] if len(words) > 1 else "")
        s1, e1 = s1 + m.end(), e1 + m.end()
        new = None
        if w1 in _NIL:
            new = f"nach {_cased(eclipse(_NIL[w1]), tail[s1:e1])}"
            end = e1
        elif w1 in ("ní", "cha") and len(words) > 1:
            s2, e2 = words[1][0] + m.end(), words[1][1] + m.end()
            after = _words(tail[e2:])
            w3 = after[0][2] if after else ""
            dep = _verb_after_particle(w2, w3, negative=True)
            if dep is not None and _has_subject(delenite(w2), w3):
                new, end = f"nach {_cased(eclipse(dep), tail[s2:e2])}", e2
        elif w1 not in ("go", "nach"):
            dep = _dependent_of(w1, w2)
            if dep is not None and _has_subject(w1, w2):
                new, end = f"go {_cased(eclipse(dep), tail[s1:e1])}", e1
        if new is not None:
            out.append(tail[pos:s1] + new)
            pos = end
    return "".join(out) + tail[pos:]


def _keep(text: str, why: str) -> Clause:
    return Clause(f"{KEPT} {text}", f"kept as written ({why}): Geallaim an méid seo: ...")


def after_geallaim(text: str) -> Clause:
    """A supporter's own Irish as it reads after "Geallaim" (the stem already removed).

    - A verbal-noun phrase reads right as it is: "léamh do mo leanbh", "Gaeilge a
      labhairt"; so does a clause that already starts with go or nach.
    - A future or present verb becomes a go-clause with the dependent form, eclipsed:
      "Léifidh mé" -> "go léifidh mé", "Déanfaimid" -> "go ndéanfaimid", "Tá mé" -> "go
      bhfuil mé", "Chífidh mé" -> "go bhfeicfidh mé" (CO 10: the verbal particle go).
    - ní (or Ulster cha) with a lenited verb becomes nach with the eclipsed dependent
      form: "Ní bheidh mé" -> "nach mbeidh mé", "Níl mé" -> "nach bhfuil mé".
    - Any other clause (a past or conditional verb, a copula, "Mar thuismitheoir, ...",
      English) is kept as written after "an méid seo:" (this), which reads right
      whatever follows it, rather than guessed at.
    """
    stripped = text.strip()
    if stripped.lower().startswith(KEPT) or not stripped:
        return Clause(text, "already kept as written")
    words = _words(stripped)
    if not words:
        return Clause(text, "does not start with a word: as written")
    start, end, first = words[0]
    second = words[1][2] if len(words) > 1 else ""
    original = stripped[start:end]

    if first in ("go", "nach"):
        if len(words) > 1:
            s2, e2, _ = words[1]
            third = _words(stripped[e2:])
            dep = _verb_after_particle(second, third[0][2] if third else "", negative=False)
            if dep is not None:
                verb = _cased(eclipse(dep), stripped[s2:e2])
                return Clause(stripped[:s2] + verb + _coordinated(stripped[e2:]),
                              f"{first} + eclipsed dependent form (CO 10.2)")
        return Clause(stripped[:end] + _coordinated(stripped[end:]),
                      f"already a {first}-clause: as written")

    if first in _NIL:
        verb = _cased(eclipse(_NIL[first]), original)
        return Clause(f"nach {verb}{_coordinated(stripped[end:])}",
                      "níl -> nach bhfuil (negative of tá; CO 10, bí)")

    if first in ("ní", "cha") and len(words) > 1:
        s2, e2, _ = words[1]
        third = _words(stripped[e2:])
        dep = _verb_after_particle(second, third[0][2] if third else "", negative=True)
        if dep is not None:
            verb = _cased(eclipse(dep), stripped[s2:e2])
            return Clause(f"nach {verb}{_coordinated(stripped[e2:])}",
                          f"negative: {first} + lenited -> nach + eclipsed dependent form")
        return _keep(stripped, f"{first} + something not a future or present verb")

    dep = _dependent_of(first, second)
    if dep is None and is_lenited(first) and _FUTURE.fullmatch(delenite(first)):
        dep = delenite(first)  # "Dhéanfaidh mé", the future lenited as in speech
    if dep is not None:
        verb = _cased(eclipse(dep), original)
        return Clause(f"go {verb}{_coordinated(stripped[end:])}",
                      "future or present -> go + eclipsed dependent form (CO 10.2)")

    if first in _CLAUSE_WORDS or first in ("ní", "níor"):
        return _keep(stripped, f"a clause starting '{first}'")
    if first.startswith(("d'", "b'")):
        return _keep(stripped, "a past or conditional verb (d', b')")
    if is_lenited(first) and first not in _LENITED_NOT_VERBS:
        return _keep(stripped, "a lenited verb: past or conditional")
    if _OTHER_FINITE.fullmatch(first):
        return _keep(stripped, "a conditional, past or imperative plural verb")
    if second in _PRONOUNS:
        return _keep(stripped, "a verb with its subject pronoun, not future or present")
    if first in _ENGLISH_START or (first == "i" and second in _ENGLISH_AFTER_I):
        return _keep(stripped, "English")
    return Clause(stripped, "verbal-noun phrase: Geallaim + verbal noun, as written")
