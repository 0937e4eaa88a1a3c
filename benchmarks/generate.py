"""Write a synthetic, valid improvedir content directory for benchmarks.

    python3 benchmarks/generate.py OUT_DIR [--tactics 5000] [--exemplars 15000] [--seed 1] [--force]

The result looks like the real directory at scale: ``areas.yaml`` with 16 areas (including
``endoscopy``), ``tactics/<id>.yaml`` and ``exemplars/<id>.yaml`` written the way
contributors write them (the ``$schema`` modeline, folded multi-sentence summaries, flow
lists of keywords, block lists of steps, unquoted ``last_verified`` dates), with ids equal
to file stems, every url on example.org and every exemplar naming one or two existing
tactics. Each tactic gets about three exemplars from distinct organisations; a few get
fewer, so ``improvedir check`` has something to report. The same seed gives the same files.

Only the standard library is used, so the generator runs before anything is installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import textwrap
import time
from pathlib import Path

# id, name, parent, synonyms, measures, objects (what tactics in this area work on)
AREAS: list[tuple[str, str, str | None, list[str], list[str], list[str]]] = [
    (
        "diagnostics",
        "Diagnostics",
        None,
        [
            "diagnostic tests",
            "diagnostic waits",
            "six week wait",
            "CDC",
            "community diagnostic centre",
            "echo",
        ],
        [
            "DM01: share of patients waiting 6 weeks or more for one of 15 key diagnostic tests (standard: fewer than 1%)"
        ],
        [
            "community diagnostic centre slots",
            "echocardiography lists",
            "phlebotomy clinics",
            "diagnostic booking",
            "sleep studies",
            "audiology tests",
        ],
    ),
    (
        "endoscopy",
        "Endoscopy",
        "diagnostics",
        [
            "scopes",
            "scoping",
            "colonoscopy",
            "gastroscopy",
            "OGD",
            "flexible sigmoidoscopy",
            "flexi sig",
            "cystoscopy",
            "bronchoscopy",
            "JAG",
            "bowel scope",
        ],
        [
            "DM01: share of patients waiting 6 weeks or more for colonoscopy, gastroscopy, flexible sigmoidoscopy or cystoscopy (standard: fewer than 1%)",
            "Endoscopy activity: the number of endoscopies carried out each month against plan",
        ],
        [
            "colonoscopy lists",
            "gastroscopy slots",
            "bowel preparation",
            "surveillance lists",
            "transnasal endoscopy",
            "endoscopy room utilisation",
            "capsule sponge clinics",
            "FIT triage",
        ],
    ),
    (
        "imaging",
        "Imaging and radiology",
        "diagnostics",
        [
            "radiology",
            "scans",
            "CT",
            "MRI",
            "ultrasound",
            "x-ray",
            "reporting",
            "teleradiology",
            "imaging network",
        ],
        [
            "DM01: share of patients waiting 6 weeks or more for CT, MRI, non-obstetric ultrasound and other imaging tests (standard: fewer than 1%)",
            "Radiology reporting turnaround: 100% of scans reported within 4 weeks",
        ],
        [
            "MRI scanner sessions",
            "CT slots",
            "ultrasound lists",
            "radiology reporting",
            "imaging requests",
            "mobile scanners",
        ],
    ),
    (
        "elective-surgery",
        "Elective surgery and theatres",
        None,
        [
            "theatres",
            "operating theatres",
            "planned care",
            "elective recovery",
            "surgical hub",
            "day case",
            "HVLC",
            "GIRFT",
            "theatre utilisation",
        ],
        [
            "RTT: share of incomplete pathways waiting under 18 weeks (standard: 92%)",
            "Long waits: patients waiting over 52, 65 and 78 weeks",
        ],
        [
            "theatre lists",
            "day case surgery",
            "pre-operative assessment",
            "cataract lists",
            "orthopaedic hub sessions",
            "theatre start times",
            "late cancellations",
        ],
    ),
    (
        "outpatients",
        "Outpatients",
        None,
        [
            "outpatient clinics",
            "clinics",
            "OPD",
            "follow-ups",
            "PIFU",
            "patient initiated follow up",
            "advice and guidance",
            "A&G",
            "DNA",
            "missed appointments",
        ],
        [
            "RTT: share of incomplete pathways waiting under 18 weeks (standard: 92%)",
            "Outpatient follow-ups and patients moved to patient-initiated follow-up (PIFU)",
        ],
        [
            "follow-up appointments",
            "appointment reminders",
            "virtual clinics",
            "advice and guidance requests",
            "clinic templates",
            "did-not-attend rates",
        ],
    ),
    (
        "waiting-list",
        "Waiting list management (RTT and validation)",
        None,
        [
            "RTT",
            "referral to treatment",
            "18 weeks",
            "waiting list",
            "PTL",
            "patient tracking list",
            "validation",
            "long waiters",
            "mutual aid",
            "clinical prioritisation",
        ],
        [
            "RTT: share of incomplete pathways waiting under 18 weeks (standard: 92%)",
            "Validation: RTT pathways validated at 12, 26 and 52 weeks",
        ],
        [
            "the patient tracking list",
            "waiting list validation",
            "long-wait patients",
            "mutual aid requests",
            "clinical prioritisation",
            "referral triage",
        ],
    ),
    (
        "cancer",
        "Cancer pathways",
        None,
        [
            "cancer",
            "oncology",
            "FDS",
            "faster diagnosis standard",
            "28 day",
            "62 day",
            "2WW",
            "urgent suspected cancer",
            "RDC",
            "rapid diagnostic centre",
            "timed pathways",
        ],
        [
            "Faster Diagnosis Standard: cancer diagnosed or ruled out within 28 days (77% in 2024-25; 80% in 2025-26)",
            "62-day standard: urgent referral to first treatment within 62 days (85%)",
        ],
        [
            "straight-to-test pathways",
            "one-stop clinics",
            "timed pathways",
            "best practice pathways",
            "cancer navigators",
            "MDT meetings",
            "tele-dermatology",
        ],
    ),
    (
        "urgent-emergency-care",
        "Urgent and emergency care",
        None,
        [
            "A&E",
            "A and E",
            "ED",
            "emergency department",
            "four hour",
            "12 hour waits",
            "SDEC",
            "same day emergency care",
            "UTC",
            "streaming",
            "UEC",
        ],
        [
            "A&E four-hour standard: share of patients admitted, transferred or discharged within 4 hours",
            "12-hour waits in A&E",
        ],
        [
            "same day emergency care",
            "front door streaming",
            "rapid assessment and treatment",
            "minors pathways",
            "frailty assessment",
            "GP streaming",
        ],
    ),
    (
        "ambulance-handover",
        "Ambulance response and handover",
        None,
        [
            "handover",
            "ambulance handover",
            "lost hours",
            "release to rescue",
            "rapid release",
            "fit to sit",
            "HALO",
            "cohorting",
            "cat 2",
            "ambulance",
        ],
        [
            "Ambulance handover: within 15 minutes, none over 30 minutes",
            "Category 2 response: mean 18 minutes, 90th centile 40 minutes",
        ],
        [
            "ambulance handovers",
            "cohort areas",
            "hear and treat",
            "call before convey",
            "fit to sit areas",
            "handover escalation",
        ],
    ),
    (
        "discharge-flow",
        "Discharge and patient flow",
        None,
        [
            "discharge",
            "delayed discharge",
            "DTOC",
            "no criteria to reside",
            "NCTR",
            "medically optimised",
            "patient flow",
            "length of stay",
            "SAFER",
            "D2A",
            "home first",
        ],
        [
            "Patients no longer meeting the criteria to reside (NCTR) who remain in hospital",
            "General and acute bed occupancy (85% is often cited as the safe level)",
        ],
        [
            "discharge planning",
            "criteria-led discharge",
            "transfer of care hubs",
            "board rounds",
            "discharge lounges",
            "weekend discharges",
            "care home assessments",
        ],
    ),
    (
        "community-services",
        "Community services (virtual wards, urgent community response)",
        None,
        [
            "community",
            "virtual wards",
            "hospital at home",
            "urgent community response",
            "UCR",
            "two hour response",
            "falls response",
            "admission avoidance",
            "intermediate care",
        ],
        [
            "Urgent community response: share of referrals seen within 2 hours",
            "Virtual ward occupancy and capacity",
        ],
        [
            "virtual wards",
            "urgent community response",
            "falls pick-up services",
            "step-up beds",
            "community therapy",
            "remote monitoring",
        ],
    ),
    (
        "mental-health",
        "Mental health",
        None,
        [
            "mental health",
            "MH",
            "OAPs",
            "out of area placements",
            "crisis",
            "crisis cafe",
            "safe haven",
            "street triage",
            "section 136",
            "talking therapies",
            "CAMHS",
        ],
        ["Inappropriate out of area placements (OAPs): active placements and OAP bed days"],
        [
            "crisis cafes",
            "out of area placements",
            "crisis lines",
            "street triage",
            "inpatient bed flow",
            "crisis home treatment",
        ],
    ),
    (
        "primary-care",
        "Primary care access",
        None,
        [
            "GP",
            "GP access",
            "general practice",
            "8am rush",
            "cloud telephony",
            "online consultation",
            "total triage",
            "care navigation",
            "PCN",
            "ARRS",
            "pharmacy first",
        ],
        [
            "GP appointments: patients needing one get it within two weeks, urgent needs the same day",
            "Ending the 8am rush",
        ],
        [
            "total triage",
            "cloud telephony",
            "care navigation",
            "first contact practitioners",
            "online consultations",
            "same-day hubs",
        ],
    ),
    (
        "maternity",
        "Maternity",
        None,
        [
            "maternity",
            "midwifery",
            "obstetrics",
            "labour ward",
            "antenatal",
            "postnatal",
            "maternity triage",
            "BSOTS",
            "continuity of carer",
            "neonatal",
        ],
        [
            "Maternity triage: time from arrival to first assessment",
            "Smoking at time of delivery (SATOD)",
        ],
        [
            "maternity triage",
            "antenatal clinics",
            "induction of labour",
            "smoking cessation in pregnancy",
            "postnatal discharge",
            "birth centre capacity",
        ],
    ),
    (
        "staff-wellbeing",
        "Staff wellbeing and retention",
        None,
        [
            "staff",
            "workforce",
            "wellbeing",
            "burnout",
            "retention",
            "turnover",
            "sickness absence",
            "flexible working",
            "staff survey",
            "Schwartz rounds",
            "PNA",
        ],
        [
            "Staff leaver rate and turnover",
            "Sickness absence rate",
            "NHS Staff Survey: wellbeing and intention to leave",
        ],
        [
            "flexible rostering",
            "legacy mentors",
            "wellbeing hubs",
            "stay conversations",
            "preceptorship",
            "rest spaces",
        ],
    ),
    (
        "patient-safety",
        "Patient safety",
        None,
        [
            "safety",
            "patient safety",
            "harm",
            "incidents",
            "PSIRF",
            "deterioration",
            "NEWS2",
            "sepsis",
            "inpatient falls",
            "pressure ulcers",
            "huddles",
            "Martha's rule",
        ],
        [
            "Patient safety incidents reported and the harm they caused",
            "Inpatient falls and pressure ulcers per 1,000 bed days",
        ],
        [
            "safety huddles",
            "deterioration escalation",
            "falls prevention",
            "pressure ulcer prevention",
            "sepsis screening",
            "learning from incidents",
        ],
    ),
]

VERBS = [
    "Run",
    "Add",
    "Introduce",
    "Set up",
    "Use",
    "Pool",
    "Validate",
    "Book",
    "Redesign",
    "Protect",
    "Standardise",
    "Streamline",
    "Expand",
    "Centralise",
    "Schedule",
    "Nurse-lead",
]
QUALIFIERS = [
    "at weekends",
    "across the network",
    "before the first appointment",
    "with a shared patient tracking list",
    "in the community",
    "with insourced teams",
    "using a daily huddle",
    "with text message reminders",
    "through a single point of access",
    "in a dedicated hub",
    "with protected time for senior clinicians",
    "with a digital booking tool",
    "led by advanced practitioners",
    "seven days a week",
    "by pooling lists between trusts",
    "with real-time dashboards",
]
STAFF = [
    "specialist nurses",
    "consultants",
    "advanced clinical practitioners",
    "booking teams",
    "operational managers",
    "physician associates",
    "healthcare support workers",
    "allied health professionals",
]
BENEFITS = [
    "frees capacity for the patients who need it most",
    "cuts the number of patients waiting over six weeks",
    "reduces cancellations on the day",
    "shortens the time from referral to treatment",
    "makes better use of every list that runs",
    "gives patients a clearer and faster route",
    "stops patients bouncing between services",
    "lowers length of stay without extra beds",
    "brings waits back within the national standard",
    "takes pressure off the front door",
]
SENTENCES = [
    "{Staff} review {object} every week and agree which patients can be seen sooner.",
    "The team redesigns {object} so that no slot goes unused and late changes are filled from a short-notice list.",
    "It {benefit}, and it needs little new money because it uses staff and rooms the trust already has.",
    "Patients are contacted in advance, their details are checked, and anyone who no longer needs the test or treatment is discharged with a clear plan.",
    "A named lead owns {object} and reports progress to the divisional board each month.",
    "Where demand outstrips capacity, neighbouring organisations share {object} through an agreed mutual aid process.",
    "Data on {object} is published daily so that clinicians and managers can act on the same numbers.",
    "The approach was developed with patients and staff and has been adopted by several systems in England.",
    "{Staff} work to agreed protocols, so decisions that used to wait for a consultant are made the same day.",
    "Because it {benefit}, the change pays for itself within a year in most trusts that have tried it.",
]
STEPS = [
    "Agree the criteria and the pathway with {staff} and the clinical lead.",
    "Pull a list of every patient currently waiting for {object} with their referral date and priority.",
    "Map current demand and capacity for {object} week by week.",
    "Give {staff} protected time and training to run the new process.",
    "Set up a short-notice list so cancelled slots are filled the same day.",
    "Write to patients and GPs to explain the change and what happens next.",
    "Track waits, activity and cancellations every week and share them on a dashboard.",
    "Review the results after three months and decide whether to extend the change.",
    "Agree a mutual aid route with neighbouring trusts for the longest waiters.",
    "Hold a daily ten-minute huddle to unblock delays in {object}.",
]
EVIDENCE_TITLES = [
    "GIRFT national report on {object}",
    "NHS England guidance: improving {object}",
    "Case study: how one trust transformed {object}",
    "Evaluation of {object} in the NHS",
    "Nuffield Trust briefing on {object}",
    "Royal College guidance on {object}",
    "The King's Fund: lessons from {object}",
]
SOURCE_TITLES = [
    "{org} annual report",
    "Case study: {org}",
    "{org} board papers",
    "NHS Confederation case study: {org}",
    "{org} news release",
    "Health Service Journal award entry: {org}",
]
OUTCOMES = [
    "Patients waiting over six weeks fell from {a}% to {b}% between {m1} and {m2}.",
    "Activity rose by {a}% over {n} months with no extra staff.",
    "Median wait fell from {w1} weeks to {w2} weeks within {n} months.",
    "Around {c} patients a year avoided an unnecessary procedure.",
    "Cancellations on the day dropped from {a}% to {b}% in the first {n} months.",
    "Length of stay fell by {d} days on average over {n} months.",
]
PLACES = [
    "Barnsley",
    "Bedford",
    "Birmingham",
    "Blackpool",
    "Bolton",
    "Bradford",
    "Brighton",
    "Bristol",
    "Buckinghamshire",
    "Calderdale",
    "Cambridge",
    "Carlisle",
    "Chelsea and Westminster",
    "Cheshire",
    "Chesterfield",
    "Colchester",
    "Cornwall",
    "Coventry",
    "Croydon",
    "Cumbria",
    "Darlington",
    "Derby",
    "Devon",
    "Doncaster",
    "Dorset",
    "Dudley",
    "Durham",
    "East Kent",
    "East Lancashire",
    "East Sussex",
    "Epsom",
    "Exeter",
    "Frimley",
    "Gateshead",
    "Gloucestershire",
    "Harrogate",
    "Hereford",
    "Hertfordshire",
    "Hull",
    "Isle of Wight",
    "Kettering",
    "King's Lynn",
    "Kingston",
    "Lancashire",
    "Leeds",
    "Leicester",
    "Lewisham",
    "Lincolnshire",
    "Liverpool",
    "Luton",
    "Manchester",
    "Medway",
    "Mid Yorkshire",
    "Milton Keynes",
    "Newcastle",
    "Norfolk",
    "Northampton",
    "Northumbria",
    "Nottingham",
    "Oxford",
    "Plymouth",
    "Portsmouth",
    "Preston",
    "Reading",
    "Rotherham",
    "Royal Berkshire",
    "Salford",
    "Salisbury",
    "Sandwell",
    "Sheffield",
    "Sherwood Forest",
    "Shrewsbury",
    "Somerset",
    "Southampton",
    "Southend",
    "Stockport",
    "Stoke",
    "Sunderland",
    "Surrey",
    "Swindon",
    "Tameside",
    "Torbay",
    "Walsall",
    "Warrington",
    "Warwick",
    "West Hertfordshire",
    "West Suffolk",
    "Whittington",
    "Wigan",
    "Wirral",
    "Wolverhampton",
    "Worcestershire",
    "Wye Valley",
    "Yeovil",
    "York",
    "Airedale",
    "Basildon",
    "Bath",
    "Chorley",
    "Dartford",
]
ORG_KINDS = [
    "Teaching Hospitals NHS Foundation Trust",
    "University Hospitals NHS Foundation Trust",
    "Hospitals NHS Trust",
    "NHS Foundation Trust",
    "Community Healthcare NHS Trust",
    "and District NHS Foundation Trust",
    "Integrated Care Board",
    "Primary Care Network",
    "Partnership NHS Foundation Trust",
]
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jo",
    "Kate",
    "Liam",
    "Maya",
    "Nadia",
    "Owen",
    "Priya",
    "Rachel",
    "Sam",
    "Tom",
    "Uma",
    "Victoria",
    "Will",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Murphy",
    "Nolan",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Walker",
    "Wright",
    "Young",
]
HONORIFICS = ["", "", "Dr ", "Professor ", "Mr ", "Ms "]
ROLES = [
    "Clinical Lead",
    "Endoscopy Unit Manager",
    "Divisional Director of Operations",
    "Consultant Gastroenterologist",
    "Lead Nurse",
    "Head of Performance",
    "Service Improvement Manager",
    "Associate Medical Director",
    "Deputy Chief Operating Officer",
    "Quality Improvement Lead",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ()./%',-]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def q(text: str) -> str:
    """A YAML scalar for ``text``: plain when unambiguous, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) if "," in i else q(i) for i in items) + "]"


