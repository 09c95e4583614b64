"""Delivering cards by e-mail: one ready-to-send .eml per supporter, and sending them.

Each message goes to the e-mail address the supporter gave on the form (the batch
carries it into the manifest), with their cards attached and the suggested caption
and alt text in the body, in the theme's wording in the language of their card (which
the card's file is tagged with): an Irish card gets an Irish message. The .eml files
can be opened in any mail program, or sent by `send_all` through the organisation's
SMTP server: STARTTLS whenever the server offers it, a login from IMHCARD_SMTP_USER
and IMHCARD_SMTP_PASSWORD, and a sent log in the folder so an interrupted run resumes
without sending anyone their card twice.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, parseaddr
from pathlib import Path

from imhcard.batch.manifest import DELIVERED, NO_CONSENT_STATUS, Entry, read_manifests
from imhcard.batch.row import ROW_DIGITS
from imhcard.core.limits import MAIL_ATTACHMENTS_MAX_BYTES
from imhcard.core.theme import Theme
from imhcard.errors import BatchInputError, ImhcardError
from imhcard.output.files import slug, write_atomic
from imhcard.render.encode import embedded_language

MAIL_DIR = "mail"
SENT_LOG = "sent.log"
USER_ENV = "IMHCARD_SMTP_USER"
PASSWORD_ENV = "IMHCARD_SMTP_PASSWORD"
SMTP_TIMEOUT = 30.0
# Plain ASCII addresses: what every mail server takes (no SMTPUTF8 needed).
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,}$")


class MailError(ImhcardError):
    """The mail settings or the SMTP server stop the whole run."""


@dataclass(frozen=True)
class Letter:
    """One supporter's message, written as an .eml file."""

    row: int
    name: str
    to: str
    path: Path
    message_id: str
    cards: int = 1


@dataclass(frozen=True)
class Skipped:
    """A supporter who gets no message, and why. `fixable`: a message should go, but
    could not be written (a wrong address, cards too big): the command fails."""

    row: int
    name: str
    why: str
    fixable: bool = False


def _supporters(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    """Each row's delivered cards, in row order."""
    rows: dict[int, list[Entry]] = {}
    for e in entries:
        rows.setdefault(e.row, []).append(e)
    for row in sorted(rows):
        yield rows[row]


def parse_sender(text: str) -> Address:
    """'Stronger from the Start <cards@example.org>' -> an Address; one error otherwise."""
    name, addr = parseaddr(text)
    if not _EMAIL.match(addr or "") or "\n" in text or "\r" in text:
        raise BatchInputError(f"--from {text!r}: give an e-mail address, like "
                              "--from \"Stronger from the Start <cards@example.org>\"")
    user, _, domain = addr.partition("@")
    return Address(display_name=name, username=user, domain=domain)


def _fields(theme: Theme, language: str, name: str) -> dict[str, str]:
    words = theme.wording(language)
    return {"name": name, "title": words.title, "tagline": words.tagline,
            "week_name": words.week_name,
            "dates": theme.dates_text(language).replace("\u00a0", " "),
            "hashtag": theme.hashtag, "hashtags": " ".join(theme.hashtags), "url": theme.url,
            "year": str(theme.year)}


def subject_text(theme: Theme, language: str, name: str = "") -> str:
    """The subject line in the theme's wording for the language (one line)."""
    return " ".join(theme.wording(language).mail_subject.format(
        **_fields(theme, language, name)).split())


def body_text(theme: Theme, name: str, captions: Sequence[str], alts: Sequence[str],
              attached: Sequence[str], language: str | None = None) -> str:
    """The message's words, in the theme's wording for the language: greeting, thanks,
    the cards attached, the suggested post and the alt text."""
    code = language or theme.default_language
    words = theme.wording(code)
    fields = _fields(theme, code, name)
    lines = [words.mail_greeting.format(**fields), "", words.mail_body.format(**fields), ""]
    lines += [f"  {a}" for a in attached]
    if captions:
        lines += ["", words.mail_caption, "", *captions]
    if alts:
        lines += ["", words.mail_alt_text, "", *alts]
    lines += ["", f"{words.title} · {theme.hashtag}", theme.url, ""]
    return "\n".join(lines)


def card_language(theme: Theme, cards: Sequence[bytes]) -> str:
    """The language of a supporter's cards, as their files are tagged, if the theme has
    wording for it; else the theme's default language."""
    for data in cards:
        code = embedded_language(data)
        if code is not None and code in theme.languages:
            return code
    return theme.default_language


def _message_id(to: str, digests: Sequence[str], sender: Address) -> str:
    """The same address and the same cards always get the same id, and the sent log goes
    by it: a row renumbered (a row above it deleted) is not sent again, a card made
    again with different words is."""
    digest = hashlib.sha256(json.dumps([to.lower(), sorted(digests)]).encode()).hexdigest()
    return f"<imhcard.{digest[:24]}@{sender.domain}>"


def _why_none(first: Entry, cards: Sequence[Entry]) -> tuple[str, bool] | None:
    """Why a supporter gets no message (and whether staff can fix it), or None."""
    if not cards:
        return ("left out as an older duplicate" if first.status == "duplicate"
                else "no consent: no card was made" if first.status == NO_CONSENT_STATUS
                else "no card was made" if first.status == "failed"
                else "none of the chosen formats was made"), False
    to = first.email.strip()
    if not to:
        return "no e-mail address in the form", False
    if not _EMAIL.match(to):
        return f"'{to}' is not an e-mail address", True
    return None


def _attachments(folder: Path, cards: Sequence[Entry]) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for name_in_folder in (c.files[0] for c in cards if c.files):
        path = folder / name_in_folder
        try:
            out.append((path.name, path.read_bytes()))
        except OSError:
            raise BatchInputError(f"{path}: the card is missing; run the batch again "
                                  "to make it") from None
    return out


def _message(theme: Theme, sender: Address, first: Entry, cards: Sequence[Entry],
             attachments: Sequence[tuple[str, bytes]], subject: str | None,
             made_at: float | None) -> tuple[EmailMessage, str, int]:
    """One supporter's message, its Message-ID and the attachments' size in bytes."""
    to = first.email.strip()
    language = card_language(theme, [data for _, data in attachments])
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = sender
    user, _, domain = to.partition("@")
    msg["To"] = Address(display_name=first.name, username=user, domain=domain)
    msg["Subject"] = subject or subject_text(theme, language, first.name)
    message_id = _message_id(to, [c.sha256 for c in cards], sender)
    msg["Message-ID"] = message_id
    # When the cards were made, so the same cards give the same bytes; sending dates
    # it again (send_all).
    msg["Date"] = formatdate(made_at, localtime=True)
    captions = list(dict.fromkeys(c.caption for c in cards if c.caption))
    alts = list(dict.fromkeys(c.alt_text for c in cards if c.alt_text))
    msg.set_content(body_text(theme, first.name, captions, alts,
                              [file_name for file_name, _ in attachments], language))
    size = 0
    for file_name, data in attachments:
        size += len(data)
        kind = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        maintype, _, subtype = kind.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=file_name)
    # After the attachments: making the message multipart moves Content-* headers to
    # its first part.
    msg["Content-Language"] = language
    # A boundary from the content, not a random one: the same cards, the same bytes.
    msg.set_boundary(f"=_imhcard_{message_id[9:-1].split('@')[0]}")
    return msg, message_id, size


