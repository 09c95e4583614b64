"""`imhcard mail`: an .eml per supporter, and sending them through a local SMTP server
(aiosmtpd, on the loopback address: never a real one), resumably."""

from __future__ import annotations

import csv
import email
import re
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from imhcard.batch.mail import SENT_LOG, parse_sender, parse_server
from imhcard.batch.options import BatchOptions
from imhcard.batch.runner import run_batch
from imhcard.cli import cli
from imhcard.core.theme import resolve_theme
from imhcard.errors import BatchInputError

SENDER = "Stronger from the Start <cards@example.org>"


@pytest.fixture(scope="module")
def batch_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mail")
    path = folder / "responses.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Timestamp", "Email Address", "What is your name?", "Your pledge"])
        out.writerows([
            ["2026/06/01 09:00:00", "aoife@example.org", "Aoife Ní Bhriain", "speak-up"],
            ["2026/06/01 09:05:00", "", "Seán", "listen"],                     # no address
            ["2026/06/01 09:06:00", "anonymous", "Niamh", "listen"],           # MS Forms
            ["2026/06/01 09:07:00", "tomasz@example.org", "", "listen"],       # no card
            ["2026/06/01 09:08:00", "grainne@example.org", "Gráinne", "champion"],
        ])
    run_batch(BatchOptions(input=path, out_dir=folder / "cards", theme_path=resolve_theme("2026"),
                           formats=("instagram-square", "print-a5"), workers=1))
    return folder / "cards"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.slow
def test_one_eml_per_supporter_with_cards_caption_and_alt_text(batch_folder: Path,
                                                                 tmp_path: Path) -> None:
    code, stdout, stderr = invoke("mail", str(batch_folder), "--from", SENDER)
    assert code == 0  # every message was written; those without one are listed
    mail_dir = batch_folder / "mail"
    assert stdout.splitlines() == [str(mail_dir / "00002-aoife-ni-bhriain.eml"),
                                   str(mail_dir / "00006-grainne.eml")]
    lines = stderr.splitlines()
    # Microsoft Forms' "anonymous" is no address, like an empty cell.
    assert "imhcard: no message: no e-mail address in the form: rows 3 and 4" in lines
    assert "imhcard: 5 supporters: 2 messages written (4 cards attached) in " \
        f"{mail_dir}; 3 without one" in lines
    assert "imhcard: no message: no card was made: row 5" in lines
    message = read_eml(mail_dir / "00002-aoife-ni-bhriain.eml")
    assert message["To"] == "Aoife Ní Bhriain <aoife@example.org>"
    assert message["From"] == SENDER
    assert message["Subject"] == "Your Infant Mental Health Awareness Week pledge card"
    assert message["Date"] and message["Message-ID"].startswith("<imhcard.")
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert text.startswith("Dear Aoife Ní Bhriain,")
    assert "#StrongerFromTheStart" in text  # the caption
    assert "A pledge card" in text  # the alt text
    attachments = {a.get_filename(): a.get_content_type() for a in message.iter_attachments()}
    assert attachments == {"00002-aoife-ni-bhriain-instagram-square.png": "image/png",
                           "00002-aoife-ni-bhriain-print-a5.pdf": "application/pdf"}
    png = next(message.iter_attachments()).get_content()
    assert png == (batch_folder / "00002-aoife-ni-bhriain-instagram-square.png").read_bytes()
    # The same cards give the same message, byte for byte.
    before = (mail_dir / "00002-aoife-ni-bhriain.eml").read_bytes()
    invoke("mail", str(batch_folder), "--from", SENDER)
    assert (mail_dir / "00002-aoife-ni-bhriain.eml").read_bytes() == before


def test_subject_format_and_dry_run(batch_folder: Path) -> None:
    _, stdout, _ = invoke("mail", str(batch_folder), "--from", "cards@example.org",
                          "--subject", "Your card 💙", "--format", "instagram-square")
    message = read_eml(Path(stdout.splitlines()[0]))
    assert message["Subject"] == "Your card 💙"
    assert [a.get_filename() for a in message.iter_attachments()] == [
        "00002-aoife-ni-bhriain-instagram-square.png"]
    for eml in (batch_folder / "mail").glob("*.eml"):
        eml.unlink()
    _, stdout, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--dry-run")
    assert "2 messages would be written" in stderr
    assert not list((batch_folder / "mail").glob("*.eml"))


@pytest.mark.parametrize(("flag", "value"), [("--from", "cards"),
                                             ("--from", "a@b.org\nBcc: x@y.org")])
def test_bad_sender(batch_folder: Path, flag: str, value: str) -> None:
    code, _, stderr = invoke("mail", str(batch_folder), flag, value)
    assert code == 2 and stderr.startswith("imhcard: --from")


def test_parse_server_and_sender() -> None:
    assert parse_server("smtp.example.org:587") == ("smtp.example.org", 587)
    assert parse_server("smtp.example.org") == ("smtp.example.org", 587)
    with pytest.raises(BatchInputError, match="HOST:PORT"):
        parse_server("smtp.example.org:abc")
    assert parse_sender(SENDER).addr_spec == "cards@example.org"