def folded(text: str) -> str:
    lines = textwrap.wrap(text, width=86, break_long_words=False, break_on_hyphens=False)
    return ">-\n" + "".join(f"  {line}\n" for line in lines)


def slug(text: str, words: int = 6) -> str:
    parts = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return "-".join(parts[:words])


def areas_yaml() -> str:
    out = [
        "# yaml-language-server: $schema=../schemas/areas.schema.json\n",
        "#\n# Synthetic areas for benchmarks (generated by benchmarks/generate.py).\n",
    ]
    for ident, name, parent, synonyms, measures, _objects in AREAS:
        out.append(f"- id: {ident}\n  name: {q(name)}\n")
        if parent:
            out.append(f"  parent: {parent}\n")
        out.append(f"  synonyms: {flow(synonyms)}\n")
        out.append(f"  measures: {flow(measure_ids(ident, measures))}\n\n")
    return "".join(out)


def measure_ids(area: str, measures: list[str]) -> list[str]:
    return [f"{area}-measure-{n + 1}" for n in range(len(measures))]


def measures_yaml() -> str:
    """One catalogue entry per area measure line: its code before the colon, its text as
    the standard, an example.org source."""
    out = [
        "# yaml-language-server: $schema=../schemas/measures.schema.json\n",
        "#\n# Synthetic measures for benchmarks (generated by benchmarks/generate.py).\n",
    ]
    for ident, _name, _parent, _synonyms, measures, _objects in AREAS:
        for mid, text in zip(measure_ids(ident, measures), measures, strict=True):
            code, _, rest = text.partition(":")
            out.append(
                f"- id: {mid}\n  codes: {flow([code])}\n  name: {q(code)}\n"
                f"  standard: {q(rest.strip() or text)}\n  areas: [{ident}]\n"
                f"  sources:\n    - title: {q(code + ' standard')}\n"
                f"      url: https://example.org/measures/{mid}\n"
            )
    return "".join(out)