def write_letters(folder: Path, theme: Theme, sender: str, subject: str | None = None,
                  formats: Sequence[str] = (), dry_run: bool = False
                  ) -> tuple[list[Letter], list[Skipped]]:
    """An .eml per supporter with an e-mail address and cards, in FOLDER/mail/; the
    supporters who get none, with why. With dry_run nothing is written."""
    address = parse_sender(sender)
    if subject is not None and ("\n" in subject or "\r" in subject):
        raise BatchInputError("--subject: one line, please")
    wanted = set(formats)
    made_at = max((m.stat().st_mtime for m in folder.glob("manifest*.json")), default=None)
    letters: list[Letter] = []
    skipped: list[Skipped] = []
    for entries in _supporters(read_manifests(folder)):
        first = entries[0]
        cards = [e for e in entries if e.status in DELIVERED
                 and (not wanted or e.format in wanted)]
        name = first.name or "(no name)"
        if (why := _why_none(first, cards)) is not None:
            skipped.append(Skipped(first.row, name, why[0], fixable=why[1]))
            continue
        attachments = _attachments(folder, cards)
        msg, message_id, size = _message(theme, address, first, cards, attachments, subject,
                                         made_at)
        if size > MAIL_ATTACHMENTS_MAX_BYTES:
            skipped.append(Skipped(first.row, name, f"the cards are {size // 2**20} MB, too "
                                   "big for most mail servers; choose fewer with --format",
                                   fixable=True))
            continue
        eml = folder / MAIL_DIR / f"{first.row:0{ROW_DIGITS}d}-{slug(first.name)}.eml"
        if not dry_run:
            write_atomic(eml, msg.as_bytes())
        letters.append(Letter(first.row, first.name, first.email.strip(), eml, message_id,
                              len(attachments)))
    if not dry_run:
        # Messages of rows no longer in the batch (deleted, renumbered) must not be sent.
        current = {x.path.name for x in letters}
        for old in (folder / MAIL_DIR).glob("*.eml"):
            if old.name not in current:
                old.unlink(missing_ok=True)
    return letters, skipped


