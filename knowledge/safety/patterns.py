"""The pattern layer of the safety net: wording that is unmistakably a live concern.

Each family pairs a harm (an injury, a disclosure, a child missing...) with a sign that a real
child is involved (a pupil, "told me", "now", "tonight"). A message phrased as a general
question ("what are the signs of CSE?", "what should I do if a child discloses?") does not
fire unless it also carries such a sign. The embedding model (knowledge/safety/model.py) covers
the phrasings these miss; the patterns alone must still catch the obvious ones, because unit
tests, demos and a missing model run without it.
"""

from __future__ import annotations

import re

_CHILD = (r"(child(ren)?|kids?|boy|girl|lad|baby|babies|infant|toddler|newborn|twins?|"
          r"pupil|student|young (person|carer)|yp|teen(ager)?|son|daughter|nephew|niece|"
          r"foster child|\d{1,2}\s?(yo|yr old|year old|y/o|month old|week old)|"
          r"y(ea)?r ?\d{1,2}s?|y\d{1,2})")
_ADULT = (r"(dad|daddy|father|mum|mummy|mom|mother|parents?|step ?-?(dad|mum|father|mother)|"
          r"carer|uncle|aunt|grand(ad|dad|father|ma|mother)|brother|sister|cousin|"
          r"(mum'?s |her |his )?(boyfriend|partner|ex)|man|men|neighbour|coach|teacher)")
_TOLD = (r"(told|tells|telling|said|says|sed|saying|disclosed|admitted|confided|showed|"
         r"shown|shared|reported|mentioned|let slip)")
_HURT = (r"(hit|hits|hitting|punch\w*|kick\w*|slap\w*|beat\w*|batter\w*|strangl\w*|choke\w*|"
         r"throttl\w*|smack\w*|burn\w*|bit|bites|stab\w*|threw|throws|thrown|grab\w*|"
         r"hurt\w*|harm\w*|abus\w*|assault\w*|rap(e|ed|ing)|touch(es|ed|ing)?|"
         r"locks? (him|her|them|me) (in|out)|shut (him|her) in|threaten\w*|"
         r"knife|belt|weapon|sexual\w*|sex with|have sex|private parts|knickers|"
         r"clothes off|humiliat\w*|calls? (him|her|them) (worthless|useless|evil)|"
         r"(make|makes|made) (him|her|them) (stand|eat|sleep|stay)|"
         r"(make|makes|made|forces?|forcing) (him|her|them|me) (do|to)|"
         r"lock\w* (him|her|them) (in|out)|shuts? (him|her|them) in|(won'?t|doesn'?t) let (him|"
         r"her|them) (eat|leave))")
_NOW = (r"(right now|rn|now|just|today|tonight|this (morning|afternoon|evening)|"
        r"last (night|nite)|yesterday|at the (door|gate)|in front of me|here|"
        r"with me|again|every (day|night)|since)")
_INJURY = (r"(bruis\w*|burns?|burnt|scald\w*|bite marks?|fractur\w*|broken (arm|leg|bone)|"
           r"black eye|belt marks?|slash marks?|handprint|fingertip|loop-?shaped mark|"
           r"split lip|swollen|torn frenulum|unexplained (injur\w*|mark\w*))")

