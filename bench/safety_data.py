"""The labelled safety-net messages (bench/data/safety_messages.jsonl) and their fixed split.

Every message was written for this repository. About 30% is held back by a hash of its id, so
the split never changes when messages are added elsewhere in the file; the held-back part is
never used for fitting or for choosing the threshold (bench/fit_safety.py), only by
bench/safety_bench.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "safety_messages.jsonl"
HELD_BACK_PERCENT = 30  # share of messages kept out of fitting and threshold choice


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    label: str  # urgent | ordinary
    category: str

    @property
    def urgent(self) -> bool:
        return self.label == "urgent"

    @property
    def held_back(self) -> bool:
        digest = hashlib.blake2b(self.id.encode(), digest_size=4).digest()
        return int.from_bytes(digest, "big") % 100 < HELD_BACK_PERCENT


def load(path: Path = DATA) -> list[Message]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    messages = [Message(r["id"], r["text"], r["label"], r["category"]) for r in rows]
    assert len({m.id for m in messages}) == len(messages), "duplicate ids"
    assert {m.label for m in messages} <= {"urgent", "ordinary"}, "unknown label"
    return messages


def train(messages: list[Message]) -> list[Message]:
    return [m for m in messages if not m.held_back]


def held_back(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.held_back]
