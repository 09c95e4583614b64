"""What imhcard says when a supporter's details cannot make a card, in every language
the product speaks.

An error raised about a supporter's details carries a code and its values
(errors.SupporterError.code, .values). `str(error)` is the English staff wording,
for the batch's report and the CLI ("the name is empty; ..."); `say(error, language)`
is the wording for the supporter themselves, in their language and the second
person ("Enter your name ..."), for the page. A message with a count says it with
the language's own number agreement (`count`).

A new language adds its column here (and its page words in web/strings.py); a code
that lacks the language falls back to English, and tests/test_messages.py lists every
code a shipped language lacks.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from imhcard.core.fields import BY_NAME, field_called
from imhcard.core.irish import count_phrase
from imhcard.errors import ImhcardError, SupporterError

# code -> register -> template. "staff" is English about the supporter's row ("the
# name"); every language code is addressed to the supporter ("your name"). A code
# may be refined per field: "too_long.pledge" is looked for before "too_long".
MESSAGES: Mapping[str, Mapping[str, str]] = {
    "too_big": {
        "staff": "the {field} is {n:,} characters; far more than fits on a card",
        "en": "Your {field} is {n:,} characters long: far more than fits on a card. "
              "Shorten it.",
        "ga": "Tá {your_field} i bhfad rófhada le dul ar chárta ({n:characters}). Giorraigh é.",
    },
    "lost_character": {
        "staff": "the {field} has a character that was lost when the file was saved "
                 "(shown as �); retype it",
        "en": "Your {field} has a character that was lost on the way (shown as �): "
              "type it again.",
        "ga": "Cailleadh carachtar as {your_field} ar an mbealach (taispeántar mar � é): scríobh "
              "arís é.",
    },
    "stacked_marks": {
        "staff": "the {field} has a letter with more than {max} accents or marks stacked on "
                 "it; remove the extra marks",
        "en": "Your {field} has a letter with more than {max} accents on it: remove the "
              "extra ones.",
        "ga": "Tá litir {in_your_field} a bhfuil an iomarca síntí fada nó comharthaí uirthi: bain "
              "na cinn bhreise.",
    },
    "unknown_language": {
        "staff": "the language '{asked}' has no wording in this theme; choose one of: "
                 "{choices}",
        "en": "Choose one of these languages: {choices}.",
        "ga": "Roghnaigh ceann de na teangacha seo: {choices}.",
    },
    "empty": {
        "staff": "the {field} is empty; a card needs the supporter's {field}",
        "en": "Enter your {field}: a card needs it.",
        "ga": "Scríobh {your_field}: ní féidir cárta a dhéanamh gan é.",
    },
    "not_usable": {
        "staff": "the {field} '{said}' cannot go on a card as it is: a handle has no spaces, "
                 "only letters, digits, '.', '_' and '-'",
        "en": "Your {field} cannot be used as it is: type it as it appears in the app, with no "
              "spaces (for example @aoife), or leave it empty.",
        "ga": "Ní féidir {your_field} a úsáid mar atá: scríobh é mar atá sé san aip, gan "
              "spásanna (mar shampla @aoife), nó fág folamh é.",
    },
    "other_language": {
        "staff": "the pledge is in another language than the card, which would mix the two: "
                 "write the pledge in the card's language, or change the supporter's language",
        "en": "Your pledge seems to be in another language than your card: write it in the "
              "card's language, or choose the other language for your card.",
        "ga": "Is cosúil go bhfuil do ghealltanas i dteanga eile seachas teanga do chárta: "
              "scríobh i dteanga an chárta é, nó roghnaigh an teanga eile do do chárta.",
    },
    "no_letters": {
        "staff": "the {field} has no visible letters (only invisible characters); a card "
                 "needs the supporter's {field}",
        "en": "Your {field} has no letters that can be shown: type it again.",
        "ga": "Níl litir ar bith le feiceáil {in_your_field}: scríobh arís é.",
    },
    "too_long": {
        "staff": "the {field} is {n} characters; at most {max} fit on a card",
        "en": "Your {field} is {n} characters long: shorten it to {max} or fewer.",
        "ga": "Tá {your_field} rófhada ({n:characters}): giorraigh é go dtí {max:characters} nó "
              "níos lú.",
    },
    "unknown_choice": {
        "staff": "the {field} '{value}' is not one of: {choices} (or leave it empty for the "
                 "theme's choice)",
        "en": "Choose a {field} from the list.",
        "ga": "Roghnaigh {field} ón liosta.",
    },
    "unknown_prompt": {
        "staff": "'{value}' is not one of this theme's prompts; choose one of: {choices}, "
                 "or write your pledge in your own words",
        "en": "'{value}' is not one of the pledges: choose one from the list, or write "
              "your pledge in your own words.",
        "ga": "Ní ceann de na gealltanais é '{value}': roghnaigh ceann ón liosta, nó scríobh do "
              "ghealltanas i d'fhocail féin.",
    },
    "mistyped_prompt": {
        "staff": "'{value}' is not one of this theme's prompts; did you mean '{guess}'? "
                 "choose one of: {choices}, or write your pledge in your own words",
        "en": "'{value}' is not one of the pledges: choose one from the list, or write "
              "your pledge in your own words.",
        "ga": "Ní ceann de na gealltanais é '{value}': roghnaigh ceann ón liosta, nó scríobh do "
              "ghealltanas i d'fhocail féin.",
    },
    "empty_pledge": {
        "staff": "the pledge is empty; write your own words or choose a prompt: {choices}",
        "en": "Choose a pledge, or write your own.",
        "ga": "Roghnaigh gealltanas, nó scríobh do cheann féin.",
    },
    "pledge_too_long": {
        "staff": "the pledge is {n} characters; this theme allows {max}: shorten it by {cut}",
        "en": "Your pledge is {n} characters long: shorten it by {cut:characters} "
              "(the most is {max}).",
        "ga": "Tá do ghealltanas rófhada ({n:characters}): bain {cut:characters} de (an teorainn: "
              "{max}).",
    },
    "does_not_fit": {
        "staff": "the {field} is too long to fit{place}: at the smallest size ({size} px) it "
                 "needs {lines} lines and there is room for {room}; shorten it by about "
                 "{cut:characters}",
        "en": "Your {field} is too long to fit on this card: shorten it by about "
              "{cut:characters}.",
        "ga": "Tá {your_field} rófhada don chárta seo: bain thart ar {cut:characters} de.",
    },
    "does_not_fit_crowded": {
        "staff": "the {field} is too long to fit{place}: at the smallest size ({size} px) it "
                 "needs {lines} lines and there is room for {room}; shorten it by about "
                 "{cut:characters} (the long name and organisation take some of its room on "
                 "this card; shortening them helps too)",
        "en": "Your {field} is too long to fit on this card: shorten it by about "
              "{cut:characters}, or shorten your name or organisation.",
        "ga": "Tá {your_field} rófhada don chárta seo: bain thart ar {cut:characters} de, nó "
              "giorraigh d'ainm nó d'eagraíocht.",
    },
    "no_glyph": {
        "staff": "the {field} contains '{char}' ({codepoint}, {char_name}), which no font has; "
                 "remove it, or add a font that has it to the theme's fonts.fallback list",
        "en": "Your {field} has a character that cannot be printed on the card: '{char}' "
              "({codepoint}). Remove it.",
        "ga": "Tá carachtar {in_your_field} nach féidir a chur ar an gcárta: '{char}' "
              "({codepoint}). Bain amach é.",
    },
    "needs_shaping": {
        "staff": "the {field} contains '{char}', which needs text shaping, but this Pillow "
                 "has no Raqm layout; install Pillow's wheel from PyPI",
        "en": "Your {field} has writing this server cannot print yet: '{char}'.",
        "ga": "Tá scríbhneoireacht {in_your_field} nach féidir leis an bhfreastalaí seo a chur ar "
              "chárta fós: '{char}'.",
    },
    "photo_unreadable": {
        "staff": "cannot read the photo: it is damaged or not a picture; save it as a JPEG or "
                 "PNG and try again",
        "en": "Your photo cannot be read: it may be damaged or not a photo. Save it as a "
              "JPEG or PNG and choose it again.",
        "ga": "Ní féidir do ghrianghraf a léamh: b'fhéidir go bhfuil sé damáistithe, nó nach "
              "grianghraf é. Sábháil mar JPEG nó PNG é agus roghnaigh arís é.",
    },
    "photo_too_many_pixels": {
        "staff": "the photo is {megapixels} megapixels; the limit is {max} megapixels: save a "
                 "smaller copy",
        "en": "Your photo is too big ({megapixels} megapixels; the most is {max}): choose a "
              "smaller copy.",
        "ga": "Tá do ghrianghraf rómhór ({megapixels} MP; an teorainn: {max} MP): roghnaigh cóip "
              "níos lú de.",
    },
    "photo_too_costly": {
        "staff": "the photo is stored in a way too costly to decode; save it again as an "
                 "ordinary JPEG or PNG",
        "en": "Your photo is saved in an unusual way that takes too long to read: save it "
              "again as an ordinary JPEG or PNG and choose it again.",
        "ga": "Tá do ghrianghraf sábháilte ar bhealach neamhghnách a thógann rófhada le "
              "léamh: sábháil arís é mar JPEG nó PNG agus roghnaigh arís é.",
    },
    "photo_over_size": {
        "staff": "the photo is over {mb} MB; use a smaller one (a phone's normal photo is "
                 "2-5 MB)",
        "en": "Your photo is over {mb} MB: choose a smaller one (a phone's normal photo is "
              "2–5 MB).",
        "ga": "Tá do ghrianghraf os cionn {mb} MB: roghnaigh ceann níos lú (bíonn "
              "gnáthghrianghraf fóin idir 2 agus 5 MB).",
    },
    "request_over_size": {
        "staff": "the request is over {mb} MB; use a photo under {photo_mb} MB (a phone's "
                 "normal photo is 2-5 MB)",
        "en": "Your photo is over {photo_mb} MB: choose a smaller one (a phone's normal "
              "photo is 2–5 MB).",
        "ga": "Tá do ghrianghraf os cionn {photo_mb} MB: roghnaigh ceann níos lú (bíonn "
              "gnáthghrianghraf fóin idir 2 agus 5 MB).",
    },
    "crop_range": {
        "staff": "the photo's {field} is {value:g}; use a number from {low:g} to {high:g}",
        "en": "The photo's position is out of range: press “Reset position” and move it "
              "again.",
        "ga": "Tá suíomh an ghrianghraif as raon: brúigh “Athshocraigh an suíomh” agus bog arís "
              "é.",
    },
    "crop_not_number": {
        "staff": "the photo's {field} is '{value}'; use a number like 0.5",
        "en": "The photo's position is not a number: press “Reset position” and move it "
              "again.",
        "ga": "Ní uimhir é suíomh an ghrianghraif: brúigh “Athshocraigh an suíomh” agus bog arís "
              "é.",
    },
    "unknown_format": {
        "staff": "unknown format '{value}'; choose one of: {choices}",
        "en": "Choose a size from the list.",
        "ga": "Roghnaigh méid ón liosta.",
    },
    "unknown_image_type": {
        "staff": "unknown image type '{value}'; choose one of: {choices}",
        "en": "Choose a file type from the list.",
        "ga": "Roghnaigh cineál comhaid ón liosta.",
    },
    "form_unreadable": {
        "staff": "the form could not be read ({why}); send it from the page",
        "en": "Your card could not be made from what was sent: reload the page and try "
              "again.",
        "ga": "Níorbh fhéidir do chárta a dhéanamh as a bhfuil seolta: athlódáil an leathanach "
              "agus bain triail eile as.",
    },
    "form_incomplete": {
        "staff": "the request ended before its body was complete",
        "en": "The connection broke before everything arrived: try again.",
        "ga": "Briseadh an ceangal sular tháinig gach rud: bain triail eile as.",
    },
    "busy": {
        "staff": "the server is busy making other cards; try again in {seconds} seconds",
        "en": "Lots of people are making cards right now: try again in {seconds} seconds.",
        "ga": "Tá go leor daoine ag déanamh cártaí faoi láthair: bain triail eile as i gceann "
              "{seconds:seconds}.",
    },
    "photo_missing": {
        "staff": "no photo was sent; send one as the form's photo field",
        "en": "Choose a photo first.",
        "ga": "Roghnaigh grianghraf ar dtús.",
    },
    "preview_busy": {
        "staff": "the server is busy making other cards; the preview is tried again in "
                 "{seconds} seconds",
        "en": "Lots of people are making cards right now: your preview will update in "
              "{seconds:seconds}.",
        "ga": "Tá go leor daoine ag déanamh cártaí faoi láthair: nuashonrófar do "
              "réamhamharc i gceann {seconds:seconds}.",
    },
    "offline": {
        "staff": "the page could not reach the server",
        "en": "Your phone could not reach the page's server: check your connection and "
              "try again.",
        "ga": "Níorbh fhéidir le d'fhón freastalaí an leathanaigh a bhaint amach: seiceáil "
              "do cheangal agus bain triail eile as.",
    },
    "too_slow": {
        "staff": "making the card took too long; try again in {seconds} seconds",
        "en": "Making your card took too long: try again in {seconds} seconds, or choose a "
              "smaller photo.",
        "ga": "Thóg sé rófhada do chárta a dhéanamh: bain triail eile as i gceann "
              "{seconds:seconds}, nó roghnaigh grianghraf níos lú.",
    },
}


def _english(one: str, many: str) -> Callable[[int], str]:
    return lambda n: f"1 {one}" if n == 1 else f"{n:,} {many}"


def _irish(noun: str) -> Callable[[int], str]:
    return lambda n: f"{noun} amháin" if n == 1 else count_phrase(n, noun)


# How each language says a count of each unit a message counts ("{cut:characters}"):
# the number agreement of the language, as a function (Irish: core/irish.py).
COUNTS: dict[str, dict[str, Callable[[int], str]]] = {
    "en": {"characters": _english("character", "characters"),
           "seconds": _english("second", "seconds")},
    "ga": {"characters": _irish("carachtar"), "seconds": _irish("soicind")},
}
COUNTS["staff"] = COUNTS["en"]


class _Formatter(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in COUNTS["en"]:
            counter = COUNTS.get(self.language, COUNTS["en"])[format_spec]
            return counter(int(value))
        return str(super().format_field(value, format_spec))


def template(code: str, register: str, field: str = "") -> str | None:
    """The template for `code` in `register` (a language code or "staff"), refined for
    `field` where a refinement exists; None when the register has none."""
    for key in (f"{code}.{field}", code):
        entry = MESSAGES.get(key)
        if entry is not None and register in entry:
            return entry[register]
    return None


def render(code: str, register: str, values: Mapping[str, Any]) -> str:
    """`code`'s message in `register`, English for a language that lacks it."""
    field = str(values.get("field", ""))
    text = template(code, register, field)
    language = register if text is not None else "en"
    if text is None:
        text = template(code, "en", field) or code
    speaking = "en" if language == "staff" else language
    known = BY_NAME.get(field)
    your, in_your = known.yours(speaking) if known else (f"your {field}", f"in your {field}")
    named = {**values, "field": field_called(field, speaking), "your_field": your,
             "in_your_field": in_your}
    return _Formatter(language).format(text, **named)


def say(exc: ImhcardError, language: str = "en") -> str:
    """What to tell the supporter about `exc`, in `language`: the message of its code,
    or, for an error without one, its own text."""
    code = getattr(exc, "code", "")
    if not code:
        return str(exc)
    return render(code, language, getattr(exc, "values", {}))


E = TypeVar("E", bound=SupporterError)


def problem(cls: type[E], field: str, code: str, **values: Any) -> E:
    """A SupporterError of class `cls` about `field`, with its staff wording."""
    values = {"field": field, **values}
    return cls(field, render(code, "staff", values), code, values)
