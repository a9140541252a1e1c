"""Realistic UK examples for the redactor (all people, numbers and places are invented;
phone numbers use Ofcom's drama ranges, NHS numbers are synthetic). Shared by the tests and
bench/redaction_bench.py.

POSITIVES: (text, [(personal item, label), ...]) — each item must vanish and its placeholder
appear. NEGATIVES: text that must come back unchanged.
"""

from __future__ import annotations

POSITIVES: list[tuple[str, list[tuple[str, str]]]] = [
    # --- phone numbers ---------------------------------------------------------------------
    ("Mum can be reached on 07700 900123 after 3pm.", [("07700 900123", "PHONE")]),
    ("Her mobile is 07700900456.", [("07700900456", "PHONE")]),
    ("Call the foster carer on +44 7700 900789 please.", [("+44 7700 900789", "PHONE")]),
    ("The school office number is 01632 960123.", [("01632 960123", "PHONE")]),
    ("Ring the family home on (01632) 960 123.", [("(01632) 960 123", "PHONE")]),
    ("Dad's work line is 020 7946 0958.", [("020 7946 0958", "PHONE")]),
    ("Contact grandparents on +44 (0)161 496 0123.", [("+44 (0)161 496 0123", "PHONE")]),
    ("Aunt's landline 0113 496 0000 is the best number.", [("0113 496 0000", "PHONE")]),
    ("Text 07700-900-321 if no answer.", [("07700-900-321", "PHONE")]),
    # --- emails ----------------------------------------------------------------------------
    ("Email me at j.bloggs@example.org with updates.", [("j.bloggs@example.org", "EMAIL")]),
    ("The parent wrote from mum.of.three+school@example.co.uk yesterday.",
     [("mum.of.three+school@example.co.uk", "EMAIL")]),
    # --- NHS numbers -----------------------------------------------------------------------
    ("The baby's NHS number is 943 476 5919.", [("943 476 5919", "NHS_NUMBER")]),
    ("NHS no: 4505577104 was on the referral form.", [("4505577104", "NHS_NUMBER")]),
    ("Referral included 401-023-2137 in the health section.", [("401-023-2137", "NHS_NUMBER")]),
    ("NHS number 123 456 7890 was given by the GP.", [("123 456 7890", "NHS_NUMBER")]),
    # --- postcodes -------------------------------------------------------------------------
    ("The family moved to WV1 2AB last month.", [("WV1 2AB", "POSTCODE")]),
    ("They now live near SW1A 1AA in London.", [("SW1A 1AA", "POSTCODE")]),
    ("Child placed out of area, postcode M1 1AE.", [("M1 1AE", "POSTCODE")]),
    ("Grandad is in b33 8th now.", [("b33 8th", "POSTCODE")]),
    ("Address ends CR26XH according to the form.", [("CR26XH", "POSTCODE")]),
    # --- dates of birth --------------------------------------------------------------------
    ("DOB 12/03/2015 was wrong on the system.", [("12/03/2015", "DOB")]),
    ("The child was born on 4 June 2019 at home.", [("4 June 2019", "DOB")]),
    ("Date of birth: 2016-11-30, Year 3 pupil.", [("2016-11-30", "DOB")]),
    ("d.o.b. 01.02.18 recorded by health visitor.", [("01.02.18", "DOB")]),
    # --- addresses -------------------------------------------------------------------------
    ("Home visit at 14 Elm Road found the house cold.", [("14 Elm Road", "ADDRESS")]),
    ("Police attended 7a Canal Street twice this week.", [("7a Canal Street", "ADDRESS")]),
    ("She lives on Meadow Bank Close with her nan.", [("Meadow Bank Close", "ADDRESS")]),
    ("Concerns about Flat 3, 22 Station Approach Road.", [("22 Station Approach Road",
                                                          "ADDRESS")]),
    # --- names in sentences ----------------------------------------------------------------
    ("I spoke to Sarah Jones about the referral.", [("Sarah Jones", "NAME")]),
    ("Mrs Patel was really helpful at the strategy meeting.", [("Patel", "NAME")]),
    ("Dr Okafor from the hospital joined late.", [("Okafor", "NAME")]),
    ("Her son Kai has been missing from school.", [("Kai", "NAME")]),
    ("Tracey said the Early Help worker never came back.", [("Tracey", "NAME")]),
    ("The girl, called Amelia, disclosed at school.", [("Amelia", "NAME")]),
    ("We met with Mohammed Khan and his mum.", [("Mohammed Khan", "NAME")]),
    ("Social worker Priya Sharma was off sick.", [("Priya Sharma", "NAME")]),
    ("Liam O'Connor's case took weeks to allocate.", [("Liam O'Connor", "NAME")]),
    ("Grace Williams and her brother were moved.", [("Grace Williams", "NAME")]),
    ("Thanks to PC Hughes for the quick response.", [("Hughes", "NAME")]),
    ("Our DSL, Mr Kowalczyk, chased the LADO.", [("Kowalczyk", "NAME")]),
    ("Jayden told his teacher about the older boys.", [("Jayden", "NAME")]),
    ("Spoke with Aisha about her housing.", [("Aisha", "NAME")]),
    ("J. Patterson rang the duty line twice.", [("J. Patterson", "NAME")]),
    ("I spoke to kirsty in the school office.", [("kirsty", "NAME")]),
    ("Zuleika said she felt unsafe at home.", [("Zuleika", "NAME")]),
    ("The Whitakers' neighbour, the Barker family, called Police.", [("Barker", "NAME")]),
    # --- several at once -------------------------------------------------------------------
    ("Ellie Morgan (12/05/2017), 9 Oak Avenue, WV3 4QT, tel 07700 900111.",
     [("Ellie Morgan", "NAME"), ("12/05/2017", "DOB"), ("9 Oak Avenue", "ADDRESS"),
      ("WV3 4QT", "POSTCODE"), ("07700 900111", "PHONE")]),
    ("Contact John Smith on john.smith@example.net or 0121 496 0777.",
     [("John Smith", "NAME"), ("john.smith@example.net", "EMAIL"), ("0121 496 0777", "PHONE")]),
    ("Baby Noah, NHS 485 777 3456, lives at 3 Mill Lane.",
     [("Noah", "NAME"), ("485 777 3456", "NHS_NUMBER"), ("3 Mill Lane", "ADDRESS")]),
]

