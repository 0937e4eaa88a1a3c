"""Everyday words for what the directory names otherwise.

A patient writes "jabs", a councillor "kids", a reporter "bed blocking", a nurse "the
chemist"; the tactics say vaccination, children, delayed discharge and pharmacy. Each word
here is read as the directory's word, in queries and content alike (see
``search.READ_AS``), so the everyday word meets the tactics instead of voting against them
as an English word the directory never uses.

Only words with one sense in a query about NHS services belong here: "drugs" may be
medicines or substance misuse, "surgery" an operation or a GP practice, "poorly" ill or
badly, "fell" a fall or a figure going down, "disabled" a physical disability where the directory
means learning disability, "salary" is an HR question, "mum" is as often
a family errand, so none of them is. Most entries were
proposed from the tactic files and the directory's vocabulary (never from evaluation
queries), each checked to be absent from the directory's own words and its target present.
"""

EVERYDAY: dict[str, str] = {
    **dict.fromkeys(["abdomen", "belly", "tummy"], "abdominal"),
    "absenteeism": "absence",
    "hospitalisation": "admission",
    "hospitalisations": "admissions",
    "hospitalised": "admitted",
    "alzheimers": "alzheimer",
    **dict.fromkeys(["ambo", "ambos"], "ambulance"),
    "anorexic": "anorexia",
    "prenatal": "antenatal",
    "anxious": "anxiety",
    "apprentice": "apprentices",
    **dict.fromkeys(["asthmatic", "asthmatics"], "asthma"),
    **dict.fromkeys(["audiologist", "audiologists"], "audiology"),
    # now diagnosed within autism spectrum
    **dict.fromkeys(["asperger", "aspergers"], "autism"),
    **dict.fromkeys(["infant", "infants", "newborn", "newborns"], "baby"),
    "bedsore": "bedsores",
    "childbirth": "birth",
    # "bed blocking" is delayed discharge; the tactics use the phrase
    **dict.fromkeys(["bedblockers", "bedblocking"], "blocking"),
    "breastfeed": "breastfeeding",
    "bulimic": "bulimia",
    **dict.fromkeys(
        ["cancerous", "carcinoma", "malignancies", "malignancy", "malignant"], "cancer"
    ),
    "caregiver": "carer",
    "caregivers": "carers",
    # smear test = cervical screening
    **dict.fromkeys(["smear", "smears"], "cervical"),
    **dict.fromkeys(
        ["child", "childrens", "kid", "kids", "schoolchildren", "toddler", "toddlers"], "children"
    ),
    **dict.fromkeys(["contraceptive", "contraceptives"], "contraception"),
    **dict.fromkeys(["counsellor", "counsellors"], "counselling"),
    **dict.fromkeys(["coronavirus", "covid19"], "covid"),
    **dict.fromkeys(["overcrowded", "overcrowding"], "crowding"),
    **dict.fromkeys(["die", "died", "dies", "dying", "fatality"], "death"),
    "fatalities": "deaths",
    "defib": "defibrillator",
    "defibs": "defibrillators",
    "delirious": "delirium",
    **dict.fromkeys(["dental", "dentist", "dentists"], "dentistry"),
    "depressed": "depression",
    # detained under the Mental Health Act
    "sectioned": "detained",
    **dict.fromkeys(["diabetic", "diabetics"], "diabetes"),
    **dict.fromkeys(["dietician", "dieticians", "dietitian"], "dietitians"),
    # C. diff = Clostridioides difficile
    "cdiff": "difficile",
    # home care = domiciliary care
    "homecare": "domiciliary",
    **dict.fromkeys(["pensioner", "pensioners"], "elderly"),
    "epileptic": "epilepsy",
    **dict.fromkeys(["blunder", "blunders", "error", "mistake", "mistakes"], "errors"),
    **dict.fromkeys(["faller", "fallers"], "fall"),
    # UK spelling
    **dict.fromkeys(["fetus", "foetal", "foetus"], "fetal"),
    **dict.fromkeys(["fireman", "firemen"], "firefighters"),
    "influenza": "flu",
    # Freedom to Speak Up is the NHS term
    **dict.fromkeys(["whistleblower", "whistleblowers", "whistleblowing"], "ftsu"),
    "gps": "gp",
    "haematologist": "haematology",
    "infirmary": "hospital",
    "infirmaries": "hospitals",
    "homebound": "housebound",
    "handwashing": "hygiene",
    "hyperactive": "hyperactivity",
    # hypoglycaemic episode
    "hypo": "hypoglycaemia",
    "incontinent": "incontinence",
    "contagious": "infectious",
    "injured": "injury",
    # intensive care unit; intensive therapy unit = intensive care
    **dict.fromkeys(["icu", "itu"], "intensive"),
    "quarantine": "isolation",
    **dict.fromkeys(["mammogram", "mammograms"], "mammography"),
    "matron": "matrons",
    "medic": "medics",
    "mentally": "mental",
    "midwives": "midwife",
    "miscarried": "miscarriage",
    **dict.fromkeys(["neonate", "neonates"], "neonatal"),
    "noro": "norovirus",
    **dict.fromkeys(["optometrist", "optometrists"], "optician"),
    "overdose": "overdoses",
    # hospice care = palliative care
    **dict.fromkeys(["hospice", "hospices"], "palliative"),
    **dict.fromkeys(["folk", "folks"], "people"),
    "perimenopausal": "perimenopause",
    **dict.fromkeys(["chemist", "chemists"], "pharmacy"),
    **dict.fromkeys(["phlebotomist", "phlebotomists"], "phlebotomy"),
    **dict.fromkeys(["telephone", "telephones"], "phone"),
    **dict.fromkeys(
        ["chiropodist", "chiropodists", "chiropody", "podiatrist", "podiatrists"], "podiatry"
    ),
    **dict.fromkeys(["coppers", "cops"], "police"),
    **dict.fromkeys(["psychologist", "psychologists"], "psychology"),
    "psychotic": "psychosis",
    "readmitted": "readmission",
    "septic": "sepsis",
    "snore": "snoring",
    "personnel": "staff",
    "stillborn": "stillbirth",
    **dict.fromkeys(["cigarette", "cigarettes"], "tobacco"),
    **dict.fromkeys(["loo", "loos"], "toilet"),
    **dict.fromkeys(["jobless", "unemployed"], "unemployment"),
    # lay term for (lower) urinary tract infection
    "cystitis": "uti",
    **dict.fromkeys(
        [
            "immunisation",
            "immunisations",
            "immunise",
            "jab",
            "jabs",
            "vaccinated",
            "vaccine",
            "vaccines",
        ],
        "vaccination",
    ),
    "eyesight": "vision",
    **dict.fromkeys(["waitlist", "waitlists"], "waiting"),
    **dict.fromkeys(
        [
            "adolescent",
            "adolescents",
            "teen",
            "teenage",
            "teenager",
            "teenagers",
            "teens",
            "younger",
            "youngster",
            "youngsters",
            "youth",
        ],
        "young",
    ),
}