# --- sending ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """What a send run did."""

    sent: tuple[Letter, ...]
    already: tuple[Letter, ...]  # in the sent log from an earlier run
    refused: tuple[tuple[Letter, str], ...]  # the server would not take these


def parse_server(text: str) -> tuple[str, int]:
    """'smtp.example.org:587' -> ('smtp.example.org', 587); the port defaults to 587."""
    host, _, port = text.rpartition(":") if ":" in text else (text, "", "587")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise BatchInputError(f"--smtp {text}: write it as HOST:PORT, like "
                              "smtp.office365.com:587")
    return host.strip("[]"), int(port)


def sent_ids(log: Path) -> set[str]:
    """The Message-IDs the sent log records (a torn last line is ignored)."""
    ids: set[str] = set()
    try:
        with log.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    ids.add(str(json.loads(line)["message_id"]))
                except (ValueError, KeyError, TypeError):
                    continue
    except FileNotFoundError:
        pass
    return ids


def _log(log: Path, letter: Letter) -> None:
    line = json.dumps({"row": letter.row, "to": letter.to, "message_id": letter.message_id,
                       "file": letter.path.name,
                       "sent_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                      ensure_ascii=False)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _is_loopback(host: str) -> bool:
    try:
        return any(info[4][0] in ("127.0.0.1", "::1")
                   for info in socket.getaddrinfo(host, None))
    except OSError:
        return False


def send_all(letters: Sequence[Letter], folder: Path, server: str, sender: str,
             dry_run: bool = False, tls: ssl.SSLContext | None = None) -> Sent:
    """Send each letter's .eml through the SMTP server, skipping those the sent log
    already has; each is logged as soon as the server takes it. `tls` is the context
    STARTTLS verifies the server with (default: the system's trusted certificates)."""
    host, port = parse_server(server)
    envelope_from = parse_sender(sender).addr_spec
    log = folder / MAIL_DIR / SENT_LOG
    done = sent_ids(log)
    todo = [x for x in letters if x.message_id not in done]
    already = tuple(x for x in letters if x.message_id in done)
    if dry_run or not todo:
        return Sent((), already, ())
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    sent: list[Letter] = []
    refused: list[tuple[Letter, str]] = []
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT) as smtp:
            smtp.ehlo()
            secure = False
            if smtp.has_extn("starttls"):
                smtp.starttls(context=tls or ssl.create_default_context())
                smtp.ehlo()
                secure = True
            if user and password:
                if not secure and not _is_loopback(host):
                    raise MailError(f"{host} does not offer STARTTLS; imhcard will not send "
                                    "the password unencrypted. Use the server's "
                                    "submission port (587)")
                smtp.login(user, password)
            for letter in todo:
                data = _dated(letter.path.read_bytes())
                try:
                    smtp.sendmail(envelope_from, [letter.to], data)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                        smtplib.SMTPSenderRefused) as exc:
                    refused.append((letter, _smtp_reason(exc)))
                    continue
                _log(log, letter)
                sent.append(letter)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"{host} refused the login; check {USER_ENV} and {PASSWORD_ENV}") \
            from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"sending through {host}:{port} stopped after {len(sent)} "
                        f"message{'' if len(sent) == 1 else 's'}: {smtp_words(exc, host)}; "
                        f"the sent ones are in {log}; run the same command again to send the "
                        "rest") from None
    return Sent(tuple(sent), already, tuple(refused))


def _dated(data: bytes) -> bytes:
    """The message with its Date header set to now, the moment it is sent."""
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"date:")]
    lines.insert(0, f"Date: {formatdate(usegmt=True)}".encode())
    return b"\r\n".join(lines) + sep + body


def smtp_words(exc: BaseException, host: str) -> str:
    """What went wrong with the mail server, in words (no exception names)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"{host}'s certificate could not be verified (is the server name right?)"
    if isinstance(exc, ssl.SSLError):
        return f"the encrypted connection to {host} failed"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, smtplib.SMTPConnectError):
        return f"{host} would not take a connection ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"{host} does not offer what imhcard needs ({exc})"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"the server gave an answer imhcard did not expect ({exc.smtp_code} {text})"
    if isinstance(exc, socket.gaierror):
        return f"cannot find the server {host}: check its name, and the network"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer from {host} within {SMTP_TIMEOUT:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return f"{host} refused the connection (is the port right?)"
    if isinstance(exc, OSError):
        return f"the connection failed ({exc.strerror or 'network error'})"
    return "the server stopped answering as expected"


def _smtp_reason(exc: smtplib.SMTPException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = list(exc.recipients.values())
        code, text = codes[0] if codes else (0, b"")
    else:
        code, text = getattr(exc, "smtp_code", 0), getattr(exc, "smtp_error", b"")
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()

