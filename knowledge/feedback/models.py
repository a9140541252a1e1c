"""Records the feedback store hands out: frozen dataclasses, safe to pass to any adapter.

Every text field here has already been redacted; submitters are pseudonymised unless they
chose to be contactable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

KINDS = ("working_well", "getting_in_the_way", "idea")
KIND_LABELS: dict[str, str] = {
    "working_well": "What's working well",
    "getting_in_the_way": "What gets in the way",
    "idea": "An idea",
}
#: Suggested sectors for prompts and pick-lists; agency is free text (validated for length).
AGENCY_SUGGESTIONS = (
    "Children's social care",
    "Police",
    "Health",
    "Education",
    "Early years",
    "Voluntary and community sector",
    "Housing",
    "Probation and youth justice",
    "Other",
)
CHANNELS = ("slack", "teams", "cli", "web", "import")


@dataclass(frozen=True)
class Submission:
    """One piece of frontline feedback as stored (text redacted)."""

    id: str
    created_at: datetime
    kind: str
    theme: str
    agency: str
    locality: str
    text: str
    consent_to_quote: bool
    may_contact: bool
    submitter: str | None  # real id only when may_contact, otherwise a pseudonym (or None)
    channel: str
    redactions: dict[str, int] = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def month(self) -> str:
        return self.created_at.strftime("%Y-%m")


@dataclass(frozen=True)
class Gap:
    """A knowledge gap: a (redacted) question the bot could not answer or answered unhelpfully."""

    question: str
    count: int  # times this question was a gap (unanswered + marked unhelpful)
    unanswered: int
    not_helpful: int
    last_seen: datetime
    comments: tuple[str, ...] = ()  # redacted "what was wrong?" notes


@dataclass(frozen=True)
class Usage:
    """How much the bot was used in a period, and how well it did."""

    questions: int
    answered: int
    helpful: int
    not_helpful: int
    users: int  # distinct (pseudonymised) askers
    urgent: int = 0  # times the safety net showed the urgent routes (messages not stored)

    @property
    def abstained(self) -> int:
        return self.questions - self.answered

    @property
    def rated(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def share_helpful(self) -> float | None:
        """Share of rated answers marked 👍 (None when nobody rated anything)."""
        return self.helpful / self.rated if self.rated else None


@dataclass(frozen=True)
class UrgentCount:
    """How often the safety net showed the urgent routes on one channel on one (UTC) day."""

    day: date
    channel: str
    count: int
