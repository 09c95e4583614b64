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

from imhcard.batch.problems import (
    HANDLE_LINK,
    MIXED_LANGUAGES,
    REVIEW_CAPITALS,
    SEVERAL_PLEDGES,
    TWO_LANGUAGES,
    WRITE_OWN_EMPTY,
    Problem,
)
from imhcard.batch.table import InputRow
from imhcard.core.fields import clean_handle, clean_optional, is_placeholder
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


def understood(row: InputRow, theme: Theme) -> tuple[InputRow, list[Problem]]:
    """The row with its answers as the card needs them (a prompt id, a language code),
    and what was found on the way: problems that stop the card, notes to check."""
    if row.problem:
        return row, []
    problems: list[Problem] = []
    language, note = language_for(row.get("language"), theme)
    if note:
        problems.append(Problem(TWO_LANGUAGES, note, "language", fatal=False))
    known = language if language in theme.languages else theme.default_language
    pledge, found = _pledge(row, theme, known)
    problems += found
    handle = row.get("handle")
    if handle.strip() and not is_placeholder(handle) and not clean_handle(handle):
        problems.append(Problem(HANDLE_LINK, f"the handle '{handle[:60]}' is a link with no "
                                "name in it; it is left off the card", "handle", fatal=False))
    name = clean_optional(row.get("name"))
    cased = [ch for ch in name if ch.isalpha() and ch.lower() != ch.upper()]
    if len(cased) >= 3 and all(ch.isupper() for ch in cased):
        problems.append(Problem(REVIEW_CAPITALS, f"the name '{name[:60]}' is in capitals; the "
                                "card prints it as written: check it, or fix it in the sheet",
                                "name", fatal=False))
    return replace(row, values={**row.values, "pledge": pledge, "language": language}), problems
