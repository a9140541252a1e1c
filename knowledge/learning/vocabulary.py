"""Curated safeguarding themes with synonyms, and the term matching both sides share.

A theme matches a sentence when any of its alternatives does; an alternative is a short phrase
compared as a contiguous run of stemmed content words, so "voice of the child" matches "the
child's voice is" only when the words line up, and "neglected" matches "neglect".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.text import STOPWORDS, normalise, stem

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&-]*")

#: theme name -> alternative phrasings (the name itself always counts).
VOCABULARY: dict[str, tuple[str, ...]] = {
    "neglect": ("neglected", "neglectful", "graded care profile", "gcp2", "poor home conditions",
                "home conditions", "unmet needs"),
    "exploitation": ("child sexual exploitation", "child criminal exploitation", "cse", "cce",
                     "county lines", "criminally exploited", "sexually exploited", "exploited",
                     "trafficking", "modern slavery", "grooming"),
    "professional curiosity": ("professionally curious", "curiosity", "curious",
                               "respectful uncertainty", "disguised compliance"),
    "babies": ("baby", "infant", "infants", "newborn", "non-mobile", "safe sleep", "safer sleep",
               "sudden unexpected death in infancy", "shaken baby", "icon"),
    "fathers": ("father", "dad", "dads", "male carer", "male carers", "hidden men",
                "men in the household", "paternal", "fatherhood"),
    "domestic abuse": ("domestic violence", "coercive control", "marac", "intimate partner "
                       "violence", "controlling behaviour"),
    "mental health": ("emotional wellbeing", "emotional health", "self-harm", "self harm",
                      "suicide", "camhs", "parental mental health", "anxiety", "depression"),
    "substance misuse": ("drug misuse", "alcohol misuse", "substance use", "drugs", "alcohol"),
    "information sharing": ("share information", "sharing information", "shared information",
                            "information was shared", "information exchange"),
    "multi-agency working": ("multi-agency", "multi agency", "partnership working",
                             "joint working", "working together", "strategy meeting",
                             "strategy discussion"),
    "voice of the child": ("child's voice", "voice of children", "lived experience",
                           "wishes and feelings", "views of children", "hearing the child"),
    "training": ("trained", "learning and development", "workforce development", "e-learning",
                 "courses", "workshops", "practitioner events", "training offer"),
    "rapid reviews": ("rapid review", "child safeguarding practice review", "cspr", "lcspr",
                      "practice review", "practice reviews", "serious case review",
                      "serious case reviews", "learning review", "serious incident notification",
                      "serious incident notifications"),
    "early help": ("early intervention", "family support", "early help assessment"),
    "child protection": ("child protection plan", "child protection plans", "section 47",
                         "significant harm", "child protection conference"),
    "thresholds": ("threshold", "levels of need", "continuum of need", "right help right time"),
    "online safety": ("online", "internet", "social media", "e-safety", "online harm"),
    "missing children": ("missing from home", "missing from care", "missing episodes",
                         "missing education", "children missing education",
                         "return home interview"),
    "elective home education": ("home educated", "home education", "ehe"),
    "children with disabilities": ("disabled children", "disability", "disabilities",
                                   "special educational needs"),
    "harmful practices": ("female genital mutilation", "fgm", "forced marriage",
                          "honour based abuse", "honour-based abuse"),
    "radicalisation": ("prevent duty", "extremism", "radicalised", "radicalization"),
    "contextual safeguarding": ("extra-familial harm", "extra familial harm", "adolescents",
                                "adolescent", "peer on peer abuse", "child on child abuse"),
    "serious youth violence": ("youth violence", "knife crime", "serious violence", "gangs",
                               "gang"),
    "escalation": ("escalate", "escalating concerns", "professional disagreement",
                   "resolving professional differences"),
    "managing allegations": ("lado", "allegations against staff", "allegations",
                             "position of trust"),
    "children in care": ("looked after children", "looked after", "care leavers",
                         "child in care", "corporate parenting"),
    "audit": ("multi-agency audit", "audits", "audited", "case audit", "quality assurance",
              "section 11"),
    "sexual abuse": ("child sexual abuse", "sexually abused", "harmful sexual behaviour"),
    "physical abuse": ("bruising", "injuries", "non-accidental injury", "physical harm"),
    "child deaths": ("child death", "cdop", "child death overview panel"),
    "poverty": ("deprivation", "cost of living", "financial hardship", "poor housing"),
    "diversity and culture": ("ethnicity", "cultural", "race", "racism",
                              "equality", "diversity", "inclusion"),
    "covid-19": ("covid", "pandemic", "lockdown", "coronavirus"),
    "schools and education": ("schools", "school", "education settings", "designated "
                              "safeguarding lead"),
    "private fostering": ("privately fostered",),
}


def term_key(word: str) -> str:
    """One comparable key per word: stemmed, with a plural 's' dropped from short stems."""
    key = stem(word.lower().strip("'’-&"))
    if key.endswith("'s"):
        key = key[:-2]
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def keys(text: str) -> list[str]:
    """Keys of the content words of `text`, in order (stopwords dropped)."""
    out = []
    for word in _WORD.findall(normalise(text)):
        word = word.strip("'’-&").lower()
        if not word or word in STOPWORDS or len(word) < 2:
            continue
        out.append(term_key(word))
    return out


#: Theme words that say what is done about a topic rather than the topic itself.
_FILLERS = {(term_key(w),) for w in ("protect", "protecting", "protection", "safeguard",
                                    "safeguarding", "support", "supporting", "learning",
                                    "lessons", "working", "work", "practice", "issues", "theme",
                                    "themes", "keeping", "safe", "improving", "about")}


@dataclass(frozen=True)
class TermGroup:
    """One part of a theme ("babies", "fathers") and the phrasings that satisfy it."""

    label: str
    alternatives: tuple[tuple[str, ...], ...]

    def found_in(self, text_keys: Sequence[str]) -> bool:
        return any(contains_run(text_keys, alt) for alt in self.alternatives)


def contains_run(text_keys: Sequence[str], run: Sequence[str]) -> bool:
    """True when `run` occurs contiguously in `text_keys`."""
    if not run:
        return False
    if len(run) == 1:
        return run[0] in text_keys
    first = run[0]
    limit = len(text_keys) - len(run) + 1
    for i in range(max(limit, 0)):
        if text_keys[i] == first and tuple(text_keys[i:i + len(run)]) == tuple(run):
            return True
    return False


def _alternatives(name: str) -> tuple[tuple[str, ...], ...]:
    phrases = (name, *VOCABULARY.get(name, ()))
    out = []
    for phrase in phrases:
        run = tuple(keys(phrase))
        if run and run not in out:
            out.append(run)
    return tuple(out)


def vocabulary_groups() -> list[TermGroup]:
    """Every curated theme as a group, for corpus-wide counting."""
    return [TermGroup(name, _alternatives(name)) for name in VOCABULARY]


def theme_groups(theme: str, acronyms: dict[str, str] | None = None) -> list[TermGroup]:
    """Split a free-text theme into groups: curated themes it names (longest phrasing first),
    then each remaining content word on its own, widened by the corpus's acronym glossary."""
    theme_keys = keys(theme)
    used = [False] * len(theme_keys)
    groups: list[TermGroup] = []
    candidates: list[tuple[int, str, tuple[str, ...]]] = []
    for name in VOCABULARY:
        for alt in _alternatives(name):
            candidates.append((len(alt), name, alt))
    candidates.sort(key=lambda c: -c[0])
    for _length, name, alt in candidates:
        for i in range(len(theme_keys) - len(alt) + 1):
            if any(used[i:i + len(alt)]) or tuple(theme_keys[i:i + len(alt)]) != alt:
                continue
            for j in range(i, i + len(alt)):
                used[j] = True
            if all(g.label != name for g in groups):
                groups.append(TermGroup(name, _alternatives(name)))
    expansions = {a.lower(): e for a, e in (acronyms or {}).items()}
    reverse = {tuple(keys(e)): a.lower() for a, e in (acronyms or {}).items() if keys(e)}
    for key, flag in zip(theme_keys, used, strict=True):
        if flag:
            continue
        alts: list[tuple[str, ...]] = [(key,)]
        if key in expansions and keys(expansions[key]):
            alts.append(tuple(keys(expansions[key])))
        groups.append(TermGroup(key, tuple(alts)))
    # the whole theme may be a spelled-out acronym ("child protection conference" -> "cpc")
    whole = tuple(theme_keys)
    if whole in reverse and len(groups) > 1:
        groups = [TermGroup(theme.lower(), (whole, (reverse[whole],)))]
    # "protecting babies" is about babies: generic safeguarding verbs must not be required
    topical = [g for g in groups if g.alternatives[0] not in _FILLERS]
    return topical or groups
