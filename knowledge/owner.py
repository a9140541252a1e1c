"""Whose deployment this is: the partnership name that reports and briefings carry, and the
settings still at a default users would see.

A report headed with a placeholder ("Sample Partnership") goes into a board pack looking
unfinished, so the name comes from `SGBOT_PARTNERSHIP` when it was set, else from the indexed
documents (the partnership most of them belong to), else nowhere: writers then leave it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields

from knowledge.types import DocumentInfo


def default_of(name: str):
    """The built-in default of a `Settings` field (so placeholders are written once)."""
    from knowledge.settings import Settings

    for spec in fields(Settings):
        if spec.name == name:
            return spec.default
    raise KeyError(name)


def at_default(settings, name: str) -> bool:
    """True when the setting still holds its built-in value (nobody configured it)."""
    return getattr(settings, name) == default_of(name)


def _indexed_documents(settings) -> list[DocumentInfo]:
    from knowledge.search.index import open_index

    index = open_index(settings)
    try:
        return index.documents()
    finally:
        index.close()


def partnership_name(settings, documents: Iterable[DocumentInfo] | None = None) -> str | None:
    """`SGBOT_PARTNERSHIP` if set, else the partnership most indexed documents belong to
    (ties: more passages, then alphabetical), else None. Placeholders never come back.

    `documents` saves opening the index when the caller has them (e.g. `kb.documents()`)."""
    placeholder = default_of("partnership")
    if settings.partnership and settings.partnership != placeholder:
        return settings.partnership
    docs = list(_indexed_documents(settings) if documents is None else documents)
    counts: Counter[str] = Counter()
    passages: Counter[str] = Counter()
    for doc in docs:
        name = (doc.partnership or "").strip()
        if name and name != placeholder:
            counts[name] += 1
            passages[name] += doc.passages
    if not counts:
        return None
    return min(counts, key=lambda n: (-counts[n], -passages[n], n))


@dataclass(frozen=True)
class UnsetSetting:
    """A setting users will see that still holds its built-in value."""

    label: str
    variable: str
    value: str
    where_seen: str
    fix: str


#: Settings whose default text reaches users, where they see it, and what to set instead.
#: The front door is checked by `knowledge.safety` (doctor fails without it), so not here.
_USER_FACING = (
    ("partnership", "partnership name", "SGBOT_PARTNERSHIP",
     "report and briefing headings, and documents ingested without --partnership",
     "your partnership's full name, as its own documents write it"),
    ("help_contact", "help contact", "SGBOT_HELP_CONTACT",
     "every \"I couldn't find that\" reply",
     "who practitioners should ask, with a way to reach them (the business unit's email "
     "address and phone number)"),
)


def unset_user_facing(settings) -> list[UnsetSetting]:
    """User-visible settings still at their built-in defaults (for `sgbot doctor`)."""
    return [UnsetSetting(label, variable, str(getattr(settings, name)), seen, fix)
            for name, label, variable, seen, fix in _USER_FACING if at_default(settings, name)]


def user_facing_warnings(settings) -> list[tuple[str, str, str]]:
    """(setting, what is wrong, how to fix it) for each user-visible setting still at its
    built-in text, and for an empty admin list: `sgbot doctor` shows them as warnings."""
    from knowledge.errors import SgbotError

    out = []
    for unset in unset_user_facing(settings):
        detail = (f"{unset.variable} is still the built-in {unset.value!r}, seen in "
                  f"{unset.where_seen}")
        if unset.variable == "SGBOT_PARTNERSHIP":
            try:
                name = partnership_name(settings)
            except SgbotError as exc:
                name = None
                detail += f"; index unreadable ({type(exc).__name__})"
            detail += (f"; reports use {name!r}, the indexed documents' partnership" if name
                       else "; reports will carry no partnership name")
        out.append((unset.label, detail, f"set {unset.variable} in .env to {unset.fix}"))
    if not settings.admin_users:
        out.append(("admin users",
                    "SGBOT_ADMIN_USERS is empty: nobody can pull the feedback report or usage "
                    "counts from Slack or Teams",
                    "set SGBOT_ADMIN_USERS in .env to the business unit's Slack user ids (U...) "
                    "and/or Teams AAD object ids, comma-separated"))
    return out


__all__ = ["UnsetSetting", "at_default", "default_of", "partnership_name", "unset_user_facing",
           "user_facing_warnings"]
