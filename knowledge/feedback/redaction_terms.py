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

#: Locales whose first names are trusted in lower case (others hold words such as "Made").
ENGLISH_LOCALES = frozenset({"en_GB", "en_IE", "en_US", "en_NZ"})

TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Fr",
                    "Lady", "Lord", "Rev", "Revd", "Cllr", "PC", "DC", "DS", "DI", "PCSO", "Sgt",
                    "Nurse", "Auntie", "Aunty", "Uncle", "Nan", "Nanna", "Grandma", "Grandad"})

#: Words before a capitalised word that make it a person's name ("spoke to Kai", "her mum Jo").
NAME_CUES = re.compile(
    r"(?:\b(?:spoke|speaking|talked|talking|chatted|meeting|met)\s+(?:to|with)\s+"
    r"|\b(?:called|named|name\s+is|name's|known\s+as|told|asked|emailed|rang|phoned|texted|"
    r"contacted|visited|saw|met|supporting|supported|with\s+(?:young\s+person|child|client))\s+"
    r"|\b(?:contact|involved|working|worked)\s+with\s+"
    r"|\b(?:mum|mom|mother|dad|father|stepdad|stepmum|stepfather|stepmother|stepbrother|"
    r"stepsister|brother|sister|sibling|son|daughter|child|boy|lad|girl|baby|toddler|teenager|"
    r"twins?|nan|nanna|gran|grandma|grandad|granddad|grandmother|grandfather|aunt|auntie|uncle|"
    r"cousin|partner|ex|boyfriend|girlfriend|husband|wife|carer|foster\s+carer|lodger|worker|"
    r"teacher|colleague|manager|client|pupil|student|neighbour|friend|lead|officer|nurse|"
    r"visitor|midwife|gp|surname|forename|first\s+name)"
    r"(?:,?\s+|\s*\(\s*)(?:called\s+|named\s+|is\s+called\s+)?)$",
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
    "Yasmine Samira Layla Leyla Inaaya Hania Aleena Alina Anisa Anaya Esra Elif Emre Mehmet "
    "Maisie Keeley Kacey Kayla Kelsey Macey Macy Lacey Paige Demi Chantelle Leanne Stacey Tia "
    "Tiana Lexie Evie Esme Poppy Freya Phoebe Millie Maddison Tyler Reece Brandon Jayden Callum "
    "Kieran Declan Harley Bailey Frankie Archie Oakley Ronnie Albie Arlo Kayleigh Kyra Kyla "
    "Shannon Jodie Jordan Courtney Bethany Chelsea Kirsty Kerry Kelly Carly Shelby Tegan Keira "
    "Kiera Kian Keegan Kyron Tyrese Tyreese Tyrone Jaxon Jenson Brody Bradley Kyle Ashton "
    "Mason Ellis Jake Liam Connor Kaden Kacper Szymon Jakub Lena Zofia Malachi Ezra Eli Jude "
    "Keisha Shanice Kiyah Aaliyah Nevaeh Kyrie Jayce Jace Remi Remy Rocco Rory Ronan Cody "
    "Caden Corey Jamal Jermaine Darnell Deshawn Tyreke Shakira Tamika Funmi Folake Yetunde "
    "Ngozi Nkechi Amara Chidera Kofi Kwame Ama Abena Akua Yaw Esi Mae Rae Lee Leigh Jay Jo Ann "
    "Anne Louise Marie Rose Grace May".split()
)

#: Common British nicknames and diminutives ("Bev", "Gaz"): names in any context.
NICKNAMES = frozenset(
    "Bev Gaz Baz Daz Kaz Caz Shaz Maz Jez Tez Kez Chaz Gav Tel Mick Micky Mikey Nat Lou Becks "
    "Bex Tash Tasha Jonno Robbo Tommo Davo Deano Smudge Macca Stevo Jacko Kels Mags Lils Soph "
    "Liv Livvy Ems Ange Trace Dot Flo Vic Vicky Nicky Chrissy Steph Kath Jen Jess Jacqui Jax "
    "Taz Lozza Dazza Gazza Bazza Shazza Kezza Tezza Bri Del Dai Sid Alf Reg Ron Ronnie Bert "
    "Stu Rich Col Pete Sal Sam Jo Jojo Lew Fi Fee Abi Izzy Issy Bella Ellie Katie Kate Mo "
    "Moe Bobby Jimmy Johnny Danny Jonny Ollie Charlie Alfie Archie Freddie Georgie Maddie "
    "Millie Molly Evie Lottie Tilly Tillie Hattie Lizzie Libby Lexi Jules Marty Rob Robbie "
    "Benji Benny Fred Freddy Harry Hal Nobby Sy Tom Tommy Wilf Zac Zak".split()
)