# --- sending, to a local server --------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps what it is sent, and refuses one address."""

    def __init__(self, refuse: str = "") -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address == self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[tuple[Inbox, str, list[tuple[str, str]]]]:
    monkeypatch.setattr("imhcard.batch.mail.SMTP_TIMEOUT", 5.0)
    inbox = Inbox(refuse="grainne@example.org")
    logins: list[tuple[str, str]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, f"127.0.0.1:{port}", logins
    finally:
        controller.stop()


@pytest.mark.slow
def test_send_resumably_with_login(batch_folder: Path,
                                   smtp_server: tuple[Inbox, str, list[tuple[str, str]]]) -> None:
    inbox, server, logins = smtp_server
    (batch_folder / "mail" / SENT_LOG).unlink(missing_ok=True)
    env = {"IMHCARD_SMTP_USER": "cards@example.org", "IMHCARD_SMTP_PASSWORD": "s3cret"}
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--smtp", server,
                             "--draft-ok", env=env)
    assert code == 1  # one refused by the server
    assert logins == [("cards@example.org", "s3cret")]
    assert [(m[0], m[1]) for m in inbox.messages] == [("cards@example.org",
                                                       ["aoife@example.org"])]
    sent = email.message_from_bytes(inbox.messages[0][2], policy=default)
    assert sent["Date"] and sent["To"] == "Aoife Ní Bhriain <aoife@example.org>"
    assert "imhcard: row 6 (grainne@example.org): not sent: 550 5.1.1 mailbox unavailable" \
        in stderr.splitlines()
    assert "imhcard: 1 message sent, 0 sent before, 1 refused by the server" in stderr
    # Again, once Gráinne's mailbox works: only she is sent her card; Aoife is not sent
    # hers twice.
    inbox.refuse = ""
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--smtp", server,
                             "--draft-ok", env=env)
    assert "imhcard: 1 message sent, 1 sent before, 0 refused by the server" in stderr
    assert code == 0  # every message is sent now
    assert [m[1] for m in inbox.messages] == [["aoife@example.org"], ["grainne@example.org"]]
    log = (batch_folder / "mail" / SENT_LOG).read_text(encoding="utf-8").splitlines()
    assert len(log) == 2
    # A dry run sends nothing.
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--smtp", server,
                             "--dry-run")
    assert "0 messages would be sent" in stderr and len(inbox.messages) == 2


@pytest.mark.slow
def test_wrong_password_and_no_server(batch_folder: Path,
                                      smtp_server: tuple[Inbox, str, list[tuple[str, str]]]
                                      ) -> None:
    inbox, server, _ = smtp_server
    (batch_folder / "mail" / SENT_LOG).unlink(missing_ok=True)
    env = {"IMHCARD_SMTP_USER": "cards@example.org", "IMHCARD_SMTP_PASSWORD": "wrong"}
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--smtp", server,
                             "--draft-ok", env=env)
    assert code == 2 and "refused the login; check IMHCARD_SMTP_USER" in stderr
    assert inbox.messages == []
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--smtp",
                             f"127.0.0.1:{free_port()}", "--draft-ok")
    assert code == 2 and "run the same command again to send the rest" in stderr


@pytest.mark.slow
def test_a_draft_themes_cards_are_not_sent(batch_folder: Path,
                                           smtp_server: tuple[Inbox, str, list[tuple[str, str]]]
                                           ) -> None:
    inbox, server, _ = smtp_server
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER, "--smtp", server)
    assert code == 2 and "made with a draft theme" in stderr and "--draft-ok" in stderr
    assert inbox.messages == []
    code, _, stderr = invoke("mail", str(batch_folder), "--from", SENDER)
    assert "DRAFT THEME" in stderr  # writing the .eml files is allowed, with the warning


@pytest.mark.slow
def test_rows_renumbered_after_a_deletion_are_not_sent_again(
        tmp_path: Path, smtp_server: tuple[Inbox, str, list[tuple[str, str]]]) -> None:
    inbox, server, _ = smtp_server
    inbox.refuse = ""
    rows = [["aoife@example.org", "Aoife", "speak-up"], ["sean@example.org", "Seán", "listen"],
            ["niamh@example.org", "Niamh", "champion"]]

    def make(rows: list[list[str]]) -> None:
        path = tmp_path / "responses.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["Email", "Name", "Pledge"])
            out.writerows(rows)
        run_batch(BatchOptions(input=path, out_dir=tmp_path / "cards",
                               theme_path=resolve_theme("2026"), formats=("instagram-square",),
                               workers=1, prune=True))

    make(rows)
    invoke("mail", str(tmp_path / "cards"), "--from", SENDER, "--smtp", server, "--draft-ok")
    assert len(inbox.messages) == 3
    make(rows[1:])  # Aoife's row deleted: Seán is row 2 now, Niamh row 3
    _, stdout, stderr = invoke("mail", str(tmp_path / "cards"), "--from", SENDER, "--smtp",
                               server, "--draft-ok")
    assert stdout.splitlines() == [str(tmp_path / "cards" / "mail" / "00002-sean.eml"),
                                   str(tmp_path / "cards" / "mail" / "00003-niamh.eml")]
    assert "imhcard: 0 messages sent, 2 sent before, 0 refused by the server" in stderr
    assert len(inbox.messages) == 3
    # No message for a row that is gone is left in the folder to be sent by hand.
    assert sorted(p.name for p in (tmp_path / "cards" / "mail").glob("*.eml")) == [
        "00002-sean.eml", "00003-niamh.eml"]