def sentence(rng: random.Random, template: str, obj: str) -> str:
    staff = rng.choice(STAFF)
    return template.format(
        object=obj, staff=staff, Staff=staff[0].upper() + staff[1:], benefit=rng.choice(BENEFITS)
    )


def make_tactic(rng: random.Random, index: int) -> tuple[str, str, str]:
    area = AREAS[index % len(AREAS)]
    area_id, _name, parent, synonyms, measures, objects = area
    obj = rng.choice(objects)
    title = f"{rng.choice(VERBS)} {obj} {rng.choice(QUALIFIERS)}"
    ident = f"{slug(title)}-{index + 1}"
    areas = [area_id]
    if parent:
        areas.append(parent)
    if rng.random() < 0.35:
        other = rng.choice(AREAS)[0]
        if other not in areas:
            areas.append(other)
    summary = " ".join(sentence(rng, t, obj) for t in rng.sample(SENTENCES, rng.randint(3, 5)))
    keywords = rng.sample(synonyms, min(len(synonyms), rng.randint(3, 6))) + [obj]
    steps = [sentence(rng, t, obj) for t in rng.sample(STEPS, rng.randint(3, 7))]
    out = [
        "# yaml-language-server: $schema=../../schemas/tactic.schema.json\n",
        f"id: {ident}\n",
        f"title: {q(title)}\n",
        f"summary: {folded(summary)}",
        f"areas: {flow(areas)}\n",
        f"keywords: {flow(keywords)}\n",
        f"measures: {flow(measure_ids(area_id, measures)[:2])}\n",
        "steps:\n",
        *(f"  - {q(s)}\n" for s in steps),
        "evidence:\n",
    ]
    for n, template in enumerate(rng.sample(EVIDENCE_TITLES, rng.randint(1, 3))):
        etitle = template.format(object=obj)
        out.append(
            f"  - title: {q(etitle)}\n"
            f"    url: https://example.org/evidence/{slug(etitle, 8)}-{index + 1}-{n + 1}\n"
        )
    return ident, obj, "".join(out)


