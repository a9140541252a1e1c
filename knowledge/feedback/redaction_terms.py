"""Word lists behind `knowledge.feedback.redaction`: name lists, protected vocabulary, name cues.

First names and surnames come from the person providers of the maintained `faker` package
(British, Irish, American, South Asian, African and European locales, reflecting the people
practitioners write about); common English words from the frequency list shipped with
`wordninja` (already a dependency). Lists load once per process, on first use.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

NAME_LOCALES = ("en_GB", "en_IE", "en_US", "en_IN", "en_PK", "en_NZ", "yo_NG", "zu_ZA", "tw_GH",
                "pl_PL", "ro_RO", "lt_LT", "it_IT", "pt_PT", "es_ES", "fr_FR", "de_DE", "tr_TR",
                "bn_BD", "ar_AA", "sk_SK", "cs_CZ", "hu_HU", "lv_LV", "bg_BG", "hr_HR")

TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame",
                    "Lady", "Lord", "Rev", "Revd", "Cllr", "PC", "DC", "DS", "DI", "PCSO", "Sgt",
                    "Nurse", "Auntie", "Aunty", "Uncle", "Nan", "Nanna", "Grandma", "Grandad"})

#: Words before a capitalised word that make it a person's name ("spoke to Kai", "her mum Jo").
NAME_CUES = re.compile(
    r"(?:\b(?:spoke|speaking|talked|talking|chatted|meeting|met)\s+(?:to|with)\s+"
    r"|\b(?:called|named|name\s+is|name's|known\s+as|told|asked|emailed|rang|phoned|texted|"
    r"contacted|visited|saw|met|supporting|supported|with\s+(?:young\s+person|child|client))\s+"
    r"|\b(?:mum|mom|mother|dad|father|stepdad|stepmum|brother|sister|son|daughter|child|boy|"
    r"girl|baby|toddler|teenager|nan|gran|grandmother|grandfather|aunt|uncle|cousin|partner|"
    r"boyfriend|girlfriend|husband|wife|carer|foster\s+carer|worker|teacher|colleague|manager|"
    r"client|pupil|student|neighbour|friend|lead|officer|nurse|visitor|midwife|gp)"
    r",?\s+(?:called\s+|named\s+)?)$",
    re.I,
)

#: Names common in England that the faker lists lack (ONS baby-name and census lists).
EXTRA_FIRST_NAMES = frozenset(
    "Zainab Aisha Aysha Maryam Mariam Amira Khadija Khadijah Eesa Isa Haris Rayyan Rayan Oliwia "
    "Oluwaseun Oluwatobi Tobi Chidi Adaeze Chioma Emeka Tunde Femi Ayo Ayomide Muhammad "
    "Mohammad Imran Asif Sana Noor Nur Hafsa Safa Ruqayyah Wiktoria Bartosz Lexi Alfie Teddy "
    "Ollie Reggie Tommy-Lee Kayden Kaiden Jaxon Rhys Rhiannon Cerys Ffion Seren Dylan Eilidh "
    "Niamh Aoife Ciara Saoirse Oisin Cian Tadhg Precious Blessing Favour Mercy Divine Anaya "
    "Aarav Arjun Ishaan Vihaan Riya Siya Simran Harpreet Gurpreet Jaspreet Mandeep Sukhdeep "
    "Tariq Zaid Zayn Zayan Ayaan Ayan Aryan Hassan Hussein Usman Umar Abdul Abdullah Yasmin "
    "Yasmine Samira Layla Leyla Inaaya Hania Aleena Alina Anisa Anaya Esra Elif Emre Mehmet".split()
)
EXTRA_SURNAMES = frozenset(
    "Nowak Kowalski Kowalska Kowalczyk Wiśniewski Wisniewski Wójcik Wojcik Lewandowski "
    "Kamiński Kaminski Zieliński Zielinski Szymański Szymanski Okafor Okonkwo Adeyemi Adebayo "
    "Adewale Oyelaran Nwosu Nwachukwu Obi Eze Okeke Mensah Owusu Osei Boateng Asante Uddin "
    "Islam Miah Ahmed Rashid Malik Bashir Akhtar Bibi Begum Chowdhury Hossain Kaur Sandhu Gill "
    "Sidhu Dhillon Bains Mistry Parmar Chauhan Solanki Popescu Ionescu Petrov Horvath "
    "Kazlauskas Yilmaz Demir Kaya Sahin Celik".split()
)

#: Words after a capitalised word that make it a person: "Xanthe said", "Kai, 14, ...".
AFTER_NAME = re.compile(
    r"^(?:\s+(?:said|says|told|disclosed|explained|asked|wants|wanted|lives|attends|attended|"
    r"missed|goes|went|ran|is\s+aged|aged|was\s+seen|has\s+been|had\s+been|is\s+\d{1,2}\b|"
    r"family\b)|,\s*(?:aged\s+)?\d{1,2}\s*,)"
)

#: Verbs after which even a lower-case known first name is a person ("spoke to sarah").
VERB_CUES = re.compile(
    r"\b(?:spoke|speaking|talked|talking|met)\s+(?:to|with)\s+$"
    r"|\b(?:called|named|name\s+is|told|asked|emailed|rang|phoned|texted|contacted)\s+$",
    re.I,
)

#: Names that are also everyday words: a name only with a surname after them or a cue before.
AMBIGUOUS_NAMES = frozenset(
    "will hope grace faith joy may june april august summer autumn dawn rose amber holly ivy "
    "lily sky skye star storm rich frank guy pat sue ray lee jack page chase hunter mason "
    "carter cooper drew rob bob don gene art jean penny ruby crystal jade angel precious "
    "harmony destiny justice royal major king duke earl prince early help lead care court "
    "young black white brown green gray grey long little hall wood hill field lane street "
    "ward bishop parish bill mark sandy sunny happy baby lucky china india georgia sydney "
    "victoria virginia paris florence chelsea brooklyn devon kent jordan israel christian "
    "jesus god forum max dean chance miles ernest august norman english french british "
    "welsh irish scott stern strong wise wolf fox bird swan cook baker smith taylor "
    "christmas easter sunday monday friday reading bath worth gay rock stone sterling "
    "will's marshal judge constable sheriff deacon pastor dusty misty rusty candy honey "
    "cash bliss serenity trinity unity liberty freedom heaven sterling may's jan feb mar apr "
    "jun jul aug sep sept oct nov dec precious blessing favour mercy divine".split()
)

#: Vocabulary of safeguarding and public services that is never part of a person's name.
PROTECTED_WORDS = frozenset(
    "children's childrens children child services service social care early help designated "
    "safeguarding lead leads officer officers partnership partnerships board team teams hub "
    "front door police constabulary health nhs school schools academy college university "
    "council county borough city district local authority authorities hospital trust court "
    "courts family families youth justice probation housing education mental domestic abuse "
    "multi agency agencies strategy meeting meetings conference conferences plan plans panel "
    "review reviews practice learning unit business duty advice centre center worker workers "
    "nurse nurses visitor visitors midwife midwives doctor doctors paediatrician consultant "
    "manager managers director head teacher teachers governor governors ofsted camhs mash "
    "lado section act guidance working together threshold thresholds neglect exploitation "
    "criminal sexual contextual harm harms missing referral referrals assessment assessments "
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "july september october november december christmas easter god "
    "england english britain british uk wales scotland ireland london i i'm i've i'd i'll "
    "north south east west northern southern eastern western central countywide "
    "the a an and or but if so we you they he she it our their my his her its this that "
    "these those there here what when where why how who which please thanks thank "
    "dsl dsls gp gps a&e ae ambulance fire rescue primary secondary nursery infant junior "
    "community voluntary sector charity church mosque temple safeguarding's partnership's "
    "annual report voice protecting babies baby training other thanks regards hi hello dear "
    "yes no ok okay also just still really very much more most some any every each all "
    "serious case practice rapid local national child's safeguard protection protect "
    "independent reviewing chair chairs scrutineer scrutiny executive group groups "
    "department office offices team's sgbot slack teams microsoft bot childline nspcc "
    "barnardo's barnardos samaritans kooth catch22 refuge mind women's aid shelter "
    "wyvernshire operation encompass".split()
)


@lru_cache(maxsize=1)
def _people() -> tuple[frozenset[str], frozenset[str]]:
    firsts: set[str] = set()
    lasts: set[str] = set()
    for locale in NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue  # a locale dropped by a later faker release
        for attr in ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary"):
            firsts.update(_clean(getattr(provider, attr, ())))
        for attr in ("last_names", "last_names_male", "last_names_female"):
            lasts.update(_clean(getattr(provider, attr, ())))
    firsts.update(EXTRA_FIRST_NAMES)
    lasts.update(EXTRA_SURNAMES)
    return frozenset(firsts), frozenset(lasts)


def _clean(names) -> set[str]:
    return {n for n in names if isinstance(n, str) and n[:1].isupper() and " " not in n
            and n.lower() not in PROTECTED_WORDS}


def first_names() -> frozenset[str]:
    return _people()[0]


def surnames() -> frozenset[str]:
    return _people()[1]


@lru_cache(maxsize=1)
def common_words(limit: int = 20000) -> frozenset[str]:
    """The `limit` most frequent English words (lower case), from wordninja's list."""
    spec = importlib.util.find_spec("wordninja")
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent / "wordninja" / "wordninja_words.txt.gz"
    words: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            words.append(line.strip())
            if len(words) >= limit:
                break
    return frozenset(words)


@lru_cache(maxsize=1)
def common_non_names() -> frozenset[str]:
    """Common words that are not first names: "housing" is one, "sarah" is not."""
    firsts = {n.lower() for n in first_names()}
    return frozenset(w for w in common_words() if w not in firsts)
