"""Which partnership a question is about, learned from the index: names, places, acronyms.

A county or regional deployment holds several partnerships' documents in one index. A question
naming one ("who chairs the NSCP executive?") must be answered from that partnership's
documents, and `--partnership nscp` must mean the full name. Nothing here is a list of
partnerships: every alias comes from the documents' `partnership` field, their titles and the
acronym glossary mined from their text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from knowledge.errors import UnknownPartnership
from knowledge.text import QUESTION_WORDS, STOPWORDS, words

log = logging.getLogger(__name__)

#: Words of a partnership's name that are not its place ("Keeping X Safe Partnership" -> "X").
NAME_GENERIC = frozenset({
    "safeguarding", "safe", "children", "children's", "childrens", "child", "young", "people",
    "partnership", "board", "assurance", "keeping", "and", "&", "of", "the", "adults", "with"})
#: Words of a place that say nothing alone ("North" Ashmere, Dunmore "City").
_PLACE_QUALIFIERS = frozenset({
    "north", "south", "east", "west", "central", "city", "county", "isle", "borough", "royal",
    "greater", "upon", "on", "of", "and", "the", "with", "council", "district", "mid", "new"})
#: Linking words an acronym may or may not spell ("Vale of Ashmere ..." -> VOASCP or VASCP).
_LINKING = frozenset({"of", "and", "&", "the", "upon", "on", "with"})
#: Shortest single place word used alone as an alias (shorter ones collide with ordinary words).
_MIN_PLACE_WORD = 4
#: Shortest acronym of a name's generic tail used as an alias ("CSAP" yes, "SCP" never).
_MIN_TAIL_ACRONYM = 4
#: Alias kinds, strongest first: a conflict goes to the stronger kind, or to nobody on a tie.
_KINDS = ("name", "place", "acronym", "place word")
#: A question about what a name stands for needs the name itself searched.
_ASKS_NAME = re.compile(r"\b(?:stands?\s+for|short\s+for|mean|means|meaning|acronym|"
                        r"abbreviation)\b", re.I)
_TITLE_ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")
_VOWELS = set("AEIOUaeiou")
#: Four consonants in a row are rare in English words: "emscp" is an acronym typed in lower
#: case, "hops" and "scope" are words (only a partnership's own acronyms are compared).
_CONSONANT_RUN = re.compile(r"[^aeiouy\W\d]{4,}", re.I)


def _unpronounceable(written: str) -> bool:
    """Lower-case text that can only be an acronym: no vowel, or four consonants in a row."""
    return not set(written) & _VOWELS or _CONSONANT_RUN.search(written) is not None


def partnership_place(name: str) -> str:
    """The place in a partnership's name, as written ("Vale of Ashmere", "Northshire")."""
    tokens = name.split()
    keep = [i for i, t in enumerate(tokens) if t.lower().strip(",") not in NAME_GENERIC]
    if not keep:
        return ""
    return " ".join(tokens[keep[0]:keep[-1] + 1]).strip(" ,")


def _initials(words: list[str], *, linking: bool) -> str:
    return "".join(w[0] for w in words if w and (linking or w.lower() not in _LINKING)).upper()


def short_name(name: str) -> str:
    """A label for chat: "Northshire SCP" for "Northshire Safeguarding Children Partnership"."""
    place = partnership_place(name)
    if place and name.startswith(place) and len(name.split()) > len(place.split()) + 1:
        tail = name[len(place):].split()
        return f"{place} {_initials(tail, linking=False)}"
    return name


@dataclass(frozen=True)
class PartnershipMatch:
    """A partnership named in a question: which one, by what words, where."""

    partnership: str
    alias: str  # the words as the question wrote them
    kind: str  # name | place | acronym | place word
    start: int
    end: int


@dataclass(frozen=True)
class ScopeDecision:
    """The partnership to search (or None for all) and the query to search with."""

    partnership: str | None
    query: str
    how: str | None = None  # explicit | named | default


