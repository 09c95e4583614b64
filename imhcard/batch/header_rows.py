"""The shape of a form export's header: what question each column answers, and which
option of it, whatever service wrote it.

SurveyMonkey writes two header rows: the question in the first (written once over a
question's columns, the cells after it left blank), and in the second "Response",
"Open-Ended Response", "Other (please specify)" or the option or part of the question
the column holds ("Name", "Email Address", "I agree"). Tally writes one column per
option of a checkbox question as "Question (Option)". Typeform puts the typed answer
of a choice's "Other" in a column of its own, headed "Other", after the choice.
Google Forms, Microsoft Forms and Jotform write one header row, a question a column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The second header row's words for "the answer itself" (SurveyMonkey).
_WHOLE_ANSWER = frozenset({"", "response", "open-ended response", "open ended response"})
# Headers (or second-row words) of a column holding the typed answer of a choice's
# "Other" option: it belongs to the question before it.
OTHER_WORDS = frozenset({"other", "other please specify", "if other please specify",
                         "please specify", "other specify", "if other please state",
                         "other please state", "if other", "eile", "eile sonraigh"})
_OPTION = re.compile(r"^(?P<question>.*\S)\s*\((?P<option>[^()]+)\)\s*$")


@dataclass(frozen=True)
class Header:
    """One column's header: what is shown (`text`), the question it belongs to and the
    option or part of it (SurveyMonkey's second row, Tally's "(Option)")."""

    text: str
    question: str
    part: str = ""

    @property
    def is_other(self) -> bool:
        """The column holds the typed answer of the question's "Other" option."""
        return _plain(self.part) in OTHER_WORDS or _plain(self.text) in OTHER_WORDS


def _plain(text: str) -> str:
    text = re.sub(r"\(|\)", " ", text.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def is_second_header_row(first: list[str], second: list[str]) -> bool:
    """SurveyMonkey's second header row: "Response", "Open-Ended Response" or "Other
    (please specify)" under the questions, nothing a supporter would type."""
    words = {c.strip().casefold() for c in second if c.strip()}
    return bool(words & {"response", "open-ended response", "other (please specify)"}) \
        and len(second) <= len(first) + 1


def two_row_headers(first: list[str], second: list[str]) -> list[Header]:
    """Headers from SurveyMonkey's two rows: a question carried over the blank cells
    after it, with the second row's part ("Question - Part") where it names one."""
    out: list[Header] = []
    question = ""
    for i, top in enumerate(first):
        top = top.strip()
        part = second[i].strip() if i < len(second) else ""
        if top:
            question = top
        elif not question:
            question = part
        if part.casefold() in _WHOLE_ANSWER:
            out.append(Header(question, question))
        else:
            out.append(Header(f"{question} - {part}", question, part))
    return out


def one_row_headers(cells: list[str]) -> list[Header]:
    """Headers from one row; "Question (Option)" columns that share a question are the
    options of one checkbox question (Tally)."""
    split = [_OPTION.match(c.strip()) for c in cells]
    questions = [m.group("question").strip() if m else "" for m in split]
    out: list[Header] = []
    for i, cell in enumerate(cells):
        m = split[i]
        shared = m is not None and sum(q == questions[i] for q in questions) > 1
        if m is not None and shared:
            out.append(Header(cell.strip(), questions[i], m.group("option").strip()))
        else:
            out.append(Header(cell.strip(), cell.strip()))
    return out


def option_groups(headers: list[Header]) -> dict[int, tuple[int, ...]]:
    """Columns that are the options of one question, by the first column's index:
    consecutive columns with the same question, each naming an option (not "Other")."""
    groups: dict[int, tuple[int, ...]] = {}
    i = 0
    while i < len(headers):
        h = headers[i]
        j = i
        while (j + 1 < len(headers) and headers[j + 1].question == h.question and h.part
               and headers[j + 1].part and not headers[j + 1].is_other):
            j += 1
        if h.part and not h.is_other and j > i:
            groups[i] = tuple(range(i, j + 1))
        i = j + 1
    return groups


TICKED = frozenset({"true", "1", "yes", "y", "x", "✓", "✔", "☑", "checked", "selected",
                    "on", "ticked"})


def ticked(cell: str, option: str) -> bool:
    """A per-option column's cell says the option was chosen: the option's own words
    (SurveyMonkey), true/1 (Tally, Typeform), or a tick."""
    text = cell.strip()
    return bool(text) and (text.casefold() in TICKED or text.casefold() == option.casefold())
