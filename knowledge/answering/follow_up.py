"""Read a short follow-up against the conversation's previous question and answer.

"who chairs it?", "how often do they meet", "and during office hours?", "what about the LSCG?"
mean nothing alone. The thing they lean on is named in the previous question (or, when that
question only described it, in the answer it got), so the follow-up becomes a standalone query:
a pronoun is replaced by that name, a new qualifier replaces the old one in the previous
question, a new name replaces the old name. Anything else falls back to appending the follow-up
to the previous question. Plain string work: no model, microseconds.
"""

from __future__ import annotations

import re

from knowledge.text import STOPWORDS, words

#: Follow-ups are short; a longer message is a question of its own.
MAX_FOLLOW_UP_WORDS = 8
_LEADS = re.compile(r"^\s*(and|also|but|so|or|what about|how about|and what about|"
                    r"and how about|what if)\b[\s,]*", re.I)
_REFERRING = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|him|his|her|"
                        r"there|the same)\b", re.I)
#: Pronouns standing for a thing or group (the previous question's subject).
_THING = {"it": "{}", "they": "{}", "them": "{}", "its": "{}'s", "their": "{}'s"}
#: Pronouns standing for a person (someone the previous answer named).
_PERSON = {"he": "{}", "she": "{}", "him": "{}", "his": "{}'s", "her": "{}"}
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}s?\b")
_NAME_WORD = r"[A-Z][\w'’-]*"
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:(?:of|and|for|the|&)\s+)*{_NAME_WORD})*")
_OPENERS = {"who", "what", "when", "where", "which", "why", "how", "is", "are", "does", "do",
            "can", "could", "should", "would", "will", "did", "tell", "please", "the", "a", "an",
            "i", "in", "on", "for", "and", "but", "also", "if"}


def names_in(text: str) -> list[str]:
    """Named things in order: acronyms and runs of capitalised words ("Safeguarding Practice
    Review Group"); a sentence-opening question word or article is not part of a name."""
    found: list[tuple[int, str]] = []
    for match in _NAME.finditer(text or ""):
        name = match.group(0)
        start = match.start()
        parts = name.split()
        while parts and parts[0].lower() in _OPENERS:
            start += len(parts[0]) + 1
            parts = parts[1:]
        while parts and parts[-1].lower() in STOPWORDS:
            parts = parts[:-1]
        if not parts or (len(parts) == 1 and parts[0].lower() in STOPWORDS):
            continue
        found.append((start, " ".join(parts)))
    return [name for _, name in sorted(dict(found).items())]


#: "this year", "that week": a demonstrative before a time word points at the calendar, not at
#: anything said earlier.
_TIME_DEICTIC = re.compile(r"\b(this|that|these|those)\s+(year|years|month|months|week|weeks|"
                           r"quarter|quarters|time|morning|afternoon|evening|term)\b", re.I)


def is_follow_up(question: str) -> bool:
    """Short, and leaning on something earlier: a referring word or an "and…"/"what about…"."""
    if len(question.split()) > MAX_FOLLOW_UP_WORDS:
        return False
    return bool(_REFERRING.search(_TIME_DEICTIC.sub(" ", question)) or _LEADS.match(question))


def _pronoun_target(pronoun: str, question_names: list[str], answer_names: list[str],
                    context: str) -> str | None:
    if pronoun in _PERSON:  # a person: the previous answer named them, the question did not
        asked = set(words(" ".join(question_names)))
        fresh = [n for n in answer_names if " " in n and not set(words(n)) <= asked]
        return fresh[0] if fresh else None
    name = (question_names or answer_names or [None])[0]
    if name and re.search(rf"\bthe\s+{re.escape(name)}", context, re.I):
        return f"the {name}"  # "who chairs it?" -> "who chairs the SPRG?", as it was written
    return name


def _substitute_pronoun(rest: str, question_names: list[str], answer_names: list[str],
                        context: str) -> str | None:
    """Replace the first thing/person pronoun with the name it stands for, or None."""
    for match in re.finditer(r"\b[A-Za-z]+\b", rest):
        pronoun = match.group(0).lower()
        form = _THING.get(pronoun) or _PERSON.get(pronoun)
        if form is None:
            continue
        target = _pronoun_target(pronoun, question_names, answer_names, context)
        if target is None:
            return None
        if pronoun == "her" and _possessive_her(rest[match.end():]):
            form = "{}'s"
        return f"{rest[:match.start()]}{form.format(target)}{rest[match.end():]}"
    return None


def _possessive_her(after: str) -> bool:
    """'her role' (possessive) vs 'contact her' / 'ask her about' (object)."""
    following = words(after)
    return bool(following) and following[0] not in STOPWORDS


def _replace_qualifier(previous: str, rest: str) -> str | None:
    """'What number do I call out of hours?' + 'during office hours' -> the same question with
    the new qualifier: the previous words ending in the follow-up's last word are swapped."""
    tail = rest.strip(" ?.!")
    tail_words = tail.split()
    if not tail_words:
        return None
    head = tail_words[-1].lower()
    tokens = previous.rstrip(" ?.!").split()
    for end in range(len(tokens) - 1, -1, -1):
        if tokens[end].lower().strip(",;:") == head:
            start = max(0, end - len(tail_words) + 1)
            return " ".join([*tokens[:start], tail, *tokens[end + 1:]]) + "?"
    return None


def _replace_name(previous: str, rest: str, question_names: list[str]) -> str | None:
    """'Who chairs the SPRG?' + 'what about the LSCG?' -> 'Who chairs the LSCG?'."""
    new = names_in(rest)
    if not new or not question_names:
        return None
    old = question_names[0]
    return previous.replace(old, new[0], 1) if old in previous else None


def follow_up_query(question: str, previous_question: str | None,
                    previous_answer: str | None = None) -> str:
    """The standalone query a follow-up stands for; any other question comes back unchanged."""
    if not previous_question or not is_follow_up(question):
        return question
    rest = _LEADS.sub("", question, count=1).strip() or question
    question_names = names_in(previous_question)
    answer_names = names_in(previous_answer or "")
    resolved = _substitute_pronoun(rest, question_names, answer_names,
                                   f"{previous_question} {previous_answer or ''}")
    if resolved is None and _LEADS.match(question) and not _REFERRING.search(rest):
        resolved = (_replace_name(previous_question, rest, question_names)
                    or _replace_qualifier(previous_question, rest))
    if resolved is not None:
        return resolved[:1].upper() + resolved[1:]
    return f"{previous_question.rstrip('?. ')}; {question}"


__all__ = ["MAX_FOLLOW_UP_WORDS", "follow_up_query", "is_follow_up", "names_in"]
