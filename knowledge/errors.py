"""One error hierarchy for the whole product.

Core code raises these; adapters (CLI, Slack, Teams) translate them into user-facing messages
at the edge. Every error carries a message a person can act on.
"""

from __future__ import annotations


class SgbotError(Exception):
    """Base of every error the product raises on purpose."""

    #: Short hint shown to users/operators on how to fix the problem.
    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:  # message plus hint, so logs and CLIs show both
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class InvalidArgument(SgbotError, ValueError):
    """A component was built or called with a bad value; the message names the value."""


class ConfigError(SgbotError):
    """Settings are missing or inconsistent."""


# --- ingestion -------------------------------------------------------------------------------


class IngestError(SgbotError):
    """A single file could not be ingested; the batch goes on without it."""

    reason: str = "could not be ingested"


class UnsupportedFormat(IngestError):
    reason = "unsupported format"


class UnreadableFile(IngestError):
    reason = "unreadable file"


class EncryptedDocument(IngestError):
    reason = "encrypted (password-protected) document"


class CorruptDocument(IngestError):
    reason = "corrupt or damaged document"


class EmptyDocument(IngestError):
    reason = "no text found"


class ImageOnlyDocument(IngestError):
    reason = "image-only PDF (scanned pages, no text layer)"


class ParseFailed(CorruptDocument):
    """The parser itself failed (broken XML, pathological nesting): not a scan, not empty."""

    reason = "could not be parsed"


class OverLimit(IngestError):
    """The file is bigger, longer or slower to parse than the ingestion limits allow."""

    reason = "over an ingestion limit"


class ParseTimeout(OverLimit):
    reason = "took too long to parse"


# --- storage and models ----------------------------------------------------------------------


class StoreError(SgbotError):
    """The vector store, lexical index or database failed."""


class StoreUnavailable(StoreError):
    """A store could not be reached at all (server down, path not writable)."""


class ModelError(SgbotError):
    """The embedding model could not be loaded or run."""


class NotIndexed(SgbotError):
    """A question was asked before any document was ingested."""


class UnknownPartnership(InvalidArgument):
    """A partnership name (`--partnership`, a setting) matches no indexed document; the message
    lists the partnerships that are indexed, so the caller can pick one."""

    def __init__(self, name: str, indexed: list[str]) -> None:
        listed = "; ".join(indexed) if indexed else "none (nothing is indexed yet)"
        super().__init__(f"no indexed documents belong to a partnership called {name!r}",
                         hint=f"indexed partnerships: {listed}")
        self.name = name
        self.indexed = tuple(indexed)


# --- feedback and access ---------------------------------------------------------------------


class FeedbackError(SgbotError):
    """Feedback could not be validated or stored."""


class FeedbackNotSaved(FeedbackError):
    """The database refused a write: nothing was stored, so the user must be told to retry."""


class AccessDenied(SgbotError):
    """The caller is not allowed to use this bot or command."""


class BadRequest(SgbotError):
    """An inbound HTTP request was malformed or too large: the server answers `status` with
    this fixed, short message; `close` when the connection can no longer be framed."""

    def __init__(self, message: str, *, status: int = 400, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.close = close