def make_orgs(rng: random.Random, count: int) -> list[tuple[str, str | None]]:
    names = [f"{place} {kind}" for place in PLACES for kind in ORG_KINDS]
    rng.shuffle(names)
    codes: set[str] = set()
    orgs = []
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    for name in names[:count]:
        code = None
        if rng.random() < 0.7:
            while code is None or code in codes:
                code = "R" + "".join(rng.choice(alphabet) for _ in range(rng.choice((2, 4))))
            codes.add(code)
        orgs.append((name, code))
    return orgs


def make_exemplar(
    rng: random.Random, index: int, tactic_ids: list[str], obj: str, org: tuple[str, str | None]
) -> tuple[str, str]:
    org_name, ods = org
    ident = f"{slug(org_name, 3)}-{slug(obj, 3)}-{index + 1}"
    summary = f"{org_name} looked again at how it handled {obj}. " + " ".join(
        sentence(rng, t, "the service") for t in rng.sample(SENTENCES, rng.randint(2, 4))
    )
    out = [
        "# yaml-language-server: $schema=../../schemas/exemplar.schema.json\n",
        f"id: {ident}\n",
        f"tactics: {flow(tactic_ids)}\n",
        "organisation:\n",
        f"  name: {q(org_name)}\n",
    ]
    if ods:
        out.append(f"  ods_code: {ods}\n")
    out.append(f"summary: {folded(summary)}")
    if rng.random() < 0.85:
        y1 = rng.randint(2019, 2024)
        a = rng.randint(12, 45)
        outcome = rng.choice(OUTCOMES).format(
            a=a,
            b=rng.randint(1, a - 5),
            m1=f"{rng.choice(MONTHS)} {y1}",
            m2=f"{rng.choice(MONTHS)} {y1 + 1}",
            n=rng.randint(3, 18),
            w1=rng.randint(10, 30),
            w2=rng.randint(2, 9),
            c=rng.randint(50, 2000),
            d=round(rng.uniform(0.3, 3.0), 1),
        )
        out.append(f"outcome: {folded(outcome)}")
        out.append("result: measured\n")
    else:
        out.append(f"result: {rng.choice(('reported', 'planned'))}\n")
    contacts = []
    for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        role = rng.choice(ROLES)
        lines = []
        if rng.random() < 0.9:
            lines.append(f"name: {q(rng.choice(HONORIFICS) + first + ' ' + last)}")
        lines.append(f"role: {q(role)}")
        if rng.random() < 0.4:
            lines.append(f"email: {first.lower()}.{last.lower()}@example.org")
            # A consent record, recent enough to be live for a year or more after writing
            # (consent lasts two years), so validate's timing is not swamped by warnings.
            given = dt.date.today() - dt.timedelta(days=rng.randint(0, 365))
            lines.append(f"consent: {{given: {given.isoformat()}, how: email}}")
        contacts.append("  - " + "\n    ".join(lines) + "\n")
    out.append("contacts:" + (" []\n" if not contacts else "\n" + "".join(contacts)))
    out.append("sources:\n")
    org_slug = slug(org_name, 4)
    for n, template in enumerate(rng.sample(SOURCE_TITLES, rng.randint(1, 3))):
        stitle = template.format(org=org_name)
        out.append(
            f"  - title: {q(stitle)}\n"
            f"    url: https://example.org/{org_slug}/{slug(stitle, 8)}-{index + 1}-{n + 1}\n"
            f"    kind: {rng.choice(KINDS)}\n"
        )
    year = rng.choice((2023, 2024, 2025, 2025, 2026, 2026))
    out.append(f"last_verified: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n")
    return ident, "".join(out)


