"""Consent: a form's "May we make and share your card?" or "I agree ..." question.

A column whose header asks for consent or permission (in English or Irish), or asks
whether the card or photo may be shared, posted or used, is a consent column;
answered no, left unticked or left empty, the supporter gets no card, no place in the
zip and no mail. An answer that is neither a yes nor a no ("Sure Start": a cell
shifted from another column) is the row's problem, never a yes. A question only about
being contacted later (news, updates, research) is not consent to the card, and is
left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from imhcard.batch.header_rows import TICKED

NO_CONSENT = "not made: no consent"

_ASKS = re.compile(
    r"\b(consent|consents|consenting|permission|permit|agree|agreed|i agree|authori[sz]e|"
    r"happy for|happy to|ok to|okay to|ok with|okay with|is this ok|is that ok|"
    r"allow|allowed|gdpr|privacy|"
    # Irish: cead (permission), toiliú / toilím (consent), aontaím (I agree),
    # ceadaím (I permit), sásta (willing).
    r"cead|toiliú|toilim|toilím|aontaim|aontaím|ceadaim|ceadaím|sásta|sasta)\b")
# Consent to something other than the card: being contacted again, research.
_ELSEWHERE = re.compile(
    r"\b(contact|contacting|newsletter|newsletters|updates|news|mailing|future|marketing|"
    r"keep in touch|hear from|research|survey|follow up|follow-up|events|volunteer|"
    r"teagmháil|teagmhail|nuachtlitir)\b")
# Doing something with the card in public: share, post, publish, use, show (and Irish
# roinnt, foilsiú, postáil, úsáid, taispeáint, in their mutated forms).
_SHARE = re.compile(
    r"\b(share|sharing|shared|post|posting|posted|repost|publish|publishing|published|"
    r"use|using|used|display|displaying|show|showing|feature|featuring|print|printing|"
    r"roinnt|roinn|foilsiú|fhoilsiú|foilsiu|fhoilsiu|postáil|phostáil|postail|phostail|"
    r"úsáid|usaid|taispeáint|thaispeáint|taispeaint|thaispeaint)\b")
_CARD = re.compile(
    r"\b(card|cards|photo|photos|photograph|picture|image|selfie|pledge|pledges|"
    r"cárta|chárta|gcárta|carta|charta|gcarta|grianghraf|ghrianghraf|ngrianghraf|"
    r"gealltanas|ghealltanas|ngealltanas)\b")
# A yes/no question: "Can we ...?", "Is it OK ...?", Irish "An ...?", "Ar ...?".
_QUESTION = re.compile(r"^(can|may|could|would|will|do|does|are|is|shall|should|an|ar)\b|"
                       r"\b(is this ok|is that ok|ok with|okay with)\b")

_BY_US = re.compile(r"\b(we|us|our|my|publicly|public|dúinn|duinn|muid|sinn|againn)\b")

# Ticks and crosses a form or a person writes for a checkbox.
_TICKS = frozenset({"✓", "✔", "☑", "✅", "✔️", "☑️", "✅️"})
_CROSSES = frozenset({"✗", "✘", "❌", "☐", "❎", "✖", "✖️"})
_NO = re.compile(
    r"^(no|n|false|0|off|unchecked|unticked|none|never|declined?|disagree|refuse|"
    r"níl|nil|ní hea|ni hea|nope|nah|no thanks|no thank you|na)$|"
    # Irish says no with the verb's negative: ní thugaim, ní aontaím, ná roinn.
    r"^(ní|ni|ná)\b|"
    r"\b(do not|don'?t|dont|not|disagree|decline|refuse|no)\b")
# A yes, then anything: "Yes, share it", "I agree to ...", "Tugaim cead".
_YES_LEAD = re.compile(
    r"^(yes|yeah|yep|yup|aye|agree|agreed|i agree|i do(?! not)|i consent|i give|i accept|accept|"
    r"accepted|i am happy|i'm happy|im happy|happy for|happy to|happy with|you can|you may|"
    r"go ahead|absolutely|of course|definitely|certainly|no problem|no bother|no worries|"
    # Irish answers yes by repeating the question's verb.
    r"tugaim|tá|is ea|sea|ceart go leor|aontaím|aontaim|glacaim|ceadaím|ceadaim|toilím|"
    r"toilim|déanaim|deanaim|cinnte|go cinnte|cinnte dearfa|tá go deimhin)\b")
# A yes only when it is the whole answer: "Sure" but not "Sure Start".
_YES_WHOLE = re.compile(
    r"^(y|true|1|on|ok|okay|sure|fine|grand|given|checked|ticked|selected|consent|"
    r"ta|that's fine|thats fine|that is fine|that's ok|all good)"
    r"( please| thanks| thank you| go raibh maith agat)?$")
# Permission words in a ticked checkbox's own text ("I give permission for ...").
_YES_WORDS = re.compile(r"\b(consent|agree|permission|happy for|cead|toilím|aontaím)\b")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w'’]+", " ", text.casefold().replace("’", "'")).split())


def about_card(header: str) -> bool:
    """The header is about sharing, posting or using the card, photo or pledge."""
    text = _plain(header)
    return bool(_SHARE.search(text)) and bool(_CARD.search(text))


def asks_consent(header: str, answers: Iterable[str] | None = None) -> bool:
    """The header asks for consent or permission for the card. A question about sharing
    the card is, whatever else it mentions ("... and in our newsletter?"); one only about
    being contacted later is not. A question about sharing the card without a word of
    permission ("Can we share your card?", "Share my card publicly") is, when its
    `answers` (the first rows, if known) are all yes or no."""
    text = _plain(header)
    card = about_card(header)
    if _ASKS.search(text) and (card or not _ELSEWHERE.search(text)):
        return True
    # Who shares it must be us ("Can we share", "Share my card"): "Would you like to use
    # a photo on your card?" is the supporter's choice of style, not consent.
    if not card or not _BY_US.search(text):
        return False
    said = [a for a in (answers or ()) if a.strip()]
    if said:
        return all(consent_answer(a) is not None for a in said)
    return bool(_QUESTION.search(text))


def looks_yes_no(header: str, answers: Sequence[str]) -> bool:
    """A column that could be a permission question staff meant as consent: a yes/no
    question, or answers all yes or no; not one about being contacted later."""
    text = _plain(header)
    said = [a for a in answers if a.strip()]
    if _ELSEWHERE.search(text) and not about_card(header):
        return False
    yes_no = bool(said) and all(consent_answer(a) is not None for a in said)
    return yes_no and (bool(_QUESTION.search(text)) or bool(_ASKS.search(text))
                       or "?" in header)


def consent_answer(answer: str, option: str = "") -> bool | None:
    """True for a yes to a consent question, False for a no or an empty (unticked)
    answer, None for an answer that is neither. A ticked checkbox writes its own words
    ("I agree to ..."), true, 1 or a tick."""
    raw = answer.strip()
    if not raw or raw in _CROSSES:
        return False
    if raw in _TICKS or raw.casefold() in TICKED:
        return True
    text = _plain(answer)
    if not text:
        return False  # "-", "?": nothing said
    if option and _plain(option) == text:
        return True
    if _YES_LEAD.match(text) and not text.startswith(("no ", "yes no", "yes or no")):
        return True
    # A negation near the start says no ("I do not agree", "No, thank you"); later on it
    # is part of what was agreed to ("... and not shared without asking").
    if _NO.search(" ".join(text.split()[:5])):
        return False
    if _YES_WHOLE.match(text) or _YES_WORDS.search(text):
        return True
    return None


def consented(answer: str, option: str = "") -> bool:
    """Whether an answer to a consent question is a clear yes."""
    return consent_answer(answer, option) is True


def refusal(answers: Sequence[tuple[str, str]]) -> str | None:
    """Why a row has no consent ((header, answer) of each consent column), or None. An
    answer that is neither yes nor no is not a refusal but the row's problem
    (`not_understood`)."""
    for header, answer in answers:
        if consent_answer(answer) is False:
            said = answer.strip()
            how = f"answered '{said[:40]}'" if said else "left empty or unticked"
            return (f"{NO_CONSENT}: '{header[:80]}' was {how}; no card is made, zipped or "
                    "mailed for this row")
    return None


def not_understood(answers: Sequence[tuple[str, str]]) -> str | None:
    """What to say of a consent answer that is neither yes nor no, or None."""
    for header, answer in answers:
        if consent_answer(answer) is None:
            return (f"consent answer '{answer.strip()[:40]}' not understood; write yes or "
                    f"no in '{header[:80]}', and check this row's answers are in the right "
                    "columns")
    return None
