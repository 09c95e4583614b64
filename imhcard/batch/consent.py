"""Consent: a form's "May we make and share your card?" or "I agree ..." question.

A column whose header asks for consent or permission (in English or Irish) is a
consent column; answered no, left unticked or left empty, the supporter gets no card,
no place in the zip and no mail. A question about being contacted later (news,
updates, research) is not consent to the card, and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from imhcard.batch.header_rows import TICKED

NO_CONSENT = "not made: no consent"

_ASKS = re.compile(
    r"\b(consent|consents|consenting|permission|permit|agree|agreed|i agree|authori[sz]e|"
    r"happy for|happy to|ok to|okay to|allow|allowed|gdpr|privacy|"
    # Irish: cead (permission), toiliú / toilím (consent), aontaím (I agree),
    # ceadaím (I permit), sásta (willing).
    r"cead|toiliú|toilim|toilím|aontaim|aontaím|ceadaim|ceadaím|sásta|sasta)\b")
# Consent to something other than the card: being contacted again, research.
_ELSEWHERE = re.compile(
    r"\b(contact|contacting|newsletter|newsletters|updates|news|mailing|future|marketing|"
    r"keep in touch|hear from|research|survey|follow up|follow-up|events|volunteer|"
    r"teagmháil|teagmhail|nuachtlitir)\b")
_NO = re.compile(
    r"^(no|n|false|0|off|unchecked|unticked|none|never|declined?|disagree|refuse|"
    r"níl|nil|ní hea|ni hea|ní aontaím|ni aontaim|nope|no thanks|no thank you)$|"
    r"\b(do not|don'?t|dont|not|disagree|decline|refuse|no)\b")
_YES = re.compile(
    r"^(yes|y|true|1|on|ok|okay|sure|agree|agreed|i agree|i do|i consent|consent|accept|"
    r"accepted|given|yes please|of course|absolutely|tá|ta|sea|is ea|aontaím|aontaim|"
    r"toilím|toilim|ceart go leor)\b")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w'’]+", " ", text.casefold().replace("’", "'")).split())


def asks_consent(header: str) -> bool:
    """The header asks for consent or permission for the card (not for being contacted)."""
    text = _plain(header)
    return bool(_ASKS.search(text)) and not _ELSEWHERE.search(text)


def consented(answer: str, option: str = "") -> bool:
    """Whether an answer to a consent question is a yes. Empty (unticked) is not; a
    ticked checkbox writes its own words ("I agree to ..."), true or 1."""
    text = _plain(answer)
    if not text:
        return False
    if answer.strip().casefold() in TICKED or (option and _plain(option) == text):
        return True
    # A negation near the start says no ("I do not agree", "No, thank you"); later on it
    # is part of what was agreed to ("... and not shared without asking").
    if _NO.search(" ".join(text.split()[:5])):
        return False
    return bool(_YES.match(text)) or bool(_ASKS.search(text))


def refusal(answers: Sequence[tuple[str, str]]) -> str | None:
    """Why a row has no consent ((header, answer) of each consent column), or None."""
    for header, answer in answers:
        if not consented(answer):
            said = answer.strip()
            how = f"answered '{said[:40]}'" if said else "left empty or unticked"
            return (f"{NO_CONSENT}: '{header[:80]}' was {how}; no card is made, zipped or "
                    "mailed for this row")
    return None
