"""A row's answers as people give them, understood against the theme before the card
is made (the fields' own cleaning, placeholders and handle links, is in
core/fields.py, shared by every door).

- A pledge chosen from a list arrives as the prompt's full text, in either language,
  with or without the card's "I pledge to" / "Geallaim", "(below)", other case,
  punctuation or spacing: it is the prompt, by id, so the card prints it in the
  card's language.
- A choice that only says "I'll write my own" with no own words is the row's problem,
  never a card saying "I pledge to write my own pledge".
- More than one pledge chosen (ticked options, or a checkbox answer listing two
  prompts) is the row's problem, never a card running them together.
- Own words in another language than the card's, by their "I pledge to" or their
  words, would make a card that mixes languages ("Geallaim I will read ..."): the
  row's problem. Words that are only a stem ("I pledge to") are an empty pledge.
- A language answer names a language of the theme however it is put: "Gaeilge /
  Irish", "Irish (Gaeilge)", "As Gaeilge", "Béarla", "English please".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import replace

from imhcard.batch.consent import not_understood
from imhcard.batch.problems import (
    CONSENT_UNCLEAR,
    HANDLE_LINK,
    MIXED_LANGUAGES,
    REVIEW_CAPITALS,
    REVIEW_HANDLE,
    SEVERAL_PLEDGES,
    TWO_LANGUAGES,
    WRITE_OWN_EMPTY,
    Problem,
)
from imhcard.batch.table import InputRow
from imhcard.core.fields import clean_handle, clean_optional, handle_of_link, is_placeholder
from imhcard.core.pledge import mistyped_prompt, only_stem
from imhcard.core.pledge_language import pledge_language
from imhcard.core.theme import Theme

# A choice asking for the supporter's own words: "I'd like to write my own pledge
# (below)", "Other", "My own words", "Scríobhfaidh mé mo cheann féin".
_WRITE_OWN = re.compile(
    r"^(other|eile)\b|\bwrite\b|\bwriting\b|\bmy own\b|\bown (pledge|words)\b|\bin my own\b|"
    r"\bféin\b|\bscríobh|\bscriobh", re.IGNORECASE)
_BELOW = re.compile(r"\s*[(\[]?\s*(below|see below|thíos|thios)\s*[)\]]?\s*[.:]*\s*$",
                    re.IGNORECASE)
_BOTH = re.compile(r"\b(both|bilingual|either|dhátheangach|an dá|an da)\b", re.IGNORECASE)
# How close a choice must be to a prompt (after folding case, punctuation and spacing)
# to be it: a typo or an "&" for "and", never a different pledge.
PROMPT_CLOSE = 0.92


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _without_intro(plain: str, theme: Theme) -> str:
    for code in theme.languages:
        intro = _plain(theme.wording(code).pledge_intro)
        if intro and plain.startswith(intro + " "):
            return plain[len(intro) + 1:]
    return plain


def prompt_for(choice: str, theme: Theme) -> str | None:
    """The id of the prompt a choice is, in any of the theme's languages, or None."""
    plain = _without_intro(_plain(_BELOW.sub("", choice)), theme)
    if not plain:
        return None
    texts: dict[str, str] = {}
    for code in theme.languages:
        for pid, text in theme.wording(code).prompts.items():
            texts[_without_intro(_plain(text), theme)] = pid
    if plain in texts:
        return texts[plain]
    if len(plain.split()) < 4:
        return None  # an id, typed or mistyped, is for resolve() to judge ("did you mean")
    close = difflib.get_close_matches(plain, list(texts), n=2, cutoff=PROMPT_CLOSE)
    if len(close) == 1 or (close and texts[close[0]] == texts[close[-1]]):
        return texts[close[0]]
    return None