FAMILIES: dict[str, str] = {
    "disclosure": rf"\b{_CHILD}\b.{{0,60}}\b{_TOLD}\b.{{0,80}}\b{_HURT}\b"
                  rf"|\b(disclos(ed|ure)|told me)\b.{{0,60}}\b({_HURT}|harm|abuse|not safe)\b"
                  rf"|\b{_ADULT}\b.{{0,30}}\b{_HURT}\w*\b.{{0,20}}\b(him|her|them|me)\b"
                  rf".{{0,60}}\b{_NOW}\b"
                  rf"|^\W*(s?he|they)\b.{{0,10}}\b{_TOLD}\b.{{0,80}}\b{_HURT}\b"
                  rf"|\b(had|got|just had) a disclosure\b",
    "sexual": r"\b(genital\w*|sexual(ly)? (abus\w*|assault\w*)|(take|took|takes) (his|her|their) "
              r"clothes off|drew something (very )?sexual|sexuali[sz]ed (drawing|behaviour|play)|"
              r"(parties|party) with (older |adult )?(men|males))",
    "distress": rf"\b({_CHILD}|s?he|they)\b.{{0,60}}\b(is|'s|are|was) (hysterical|distraught|"
                r"terrified|sobbing|in tears|crying|shaking)\b",
    "injury": rf"\b({_CHILD}|non[- ]mobile)\b.{{0,80}}\b{_INJURY}"
              rf"|\b{_INJURY}\b.{{0,60}}\b({_CHILD}|non[- ]mobile)\b",
    "neglect": r"\b(left (home )?alone|home alone|alone in the house|no food|hungry|"
               r"hasn'?t (eaten|washed)|no (heating|electricity)|soiled|filthy|"
               r"sleep(ing|s)? (in a car|on (a bare|the) (floor|mattress)|rough)|"
               r"locks? the fridge|not (been )?changed|underweight|"
               r"(looking after|caring for) .{0,30} alone)\b",
    "danger_now": rf"\b({_CHILD})\b.{{0,60}}\b(in (immediate |imminent )?danger|not safe|"
                  r"unsafe|at (serious )?risk|scared to go home|terrified|won'?t leave|"
                  r"doesn'?t want to go home|being (hurt|abused|harmed))"
                  r"|\b(in (immediate|imminent) danger|immediate (risk|danger)|"
                  rf"danger (right )?now|danger rn)\b",
    "self_harm": r"\b(kill (him|her|my|them)sel(f|ves)|kms|suicid\w*|end(ing)? (it|(my|his|her|"
                 r"their) life)|want(s)? to die|don'?t want to be alive|overdose|"
                 r"taken (an )?(od|overdose|pills)|swallowed .{0,20}(pills|tablets|paracetamol)|"
                 r"(cutting|cuts|cut) (her|him|them)sel\w*|fresh cuts|been cutting|"
                 r"self[- ]?harm(ing|s|ed)|"
                 r"goodbye (letter|note|message)|won'?t be (here|around) (tomorrow|any ?more)|"
                 r"gave away (all )?(her|his|their) (stuff|things)|jump off|a rope|"
                 r"on the (\w+ )?(\w+ )?roof|won'?t come down)\b",
    "missing": rf"\b{_CHILD}\b.{{0,80}}\b(missing|gone missing|run off|ran away|run away|"
               r"absconded|not (come|came|returned|been) (home|back)|hasn'?t (come|been)|"
               r"can'?t find|didn'?t (get off|come back)|not been seen|hasn'?t been seen)"
               r"|\bmissing (from|since)\b|\bnobody knows where\b|\bnot returned to (placement|"
               r"the (home|unit))|\bhasn'?t been seen\b|\bleft a note\b",
    "exploitation": r"\b(county lines|trap ?house|cuckoo\w*|running drugs|drug runs?|"
                    r"(carry|carrying|holding) (packages|drugs)|plugged|owes? (a )?debt|"
                    r"selling her|pay off what|groomed by (a )?gang|"
                    r"(with|by) (known )?gang members|"
                    r"with (adult|older) (men|males)|hotels? with)\b",
    "sextortion": r"\b(blackmail\w*|sextort\w*|nudes?|naked (pics?|photos?|images?)|"
                  r"intimate (pics?|photos?|images?|video)|sexual (images?|messages?|pics?)|"
                  r"on webcam|(asking|asks|asked) (her |him )?for (pics|pictures|photos)|"
                  r"pictures of (her|his) body)\b",
    "fgm_forced_marriage": r"\b(fgm|(be|being|get|got|was) cut\b|the cut|married off|"
                           r"(forced|forcing) (him|her|them)? ?to marry|forced marriage|"
                           r"to be married|arranged (her|his) marriage|become a woman|"
                           r"dishonour\w*|['‘]?cut['’]? (her|them|him)\b|arranged marriage)",
    "domestic_abuse": rf"\b{_ADULT}\b.{{0,40}}\b({_HURT})\b.{{0,20}}\b(mum|mummy|mother|"
                      r"her mum|his mum|partner|wife)\b|\b(dv|domestic) (incident|abuse)\b"
                      r".{0,60}\b(kids|children|child|baby)\b|\bscreaming\b.{0,60}\b(kids|children|baby)\b",
    "parent_unfit": rf"\b{_ADULT}\b.{{0,80}}\b(drunk|intoxicated|smell\w* (strongly )?of "
                    r"(alcohol|drink|cannabis)|off (his|her) face|passed out|collapsed|high\b|"
                    r"psychotic|slurring|out of it|aggressive|threatening to hurt|"
                    r"dropped the baby)",
    "radicalisation": r"\b(bomb|manifesto|extremis\w*|radicalis\w*|school shoot\w*|"
                      r"join a group abroad|far-?right|for ['‘]?the cause|day of action|"
                      r"make weapons|"
                      r"violence is justified|film targets)",
    "worrying_disclosure": rf"\b{_TOLD} me (something|abt|about (her|his|their))\b"
                           r"|\binjur\w* .{0,20}(don'?t|do not|doesn'?t) add up\b",
}
_COMPILED = {name: re.compile(p, re.I) for name, p in FAMILIES.items()}

