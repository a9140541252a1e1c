"""Fixed user wording for failures: what happened and what to do next, never an exception's text.

Exception messages are written for operators and logs (they may name hosts, paths or hints
about configuration); users see only the sentences below. The one exception is
`FeedbackError`, whose messages are validation feedback written for the person who filled in
the form ("please say which agency or sector you work in").
"""

from __future__ import annotations

import logging
import traceback
import uuid

from knowledge.errors import (
    AccessDenied,
    FeedbackError,
    FeedbackNotSaved,
    InvalidArgument,
    ModelError,
    NotIndexed,
    SgbotError,
    StoreError,
    UnknownPartnership,
)

log = logging.getLogger(__name__)


def new_reference() -> str:
    """A short id the user can quote and an operator can find in the logs."""
    return uuid.uuid4().hex[:8]


def error_name(exc: BaseException) -> str:
    """Exception type and frames without its message (messages may quote user text)."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{f.name}:{f.lineno}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where}" if where else type(exc).__name__


def user_message(exc: BaseException, settings, reference: str | None = None) -> str:
    """What a user sees when something failed. `reference` is added for unexpected failures."""
    contact = settings.help_contact
    if isinstance(exc, NotIndexed):
        return f"I don't hold any documents yet, so I can't answer. Ask {contact} to load them."
    if isinstance(exc, FeedbackNotSaved):
        return ("Sorry, that could not be saved, so nothing was recorded. Please try again in a "
                f"few minutes; if it keeps failing, tell {contact}.")
    if isinstance(exc, FeedbackError):
        return str(exc.args[0]) if exc.args else "That could not be saved."
    if isinstance(exc, AccessDenied):
        return f"Sorry, you can't use that here. Ask {contact} if you think you should."
    if isinstance(exc, UnknownPartnership):  # the names to choose from are the way forward
        held = "; ".join(exc.indexed) or "none yet"
        return (f"I don't hold documents of a partnership called “{exc.name}”. Partnerships I "
                f"hold documents for: {held}.")
    if isinstance(exc, InvalidArgument):
        return "I couldn't use that. Please check it and try again."
    if isinstance(exc, StoreError):
        return ("I couldn't reach my document store, so I couldn't search just now. Please try "
                f"again in a few minutes; if it keeps happening, tell {contact}.")
    if isinstance(exc, ModelError):
        return ("My search model isn't working right now, so I couldn't search. Please try "
                f"again later; if it keeps happening, tell {contact}.")
    ref = f" (reference {reference})" if reference else ""
    return ("Sorry, something went wrong while I was working on that. Please try again; if it "
            f"keeps happening, tell {contact}{ref}.")


def log_failure(what: str, exc: BaseException) -> str | None:
    """Log a failure without its message; returns a reference id for unexpected ones."""
    if isinstance(exc, SgbotError):
        log.warning("%s failed: %s", what, type(exc).__name__)
        return None
    reference = new_reference()
    log.error("%s crashed reference=%s error=%s", what, reference, error_name(exc))
    return reference


__all__ = ["error_name", "log_failure", "new_reference", "user_message"]
