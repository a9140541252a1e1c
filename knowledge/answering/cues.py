"""Open questions whose answer has a telltale wording: a reason for "why", a consequence for
"what happens if", an instruction for "how do I".

"Why did the partnership decide to hold a review?" is answered by "The reasons were that ...",
which shares few words with it, not by the sentence that restates the decision; the cue is
a soft feature for the ranker, never a check, since answers may be worded otherwise.
"""

from __future__ import annotations

import re

#: (question pattern, answer cue) per kind of open question.
_KINDS = {
    "reason": (re.compile(r"^\s*why\b|\bwhy (did|do|does|is|was|were|are|has|have)\b|"
                          r"\bwhat (was|is|were|are) the reasons?\b", re.I),
               re.compile(r"\b(because|reasons?|due to|as a result|so that|in order to|owing "
                          r"to|given that|led to)\b", re.I)),
    "consequence": (re.compile(r"\bwhat happens\b|\bwhat (will|would) happen\b|"
                               r"\bwhat (is|are) the consequences?\b", re.I),
                    re.compile(r"\b(will|must|should|would) (be|then|not)?\s*\w+|"
                               r"\b(is|are) (then )?\w+ed\b", re.I)),
    "instruction": (re.compile(r"\bhow (do|can|should|would) (i|we|you)\b|"
                               r"\bwhat (should|do|must) (i|we) do\b|\bwhat now\b", re.I),
                    re.compile(r"\b(should|must|need to|needs to|contact|call|ring|email|"
                               r"complete|send|make|ask|refer|record)\b", re.I)),
}


def asked_cue(question: str) -> re.Pattern | None:
    """The answer wording the question's kind calls for, or None for other questions."""
    for asks, cue in _KINDS.values():
        if asks.search(question):
            return cue
    return None