#: A general question about procedure, signs, documents or people: not a live concern.
_GENERAL = re.compile(
    r"^\s*(what|how|who|where|when|which|why|is|are|was|were|has|have|does|do|can|could|"
    r"should|would|explain|tell me|"
    r"list|give me|summari[sz]e|define|any)\b|\b(signs?|indicators?|procedure|process|"
    r"protocol|policy|guidance|threshold|training|law|legal|definition|in general|"
    r"policy terms)\b", re.I)
#: Signs that a particular child is involved now, which override the general-question reading.
_LIVE = re.compile(
    r"\b((told|said|disclosed|admitted|confided|showed|sed) me|just|right now|rn|tonight|"
    r"this (morning|afternoon)|last (night|nite)|"
    r"in front of me|with me|i'?m (at|with)|i'?ve (just )?(noticed|seen)|my (class|caseload|"
    r"student|pupil|son|daughter)|one of my|there'?s a|has just|is being)\b", re.I)
_HYPOTHETICAL = re.compile(r"^\W*(if|when|suppose|say|in case)\b", re.I)


def pattern_family(text: str) -> str | None:
    """The first family the message matches as a live concern, or None."""
    if not text or not text.strip():
        return None
    hits = [name for name, rx in _COMPILED.items() if rx.search(text)]
    if not hits:
        return None
    general = bool(_GENERAL.search(text)) or bool(_HYPOTHETICAL.search(text))
    if general and not _LIVE.search(text):
        return None
    return hits[0]


def is_immediate_concern(text: str) -> bool:
    """True when the patterns alone read the message as a live concern about a child.

    Errs on the side of showing urgent routes: a false positive costs one extra paragraph, a
    false negative could cost a child. `SafetyNet.check` adds the embedding model.
    """
    return pattern_family(text) is not None


#: Names of `cue_features`, in order; the fitted model stores them to detect a mismatch.
CUES = ("general_question", "live_sign", "question_mark")


def cue_features(text: str) -> list[float]:
    """Wording cues the model gets beside the embedding: embeddings place "what are the signs
    of X?" close to a report of X, and these cues are what tells the two apart."""
    general = bool(_GENERAL.search(text)) or bool(_HYPOTHETICAL.search(text))
    live = bool(_LIVE.search(text))
    return [float(general and not live), float(live), float(text.rstrip().endswith("?"))]