@pytest.mark.slow
def test_starttls_before_the_login(batch_folder: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import ssl
    import subprocess

    from imhcard.batch.mail import send_all, write_letters
    from imhcard.core.theme import load_theme

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    inbox = Inbox()
    logins: list[bool] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        logins.append(session.ssl is not None)  # the password came over TLS
        return AuthResult(success=True)

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=server_tls,
                            require_starttls=True, authenticator=authenticator)
    controller.start()
    try:
        (batch_folder / "mail" / SENT_LOG).unlink(missing_ok=True)
        monkeypatch.setenv("IMHCARD_SMTP_USER", "cards@example.org")
        monkeypatch.setenv("IMHCARD_SMTP_PASSWORD", "s3cret")
        letters, _ = write_letters(batch_folder, load_theme(resolve_theme("2026")), SENDER)
        sent = send_all(letters, batch_folder, f"127.0.0.1:{port}", SENDER,
                        tls=ssl.create_default_context(cafile=str(cert)))
    finally:
        controller.stop()
    assert len(sent.sent) == 2 and len(inbox.messages) == 2
    assert logins == [True]


# --- each supporter's message in the language of their card (issue 20) -----------------


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mail-ga")
    path = folder / "responses.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Email Address", "What is your name?", "Your pledge", "Language"])
        out.writerows([
            ["caoimhin@example.org", "Caoimhín Ó Briain", "Ní bheidh mé ag úsáid m'fhóin",
             "Gaeilge"],
            ["sean@example.org", "Seán", "listen", "English"],
        ])
    run_batch(BatchOptions(input=path, out_dir=folder / "cards", theme_path=resolve_theme("2026"),
                           formats=("instagram-square", "print-a5"), workers=1))
    return folder / "cards"


def test_an_irish_card_gets_an_irish_message(two_languages: Path) -> None:
    code, stdout, _ = invoke("mail", str(two_languages), "--from", SENDER)
    assert code == 0
    irish = read_eml(Path(stdout.splitlines()[0]))
    assert irish["Subject"] == ("Do chárta gealltanais do Sheachtain Feasachta ar "
                                "Mheabhairshláinte Naíonán")
    assert irish["Content-Language"] == "ga"
    body = irish.get_body(("plain",))
    assert body is not None
    text = body.get_content().replace("\r\n", "\n")
    assert text.startswith("A chara,\n\nGo raibh maith agat as do ghealltanas do Sheachtain "
                           "Feasachta ar Mheabhairshláinte Naíonán (8–14 Meitheamh 2026).")
    assert "Postáil mholta le cur leis:" in text
    assert "Geallaim nach mbeidh mé ag úsáid m'fhóin" in text  # the alt text, in Irish
    assert "Le linn Sheachtain Feasachta" in text  # the caption, in Irish
    # Nothing English but the brand, the hashtags, the link and the file names.
    words = text.replace("Stronger from the Start", "")
    words = re.sub(r"https?://\S+|#\w+|\S+\.(?:png|pdf)", "", words)
    assert not re.search(r"\b(?:Dear|Thank|you|your|the|attached|suggested|post|please|"
                         r"description|alt text|card|pledge)\b", words), words
    english = read_eml(Path(stdout.splitlines()[1]))
    assert english["Subject"] == "Your Infant Mental Health Awareness Week pledge card"
    assert english["Content-Language"] == "en"
    english_body = english.get_body(("plain",))
    assert english_body is not None and english_body.get_content().startswith("Dear Seán,")


def test_the_subject_flag_still_wins(two_languages: Path) -> None:
    _, stdout, _ = invoke("mail", str(two_languages), "--from", SENDER, "--subject", "Do chárta")
    assert read_eml(Path(stdout.splitlines()[1]))["Subject"] == "Do chárta"


def test_the_mail_wording_is_the_themes(make_theme: Any, two_languages: Path) -> None:
    from imhcard.batch.mail import write_letters
    from imhcard.core.theme import load_theme

    theme = load_theme(make_theme(("    mail_greeting: A chara,", "    mail_greeting: A chairde,")))
    letters, _ = write_letters(two_languages, theme, SENDER, dry_run=True)
    assert [x.row for x in letters] == [2, 3]
    # Written for real, so the body can be read.
    letters, _ = write_letters(two_languages, theme, SENDER)
    text = read_eml(letters[0].path).get_body(("plain",))
    assert text is not None and text.get_content().startswith("A chairde,")
