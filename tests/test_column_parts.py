"""Questions spread over several columns, as form exports really write them: a name in
two parts, a pledge choice with its own-words column, and one column per option."""

from __future__ import annotations

from pathlib import Path

import pytest

from imhcard.batch.answers import understood
from imhcard.batch.column_parts import first_last
from imhcard.batch.inputs import open_input
from imhcard.batch.problems import SEVERAL_PLEDGES, WRITE_OWN_EMPTY
from imhcard.core.theme import Theme


def write(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def names(path: Path) -> list[str]:
    return [r.get("name") for r in open_input(path).rows()]


# --- a name in two columns -------------------------------------------------------------


@pytest.mark.parametrize(("first", "last"), [
    ("Your first name", "Your surname"),
    ("Name (First)", "Name (Last)"),  # Wufoo, Cognito
    ("Name - First", "Name - Last"),  # Jotform's full-name field, exported
    ("First name / Céad ainm", "Surname / Sloinne"),  # a bilingual form
    ("Forename", "Family name"),
    ("Given name", "Family name"),
    ("First Name", "Last Name"),
    ("Céad ainm", "Sloinne"),
    ("Legal first name", "Legal last name"),
])
def test_a_first_and_a_last_name_column_are_joined(tmp_path: Path, first: str,
                                                    last: str) -> None:
    path = write(tmp_path, f'"{first}","{last}",Pledge\nMary,Murphy,listen\n'
                           "Seán,Ó Súilleabháin,speak-up\n")
    assert names(path) == ["Mary Murphy", "Seán Ó Súilleabháin"]
    described = open_input(path).columns.source("name").described()
    assert described == f"'{first}' + '{last}'"
    assert open_input(path).columns.unused() == []


def test_the_surname_first_in_the_sheet_still_signs_first_then_last(tmp_path: Path) -> None:
    path = write(tmp_path, "Surname,Forename,Pledge\nMurphy,Mary,listen\n")
    assert names(path) == ["Mary Murphy"]


def test_a_middle_name_column_goes_between(tmp_path: Path) -> None:
    path = write(tmp_path, "Name (First),Name (Middle),Name (Last),Pledge\n"
                           "Mary,Ann,Murphy,listen\nOrla,,Byrne,listen\n")
    assert names(path) == ["Mary Ann Murphy", "Orla Byrne"]


def test_surveymonkey_details_block_with_first_and_last_name(tmp_path: Path) -> None:
    path = write(tmp_path,
                 "Respondent ID,Your details,,,Which pledge?\n"
                 ",First name,Last name,Email Address,Response\n"
                 "1141,Orla,Byrne,orla@example.org,listen\n")
    assert names(path) == ["Orla Byrne"]
    assert open_input(path).columns.header("email") == "Your details - Email Address"


def test_a_whole_name_column_beats_the_parts(tmp_path: Path) -> None:
    path = write(tmp_path, "First name,Surname,Name on the card,Pledge\n"
                           "Mary,Murphy,Mary Murphy-Kane,listen\n")
    assert names(path) == ["Mary Murphy-Kane"]


@pytest.mark.parametrize(("header", "part"), [
    ("Your first name", "first"), ("first", "first"), ("Given names", "first"),
    ("Surname", "last"), ("Name (Last)", "last"), ("Second name", "last"),
    ("Family name / Sloinne", "last"),
    ("First and last name", ""), ("Is this your first pledge?", ""),
    ("Name of your first child", ""), ("Last updated", ""), ("Name", ""),
    ("Organisation name", ""),
])
def test_which_headers_are_part_of_a_name(header: str, part: str) -> None:
    assert first_last(header) == part


# --- a pledge choice and the supporter's own words --------------------------------------

OWN_WORDS_HEADERS = ["Write your own", "Your own words", "In your own words", "Own pledge",
                     "Scríobh do cheann féin", "Or write your own here"]


@pytest.mark.parametrize("header", OWN_WORDS_HEADERS)
def test_an_own_words_column_without_the_word_pledge(tmp_path: Path, theme_2026: Theme,
                                                     header: str) -> None:
    path = write(tmp_path,
                 f'Name,Pledge,"{header}",Language\n'
                 "J Ten,Write my own (below),Geallaim labhairt le mo leanbh,Gaeilge\n"
                 "A One,,read to my baby every night,English\n"
                 "B Two,listen,,English\n")
    table = open_input(path)
    assert table.columns.source("pledge").own == (2, header)
    rows = [understood(r, theme_2026) for r in table.rows()]
    assert [r.get("pledge") for r, _ in rows] == [
        "Geallaim labhairt le mo leanbh", "read to my baby every night", "listen"]
    assert all(not problems for _, problems in rows)


def test_other_please_specify_after_the_pledge(tmp_path: Path, theme_2026: Theme) -> None:
    path = write(tmp_path, 'Name,Pledge,"Other (please specify)",Email\n'
                           "A One,Other,read to my baby every night,a@example.org\n")
    row, problems = understood(next(open_input(path).rows()), theme_2026)
    assert (row.get("pledge"), problems) == ("read to my baby every night", [])


def test_an_own_words_column_of_another_question_is_not_the_pledge(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Pledge,Do you own a smartphone?,Organisation,"
                           "Write your own organisation\nA,listen,yes,Sure Start,\n")
    assert open_input(path).columns.source("pledge").own is None


def test_write_my_own_with_no_words_is_still_the_rows_problem(tmp_path: Path,
                                                              theme_2026: Theme) -> None:
    path = write(tmp_path, "Name,Pledge,Write your own\nJ Ten,Write my own (below),\n")
    _, problems = understood(next(open_input(path).rows()), theme_2026)
    assert [p.kind for p in problems] == [WRITE_OWN_EMPTY]


# --- more than one pledge chosen --------------------------------------------------------

TALLY = ("First name,Last name,"
         "Which pledge? (I pledge to speak up for babies and the people who care for them),"
         "Which pledge? (I pledge to listen to babies and take their feelings seriously),"
         "Card language\n")


@pytest.mark.parametrize("text", [
    TALLY + "Dan,Dunne,true,true,English\n",
    # Google Forms' checkboxes: the options in one cell.
    'Name,Which pledge?,Language\nDan Dunne,"Speak up for babies and the people who care '
    'for them, Listen to babies and take their feelings seriously",Gaeilge\n',
    'Name,Which pledge?\nDan Dunne,"Make time every day to play, talk and cuddle;Listen '
    'to babies and take their feelings seriously"\n',
    # The options in Irish, and a prompt id beside a prompt's text.
    'Ainm,Gealltanas\nDan Dunne,"Geallaim éisteacht le leanaí agus a mothúcháin a '
    'ghlacadh dáiríre, Geallaim labhairt amach ar son leanaí agus na ndaoine a thugann '
    'aire dóibh"\n',
    "Name,Pledge\nDan Dunne,\"listen, speak-up\"\n",
    # One column per option, the options not the prompts' words.
    "Name,Pledge (Option A),Pledge (Option B),Pledge (Option C)\nDan Dunne,x,,x\n",
])
def test_more_than_one_pledge_chosen_is_the_rows_problem(tmp_path: Path, theme_2026: Theme,
                                                         text: str) -> None:
    row = next(open_input(write(tmp_path, text)).rows())
    _, problems = understood(row, theme_2026)
    assert [p.kind for p in problems] == [SEVERAL_PLEDGES]
    assert problems[0].fatal and problems[0].field == "pledge"
    assert problems[0].message.startswith("more than one pledge chosen: ")
    assert problems[0].message.endswith("; keep one, or give the supporter's own words")


def test_one_option_ticked_or_a_pledge_with_commas_is_one_pledge(tmp_path: Path,
                                                                 theme_2026: Theme) -> None:
    path = write(tmp_path, TALLY + "Dan,Dunne,true,,English\nEve,Lee,false,true,English\n")
    got = [understood(r, theme_2026) for r in open_input(path).rows()]
    assert [(r.get("pledge"), p) for r, p in got] == [("speak-up", []), ("listen", [])]
    path = write(tmp_path, 'Name,Which pledge?\nA,"Make time every day to play, talk and '
                           'cuddle"\nB,"read, sing and play with my baby, every day"\n')
    got = [understood(r, theme_2026) for r in open_input(path).rows()]
    assert [(r.get("pledge"), p) for r, p in got] == [
        ("play-talk-cuddle", []), ("read, sing and play with my baby, every day", [])]
