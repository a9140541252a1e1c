"""How much personal data the redactor catches, and how often it redacts what it should not.

    .venv/bin/python bench/redaction_bench.py [--verbose]

The headline figure comes from the HELD-OUT table bench/data/redaction_heldout.jsonl: 237
invented sentences (147 with 169 personal items written to be hard: lower-case and ALL-CAPS
names, hyphenated and double-barrelled names, nicknames, initials, relationship and title cues,
a child's name with their school, NI numbers, postcodes and phone numbers typed any way, emails
in brackets; 90 safeguarding sentences with none). It was written before the redactor was
changed for it and is never used to tune: fix misses through the test table instead. Targets:
recall >= 0.95 on personal items, false positives <= 5% of the clean sentences.

Also scored: the test table (tests/feedback/redaction_cases.py, which the tests hold the
redactor to, so 100% there is expected) and two earlier small tables kept below (seen while
tuning, so not estimates). Each personal item counts as caught when it vanished (any case) and
the right placeholder appeared; a false positive is a clean sentence that came back changed.
Prints every miss and false positive of the held-out table, and throughput.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HELD_OUT_FILE = REPO / "bench" / "data" / "redaction_heldout.jsonl"
RECALL_TARGET = 0.95  # issue 14: at most 1 personal item in 20 may get through
#: What the fictional partnership's deployment would set (SGBOT_PARTNERSHIP, SGBOT_LOCALITIES).
BENCH_KEEP_TERMS = ("Wyvernshire Safeguarding Children Partnership", "North", "South", "East",
                    "West", "Countywide")
FALSE_POSITIVE_TARGET = 0.05  # issue 14: at most 1 clean sentence in 20 may be changed


def load_held_out(path: Path = HELD_OUT_FILE):
    """(positives, negatives) from the JSONL held-out table."""
    positives, negatives = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["pii"]:
            positives.append((row["text"], [tuple(item) for item in row["pii"]]))
        else:
            negatives.append(row["text"])
    return positives, negatives


def vanished(item: str, out: str) -> bool:
    """The item no longer appears as a whole word, in any case."""
    return re.search(rf"(?<!\w){re.escape(item)}(?!\w)", out, re.I) is None

HELD_OUT_POSITIVES: list[tuple[str, list[tuple[str, str]]]] = [
    ("Spoke to Deborah at the front door, she was brilliant.", [("Deborah", "NAME")]),
    ("Mr and Mrs Whitfield refused the Early Help offer.", [("Whitfield", "NAME")]),
    ("Called the nursery manager, Bethany Cole, twice.", [("Bethany Cole", "NAME")]),
    ("Maddison's school attendance dropped to 60%.", [("Maddison", "NAME")]),
    ("Dad (Craig) is back in the home.", [("Craig", "NAME")]),
    ("Ms Nwosu from the hospital was excellent.", [("Nwosu", "NAME")]),
    ("Siobhan and Declan both disclosed to the school nurse.", [("Siobhan", "NAME"),
                                                                  ("Declan", "NAME")]),
    ("Young person Reece Atkinson keeps going missing.", [("Reece Atkinson", "NAME")]),
    ("Her boyfriend Dean is 19.", [("Dean", "NAME")]),
    ("Thank you to Marek Wiśniewski for interpreting.", [("Marek Wiśniewski", "NAME")]),
    ("Fatima Begum's GP did not share the concern.", [("Fatima Begum", "NAME")]),
    ("Nan's number is 07700 900987.", [("07700 900987", "PHONE")]),
    ("Please ring me back on 01632 960 555.", [("01632 960 555", "PHONE")]),
    ("Out of hours: 0161 496 0999.", [("0161 496 0999", "PHONE")]),
    ("Mobile +447700900222.", [("+447700900222", "PHONE")]),
    ("Email: kerry.d@example.com", [("kerry.d@example.com", "EMAIL")]),
    ("Postcode LS6 2QR keeps coming up.", [("LS6 2QR", "POSTCODE")]),
    ("They moved from EC1A 1BB.", [("EC1A 1BB", "POSTCODE")]),
    ("NHS no. 9434765870 on the form.", [("9434765870", "NHS_NUMBER")]),
    ("Baby born 23/08/2024 at 34 weeks.", [("23/08/2024", "DOB")]),
    ("DOB: 5th January 2012.", [("5th January 2012", "DOB")]),
    ("Visit to 58 Victoria Street was cancelled.", [("58 Victoria Street", "ADDRESS")]),
    ("The flat at 2b Harbour View has damp.", [("2b Harbour View", "ADDRESS")]),
    ("Staying with an uncle at 101 Long Lane.", [("101 Long Lane", "ADDRESS")]),
    ("Chloe Hart, 7 Birch Grove, was referred twice.", [("Chloe Hart", "NAME"),
                                                        ("7 Birch Grove", "ADDRESS")]),
]

#: Earlier hard cases the rules were known to struggle with (no context, lower case, names
#: that are words): reported separately so the headline figure is not flattered by easy sentences.
HARD_POSITIVES: list[tuple[str, list[tuple[str, str]]]] = [
    ("we were worried about jayden and his brother", [("jayden", "NAME")]),
    ("Hope and Faith are twins in Year 2.", [("Hope", "NAME"), ("Faith", "NAME")]),
    ("Bev at the front door was brilliant.", [("Bev", "NAME")]),
    ("Worked alongside Gita from the refuge.", [("Gita", "NAME")]),
    ("Temi's school did not attend the meeting.", [("Temi", "NAME")]),
    ("The Okoros moved out of area.", [("Okoros", "NAME")]),
    ("SMITH, John - referred again.", [("SMITH", "NAME"), ("John", "NAME")]),
    ("Lives at Flat 6 Marlow House.", [("Flat 6 Marlow House", "ADDRESS")]),
    ("Call me on 7700 900 444.", [("7700 900 444", "PHONE")]),
    ("born March '15, now at nursery", [("March '15", "DOB")]),
]

HELD_OUT_NEGATIVES: list[str] = [
    "Strategy discussions with Health are happening later than they should.",
    "The Neglect Toolkit is hard to find on the website.",
    "Children Missing Education figures went up in the spring term.",
    "Our Designated Safeguarding Leads' network meets each term.",
    "Child Protection Conferences start on time more often now.",
    "A 6 week wait for CAMHS triage is too long.",
    "The Early Help Assessment form has 14 pages.",
    "Operation Encompass notifications reach schools by 9am.",
    "Multi-Agency Child Exploitation meetings are well attended.",
    "Police Protection powers were used 32 times in 2024.",
    "The Family Help pilot in East locality has helped.",
    "Working Together 2023 changed the role of the three safeguarding partners.",
    "Health Visiting caseloads are too high in the South.",
    "The Children's Advice and Duty Service answered within 10 minutes.",
    "Section 17 and Section 47 thresholds need clearer examples.",
]


def score(redactor, positives, negatives, *, verbose: bool) -> dict[str, float]:
    caught = total = false_pos = 0
    for text, items in positives:
        out = redactor.redact(text).text
        for item, label in items:
            total += 1
            ok = vanished(item, out) and f"[{label}]" in out
            caught += ok
            if verbose and not ok:
                print(f"  missed {label}: {out}")
    for text in negatives:
        out = redactor.redact(text).text
        if out != text:
            false_pos += 1
            if verbose:
                print(f"  false positive: {out}")
    return {"caught": caught, "items": total, "recall": caught / total if total else 0.0,
            "false_pos": false_pos, "negatives": len(negatives)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show misses and false positives")
    args = parser.parse_args()
    from knowledge.feedback.redaction import Redactor
    from tests.feedback.redaction_cases import NEGATIVES, POSITIVES

    started = time.perf_counter()
    # Configured as a deployment configures its store (SGBOT_PARTNERSHIP and localities become
    # keep_terms): the tables are written for the repo's fictional partnership.
    redactor = Redactor(keep_terms=BENCH_KEEP_TERMS)
    redactor.redact("warm up the name lists")
    load = time.perf_counter() - started
    held_pos, held_neg = load_held_out()
    print("held-out table misses and false positives:")
    held = score(redactor, held_pos, held_neg, verbose=True)
    fp_rate = held["false_pos"] / held["negatives"]
    print(f"HELD-OUT: caught {held['caught']}/{held['items']} personal items "
          f"(recall {held['recall']:.1%}, target {RECALL_TARGET:.0%}); false positives "
          f"{held['false_pos']}/{held['negatives']} clean sentences ({fp_rate:.1%}, target "
          f"<= {FALSE_POSITIVE_TARGET:.0%})")
    for name, pos, neg in (("test table", POSITIVES, NEGATIVES),
                           ("earlier table (seen)", HELD_OUT_POSITIVES, HELD_OUT_NEGATIVES),
                           ("earlier hard cases (seen)", HARD_POSITIVES, [])):
        result = score(redactor, pos, neg, verbose=args.verbose)
        print(f"{name}: caught {result['caught']}/{result['items']} personal items "
              f"(recall {result['recall']:.1%}); false positives {result['false_pos']}/"
              f"{result['negatives']} negative sentences")
    texts = ([t for t, _ in POSITIVES + HELD_OUT_POSITIVES + held_pos] + NEGATIVES
             + HELD_OUT_NEGATIVES + held_neg)
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            redactor.redact(text)
    per = (time.perf_counter() - started) / (rounds * len(texts)) * 1000
    print(f"speed: {per:.2f} ms per sentence ({len(texts)} sentences x {rounds}); "
          f"first use (loading name lists) {load:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