KINDS = ("organisation", "news", "sector-body", "peer-reviewed", "national-body", "vendor")


def generate(out_dir: Path, tactics: int, exemplars: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    (out_dir / "tactics").mkdir(parents=True, exist_ok=True)
    (out_dir / "exemplars").mkdir(parents=True, exist_ok=True)
    (out_dir / "areas.yaml").write_text(areas_yaml(), encoding="utf-8")
    (out_dir / "measures.yaml").write_text(measures_yaml(), encoding="utf-8")

    tactic_ids = []
    objects: dict[str, str] = {}
    for i in range(tactics):
        ident, obj, text = make_tactic(rng, i)
        (out_dir / "tactics" / f"{ident}.yaml").write_text(text, encoding="utf-8")
        tactic_ids.append(ident)
        objects[ident] = obj

    # About three exemplars per tactic; 4% of them go to a random tactic instead, so some
    # tactics fall short of cover and a few popular ones have many.
    orgs = make_orgs(rng, 600)
    slots = [tactic_ids[i % tactics] for i in range(exemplars)] if tactics else []
    for i in range(len(slots)):
        if rng.random() < 0.04:
            slots[i] = rng.choice(tactic_ids)
    rng.shuffle(slots)
    for j, first in enumerate(slots):
        named = [first]
        if rng.random() < 0.3:
            second = rng.choice(tactic_ids)
            if second != first:
                named.append(second)
        ident, text = make_exemplar(rng, j, named, objects[first], rng.choice(orgs))
        (out_dir / "exemplars" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return tactics, len(slots)


def clear(out_dir: Path) -> None:
    """Remove what a previous run wrote (areas.yaml, measures.yaml, tactics/, exemplars/),
    nothing else."""
    (out_dir / "areas.yaml").unlink(missing_ok=True)
    (out_dir / "measures.yaml").unlink(missing_ok=True)
    for kind in ("tactics", "exemplars"):
        folder = out_dir / kind
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--tactics", type=int, default=5000)
    parser.add_argument("--exemplars", type=int, default=15000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--force", action="store_true", help="replace the content of a non-empty OUT_DIR"
    )
    args = parser.parse_args(argv)
    if args.tactics < 1 or args.exemplars < 0:
        parser.error("--tactics must be at least 1 and --exemplars at least 0")
    out_dir: Path = args.out_dir
    if out_dir.exists() and not out_dir.is_dir():
        parser.error(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not args.force:
            print(f"error: {out_dir} is not empty; pass --force to replace it", file=sys.stderr)
            return 1
        clear(out_dir)
    start = time.perf_counter()
    tactics, exemplars = generate(out_dir, args.tactics, args.exemplars, args.seed)
    elapsed = time.perf_counter() - start
    print(
        f"Wrote {len(AREAS)} areas, {tactics} tactics and {exemplars} exemplars to {out_dir} "
        f"in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
