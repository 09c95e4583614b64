"""A supporter's own Irish words turned into a clause that reads right after the card's
"Geallaim" (I pledge), by rule: the Caighdeán Oifigiúil's (2017; the section is named
beside each rule). Ulster and Munster forms supporters type (chífidh, bhéarfaidh,
gheobhaidh, muid, cha, chan, déanfad) are understood; what is written is the Standard.
docs/irish-glossary.md says what each rule does, with examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imhcard.core.irish import (
    ECLIPSED,
    VOWELS,
    delenite,
    eclipse,
    is_eclipsed,
    is_lenited,
    is_upper_word,
    uneclipse,
)

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
    # Munster synthetic first person singular futures and emphatic forms
    "bead": "bead", "rachad": "rachad", "raghad": "raghad", "gheobhad": "faighead",
    "chífead": "feicfead", "táimse": "fuilimse", "bímse": "bímse", "beadsa": "beadsa",
}
_NIL = {"níl": "fuil", "nílim": "fuilim", "nílimid": "fuilimid", "nílid": "fuilid"}
_FUTURE = re.compile(r"[^\W\d_]+(?:fa|f|ó|eo)idh")  # léifidh, déanfaidh, ceannóidh, éireoidh
_FUTURE_1 = re.compile(r"[^\W\d_]{2,}(?:fa|fea)d")  # Munster: déanfad, léifead, íosfad
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
                                "fhéin", "shin", "bheith"})
# Imperatives whose verbal noun is another word: "Léigh dó" after "Geallaim" is not Irish.
_IMPERATIVES = frozenset({"léigh", "éist", "tabhair", "déan", "bí", "tar", "téigh", "abair",
                          "faigh", "feic", "labhair", "can", "seinn", "caith", "coinnigh",
                          "tóg", "glac", "cuir", "lig", "fan", "siúil", "cabhraigh",
                          "tacaigh", "spreag", "mol", "cosain", "cothaigh", "bain", "scríobh",
                          "tabhraigí", "déanaigí", "éistigí", "léigí", "bígí"})
# Before these a finite verb is part of a smaller clause (a relative, go/nach, if, when):
# "léamh dó ionas go mbeidh sé sásta" is still a verbal-noun phrase.
_SUBORDINATING = frozenset({"a", "go", "nach", "má", "dá", "nuair", "mar", "sula", "ó",
                            "cé", "ionas", "toisc", "óir", "mura", "murach", "ach"})
# English words a pledge is made of: two of these and no Irish letters is English.
_ENGLISH_WORDS = frozenset({"to", "my", "the", "and", "every", "will", "with", "for", "our",
                            "i", "a", "of", "in", "baby", "babies", "child", "children",
                            "read", "play", "talk", "listen", "time", "day", "night", "me",
                            "be", "their", "them", "always", "more", "each", "your"})
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
    if _FUTURE.fullmatch(word) or _PLURAL_1.fullmatch(word) or _FUTURE_1.fullmatch(word):
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
    if word in _DEPENDENT:  # Ulster chífidh: its dependent is feicfidh (CO 5.4)
        return _DEPENDENT[word]
    tries = [uneclipse(word)] if is_eclipsed(word) else []
    tries += [delenite(word), word] if negative else [word, delenite(word)]
    for form in dict.fromkeys(tries):
        dep = _dependent_of(form, next_word)
        if dep is not None:
            return dep
    return None


def _cased(new: str, like: str) -> str:
    """`new` (lower case) in the case of the word it replaces: ALL CAPS stays, with the
    eclipsis letters small as Irish writes them (nDÉANFAIDH, bhFEICFIDH, nÍOSFAIDH);
    otherwise lower case, since the verb no longer starts the sentence."""
    if not is_upper_word(uneclipse(delenite(like))):
        return new
    if new.startswith("bhf"):
        return "bh" + new[2:].upper()
    if new.startswith("n-"):
        return "n" + new[2:].upper()
    if new.startswith(ECLIPSED):
        return new[0] + new[1:].upper()
    return new.upper()


def _lower(word: str) -> str:
    """A word in lower case as Irish writes it there: 'nÍOSFAIDH' -> 'n-íosfaidh' (the
    eclipsing n before a capital vowel is its own letter)."""
    if len(word) > 1 and word[0] == "n" and word[1] in VOWELS.upper():
        word = "n-" + word[1:]
    return word.lower().replace("’", "'")


def _words(text: str) -> list[tuple[int, int, str]]:
    """The first two words (start, end, lower-cased text), if they open the text."""
    out = []
    pos = 0
    for _ in range(2):
        m = _WORD.search(text, pos)
        if not m or text[pos:m.start()].strip(" ,"):
            break
        out.append((m.start(), m.end(), _lower(m.group())))
        pos = m.end()
    return out


# "agus"/"is" (and) before a second finite verb: its clause is a go/nach clause too.
_AND = re.compile(r"(?<![^\W\d_])(?:agus|is)\s+", re.IGNORECASE)


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
        elif w1 in ("ní", "cha", "chan") and len(words) > 1:
            s2, e2 = words[1][0] + m.end(), words[1][1] + m.end()
            after = _words(tail[e2:])
            w3 = after[0][2] if after else ""
            dep = _verb_after_particle(w2, w3, negative=True)
            if dep is not None:
                new, end = f"nach {_cased(eclipse(dep), tail[s2:e2])}", e2
        elif w1 not in ("go", "nach"):
            dep = _dependent_of(w1, w2)
            if dep is not None:
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

    if first in ("ní", "cha", "chan") and len(words) > 1:
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
    if first in _ENGLISH_START or (first == "i" and second in _ENGLISH_AFTER_I) \
            or _looks_english(stripped):
        return _keep(stripped, "English")
    if first in _IMPERATIVES and second != "a":
        return _keep(stripped, "an imperative")
    return _phrase(stripped)


def _looks_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    return (not any(c in text.lower() for c in "áéíóú")
            and sum(w in _ENGLISH_WORDS for w in words) >= 2)


def _finite_at(words: list[tuple[int, int, str]]) -> int | None:
    """Where a future or present verb (or ní/níl with one) stands in a phrase that does
    not start with it, not counting one after a subordinating word (a, go, nach, má …)."""
    for i, (_, _, w) in enumerate(words):
        prev = words[i - 1][2] if i else ""
        nxt = words[i + 1][2] if i + 1 < len(words) else ""
        if i == 0 or prev in _SUBORDINATING:
            continue
        if w in _NIL or (w in ("ní", "cha", "chan") and nxt and _verb_after_particle(
                nxt, words[i + 2][2] if i + 2 < len(words) else "", negative=True)):
            return i
        base = delenite(w) if is_lenited(w) and w not in _DEPENDENT else w
        if base in _DEPENDENT or _FUTURE.fullmatch(base) or _PLURAL_1.fullmatch(base) \
                or (_PRESENT.fullmatch(base) and nxt in FIRST_PERSON):
            return i
    return None


def _phrase(stripped: str) -> Clause:
    """Text that does not start with a verb: a verbal-noun phrase reads right after
    "Geallaim" as it is. A phrase put first ("Gach oíche, léifidh mé dó") is followed by
    its go/nach clause ("gach oíche, go léifidh mé dó"); a verb further on without a
    comma before it ("Ar ndóigh beidh mé ann") is kept as written after "an méid seo:"."""
    words = [(m.start(), m.end(), _lower(m.group())) for m in _WORD.finditer(stripped)]
    at = _finite_at(words)
    if at is None:
        return Clause(stripped, "verbal-noun phrase: Geallaim + verbal noun, as written")
    start = words[at][0]
    head = stripped[:start].rstrip()
    if head.endswith(","):  # the first verb, so nothing before it is a clause
        rest = after_geallaim(stripped[start:])
        if rest.text.startswith(("go ", "nach ")):
            return Clause(f"{head} {rest.text}", f"a phrase first, then {rest.rule}")
    return _keep(stripped, "a verb further on")
