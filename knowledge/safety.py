"""Safety net: a message that reads as an immediate concern about a child gets urgent routes
before anything else. Shared by every adapter so Slack, Teams and the terminal say the same."""

from __future__ import annotations

import re

_CONCERN_PATTERNS = [
    r"\b(a|the|this|my)\s+(child|young person|girl|boy|pupil|baby|teenager|student|kid)\s+"
    r"(has\s+)?(told|disclosed|said|confided|has told|just told)\b",
    r"\b(child|young person|girl|boy|pupil|baby|kid)\b.{0,40}\b(in danger|at risk now|"
    r"not safe|unsafe|being (hurt|abused|harmed)|hurt(ing)? (him|her|them)self|injur)",
    r"\b(disclos(ed|ure)|allegation)\b.{0,40}\b(abuse|harm|assault|hit|touched)",
    r"\b(in (immediate|imminent) danger|immediate (risk|danger)|right now|urgent(ly)?)\b.{0,60}"
    r"\b(child|young person|girl|boy|baby|pupil)",
    r"\b(child|young person|girl|boy|baby|pupil)\b.{0,60}\b(in (immediate|imminent) danger|"
    r"immediate (risk|danger))",
    r"\b(suicid|self[- ]harm|overdose)\w*\b.{0,40}\b(now|tonight|today|plan)",
    r"\bchild\b.{0,30}\b(missing|run away|not come home)\b.{0,30}\b(now|tonight|today)",
]
_COMPILED = [re.compile(p, re.I) for p in _CONCERN_PATTERNS]
_POLICY_QUESTION = re.compile(r"^\s*(what|how|who|where|when|which)\b.{0,80}\b(should|do|must|"
                              r"procedure|process|policy|guidance)\b", re.I)


def is_immediate_concern(text: str) -> bool:
    """True when the message reads as a live concern about a child, not a policy question.

    Errs on the side of showing urgent routes: a false positive costs one extra paragraph, a
    false negative could cost a child.
    """
    if not text:
        return False
    hit = any(p.search(text) for p in _COMPILED)
    if not hit:
        return False
    # "What should I do if a child discloses abuse?" is still answered with urgent routes first;
    # only purely hypothetical policy phrasing without a disclosure verb is treated as a question.
    if _POLICY_QUESTION.search(text) and not re.search(r"\b(told|disclosed|said)\s+me\b", text, re.I):
        return bool(re.search(r"\b(now|today|tonight|right now|immediate)\b", text, re.I))
    return True


def urgent_message(settings) -> str:
    """The urgent routes, from settings so each partnership shows its own front door."""
    return (
        f"If a child is in immediate danger, call {settings.emergency_number} now.\n"
        f"If you are worried about a child's safety, contact the {settings.front_door_name} on "
        f"{settings.front_door_phone} today, and follow your agency's safeguarding procedure "
        "and tell your designated safeguarding lead.\n"
        "Please don't share identifying case details with this bot."
    )
