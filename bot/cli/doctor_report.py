"""One line of `sgbot doctor`'s report: what was checked, how it went, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("ok", "warn", "fail", "skip")
_SYMBOL = {"ok": "✓", "warn": "!", "fail": "✗", "skip": "-"}


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, how it went, and how to fix it."""

    name: str
    status: str
    detail: str = ""
    fix: str = ""

    def __post_init__(self) -> None:
        from knowledge.errors import InvalidArgument

        if self.status not in STATUSES:
            raise InvalidArgument(f"check status {self.status!r} is not one of {STATUSES}")
        if not self.name:
            raise InvalidArgument("check name must not be empty")
