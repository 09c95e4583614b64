"""Consent questions as forms really ask them, and yes and no however people say them
(a trial with real exports found each of these)."""

from __future__ import annotations

from pathlib import Path

import pytest
from exporthelp import batch, by_row, messages, run, write

from imhcard.batch.consent import asks_consent, consent_answer

# --- 1. consent questions in everyday wording ---------------------------------------------


def test_can_we_share_your_card_is_consent_through_the_command(tmp_path: Path) -> None:
    src = write(tmp_path / "c.csv", "Name,Pledge,Can we share your card on social media?\n"
                                    "Ann Able,listen,No\nBob Baker,speak-up,Yes\n")
    err = batch(str(src), "--check")
    assert "1 would make their cards" in err and "1 not made: no consent" in err
    assert "consent ← 'Can we share your card on social media?'" in err
    assert "not used:" not in err


@pytest.mark.parametrize("header", [
    "Can we share your card on social media?",
    "May we post your pledge card on our social media?",
    "We would like to share your card on our Facebook and Instagram pages. Is this OK?",
    "Is it OK to share your card on social media and in our newsletter?",
    "Are you happy for us to use your photo on your card and in our newsletter?",
    "An dtugann tú cead dúinn do chárta a roinnt?",
    "Can we publish your pledge on our website?",
])
def test_questions_about_sharing_the_card_ask_consent(header: str) -> None:
    assert asks_consent(header)


@pytest.mark.parametrize("header", [
    "Can we contact you about future events?",
    "Would you like to receive our newsletter?",
    "Are you happy to hear from us with news and updates?",
    "Can we share your details with our partners for research?",
    "Upload a photo of yourself (optional)",
    "Share your pledge",  # the pledge itself, not a yes/no
])
def test_other_questions_do_not(header: str) -> None:
    assert not asks_consent(header)


def test_share_my_card_publicly_with_yes_no_answers_is_consent(tmp_path: Path) -> None:
    src = write(tmp_path / "t.csv", "Name,Pledge,Share my card publicly\n"
                                    "Ann Able,listen,No\nBob Baker,speak-up,Yes\n")
    run(src, tmp_path / "out")
    rows = by_row(tmp_path / "out")
    assert rows[2]["status"] == "no consent" and rows[3]["status"] == "made"


def test_an_unused_yes_no_permission_question_is_pointed_out(tmp_path: Path) -> None:
    src = write(tmp_path / "p.csv", "Name,Pledge,Do you give us the go-ahead?\n"
                                    "Ann Able,listen,No\nBob Baker,speak-up,Yes\n")
    err = batch(str(src), "--check")
    assert ("'Do you give us the go-ahead?' looks like a yes/no question but is not read "
            "as consent" in err)
    assert '--column consent="Do you give us the go-ahead?"' in err
    assert '--column consent="Do you give us the go-ahead?"' in batch(str(src), "--out",
                                                                        str(tmp_path / "o"))
    report = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "--column consent=&quot;Do you give us the go-ahead?&quot;" in report


# --- 2. yes and no, however people say them ----------------------------------------------


@pytest.mark.parametrize("answer", [
    "Yes", "yes please", "Y", "TRUE", "1", "ok", "Sure", "Sure!", "Of course", "I agree",
    "I agree to my card being shared", "Yes, share it", "✓", "✔", "☑", "x", "X",
    "Tugaim", "tugaim cead", "Tá", "Is ea", "Sea", "Ceart go leor", "Aontaím", "Glacaim",
    "Ceadaím", "Toilím", "Cinnte",
])
def test_yes(answer: str) -> None:
    assert consent_answer(answer) is True


@pytest.mark.parametrize("answer", [
    "No", "no thanks", "N", "false", "0", "", "  ", "I do not agree", "Níl", "Ní thugaim",
    "Ní hea", "Ní aontaím", "Ná roinn",
])
def test_no(answer: str) -> None:
    assert consent_answer(answer) is False


@pytest.mark.parametrize("answer", ["Sure Start", "Newry", "make time to play", "maybe",
                                    "ask my mum"])
def test_anything_else_is_not_understood(answer: str) -> None:
    assert consent_answer(answer) is None


def test_irish_consent_answered_by_the_verb(tmp_path: Path) -> None:
    src = write(tmp_path / "ga.csv", "Ainm,Gealltanas,An dtugann tú cead dúinn do chárta a "
                                     "roinnt?\nAoife Ní Bhriain,listen,Tugaim\n"
                                     "Seán Ó Briain,listen,Ní thugaim\nCiara,listen,✓\n")
    run(src, tmp_path / "out")
    rows = by_row(tmp_path / "out")
    assert rows[2]["status"] == "made" and rows[4]["status"] == "made"
    assert rows[3]["status"] == "no consent"


def test_a_consent_answer_not_understood_is_the_rows_problem(tmp_path: Path) -> None:
    src = write(tmp_path / "s.csv", "Name,Pledge,Organisation,Do you consent to us sharing "
                                    "your card?\nAnn Able,listen,Newry,Sure Start\n"
                                    "Bob Baker,listen,Sure Start,Yes\n")
    summary = run(src, tmp_path / "out")
    rows = by_row(tmp_path / "out")
    assert rows[2]["status"] == "failed" and not rows[2]["files"]
    assert "consent answer 'Sure Start' not understood" in messages(rows[2])
    assert rows[3]["status"] == "made"
    assert summary.failed_rows == 1