#: Safeguarding acronyms that are never initials ("ABE interview", "pupil SEN").
ACRONYMS = frozenset(
    "abe pep send sen plo icb marac mappa cse cce fgm ehcp lac cla cin cp cpp iro dsl dsls spoc "
    "lado mash camhs cahms aop pru ap sw swm iro idva isva hv hvs gp gps ae a&e nhs dbs ofsted "
    "yot yjs lscp scp sprg lscb lsab cdop cdr saro sarc ics icb pcso ni uk usa eu ehm eha "
    "caf tac tam cyp yp cic cl dv da bame dob nok fyi asap etc ok rip pm am ceo dbs sgo "
    "ssd cs csc cos mosaic lcs eh fh".split()
)

#: Capitalised words that end an organisation's or service's name ("Harmony House",
#: "Oakbridge Primary School"): the words before them are not people.
ORG_SUFFIXES = frozenset(
    "Centre Center House Hub Church Chapel Mosque Temple Surgery Clinic Hospital Project "
    "Service Services Team Unit Trust Council Board Panel Partnership Foundation Charity "
    "Library School Academy Primary Infants Infant Junior Juniors Nursery College High "
    "Secondary Refuge Hostel Lodge".split()
)

#: Words after which the next word names a school ("Oakbridge Primary", "Fernhill High").
SCHOOL_SUFFIXES = frozenset(
    "School Academy Primary Infants Infant Junior Juniors Nursery College High "
    "Secondary".split()
)

#: First names that are also everyday English words: never names in lower case.
WORD_NAMES = frozenset(
    "made said man us german roman santa else edit urban marine tea server mile till mate "
    "canal sad raid grant ion toy mad hardy diamond meta peer harsh sole amor cord tan mare "
    "basil comfort nail valentine sol olive violet coral melody piper indie raven eden daisy "
    "nick rick bobby sally trinity om baba verde sonata glen lance rex cal major bay ford "
    "wade iris hazel heather pearl poppy willow river rain ocean sage fern rowan ash tulsi "
    "bud buck ace sky sunny kit kitty gay jolly cherry honey sugar pepper ginger bean mo "
    "del sid sal fee dot flo col rob tel nat lou".split()
)

#: Function words that follow a family word without being a name ("her son will ...").
FUNCTION_WORDS = frozenset(
    "will may can did does do is was has had won would should could might must shall and or "
    "but so then also said says told has not never just only still".split()
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
    "victoria virginia paris florence chelsea brooklyn jordan israel christian "
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
    "operation encompass".split()
)


@lru_cache(maxsize=1)
def _people() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, first names from the English-speaking locales)."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    english: set[str] = set()
    for locale in NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue  # a locale dropped by a later faker release
        for attr in ("first_names", "first_names_male", "first_names_female",
                     "first_names_nonbinary"):
            firsts.update(_clean(getattr(provider, attr, ())))
            if locale in ENGLISH_LOCALES:
                english.update(_clean(getattr(provider, attr, ())))
        for attr in ("last_names", "last_names_male", "last_names_female"):
            lasts.update(_clean(getattr(provider, attr, ())))
    firsts.update(EXTRA_FIRST_NAMES | NICKNAMES)
    english.update(EXTRA_FIRST_NAMES | NICKNAMES)
    lasts.update(EXTRA_SURNAMES)
    return frozenset(firsts), frozenset(lasts), frozenset(english)


def _clean(names) -> set[str]:
    return {n for n in names if isinstance(n, str) and n[:1].isupper() and " " not in n
            and n.lower() not in PROTECTED_WORDS}


def first_names() -> frozenset[str]:
    return _people()[0]


def surnames() -> frozenset[str]:
    return _people()[1]


def english_first_names() -> frozenset[str]:
    """First names from English-speaking locales: trusted as names even in lower case."""
    return _people()[2]


@lru_cache(maxsize=1)
def common_words(limit: int = 20000) -> frozenset[str]:
    """The `limit` most frequent English words (lower case), from wordninja's list."""
    return frozenset(word_ranks(limit))


@lru_cache(maxsize=1)
def word_ranks(limit: int = 20000) -> dict[str, int]:
    """Frequency rank (0 = most frequent) of the `limit` most frequent English words."""
    spec = importlib.util.find_spec("wordninja")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "wordninja" / "wordninja_words.txt.gz"
    words: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            words.append(line.strip())
            if len(words) >= limit:
                break
    return {word: rank for rank, word in enumerate(words)}


@lru_cache(maxsize=1)
def common_non_names() -> frozenset[str]:
    """Common words that are not first names: "housing" is one, "sarah" is not."""
    firsts = {n.lower() for n in first_names()}
    return frozenset(w for w in common_words() if w not in firsts)
