"""The urgent routes shown when the safety net fires, and whether a deployment has set them.

A made-up number in an urgent message is worse than none: a practitioner with a child in front
of them would dial it. So the front door's number is only ever the one the partnership set;
unset (or a placeholder left from an old `.env`), the message names the route without a number,
and `sgbot serve` refuses to start (`missing_front_door`).
"""

from __future__ import annotations

import re

GENERIC_FRONT_DOOR = "your partnership's children's social care front door"
#: Front-door settings `sgbot serve` requires, with the environment variable that sets each.
FRONT_DOOR_SETTINGS = (
    ("front_door_name", "SGBOT_FRONT_DOOR_NAME"),
    ("front_door_phone", "SGBOT_FRONT_DOOR_PHONE"),
    ("front_door_out_of_hours_phone", "SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE"),
)
_PLACEHOLDER_DIGITS = 6  # a UK number ending in this many zeros is a placeholder, not a line


def is_placeholder_number(value: str | None) -> bool:
    """True for blank values and dummy numbers such as the old default 0300 000 0000."""
    digits = re.sub(r"\D", "", value or "")
    return not digits or digits.endswith("0" * _PLACEHOLDER_DIGITS) or len(set(digits)) == 1


def _setting(settings, name: str) -> str | None:
    value = " ".join(str(getattr(settings, name, None) or "").split())
    if not value or (name.endswith("_phone") and is_placeholder_number(value)):
        return None
    return value


def missing_front_door(settings) -> list[str]:
    """Environment variables of the front door that are unset (or placeholders), in order."""
    return [env for name, env in FRONT_DOOR_SETTINGS if _setting(settings, name) is None]


def urgent_message(settings) -> str:
    """The urgent routes, from settings so each partnership shows its own front door."""
    name = _setting(settings, "front_door_name")
    phone = _setting(settings, "front_door_phone")
    out_of_hours = _setting(settings, "front_door_out_of_hours_phone")
    if name:
        route = name if name.lower().startswith("the ") else f"the {name}"
    else:
        route = GENERIC_FRONT_DOOR
    if phone:
        route += f" on {phone}"
    lines = [
        f"If a child is in immediate danger, call {settings.emergency_number} now.",
        f"If you are worried about a child's safety, contact {route} today"
        + (f" (out of hours: {out_of_hours})" if out_of_hours else "")
        + ", and follow your agency's safeguarding procedure: tell your designated "
        "safeguarding lead (DSL).",
        "Record the concern in your agency's own system, not here, and please don't share "
        "names or other identifying details in this chat.",
    ]
    return "\n".join(lines)