def chosen_prompts(choice: str, theme: Theme) -> list[str]:
    """The prompts a choice lists, as written ("Speak up for babies ..., Listen to ..."),
    when it lists more than one and nothing else; else []. A prompt with a comma of its
    own ("play, talk and cuddle") is found whole."""
    parts = [p for p in re.split(r"\s*[,;\n]\s*", choice) if p.strip()]
    ids = {pid.casefold() for code in theme.languages for pid in theme.wording(code).prompts}
    found: list[str] = []
    start = 0
    for end in range(1, len(parts) + 1):
        piece = ", ".join(parts[start:end])
        if piece.strip().casefold() in ids or prompt_for(piece, theme) is not None:
            found.append(piece)
            start = end
    return found if start == len(parts) and len(found) > 1 else []


def _several(row: InputRow, value: str, theme: Theme) -> Problem | None:
    chosen = list(row.chosen) if len(row.chosen) > 1 else chosen_prompts(value, theme)
    if not chosen:
        return None
    listed = ", ".join(f"'{c[:40]}…'" if len(c) > 40 else f"'{c}'" for c in chosen[:4])
    return Problem(SEVERAL_PLEDGES, f"more than one pledge chosen: {listed}; keep one, or "
                   "give the supporter's own words", "pledge")


def language_for(answer: str, theme: Theme) -> tuple[str, str]:
    """(the theme's language code, or the answer itself when it names none; a note when
    it names more than one)."""
    text = clean_optional(answer)
    if not text:
        return "", ""
    exact = theme.language_code(text)
    if exact is not None:
        return exact, ""
    plain = f" {_plain(text)} "
    found: list[tuple[int, str]] = []
    for code in theme.languages:
        names = {_plain(n) for n in (code, *theme.wording(code).names)} - {""}
        at = [plain.find(f" {n} ") for n in names if f" {n} " in plain]
        if at:
            found.append((min(at), code))
    found.sort()
    if not found and (guess := _language_guess(plain, theme)) is not None:
        return guess, ""
    if not found:
        if _BOTH.search(text):
            return theme.default_language, (f"the language answer '{text[:40]}' asks for "
                                            "more than one; the card is in "
                                            f"{theme.wording().names[0]}")
        return text, ""
    codes = list(dict.fromkeys(code for _, code in found))
    if len(codes) > 1:
        first = theme.wording(codes[0]).names[0] if theme.wording(codes[0]).names else codes[0]
        return codes[0], (f"the language answer '{text[:40]}' names more than one "
                          f"language; the card is in {first}, the first named")
    return codes[0], ""


# Other names of a language people write in a form, by its ISO 639-1 code, beyond the
# theme's own `names`: ISO 639-2 codes, and "Gaelic" (Irish, unless the theme also has
# Scottish Gaelic, gd).
_OTHER_NAMES = {"en": ("eng",), "ga": ("gle", "gaelic", "gaelach")}
# How close a word must be to a language's name to be it mistyped ("Gaelige").
NAME_CLOSE = 0.8


def _fold(text: str) -> str:
    """Plain words without accents: 'Béarla' and 'Bearla' are the same answer."""
    decomposed = unicodedata.normalize("NFD", _plain(text))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _language_guess(plain: str, theme: Theme) -> str | None:
    """The one theme language an answer's words name loosely: short for its name ('Eng'),
    mistyped ('Gaelige'), without accents ('Bearla') or by another of its names
    ('Gaelic'); None when none does, or more than one."""
    hits: set[str] = set()
    for code in theme.languages:
        others = () if code == "ga" and "gd" in theme.languages else _OTHER_NAMES.get(code, ())
        words = {w for n in (*theme.wording(code).names, *others) for w in _fold(n).split()
                 if len(w) >= 3}
        for w in _fold(plain).split():
            if len(w) < 3:
                continue
            if w in words or any(n.startswith(w) for n in words) or (
                    len(w) >= 4 and difflib.get_close_matches(w, list(words), 1, NAME_CLOSE)):
                hits.add(code)
    return hits.pop() if len(hits) == 1 else None