class PartnershipScope:
    """Aliases of the indexed partnerships; `detect` finds one named in a question.

    Build with `from_kb(kb)` (the knowledge base caches it per index generation) or directly
    from partnership names, the glossary (acronym -> expansion) and titles by partnership.
    """

    def __init__(self, partnerships: Iterable[str], glossary: Mapping[str, str] | None = None,
                 titles: Mapping[str, Iterable[str]] | None = None) -> None:
        self.partnerships = tuple(sorted({p.strip() for p in partnerships if p and p.strip()}))
        candidates: dict[str, dict[str, set[str]]] = {}  # alias -> kind -> partnerships

        def add(alias: str, kind: str, partnership: str) -> None:
            alias = " ".join(alias.split())
            if alias:
                candidates.setdefault(alias.lower(), {}).setdefault(kind, set()).add(partnership)

        places: dict[str, str] = {}
        for name in self.partnerships:
            add(name, "name", name)
            words = name.split()
            for linking in (True, False):
                if len(words) > 1:
                    add(_initials(words, linking=linking), "acronym", name)
            place = partnership_place(name)
            if not place:
                continue
            places[place.lower()] = name
            add(place, "place", name)
            for word in re.split(r"[\s,-]+", place):
                if len(word) >= _MIN_PLACE_WORD and word.lower() not in _PLACE_QUALIFIERS:
                    add(word, "place word", name)
            tail = [w for w in words if w.lower().strip(",") in NAME_GENERIC - _LINKING]
            if len(_initials(tail, linking=False)) >= _MIN_TAIL_ACRONYM:
                add(_initials(tail, linking=False), "acronym", name)
        for acronym, expansion in (glossary or {}).items():
            target = next((n for n in self.partnerships if n.lower() == expansion.lower()), None)
            if target is None and re.search(r"\b(Partnership|Board)$", expansion):
                target = places.get(partnership_place(expansion).lower())
            if target is not None and acronym.isupper():
                add(acronym, "acronym", target)
        self._add_title_acronyms(titles or {}, add)
        self.aliases: dict[str, tuple[str, str]] = {}  # lower alias -> (partnership, kind)
        for alias, by_kind in candidates.items():
            for kind in _KINDS:
                owners = by_kind.get(kind)
                if owners:
                    if len(owners) == 1:
                        self.aliases[alias] = (next(iter(owners)), kind)
                    break  # ambiguous at its strongest kind: not an alias at all
        self._pattern = self._compile()

    def _add_title_acronyms(self, titles: Mapping[str, Iterable[str]], add) -> None:
        """Acronyms in one partnership's titles only, starting like its place ("NOSP ...")."""
        seen: dict[str, set[str]] = {}
        for partnership, names in titles.items():
            for title in names:
                for token in _TITLE_ACRONYM.findall(title or ""):
                    seen.setdefault(token, set()).add(partnership)
        for token, owners in seen.items():
            if len(owners) == 1:
                owner = next(iter(owners))
                place = partnership_place(owner)
                if owner in self.partnerships and place and place[0].upper() == token[0]:
                    add(token, "acronym", owner)

    def _compile(self) -> re.Pattern[str] | None:
        if not self.aliases:
            return None
        ordered = sorted(self.aliases, key=len, reverse=True)  # longest alias wins at a place
        body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+") for a in ordered)
        return re.compile(rf"(?<![\w-])({body})(?![\w-])", re.I)

    @classmethod
    def from_kb(cls, kb) -> PartnershipScope:
        titles: dict[str, list[str]] = {}
        for doc in kb.documents():
            titles.setdefault(doc.partnership, []).append(doc.title)
        return cls(titles, kb.glossary(), titles)

    # --- questions ---------------------------------------------------------------------------

    def detect_all(self, question: str) -> list[PartnershipMatch]:
        """Every alias the question uses, left to right (acronyms only as acronyms: "hops"
        is a word, "HOPS" an acronym; a vowel-less acronym like "nscp" matches in any case)."""
        if self._pattern is None or not question:
            return []
        found = []
        for match in self._pattern.finditer(question):
            written = match.group(1)
            key = " ".join(re.split(r"[\s-]+", written.lower()))
            partnership, kind = self.aliases.get(key, self.aliases.get(written.lower(), ("", "")))
            if not partnership:
                continue
            if kind == "acronym" and written != written.upper() and not _unpronounceable(written):
                continue
            found.append(PartnershipMatch(partnership, written, kind, match.start(), match.end()))
        return found

    def detect(self, question: str) -> PartnershipMatch | None:
        """The one partnership the question names; None when it names none, or several (a
        comparison is answered from everything)."""
        found = self.detect_all(question)
        if len({m.partnership for m in found}) != 1:
            return None
        return found[0]

    def resolve(self, name: str) -> str:
        """The indexed partnership `name` means: full name, place, short name or acronym, in
        any case. Raises `UnknownPartnership` listing the indexed ones."""
        key = " ".join((name or "").split()).lower()
        if key in self.aliases:
            return self.aliases[key][0]
        match = self.detect(name or "")
        if match is not None and len(match.alias) >= len(key) / 2:
            return match.partnership
        raise UnknownPartnership(name, self.labels())

    def canonical(self, name: str) -> str:
        """`name` as the index spells it when it is exactly one of an indexed partnership's
        names ("nscp" -> the full name), else `name` unchanged (a partnership new to the index)."""
        entry = self.aliases.get(" ".join(name.split()).lower())
        return entry[0] if entry else name

    def labels(self) -> list[str]:
        """Indexed partnerships with their acronym, for messages: "Northshire ... (NSCP)"."""
        out = []
        for partnership in self.partnerships:
            acronyms = sorted(a.upper() for a, (p, kind) in self.aliases.items()
                              if p == partnership and kind == "acronym" and a.isalpha())
            out.append(f"{partnership} ({acronyms[0]})" if acronyms else partnership)
        return out

    def strip(self, question: str, matches: Iterable[PartnershipMatch],
              replacement: str = "") -> str:
        """The question without the partnership's names (or with `replacement` for them): in
        its own documents they match nearly every passage, so they only add noise to ranking."""
        text = question
        for match in sorted(matches, key=lambda m: m.start, reverse=True):
            text = text[:match.start] + replacement + text[match.end:]
        text = re.sub(r"(?:^|(?<=\s))['’]s\b", "", text)
        return " ".join(text.split())

    def decide(self, query: str, *, explicit: str | None = None,
               default: str | None = None) -> ScopeDecision:
        """Asked-for partnership first, then the one the question names, then the channel's
        default; with a partnership chosen, its names are taken out of the query (unless
        little would be left: "what does KSCP stand for?")."""
        how = None
        partnership = None
        if explicit:
            partnership, how = self.resolve(explicit), "explicit"
        named = self.detect_all(query)
        if partnership is None and named and len({m.partnership for m in named}) == 1:
            partnership, how = named[0].partnership, "named"
        if partnership is None and default:
            try:
                partnership, how = self.resolve(default), "default"
            except UnknownPartnership:
                log.warning("default partnership matches no indexed documents; searching all")
        if partnership is None:
            return ScopeDecision(None, query)
        own = [m for m in named if m.partnership == partnership]
        stripped = self.strip(query, own) if own else query
        content = [w for w in words(stripped) if w not in STOPWORDS and w not in QUESTION_WORDS]
        if len(content) >= 2:
            return ScopeDecision(partnership, stripped, how)
        if own and not _ASKS_NAME.search(query):
            # "who chairs the NSCP?" asks about the partnership itself, which its documents
            # call "the partnership" ("Partnership Chair"), not by its acronym
            return ScopeDecision(partnership, self.strip(query, own, "partnership"), how)
        return ScopeDecision(partnership, query, how)


def default_partnership(settings, conversation_key: str | None) -> str | None:
    """The partnership a Slack channel or Teams team answers for by default
    (`SGBOT_CHANNEL_PARTNERSHIPS`), or None. Pass it to `kb.ask(default_partnership=...)`:
    a question naming another partnership still gets that one."""
    if not conversation_key:
        return None
    return dict(settings.channel_partnerships).get(conversation_key.strip())
