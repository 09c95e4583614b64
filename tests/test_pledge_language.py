"""The language of a supporter's own words: English, Irish, or unsure, on pledges as
people write them (the 2026 prompts in both languages, and own words)."""

from __future__ import annotations

import pytest

from imhcard.core.pledge_language import pledge_language
from imhcard.core.theme import Theme

ENGLISH = [
    "I will read to my baby every night",
    "I pledge: read to my baby every night",
    "read to my baby every night",
    "put my phone away at bath time",
    "sing to my little one before bed",
    "I promise to listen more and rush less",
    "make time to play on the floor every day",
    "talk to my grandchildren about their feelings",
    "support new parents in my community",
    "be patient when my baby cries",
    "cuddle my baby every morning",
    "give every child in my class the time they need",
    "I'll read a bedtime story every night",
    "learn more about infant mental health",
    "speak up for babies at work",
    "share what I learn with other parents",
    "take my son to the park every weekend",
    "switch off the TV and talk with my daughter",
    "look after my own wellbeing so I can look after my baby",
    "notice how my baby is feeling",
    "encourage dads to get involved",
    "never stop learning from my children",
    "champion infant mental health in Newry",
    "help my team understand why the first 1,001 days matter",
    "be there for my nephew",
    "hold my baby close",
    "ask health visitors how I can help",
    "tell every parent I meet about the week",
    "Read with Aoife every night",
    "sing 'Oíche Mhaith' to Seán at bedtime",
    "say oíche mhaith to my baby every night",
    "spend less time on my phone and more time with my kids",
    "smile at my baby as often as I can",
    "keep learning about how babies grow",
    "I commit to making our nursery a calm place",
    "volunteer at the Sure Start group",
    "walk with my baby in the pram and talk about what we see",
    "make sure every family in our street feels welcome",
    "Listen. Really listen to Niamh Ní Bhriain and Dónall Ó Súilleabháin",
    "read to my baby every night, and sing \"Baidín Fheilimí\"",
]
IRISH = [
    "Geallaim labhairt le mo leanbh",
    "Tugaim gealltanas léamh do mo leanbh",
    "Déanfaidh mé léamh do mo leanbh gach oíche",
    "léamh do mo leanbh gach oíche",
    "amhrán a chanadh le mo pháiste roimh am codlata",
    "éisteacht níos mó le mo leanbh",
    "am a chaitheamh ag súgradh le mo gharpháistí",
    "mo ghuthán a chur i leataobh ag am béile",
    "Beidh mé ag caint le mo leanbh i nGaeilge gach lá",
    "scéal a léamh do mo mhac gach oíche",
    "barróg a thabhairt do m'iníon gach maidin",
    "tacú le tuismitheoirí nua i mo cheantar",
    "an tús is fearr a thabhairt do mo leanbh",
    "foighne a bheith agam le mo pháistí",
    "Geallaim go mbeidh mé ann do mo leanbh i gcónaí",
    "labhairt amach ar son na leanaí i mo phobal",
    "mothúcháin mo linbh a ghlacadh dáiríre",
    "am ciúin a chaitheamh le mo leanbh gach lá",
    "Ní bheidh an fón agam ag am folctha",
    "spraoi a bheith againn le chéile gach deireadh seachtaine",
    "cabhrú le mo chomharsana lena leanaí",
    "ceol a sheinm do mo leanbh",
    "grá agus aire a thabhairt do mo leanbh",
    "siúl sa pháirc le mo leanbh gach maidin",
    "leabhair a roinnt le leanaí na scoile",
    "an Ghaeilge a labhairt sa bhaile",
    "Déanfaidh mé mo dhícheall do mo pháistí",
    "aird a thabhairt ar mhothúcháin mo linbh",
    "gáire a dhéanamh le mo leanbh gach lá",
    "Tabharfaidh mé am do mo leanbh gach tráthnóna",
    "deiseanna súgartha a chruthú do leanaí óga",
    "seasamh le tuismitheoirí atá ag streachailt",
    "meabhairshláinte naíonán a chur chun cinn ag an obair",
    "tacaíocht a thabhairt do mháithreacha nua",
    "Deanfaidh me leamh do mo leanbh gach oiche",  # typed without fadas
    "eisteacht le mo leanbh agus labhairt leis go ciuin",
    "Geallaim an méid seo: beidh mé foighneach",
    "Tugaim mo ghealltanas am a chaitheamh le mo chlann",
    "suí síos agus éisteacht le Seán agus le Máire",
    "bheith ann do mo chlann, i gcónaí",
]
UNSURE = ["", "x", "love", "grá", "Aoife Ní Bhriain", "Seán", "play", "Geallaim", "NHS",
          "Baby Shark", "1,001 days", "😊", "Geallaim:"]


def test_the_lists_are_big_enough() -> None:
    assert len(ENGLISH) >= 40 and len(IRISH) >= 40


@pytest.mark.parametrize("text", ENGLISH)
def test_english_pledges(text: str) -> None:
    assert pledge_language(text) == "en"


@pytest.mark.parametrize("text", IRISH)
def test_irish_pledges(text: str) -> None:
    assert pledge_language(text) == "ga"


@pytest.mark.parametrize("text", UNSURE)
def test_unsure_is_none(text: str) -> None:
    assert pledge_language(text) is None


def test_every_prompt_is_its_own_language(theme_2026: Theme) -> None:
    for code in ("en", "ga"):
        wording = theme_2026.wording(code)
        for pid, text in wording.prompts.items():
            assert pledge_language(text) == code, (code, pid)
            assert pledge_language(f"{wording.pledge_intro} {text}") == code, (code, pid)


def test_a_long_text_costs_what_a_pledge_does() -> None:
    assert pledge_language("read to my baby every night " * 10_000) == "en"


# Accents and w/y/k alone are other languages' too: a pledge in them is never called
# English or Irish (the glyph corpus makes cards in each).
OTHER_LANGUAGES = [
    "hát cho con nghe mỗi tối", "czytać dziecku co wieczór", "vorlesen für mein Kind jeden Abend",
    "leer a mi bebé cada noche", "lire à mon bébé chaque soir", "ler para o meu bebé à noite",
    "kuwasomea watoto kila usiku", "citit copilului în fiecare seară", "skaityti vaikui kas vakarą",
]


@pytest.mark.parametrize("text", OTHER_LANGUAGES)
def test_other_languages_are_never_english_or_irish(text: str) -> None:
    assert pledge_language(text) is None


def test_every_door_refuses_a_card_that_mixes_english_and_irish(theme_2026: Theme) -> None:
    """The page and `imhcard card` say it beside the pledge (the batch says it for the row,
    tests/test_batch_languages.py); a pledge in a third language is made as typed."""
    from imhcard.core.messages import say
    from imhcard.core.supporter import Supporter, resolve
    from imhcard.errors import SupporterError

    with pytest.raises(SupporterError) as mixed:
        resolve(Supporter(name="Aoife", pledge="read to my baby every night", language="ga"),
                theme_2026)
    assert mixed.value.field == "pledge" and mixed.value.code == "other_language"
    assert say(mixed.value, "ga").startswith("Is cosúil go bhfuil do ghealltanas i dteanga eile")
    with pytest.raises(SupporterError):
        resolve(Supporter(name="Aoife", pledge="léamh do mo leanbh gach oíche", language="en"),
                theme_2026)
    made = resolve(Supporter(name="Aoife", pledge="lire à mon bébé chaque soir", language="ga"),
                   theme_2026)
    assert made.pledge.endswith("lire à mon bébé chaque soir")