NEGATIVES: list[str] = [
    "The Designated Safeguarding Lead made the referral to Children's Services.",
    "Early Help assessments take too long to start in the North locality.",
    "The MASH and the LADO were both really responsive this quarter.",
    "Section 47 enquiries should start within 10 working days.",
    "Working Together to Safeguard Children 2023 is clear on this.",
    "Call 999 if a child is in immediate danger, or 101 for non-emergencies.",
    "We had 1,240 contacts to the front door in 2023/24.",
    "Training on neglect and the Graded Care Profile would help.",
    "Multi-agency working with CAMHS has improved since April.",
    "Will there be more training on thresholds next year?",
    "The Child Safeguarding Practice Review Panel published its report.",
    "Domestic abuse notifications from Police arrive within 24 hours.",
    "Health visitors and school nurses need better information sharing.",
    "Voice of the child is often missing from plans.",
    "The strategy meeting on Monday 3 March 2025 was well chaired.",
    "Our Local Safeguarding Children Partnership annual report is due.",
    "Contextual safeguarding and child criminal exploitation need more focus.",
    "The Independent Reviewing Officer challenged the plan.",
    "Ofsted's inspection praised the Early Help Hub.",
    "Protecting babies: safe sleep messages in 12 languages.",
    "Parents found the Family Hub in town easy to reach.",
    "It takes 3 to 4 weeks to get an appointment with the GP.",
    "Thank you for the Safeguarding Week sessions in November.",
    "The threshold document version 2.1 is easier to read.",
    "Referred on 1 Jan 2024 by Health, allocated in Mar.",
    "Childline said calls about neglect went up.",
    "I asked will they come to the conference?",
]

#: Typed the way people type in chat (tuning table for the lower-case, ALL-CAPS, hyphenated,
#: nickname, initial and cue rules; bench/data/redaction_heldout.jsonl is the held-out check).
CHAT_POSITIVES: list[tuple[str, list[tuple[str, str]]]] = [
    ("any update on bradley nuttall from the strategy meeting", [("bradley nuttall", "NAME")]),
    ("ELLIOT MCGOWAN HAS NOT BEEN SEEN SINCE TUESDAY", [("ELLIOT MCGOWAN", "NAME")]),
    ("Referral about SIENNA-ROSE went in yesterday.", [("SIENNA-ROSE", "NAME")]),
    ("Tayla-Mae has a new social worker.", [("Tayla-Mae", "NAME")]),
    ("The Ashworth-Bailey twins are on a child in need plan.", [("Ashworth-Bailey", "NAME")]),
    ("Gaz turned up at the contact centre again.", [("Gaz", "NAME")]),
    ("Bev on reception was really kind.", [("Bev", "NAME")]),
    ("her brother (Kenzie) is 12", [("Kenzie", "NAME")]),
    ("DI Featherstone chaired the strategy discussion.", [("Featherstone", "NAME")]),
    ("mrs pattinson phoned the nursery", [("pattinson", "NAME")]),
    ("Pupil R.D. told the learning mentor.", [("R.D.", "NAME")]),
    ("Young person (KT, 16) was found in another county.", [("KT", "NAME")]),
    ("Orla at Hollybank Primary is losing weight.", [("Orla", "NAME"),
                                                    ("Hollybank Primary", "SCHOOL")]),
    ("NI number: tw 55 81 02 c", [("tw 55 81 02 c", "NI_NUMBER")]),
    ("they live in wv104jx now", [("wv104jx", "POSTCODE")]),
    ("ring dad on 07700 90 05 71", [("07700 90 05 71", "PHONE")]),
    ("email (paul.gatley@example.org) for the minutes", [("paul.gatley@example.org", "EMAIL")]),
    ("his partner shane is not on the tenancy", [("shane", "NAME")]),
    ("Kaydence's mum has been drinking again.", [("Kaydence", "NAME")]),
    ("police went to 27 thornbury crescent last night", [("27 thornbury crescent", "ADDRESS")]),
]

CHAT_NEGATIVES: list[str] = [
    "THE MASH DID NOT RING BACK",
    "the duty team were short-staffed all week",
    "Who is the Designated Doctor for child deaths?",
    "The Neglect Toolkit is on the partnership website.",
    "Maple House Family Centre runs a parenting course.",
    "will the dsl be told if a teacher is the subject of an allegation",
    "Grandparents asked about special guardianship orders.",
    "Does the Named Nurse attend initial conferences?",
    "ABE interviews need a trained officer.",
    "A BABY WITH A BRUISE MUST BE SEEN BY A PAEDIATRICIAN",
]

POSITIVES += CHAT_POSITIVES
NEGATIVES += CHAT_NEGATIVES
