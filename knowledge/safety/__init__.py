"""Safety net: a message that reads as a live concern about a child gets the urgent routes
before anything else. One implementation for Slack, Teams and the terminal.

`SafetyNet(settings, kb).check(text)` combines patterns and the fitted embedding model;
`is_immediate_concern(text)` is the patterns alone; `urgent_message(settings)` is the text to
show; `missing_front_door(settings)` lists the front-door settings a deployment still lacks.
"""

from __future__ import annotations

from knowledge.safety.net import SafetyNet, SafetyVerdict
from knowledge.safety.patterns import is_immediate_concern, pattern_family
from knowledge.safety.routes import is_placeholder_number, missing_front_door, urgent_message

__all__ = ["SafetyNet", "SafetyVerdict", "is_immediate_concern", "is_placeholder_number",
           "missing_front_door", "pattern_family", "urgent_message"]
