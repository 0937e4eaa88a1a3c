"""Ranking on the bundled directory: a realistic query set, scored by hit@1 and MRR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from improvedir.content.validate import load_directory
from improvedir.engine.search import Index, stem, tokens

CONTENT = Path(__file__).resolve().parents[1] / "content"

# What performance managers and improvement leads actually type, with the tactics that
# would be a right first answer.
QUERIES: list[tuple[str, set[str]]] = [
    (
        "endoscopy",
        {
            "endoscopy-insourced-weekend-lists",
            "endoscopy-list-productivity",
            "endoscopy-transnasal-endoscopy",
            "endoscopy-clinical-validation-waiting-list",
        },
    ),
    (
        "scopes",
        {
            "endoscopy-insourced-weekend-lists",
            "endoscopy-list-productivity",
            "endoscopy-transnasal-endoscopy",
            "endoscopy-grow-endoscopist-workforce",
        },
    ),
    (
        "endoscpy",
        {
            "endoscopy-insourced-weekend-lists",
            "endoscopy-list-productivity",
            "endoscopy-transnasal-endoscopy",
        },
    ),
    (
        "colonoscopy waiting list",
        {
            "endoscopy-clinical-validation-waiting-list",
            "endoscopy-insourced-weekend-lists",
            "endoscopy-fit-triage-lower-gi",
        },
    ),
    ("weekend endoscopy lists", {"endoscopy-insourced-weekend-lists"}),
    ("insourcing", {"endoscopy-insourced-weekend-lists"}),
    ("FIT lower GI", {"endoscopy-fit-triage-lower-gi"}),
    ("nurse endoscopists", {"endoscopy-grow-endoscopist-workforce"}),
    ("barretts cytosponge", {"endoscopy-capsule-sponge"}),
    ("transnasal", {"endoscopy-transnasal-endoscopy"}),
    ("surveillance colonoscopy backlog", {"endoscopy-clinical-validation-waiting-list"}),
    (
        "DM01",
        {
            "diagnostics-community-diagnostic-centre",
            "diagnostics-reclaim-unused-slots",
            "endoscopy-insourced-weekend-lists",
            "imaging-extended-hours-scanning",
        },
    ),
    ("community diagnostic centre", {"diagnostics-community-diagnostic-centre"}),
    ("echo unused slots", {"diagnostics-reclaim-unused-slots"}),
    ("MRI evenings weekends", {"imaging-extended-hours-scanning"}),
    ("chest x-ray lung cancer", {"imaging-rapid-chest-xray-to-ct"}),
    (
        "28 day faster diagnosis",
        {
            "cancer-non-specific-symptoms-rapid-diagnostic-centre",
            "cancer-one-stop-prostate-diagnostic-clinic",
            "cancer-teledermatology-skin-cancer-triage",
        },
    ),
    ("2WW skin", {"cancer-teledermatology-skin-cancer-triage"}),
    ("prostate", {"cancer-one-stop-prostate-diagnostic-clinic"}),
    ("prehab", {"cancer-prehabilitation-programme"}),
    ("vague symptoms cancer", {"cancer-non-specific-symptoms-rapid-diagnostic-centre"}),
    ("surgical hub", {"elective-ring-fenced-surgical-hub"}),
    ("day case knee", {"elective-day-case-joint-replacement"}),
    ("theatre utilisation", {"elective-theatre-scheduling-utilisation"}),
    ("super saturday", {"elective-super-saturday-high-volume-lists"}),
    ("cataract", {"elective-high-flow-cataract-surgery"}),
    ("pre-op assessment", {"elective-digital-preoperative-assessment"}),
    ("PIFU", {"outpatients-patient-initiated-follow-up"}),
    (
        "one stop clinic",
        {"outpatients-one-stop-clinic", "cancer-one-stop-prostate-diagnostic-clinic"},
    ),
    ("DNA rates", {"outpatients-dna-reduction-smart-reminders"}),
    ("advice and guidance", {"outpatients-advice-and-guidance"}),
    (
        "RTT validation",
        {"waiting-list-digital-patient-validation", "waiting-list-clinical-validation-triage"},
    ),
    ("long waiters clinical prioritisation", {"waiting-list-clinical-validation-triage"}),
    (
        "A&E",
        {
            "uec-front-door-streaming",
            "uec-same-day-emergency-care",
            "uec-ambulance-direct-pathways",
        },
    ),
    (
        "four hour standard",
        {
            "uec-front-door-streaming",
            "uec-same-day-emergency-care",
            "uec-ambulance-direct-pathways",
        },
    ),
    ("SDEC", {"uec-same-day-emergency-care"}),
    ("hear and treat", {"uec-999-clinical-hub-hear-and-treat"}),
    ("urgent treatment centre", {"uec-front-door-streaming"}),
    (
        "ambulance handover delays",
        {"handover-joint-improvement-programme", "handover-ambulance-handover-unit"},
    ),
    ("handover cohort area", {"handover-ambulance-handover-unit"}),
    (
        "delayed discharge",
        {
            "discharge-to-assess-home-first",
            "discharge-transfer-of-care-hub",
            "discharge-criteria-led",
            "discharge-safer-red-to-green",
        },
    ),
    ("red2green", {"discharge-safer-red-to-green"}),
    ("criteria led discharge", {"discharge-criteria-led"}),
    (
        "virtual ward",
        {
            "community-frailty-virtual-ward",
            "community-respiratory-virtual-ward",
            "community-heart-failure-at-home",  # a heart failure virtual ward, added later
        },
    ),
    ("COPD hospital at home", {"community-respiratory-virtual-ward"}),
    (
        "2 hour urgent community response",
        {"community-ucr-takes-ambulance-calls", "community-ucr-single-triage-hub"},
    ),
    (
        "falls",
        {
            "community-falls-response-car",
            "safety-ward-safety-huddles",
            "safety-inpatient-falls-prevention-programme",
        },
    ),
    ("inpatient falls", {"safety-inpatient-falls-prevention-programme"}),
    ("out of area placements", {"mental-health-reduce-out-of-area-placements"}),
    ("street triage police", {"mental-health-street-triage-with-police"}),
    ("crisis cafe", {"mental-health-crisis-cafe-safe-haven"}),
    ("crisis assessment centre", {"mental-health-crisis-assessment-centre"}),
    ("8am rush", {"primary-care-total-triage"}),
    ("first contact physio", {"primary-care-first-contact-physiotherapy"}),
    ("pharmacy first", {"primary-care-refer-to-community-pharmacy"}),
    ("maternity triage", {"maternity-bsots-triage"}),
    (
        "smoking in pregnancy",
        {
            "maternity-inhouse-tobacco-dependence-service",
            "maternity-smoking-cessation-financial-incentives",
        },
    ),
    ("preterm babies", {"maternity-preterm-optimisation-bundle"}),
    ("menopause", {"staff-menopause-support"}),
    (
        "nurse retention",
        {
            "staff-career-conversations-internal-transfer",
            "staff-legacy-mentors",
            "staff-team-based-rostering",
        },
    ),
    ("self rostering", {"staff-team-based-rostering"}),
    ("international nurses", {"staff-international-nurse-pastoral-support"}),
    ("martha's rule", {"safety-call-for-concern-escalation"}),
    ("safety huddle", {"safety-ward-safety-huddles"}),
]


@pytest.fixture(scope="module")
def index() -> Index:
    loaded = load_directory(CONTENT)
    return Index(loaded.directory)


def test_query_set_is_realistic_and_large_enough(index):
    assert len(QUERIES) >= 40
    for _query, expected in QUERIES:
        assert expected <= set(index.directory.tactics), expected - set(index.directory.tactics)


def test_ranking_hit_at_1_and_mrr(index, capsys):
    reciprocal = []
    misses = []
    for query, expected in QUERIES:
        ranked = [h.tactic.id for h in index.search(query, limit=10).hits]
        rank = next((i for i, t in enumerate(ranked, 1) if t in expected), None)
        reciprocal.append(1 / rank if rank else 0.0)
        if rank != 1:
            misses.append((query, ranked[:3]))
    hit1 = sum(1 for r in reciprocal if r == 1.0) / len(QUERIES)
    mrr = sum(reciprocal) / len(QUERIES)
    with capsys.disabled():
        print(f"\nsearch quality on {len(QUERIES)} queries: hit@1={hit1:.3f} MRR={mrr:.3f}")
    assert hit1 >= 0.95, misses
    assert mrr >= 0.97, misses


def test_area_words_and_abbreviations_tokenise_as_people_write_them():
    assert tokens("A&E waits") == ["a&e", "wait"]
    assert tokens("A and E") == ["a&e"]
    assert tokens("Scopes and DM01") == tokens("scope dm01")
    # a word and its everyday forms meet; abbreviations stay whole
    assert tokens("falling waiting nursing") == tokens("falls waits nurse")
    assert tokens("ED GP CT") == ["ed", "gp", "ct"]


def test_no_match_is_empty_not_a_list_of_weak_matches(index):
    results = index.search("xylophone quartet")
    assert results.hits == []
    assert results.unknown == ["xylophone", "quartet"]


def test_typo_is_corrected_to_a_directory_word(index):
    results = index.search("endoscpy")
    assert results.corrections == {"endoscpy": "endoscopy"}
    assert results.areas == ["endoscopy"]


def test_shorthand_reads_as_the_word_it_stands_for():
    assert tokens("52 wk breaches ortho") == tokens("52 week breaches orthopaedics")
    assert tokens("stranded pts, physio appts") == tokens(
        "stranded patients physiotherapy appointments"
    )


def test_a_typo_is_corrected_to_the_word_the_directory_uses_most(index):
    # 'dating' and 'waiting' are both one edit from 'wating'; the directory means waiting
    assert index.search("physio wating list").corrections == {"wating": "waiting"}


def test_words_met_by_chance_outside_any_named_area_give_nothing(index):
    for query in ("how to record a teams meeting", "teams meeting link", "MADE event"):
        assert index.search(query).hits == [], query
    # two words that describe one tactic are still enough
    hits = index.search("international nurses").hits
    assert hits[0].tactic.id == "staff-international-nurse-pastoral-support"


def test_a_phrase_around_an_area_name_says_what_the_query_is_about(index):
    # 'clinics' names outpatients, but 'hot clinics' describes same day emergency care
    results = index.search("hot clinics")
    assert results.hits[0].tactic.id == "uec-same-day-emergency-care"
    assert "outpatients" not in results.areas


def test_a_lone_letter_or_a_measure_name_does_not_pull_in_another_area(index):
    # 'd' meets "D2A" and 'stroke unit' the measures of urgent care's area: neither makes
    # a discharge or A&E tactic the answer to a stroke question
    for query in ("ssnap band d", "stroke patients not getting to the stroke unit quick enough"):
        hits = index.search(query).hits
        assert [h.tactic.areas[0] for h in hits[:3]] == ["stroke"] * 3, query


def test_a_measure_the_query_names_puts_the_tactics_that_move_it_first(index):
    # 'nctr' names the discharge area and the no-criteria-to-reside measure; 'cat 2' and
    # 'handover delays' name ambulance measures: a tactic that moves the measure comes
    # before one that only shares its area (the discharge lounge, volunteer responders)
    hits = index.search("nctr numbers going up").hits
    assert "no-criteria-to-reside" in hits[0].tactic.measures
    hits = index.search("cat 2 poor because of handover delays").hits
    assert {"ambulance-cat-2", "ambulance-handover"} & set(hits[0].tactic.measures)
    hits = index.search("c diff over threshold").hits
    assert [h.tactic.measures for h in hits[:3]] == [("c-difficile",)] * 3


def test_a_named_area_puts_its_own_tactics_before_those_that_also_serve_it(index):
    # a mental health crisis centre also eases A&E, but "A&E" asks first for A&E's own
    for query, area in (
        ("A&E", "urgent-emergency-care"),
        ("deteriorating patients", "patient-safety"),
    ):
        hits = index.search(query).hits
        assert hits[0].tactic.areas[0] == area, query


def test_a_name_with_only_generic_words_around_it_still_names_its_area(index):
    # one tactic's keyword is 'endoscopy waiting list', but 'waiting list' adds nothing
    # telling to 'endoscopy', so the query is still about endoscopy
    results = index.search("endoscophy waiting list")
    assert results.areas == ["endoscopy"]
    assert all("endoscopy" in h.tactic.areas for h in results.hits[:5])


def test_the_start_of_a_measure_code_names_it_only_when_the_rest_is_generic(index):
    # 'mental health' begins the code 'mental health support teams' (children's access)
    # but names no measure; '78 week' still names the measure coded '78 week waits'
    results = index.search("mental health patients waiting days in a&e")
    assert "cyp-mh-access" not in results.measures
    assert not any(h.tactic.id.startswith("cyp-") for h in results.hits[:3])
    assert index.search("78 week").measures == ["rtt-52-weeks"]


def test_negations_read_alike_and_are_never_corrected(index):
    # "can't", "cant" and "cannot" are one word: the GP access keyword "can't get
    # through" is met however it is typed, and 'dont' is not 'corrected' to 'done'
    assert tokens("can't get through") == tokens("cant get through")
    assert tokens("cannot get through") == tokens("cant get through")
    for query in ("cant get through to the GP", "patients can't get through to the GP"):
        assert index.search(query).hits[0].tactic.id == "primary-care-total-triage", query
    assert index.search("patients dont turn up").corrections == {}


def test_a_phrase_of_generic_words_is_one_voice(index):
    # 'waiting list' names the waiting list area, but as one voice against the two
    # words the directory lacks, so a tennis club's waiting list is not an NHS one
    assert index.search("tennis club waiting list").hits == []
    assert index.search("waiting list").hits


def test_a_topic_no_tactic_covers_finds_nothing_and_is_named(index):
    # PSIRF and autism assessment are subjects within an area, not names for it: the
    # area's other tactics (cannula care, eating disorders) are not an answer
    for query, topic, area in (
        ("psirf", "PSIRF", "patient-safety"),
        ("PSIRF rollout", "PSIRF", "patient-safety"),
        (
            "kids waiting over a year for autism assessment",
            "autism assessment",
            "children-young-people",
        ),
    ):
        results = index.search(query)
        assert results.hits == [], query
        assert results.topics == [topic] and area in results.near, query
        assert results.corrections == {}, query
    # 'autism' alone still names the learning disability and autism area
    assert index.search("autism").hits


def test_an_everyday_word_the_directory_never_uses_outvotes_an_nhs_word(index):
    # 'tickets', 'club' and 'jab' are everyday English the directory never uses: the query
    # is about something else, though it names theatres, waiting lists or staff
    for query in (
        "theatre tickets london saturday",
        "tennis club waiting list",
        "flu jab for staff booking",
    ):
        assert index.search(query).hits == [], query
    # jargon the directory lacks ('vwa') may be NHS talk, so it is not held against one
    assert index.search("theatre utilisation vwa").hits[0].tactic.id == (
        "elective-theatre-scheduling-utilisation"
    )
    # and 'kids' is a name for children's services
    assert index.search("kids mental health waits").hits[0].tactic.id.startswith("cyp-")


def test_number_words_are_digits_and_a_name_inside_a_longer_name_names_nothing(index):
    assert tokens("two week wait") == tokens("2 week wait")
    assert tokens("four hour standard") == tokens("4 hour standard")
    # "EIP two week" is the psychosis standard: the "2 week" inside it is not cancer's
    results = index.search("EIP two week standard")
    assert results.measures == ["early-intervention-psychosis"]
    # no tactic moves that measure, so its area's other tactics are not brought in: only
    # a tactic that mentions EIP itself
    assert results.hits and all("eip" in h.matched for h in results.hits)
    assert not any(h.tactic.id.startswith(("cancer-", "cyp-")) for h in results.hits)


def test_words_about_how_a_standard_is_doing_leave_the_standard_to_speak(index):
    # 'breaches', 'per cent', 'conversion', 'schemes' say how it is going, not what about
    for query, measure in (
        ("31-day standard breaches", "cancer-31-day"),
        ("A&E 4 hour 78 per cent", "ae-4-hour"),
    ):
        hits = index.search(query).hits
        assert hits and measure in hits[0].tactic.measures, query
    # radiotherapy is a topic no tactic covers: the standard's surgical tactics are not
    # an answer to it, and the person is told what is missing
    results = index.search("31-day standard breaches radiotherapy")
    assert results.hits == [] and results.topics == ["radiotherapy"]
    assert index.search("A&G conversion rates").hits[0].tactic.id.startswith("outpatients-")


def test_area_filter_keeps_only_that_area_and_its_children(index):
    hits = index.search("waiting list", area="diagnostics").hits
    assert hits
    family = index.directory.area_family("diagnostics")
    assert all(set(h.tactic.areas) & family for h in hits)


# --- the command ---


def test_search_json_is_only_json_best_first(cli):
    result = cli("search", "PIFU", "--content", str(CONTENT), "--format", "json", "--no-cache")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "outpatients-patient-initiated-follow-up"
    assert set(rows[0]) == {"id", "title", "areas", "score", "exemplars"}
    assert rows[0]["exemplars"] >= 3
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_no_match_exits_1_with_message_and_empty_json(cli):
    result = cli("search", "xylophone quartet", "--content", str(CONTENT), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "No tactics match 'xylophone quartet'." in result.stderr


def test_search_names_a_topic_the_directory_lacks_and_gaps_lists_it(cli):
    result = cli("search", "psirf", "--content", str(CONTENT))
    assert result.exit_code == 1
    assert "The directory has no tactic on PSIRF yet." in result.stderr
    assert "It may be near: Patient safety." in result.stderr
    assert "Did you mean" not in result.stderr
    gaps = json.loads(cli("gaps", "--content", str(CONTENT), "--format", "json").stdout)
    assert {"area": "patient-safety", "topic": "PSIRF"} in gaps["topics"]


def test_search_says_when_it_corrected_a_typo(cli, content):
    result = cli("search", "valdation", "--content", str(content))
    assert result.exit_code == 0
    assert "Showing results for 'validation' (you typed 'valdation')." in result.stderr
    assert result.stdout.splitlines()[0].startswith("list-validation\t")


def test_search_text_when_piped_is_one_tab_separated_line_per_tactic(cli, content):
    result = cli("search", "weekend", "--content", str(content))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "weekend-lists\tRun weekend endoscopy lists\tendoscopy\t3 exemplars"
    )


def test_unknown_area_is_a_usage_error_with_suggestion(cli, content):
    result = cli("search", "lists", "--content", str(content), "--area", "endoscpy")
    assert result.exit_code == 2
    assert "did you mean 'endoscopy'?" in result.stderr


def test_empty_or_huge_query_is_a_usage_error(cli, content):
    assert cli("search", "   ", "--content", str(content)).exit_code == 2
    result = cli("search", "x" * 1001, "--content", str(content))
    assert result.exit_code == 2
    assert "too long" in result.stderr


def test_a_percentage_is_how_much_never_what(index):
    # "78%" is a level of the four-hour standard, not the "78 week waits" some elective
    # tactics mention: the answer is A&E's own tactics
    tokens_typed = tokens("78% four hour standard")
    assert "78" not in tokens_typed and tokens("97 per cent") == tokens("97%")
    assert tokens("ten per cent") == tokens("10%") == ["percent"]
    first = index.search("78% four hour standard by march - what works?").hits[0]
    assert "ae-4-hour" in first.tactic.measures


def test_a_typo_of_a_topic_is_corrected_and_named(index):
    # the directory has no palliative care tactic, but 'pallative' is still a typo of
    # the topic, not an unknown word: the person is told the directory lacks it
    results = index.search("pallative care")
    assert results.corrections == {"pallative": "palliative"}
    assert results.hits == [] and results.topics == ["palliative care"]


def test_connecting_words_are_not_asked_about(index):
    # "plus" joins two problems; it is not a word a tactic should be found by, and
    # "follow-ups" is the plural of "follow-up"
    assert tokens("theatre utilisation plus staff sickness") == tokens(
        "theatre utilisation staff sickness"
    )
    assert tokens("follow-ups") == tokens("follow-up")


def test_hours_after_a_number_are_hours(index):
    # "12hr" is how the 12-hour measure is typed; "HR" alone stays human resources
    assert tokens("12hr trolley waits") == tokens("12 hour trolley waits")
    assert tokens("4h") == tokens("4 hours") and tokens("HR team") == ["hr", "team"]
    assert tokens("four hr") == tokens("4 hours") == tokens("four hours")
    assert "ae-12-hour" in index.search("12hr trolley waits").measures


def test_a_number_the_directory_never_uses_and_units_of_time_say_how_much(index):
    # '60 min' is a threshold of the handover measure; 'sept' is when, not what
    hits = index.search("handovers >60 min").hits
    assert hits and "ambulance-handover" in hits[0].tactic.measures
    assert len(index.search("65 weeks by end of sept??").hits) >= 3
    # a number the directory uses still counts: 999 is the ambulance line
    assert index.search("999").hits


def test_clipped_words_staff_type_are_the_whole_word(index):
    # "meds", "derm" and "psych" are how ward and clinic staff write them
    for clipped, whole in (
        ("meds to take home", "medicines to take home"),
        ("derm referrals", "dermatology referrals"),
        ("psych beds", "psychiatric beds"),
    ):
        assert tokens(clipped) == tokens(whole)
        got = [h.tactic.id for h in index.search(clipped).hits]
        assert got and got == [h.tactic.id for h in index.search(whole).hits], clipped


def test_a_topic_the_directory_lacks_outweighs_a_phrase_it_has(index):
    # continuing healthcare is a topic no tactic covers; 'fast track' alone would meet
    # the hip fracture pathway, which is not what was asked
    results = index.search("CHC fast track delays")
    assert results.hits == [] and results.topics == ["CHC"]


def test_two_problems_in_one_query_take_turns_at_the_top(index):
    # theatre utilisation and staff sickness are two subjects: the three tactics a script
    # offers answer both, each subject's best first
    hits = index.search("theatre utilisation plus staff sickness").hits[:3]
    measures = [set(h.tactic.measures) for h in hits]
    assert "theatre-utilisation" in measures[0]
    assert any("sickness-absence" in m for m in measures[1:])
    # two measures of one area, named by different words, are two subjects too: the bank
    # tactics share the workforce area with sickness absence but answer only bank spend
    hits = index.search("sickness up and bank spend rising").hits[:2]
    assert {m for h in hits for m in h.tactic.measures} >= {"sickness-absence", "agency-spend"}
    # one subject named twice ("A&E" and "4 hour") keeps the order of the scores
    hits = index.search("A&E 4 hour").hits
    assert [h.score for h in hits if h.tier == 0] == sorted(
        (h.score for h in hits if h.tier == 0), reverse=True
    )


def test_one_word_that_names_an_area_and_a_measure_is_one_subject(index):
    # "falls" is a community service's synonym and the inpatient falls measure's code: it
    # is one thing asked about, so the tactics keep the order of their scores instead of
    # a community tactic taking turns at the top
    hits = [h for h in index.search("falls").hits if h.tier == 0]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all("inpatient-falls" in h.tactic.measures for h in hits[:3])


def test_everyday_words_read_as_the_words_the_directory_uses():
    for everyday, directory in (
        ("kids", "children"),
        ("the chemist", "pharmacy"),
        ("fallers", "falls"),
        ("midwives", "midwife"),
        ("GPs", "GP"),
        ("flu jabs", "flu vaccination"),
        ("coronavirus", "covid"),
        ("whistleblowing", "FTSU"),
    ):
        assert tokens(everyday) == tokens(directory), everyday


def test_a_typo_of_an_everyday_word_is_corrected_to_it(index):
    # the directory never writes "chemist" or "vaccines", but reads them as its own words
    assert index.search("chemsit").corrections == {"chemsit": "chemist"}
    results = index.search("vacines uptake")
    assert results.corrections == {"vacines": "vaccines"}
    assert results.topics == ["vaccinations"]


def test_every_everyday_word_reads_as_a_word_the_directory_uses(index):
    # a target the content no longer uses would turn an everyday word into a dead end
    from improvedir.engine.everyday import EVERYDAY

    missing = {
        word: target
        for word, target in EVERYDAY.items()
        if not (index.term_postings(stem(target)) or stem(target) in index.topic_words())
    }
    assert missing == {}


def test_everyday_words_find_what_the_directory_calls_otherwise(index):
    hits = index.search("how can the chemist take pressure off GPs").hits
    assert hits[0].tactic.id == "primary-care-refer-to-community-pharmacy"
    # "kids" is "children", so "kids asthma" is the children's asthma topic the directory
    # has no tactic on, not an ADHD clinic that happens to mention children
    results = index.search("kids asthma clinic")
    assert results.hits == []
    assert results.topics == ["children's asthma"]
    # a word with another sense stays out: "disabled" parking is not learning disability
    assert index.search("disabled parking at the hospital").hits == []


def test_pronouns_and_feelings_say_nothing_about_which_tactic(index):
    # "they were being" is grammar, and how angry someone is says how bad, not what: an
    # everyday word like "furious" must not vote against the 8am rush it is about
    assert tokens("they were being seen") == tokens("seen")
    hits = index.search("patients furious about the 8am rush").hits
    assert hits and hits[0].tactic.areas[0] == "primary-care"


def test_a_phrase_around_a_name_that_only_names_it_again_still_names_it(index):
    # one tactic's keyword "frail older people" wraps the frailty name "older people", but
    # "frail" names frailty too: the query is still about frailty, not about that tactic
    # alone ("hot clinic" still widens: "hot" is not a name of outpatients)
    assert index.search("frail older people keep bouncing back into hospital").areas == ["frailty"]
    assert index.search("hot clinic").hits[0].tactic.id == "uec-same-day-emergency-care"


def test_a_name_that_stopwords_leave_one_word_of_names_nothing(index):
    # "out of area" is "area" once "out" and "of" are gone: a handover cohort area is
    # not about mental health out of area placements
    results = index.search("handover cohort area")
    assert "mental-health" not in results.areas
    assert "mh-out-of-area-placements" not in results.measures
    assert index.search("out of area placements").measures == ["mh-out-of-area-placements"]


def test_the_main_job_query_gets_a_right_first_answer(index):
    # `improvedir suggest endoscopy` is the README's main command: its first tactic must
    # be one of the right answers on its own, not only on average over the query set
    query, expected = QUERIES[0]
    assert query == "endoscopy"
    assert index.search(query).hits[0].tactic.id in expected