def _pledge(row: InputRow, theme: Theme, language: str) -> tuple[str, list[Problem]]:
    """The pledge to resolve (a prompt id or own words) and its problems."""
    value = row.get("pledge")
    from_choice = not row.choice or value == row.choice
    if from_choice:
        if is_placeholder(value):
            return "", []
        if (pid := prompt_for(value, theme)) is not None:
            return pid, []
        if (several := _several(row, value, theme)) is not None:
            return value, [several]
        if _WRITE_OWN.search(value):
            return value, [Problem(WRITE_OWN_EMPTY, f"the pledge choice '{value[:60]}' asks "
                                   "for the supporter's own words, but none were given; put "
                                   "their pledge in the own-words column, or choose one of "
                                   "the prompts", "pledge")]
    if (pid := prompt_for(value, theme)) is not None:
        return pid, []  # own words that are a prompt's text, word for word
    wording = theme.wording(language)
    if only_stem(value, wording.pledge_intro, language) \
            or mistyped_prompt(value, wording.prompts) is not None:
        return value, []  # resolve() says the pledge is empty, or which id it means
    return value, _mixed(row, value, theme, language)


def _mixed(row: InputRow, value: str, theme: Theme, language: str) -> list[Problem]:
    """Own words in another language than the card's: by the other's "I pledge to" at
    their start, or by their words (core/pledge_language.py; unsure is no problem)."""
    found = ""
    for code in theme.languages:
        intro = _plain(theme.wording(code).pledge_intro)
        if code != language and intro and _plain(value).startswith(intro + " "):
            found = f"starts '{theme.wording(code).pledge_intro}'"
            break
    else:
        code = pledge_language(value) or language
        if code != language and code in theme.languages:
            found = f"is in {_name(theme, code)}"
    if not found:
        return []
    card, other = _name(theme, language), _name(theme, code)
    fix = (f"set the row's language to {other}" if row.get("language").strip()
           else f"give the row a language column saying {other}")
    return [Problem(MIXED_LANGUAGES, f"the pledge {found} but the card is in {card}: the "
                    f"card would mix the two; write the pledge in {card}, or {fix}", "pledge")]


def _name(theme: Theme, code: str) -> str:
    names = theme.wording(code).names
    return names[0] if names else code


def _handle_notes(handle: str) -> list[Problem]:
    """A note for a handle answer that is not a handle: a link with no name in it, or
    words ('aoife on insta'); either is left off the card. A sentence saying there is
    none ("n/a - I don't use social media") is no handle, with nothing to check."""
    if not handle.strip() or is_placeholder(handle, sentence=True) or clean_handle(handle):
        return []
    said = " ".join(handle.split())[:60]
    if handle_of_link(said) is not None:
        return [Problem(HANDLE_LINK, f"the handle '{said}' is a link with no name in it; it "
                        "is left off the card", "handle", fatal=False)]
    return [Problem(REVIEW_HANDLE, f"the handle '{said}' is not a handle (a handle has no "
                    "spaces, only letters, digits, '.', '_' and '-'); it is left off the "
                    "card: check it, or fix it in the sheet", "handle", fatal=False)]


def understood(row: InputRow, theme: Theme) -> tuple[InputRow, list[Problem]]:
    """The row with its answers as the card needs them (a prompt id, a language code),
    and what was found on the way: problems that stop the card, notes to check."""
    if row.problem:
        return row, []
    problems: list[Problem] = []
    unclear = not_understood(row.consent)
    if unclear:
        problems.append(Problem(CONSENT_UNCLEAR, unclear, "consent"))
    language, note = language_for(row.get("language"), theme)
    if note:
        problems.append(Problem(TWO_LANGUAGES, note, "language", fatal=False))
    known = language if language in theme.languages else theme.default_language
    pledge, found = _pledge(row, theme, known)
    problems += found
    handle_notes = _handle_notes(row.get("handle"))
    problems += handle_notes
    name = clean_optional(row.get("name"))
    cased = [ch for ch in name if ch.isalpha() and ch.lower() != ch.upper()]
    if len(cased) >= 3 and all(ch.isupper() for ch in cased):
        problems.append(Problem(REVIEW_CAPITALS, f"the name '{name[:60]}' is in capitals; the "
                                "card prints it as written: check it, or fix it in the sheet",
                                "name", fatal=False))
    values = {**row.values, "pledge": pledge, "language": language}
    if handle_notes:  # noted for staff, and left off the card
        values["handle"] = ""
    return replace(row, values=values), problems
