"""Ranking tactics for what people actually type.

A performance manager types "scopes", "DM01", "4hr breaches", "stuck in hospital" or
"endoscpy", not a tactic's title. This is BM25-style term weighting over weighted fields,
with rules on top that come from watching queries nobody here wrote:

- **Phrases.** Multi-word keywords, synonyms and measure codes ("hospital at home",
  "four hour") are indexed as one term as well as word by word, so the phrase outranks
  the same words scattered through a summary.
- **Area intent.** A query that names an area or a measure, by name, synonym or code, is
  about that area: tactics of the area (and the areas below it) and tactics that move the
  measure come first, above tactics that only share a word.
- **Nothing is better than noise.** A query is answered only when most of its meaningful
  words match where a tactic is *described* (title, keywords, areas, measures), not just
  somewhere in a summary; generic words ("backlog", "target", "waits") never make a match
  on their own. Otherwise there are no results, and the command says so.
- **A measure says what is asked.** A tactic that moves a measure the query names
  outranks one that only shares the measure's area ("nctr", "c diff", "cat 2"), and a
  tactic whose main area the query names outranks one that only also serves it.
- **A phrase is one voice.** "waiting list" counts as one thing asked about, so words the
  directory lacks ("tennis club waiting list") outvote it; negations are read alike
  ("can't", "cant", "cannot") so everyday phrasing meets the keywords that hold it.
- **Everyday words it lacks.** An everyday English word the directory never uses
  ("tickets", "tennis") counts twice against a match, so "theatre tickets" finds nothing.
- **Topics, not names.** An area's topics ("PSIRF", "induction of labour") are subjects
  within it, met only by a tactic that has them; when none does, the query finds nothing
  and ``Results.topics`` says which subject the directory lacks.
- **Typos, not real words.** A word the directory lacks is corrected to a directory word
  only when it is not itself an English word: "endoscpy" becomes "endoscopy", but "stuck"
  is never turned into "stack".
"""

from __future__ import annotations

import gc
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain

from ..content.model import Area, Directory, Measure, Tactic
from .everyday import EVERYDAY

_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in into is it its my of on or our "
    "the their to we what when with you your about have has should could would there this "
    "that these those any some all get got need needs want please ideas idea help tip tips "
    "way ways us me out up no very still just also only than then so but if which who why "
    "where re because lots lot always really others other everyone anyone someone somebody "
    "ca wo plus alongside whilst while both ups they them he she him his her hers theirs "
    "itself themselves myself ourselves yourself yourselves being been was were will shall "
    "did doing done".split()
)
#: Shorthand managers type for whole words ("52 wk breaches", "stranded pts", "ortho"):
#: each is read as its word wherever it appears, in a query or in the content.
SHORTHAND = {
    "wk": "week",
    "wks": "weeks",
    "pt": "patient",
    "pts": "patients",
    "appt": "appointment",
    "appts": "appointments",
    "mins": "minutes",
    "hrs": "hours",
    "ortho": "orthopaedics",
    "orthos": "orthopaedics",
    "physio": "physiotherapy",
    "physios": "physiotherapists",
    "op": "operation",
    "ops": "operations",
    "psych": "psychiatric",
    "meds": "medicines",
    "paeds": "paediatrics",
    "paed": "paediatric",
    "derm": "dermatology",
    "neuro": "neurology",
    "rehab": "rehabilitation",
    "dept": "department",
}
#: Words that say little about *which* tactic is meant: they add to a score but never make a
#: match on their own, and they never name an area.
_GENERIC_WORDS = (
    "backlog target wait waiting hour time capacity performance number improve improvement "
    "improving reduce reducing reduction increase increasing patient service nhs trust team "
    "day week month year list delay demand problem issue best practice plan new more less too "
    "many much high low long poor bad better good care support management manage data "
    "standard rate level pressure access not over above below under trajectory threshold "
    "met missed failing rising growing worse worsening struggling behind huge massive big "
    "dropping dropped climbing soaring swamped overwhelmed underused overused "
    "terrible awful vs versus per cent percent percentage ages full every again "
    "eliminate eliminating tackle tackling fix fixing cut cutting clear clearing meet meeting "
    "hit hitting achieve achieving sort sorting speed boost uptake rollout implement "
    "implementing implementation adopt adoption spread scale expand expansion introduce "
    "introducing launch start starting cost costs spend spending budget money saving "
    "savings control breach breaches breaching conversion throughput efficiency volume volumes "
    "scheme schemes initiative initiatives project projects work works working "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday "
    "winter summer spring autumn morning afternoon evening night am pm "
    "jan feb mar apr jun jul aug sep sept oct nov dec minute minutes min mins second seconds "
    "step steps next "
    "furious angry annoyed upset frustrated frustrating fuming unhappy jammed"
)
# Field weights: where a word appears says how much it speaks for the tactic. What a
# tactic says of itself (title, keywords) speaks louder than what it inherits from its
# areas and measures, which every tactic of the area shares: area intent is already
# carried by the tiers (Hit.tier), so the inherited words need only break ties. Fitted
# by coordinate ascent (benchmarks/fit_weights.py) in the seventh session, rounded to
# multiples of browser_index.TF_UNIT: first on the blind sets A to L (held out, hit@1 on
# M to U 0.777 -> 0.792; on X to Z, written afterwards to confirm it, 0.766 -> 0.790),
# then, with MEASURE_BOOST, K1 and B, on A to W (held out, X to Z 0.790 -> 0.799).
WEIGHTS = {
    "title": 3.0,
    "keywords": 3.5,
    "measures": 0.75,
    "area": 1.5,
    "area_measures": 0.25,  # its area's measures that it does not itself move: say less
    "parent_area": 0.5,
    "summary": 1.0,
    "steps": 0.5,
    "organisations": 1.0,
}
#: Fields that describe what a tactic is about; a match elsewhere is only a mention.
STRONG_FIELDS = frozenset({"title", "keywords", "measures", "area", "area_measures", "parent_area"})
TEXT_FIELDS = frozenset({"summary", "steps"})
#: How a term meets a tactic, kept with each posting: where the tactic is described, only
#: mentioned in its text, or only in the names of the organisations behind it.
DESCRIBED, MENTIONED, NAMED_ORG = 2, 1, 0
#: Bump when tokens, weights or fields change: cached indexes are then rebuilt.
INDEX_VERSION = 30
#: A hit scoring under this share of the best one is noise, not a suggestion.
RELATIVE_FLOOR = 0.25
#: A hit outside every area and measure the query names must also score at least this
#: share of what one word found in a single tactic's title would give it: two solid word
#: matches, or one rare one. Words met by chance ("record a teams meeting") stay under it,
#: so an off-topic query returns nothing. A share, not a number, so that it means the same
#: in a directory of ten tactics as in one of thousands.
ABSOLUTE_SHARE = 0.8
#: A tactic that moves a measure the query names ("nctr", "c diff", "cat 2") scores this
#: much more than one that only shares the measure's area: the measure says what is asked.
MEASURE_BOOST = 1.25
#: A tactic whose main area (its first) is one the query names scores this much more than
#: one that only also serves it: "A&E" means A&E's own tactics before a mental health
#: crisis service that also eases A&E.
AREA_BOOST = 1.5
#: Votes against a match of an everyday English word the directory never uses (see
#: is_common_english): "theatre tickets" is not about theatres.
FOREIGN_VOICES = 2
#: Longest phrase looked for in a query, in words.
MAX_PHRASE = 6
#: BM25's saturation and length normalisation, fitted with the weights above (first, in
#: an earlier session, on A to J by two-fold cross-validation: 4.0 and 0.45): a tactic
#: that repeats the query's word in its title, keywords and summary is about it, more
#: than one that says it once (the usual 1.2 saturated after one mention), and a long,
#: well-described tactic is penalised less for its length.
K1 = 8.0
B = 0.6

Posting = tuple[int, float, int]  # tactic number, finished BM25 weight, how it meets it


def stem(word: str) -> str:
    """A light English stemmer: enough to meet 'lists' with 'list', 'waiting' with 'waits',
    'falling' with 'falls' and 'nursing' with 'nurse'. It never shortens a word below four
    letters, so abbreviations (ED, GP, CT) stay as typed."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


GENERIC = frozenset(stem(w) for w in _GENERIC_WORDS.split())
#: Words that speak only inside a phrase ("can't get through" is "not through"): alone,
#: "not" would meet every tactic that says what it is not.
PHRASE_ONLY = frozenset({"not"})


# word -> its stem, or "" for a stopword: indexing a large directory meets the same few
# thousand words hundreds of thousands of times, so each is stemmed once.
_STEMS: dict[str, str] = {}


def _lowered(text: str) -> str:
    """One spelling for what people write many ways: 'A and E' and 'A & E' are 'a&e', and a
    code typed without its space ('cat2', '4hr') meets the code written with it."""
    lowered = text.lower().replace("\u2019", "'").replace("'s ", " ").replace(" & ", "&")
    lowered = lowered.replace("a and e", "a&e")
    # "can't", "cant", "don't" and "dont" are all "not": "patients don't turn up" meets
    # a tactic's "not turning up", and "dont" is never "corrected" to "done". Only the
    # forms with an apostrophe need the pattern (which costs a tenth of indexing a large
    # directory when run on every text); "dont" and "cannot" are split in _words.
    if "n't" in lowered:
        lowered = _NEGATION.sub(r"\1 not", lowered)
    # a percentage says how much, never of what: "78%", "97 per cent" and "ten per cent"
    # are "percent" (generic), so the figure of a target a query quotes meets no tactic
    # that happens to mention the same number ("78 week waits")
    if "%" in lowered or "cent" in lowered:
        lowered = _PERCENTAGE.sub(" percent ", lowered)
    # Only a text with a digit can have a letter next to one; most have none, and the
    # look-arounds cost more than the search for a digit (a fifth of indexing, once).
    return _LETTER_DIGIT.sub(" ", lowered) if _DIGIT.search(lowered) else lowered


def _words(text: str) -> list[str]:
    """The words of ``text`` as written (lower-cased), before stopwords and stems; "4hr"
    and "4 h" are "4 hour", since after a number "hr" is never human resources."""
    found = _TOKEN.findall(_lowered(text))
    if not _NEGATED.keys().isdisjoint(found):
        found = [part for w in found for part in _NEGATED.get(w, (w,))]
    if not _HOUR_WORDS.isdisjoint(found):
        found = [
            "hour" if w in _HOUR_WORDS and i and _is_number(found[i - 1]) else w
            for i, w in enumerate(found)
        ]
    return found


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBERS


#: The words "n't", "nt" or "not" joins to ("ca" and "wo" for "can't" and "won't")
_NEGATABLE = "do does did is are was were has have had could would should must ca wo can".split()
_NEGATION = re.compile(r"\b(" + "|".join(_NEGATABLE) + r")(?:n'?t|not)\b")
_NUMBERS = {
    w: str(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
#: Every word read as another, in queries and content alike: shorthand, and number words
#: as digits ("two week wait" is "2 week wait", "four hour" is "4 hour").
READ_AS = {**SHORTHAND, **EVERYDAY, **_NUMBERS}
#: "dont" -> ("do", "not"), "cannot" -> ("can", "not"), "cant" -> ("ca", "not"), as the
#: pattern above reads them
_NEGATED = {
    verb + ending: (verb, "not") for verb in reversed(_NEGATABLE) for ending in ("nt", "not")
}
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_DIGIT = re.compile(r"[0-9]")
_HOUR_WORDS = frozenset({"hr", "h"})
_PERCENTAGE = re.compile(
    r"\b(?:[0-9]+(?:\.[0-9]+)?|" + "|".join(_NUMBERS) + r")\s*(?:%|per ?cent\b)"
)


# While an index is built, the words it meets (as written) are gathered here, so its typo
# vocabulary is this directory's words alone, whatever else this process has tokenised.
_GATHER: list[set[str]] = []


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed words; 'A&E' stays one word, 'A and E' becomes 'a&e'."""
    found = _words(text)
    if _GATHER:
        _GATHER[-1].update(found)
    stems = _STEMS
    for word in set(found).difference(stems):
        stems[word] = "" if word in STOPWORDS else stem(READ_AS.get(word, word))
    return list(filter(None, map(stems.__getitem__, found)))


def raw_tokens(text: str) -> list[tuple[str, str]]:
    """(word as typed, lower-cased; its stem) for each word that is not a stopword: a typo
    is judged, and a correction shown, on the word a person wrote, not on its stem."""
    found = _words(text)
    tokens(" ".join(found))  # fills the stem memo
    return [(w, _STEMS[w]) for w in found if _STEMS[w]]


def words_and_phrases(entries: tuple[str, ...] | list[str]) -> list[str]:
    """Every word of ``entries`` plus each multi-word entry as one phrase term ('hospital
    at home' -> 'hospital home'), tokenising each entry once."""
    words: list[str] = []
    for entry in entries:
        found = tokens(entry)
        words += found
        if 1 < len(found) <= MAX_PHRASE:
            words.append(" ".join(found))
    return words


def _is_generic(words: tuple[str, ...] | list[str]) -> bool:
    """A lone generic word names nothing; a phrase of them ("waiting list") does."""
    return len(words) == 1 and words[0] in GENERIC


@dataclass
class Hit:
    tactic: Tactic
    score: float
    matched: tuple[str, ...]
    # 0: in an area the query names, or moves a measure it names; 1: in the area of a
    # named measure; 2: neither
    tier: int = 2

    @property
    def in_area(self) -> bool:
        """The tactic belongs to what the query is about."""
        return self.tier < 2


@dataclass
class Results:
    """Ranked hits plus what the query was understood as."""

    query: str
    hits: list[Hit]
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> word used
    areas: list[str] = field(default_factory=list)  # area ids the query names
    measures: list[str] = field(default_factory=list)  # measure ids the query names
    unknown: list[str] = field(default_factory=list)  # query words matching nothing
    weak: bool = False  # words matched, but too little to suggest anything
    near: list[str] = field(default_factory=list)  # areas a weak query may be near
    # topics the query names ("PSIRF"), as areas.yaml writes them
    topics: list[str] = field(default_factory=list)


#: One field of one tactic, counted: its weight, word -> occurrences (in the order words
#: first occur), and how a word in it meets the tactic (DESCRIBED, MENTIONED, NAMED_ORG).
Field = tuple[float, Counter, int]


def _fields(fields: dict[str, list[str]]) -> list[Field]:
    """``fields`` (name -> words, in the order of WEIGHTS) counted in C."""
    return [
        (
            WEIGHTS[name],
            Counter(words),
            DESCRIBED if name in STRONG_FIELDS else MENTIONED if name in TEXT_FIELDS else NAMED_ORG,
        )
        for name, words in fields.items()
    ]


class Postings(Mapping[str, list[Posting]]):
    """Every term's postings, ``term -> [(tactic number, weight, how it meets it)]``,
    worked out from each tactic's counted fields only when asked for.

    A cold ``suggest`` needs the postings of its query's few terms and nothing else: each
    is found by looking the term up in every tactic's fields. Inverting all of the
    directory's postings (over 600,000 for 5,000 tactics) is left to whoever reads them
    all, the cache writer and the web site: walking the terms, or asking for more than a
    few, inverts every tactic in one pass.

    A term's frequency is summed field by field in the order of the fields, and its
    ``how`` is the strongest of its fields' (DESCRIBED > MENTIONED > NAMED_ORG), exactly
    as when the postings were inverted while indexing.
    """

    #: Terms looked up one at a time before the rest are inverted in one pass.
    SINGLE_LOOKUPS = 32

    def __init__(self, docs: list[list[Field]], lengths: list[float]):
        self._docs = docs
        self._done: dict[str, list[Posting]] = {}
        self._terms: dict[str, None] | None = None
        self._inverted = False
        count = len(docs)
        average = (sum(lengths) / count if count else 0.0) or 1.0
        self._norm = [K1 * (1 - B + B * length / average) for length in lengths]

    def _finish(self, rows: list[tuple[int, float, int]]) -> list[Posting]:
        # BM25 depends on nothing the query brings but the terms, so each posting stores
        # its finished contribution; a query only adds numbers up.
        count = len(self._docs)
        idf = math.log(1 + (count - len(rows) + 0.5) / (len(rows) + 0.5)) * (K1 + 1)
        norm = self._norm
        return [(num, idf * tf / (tf + norm[num]), how) for num, tf, how in rows]

    def _invert(self) -> None:
        if self._inverted:
            return
        raw: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
        for number, fields in enumerate(self._docs):
            tfs: dict[str, float] = {}
            hows: dict[str, int] = {}
            for weight, counts, kind in fields:
                for word, n in counts.items():
                    tfs[word] = tfs.get(word, 0.0) + n * weight
                    if kind > hows.get(word, -1):
                        hows[word] = kind
            for word, tf in tfs.items():
                raw[word].append((number, tf, hows[word]))
        done = self._done
        for word, rows in raw.items():
            if word not in done:
                done[word] = self._finish(rows)
        self._done = {word: done[word] for word in raw}  # in the order terms first occur
        self._terms = dict.fromkeys(raw)
        self._inverted = True

    def __getitem__(self, term: str) -> list[Posting]:
        rows = self._done.get(term)
        if rows is not None:
            return rows
        if term not in self._all_terms():
            raise KeyError(term)
        if len(self._done) >= self.SINGLE_LOOKUPS:
            self._invert()
            return self._done[term]
        found: list[tuple[int, float, int]] = []
        for number, fields in enumerate(self._docs):
            tf, how = 0.0, -1
            for weight, counts, kind in fields:
                n = counts.get(term)
                if n:
                    tf += n * weight
                    if kind > how:
                        how = kind
            if how >= 0:
                found.append((number, tf, how))
        rows = self._done[term] = self._finish(found)
        return rows

    def _all_terms(self) -> dict[str, None]:
        if self._terms is None:
            self._terms = dict.fromkeys(
                chain.from_iterable(counts for fields in self._docs for _w, counts, _k in fields)
            )
        return self._terms

    def __contains__(self, term: object) -> bool:
        return term in self._all_terms()

    def __iter__(self) -> Iterator[str]:
        self._invert()  # a walk over the terms reads them all
        return iter(self._done)

    def __len__(self) -> int:
        return len(self._all_terms())


class Index:
    """An inverted index over the tactics of one directory, built in memory (each tactic's
    fields counted; the postings worked out as they are read, see :class:`Postings`).

    :mod:`improvedir.store.cache` stores the same postings in SQLite and subclasses this to
    read them lazily, so a warm ``suggest`` never loads the whole directory.
    """

    def __init__(self, directory: Directory):
        # Indexing makes tens of thousands of objects that live as long as the index, so
        # the cyclic garbage collector would only walk the loaded directory again and
        # again (a tenth of the build on 5,000 tactics); it is paused, as while loading.
        collecting = gc.isenabled()
        gc.disable()
        _GATHER.append(set())
        try:
            self._build(directory)
        finally:
            self._words = _GATHER.pop()
            if collecting:
                gc.enable()

    def _build(self, directory: Directory) -> None:
        self.directory = directory
        self.tactics: list[Tactic] = list(directory.tactics.values())
        self.count = len(self.tactics)
        measures = directory.measures
        area_words = {a.id: area_terms(a) for a in directory.areas.values()}
        # a tactic meets the measures of its areas too, but only those some tactic moves: a
        # measure none does ("EIP") would otherwise bring in every tactic of its area
        moved = {mid for t in self.tactics for mid in t.measures}
        area_measure_words = {
            a.id: [
                w
                for mid in a.measures
                if mid in moved and (m := measures.get(mid))
                for w in measure_terms(m)
            ]
            for a in directory.areas.values()
        }
        orgs: dict[str, list[str]] = defaultdict(list)
        for exemplar in directory.exemplars.values():
            for tactic_id in exemplar.tactics:
                orgs[tactic_id].append(exemplar.organisation.name)
        # What a tactic takes from its areas and measures is the same for every tactic with
        # the same ones (5,000 tactics share about 250 such pairs), so it is counted once.
        inherited: dict[tuple, list[Field]] = {}
        docs: list[list[Field]] = []
        lengths: list[float] = []
        for tactic in self.tactics:
            key = (tactic.areas, tactic.measures)
            if key not in inherited:
                parents = {
                    directory.areas[a].parent
                    for a in tactic.areas
                    if a in directory.areas and directory.areas[a].parent
                }
                named = [m for mid in tactic.measures if (m := measures.get(mid))]
                words = {
                    "measures": [w for m in named for w in measure_terms(m)],
                    "area": [w for a in tactic.areas for w in area_words.get(a, ())],
                    "area_measures": [
                        w for a in tactic.areas for w in area_measure_words.get(a, ())
                    ],
                    "parent_area": [w for p in parents for w in area_words.get(p, ())],
                }
                inherited[key] = _fields(words)
            head = {"title": tokens(tactic.title), "keywords": words_and_phrases(tactic.keywords)}
            tail = {
                "summary": tokens(tactic.summary),
                "steps": tokens(" ".join(tactic.steps)),
                "organisations": tokens(" ".join(orgs.get(tactic.id, ()))),
            }
            fields = [*_fields(head), *inherited[key], *_fields(tail)]
            docs.append(fields)
            length = 0.0
            for weight, counts, _how in fields:
                length += weight * counts.total()
            lengths.append(length)
        # kept: the web site's index rebuilds the weights from them
        self.lengths = lengths
        self.postings = Postings(docs, lengths)

    # --- storage: overridden by the cache-backed index ---

    def term_postings(self, word: str) -> list[Posting]:
        return self.postings.get(word, [])

    def vocabulary(self) -> dict[str, str]:
        """Every word of the directory as written (lower-cased) -> its stem: a typo is
        corrected to a real word of the directory, never to a phrase or a bare stem."""
        if getattr(self, "_vocabulary", None) is None:
            vocabulary = {
                w: s
                for w in self._words
                if (s := _STEMS.get(w)) and " " not in s and s in self.postings
            }
            # a topic's words too, though no tactic has them: "pallative care" is a typo
            # of a topic the directory lacks, and should be told so, not matched to
            # whatever tactic says "care"
            for area in self.directory.areas.values():
                for typed, stemmed in raw_tokens(" ".join(area.topics)):
                    vocabulary.setdefault(typed, stemmed)
            # and the shorthand and everyday words it reads as its own: "vacines" is a typo
            # of "vaccines", which the directory calls vaccination
            topic_words = self.topic_words()
            for typed, stemmed in raw_tokens(" ".join(w for w in READ_AS if w.isalpha())):
                if stemmed in self.postings or stemmed in topic_words:
                    vocabulary.setdefault(typed, stemmed)
            self._vocabulary = dict(sorted(vocabulary.items()))
        return self._vocabulary

    def tactic_at(self, number: int) -> Tactic:
        return self.tactics[number]

    def area_family(self, area_id: str) -> set[str]:
        return self.directory.area_family(area_id)

    # --- what a query names ---

    def named_things(self) -> list[tuple[tuple[str, ...], str, str]]:
        """(phrase, kind, id) for every area and measure name, synonym and code; generic
        phrases ("waiting", "backlog") are left out, since they name nothing."""
        cached = getattr(self, "_named", None)
        if cached is not None:
            return cached
        named: list[tuple[tuple[str, ...], str, str]] = []
        for area in self.directory.areas.values():
            for phrase in area_phrases(area):
                named.append((phrase, "area", area.id))
            for phrase in topic_phrases(area):
                named.append((phrase, "topic", area.id))
        for measure in self.directory.measures.values():
            for text in (measure.id.replace("-", " "), measure.name, *measure.codes):
                phrase = _name_tokens(text)
                # "78 week" names the measure whose code is "78 week waits", but "mental
                # health" does not name the one whose code is "mental health support teams"
                for size in range(min(len(phrase), 2), len(phrase) + 1):
                    part = phrase[:size]
                    if len(phrase) - size > 1 or any(w not in GENERIC for w in phrase[size:]):
                        continue
                    if part and not _is_generic(part) and not all(w in GENERIC for w in part):
                        named.append((part, "measure", measure.id))
        self._named = named
        return named

    def name_words(self, kind: str, ident: str) -> set[str]:
        """The words of every name of one area or measure."""
        cached = getattr(self, "_name_words", None)
        if cached is None:
            cached = self._name_words = defaultdict(set)
            for phrase, k, i in self.named_things():
                if k != "topic":
                    cached[(k, i)].update(phrase)
        return cached[(kind, ident)]

    def topic_words(self) -> set[str]:
        """The words of every area's topics: never 'corrected' into another word, since a
        topic the directory lacks ("PSIRF") is not a typo of something it has."""
        cached = getattr(self, "_topic_words", None)
        if cached is None:
            cached = self._topic_words = {
                w for p, kind, _i in self.named_things() if kind == "topic" for w in p
            }
        return cached

    def topic_terms(self) -> dict[str, list[tuple[str, str]]]:
        """area id -> (topic as areas.yaml writes it, the topic as one index term) for each
        of its topics: tokenised once, for every query and for `gaps`."""
        cached = getattr(self, "_topic_terms", None)
        if cached is None:
            cached = self._topic_terms = {
                area.id: [(text, " ".join(tokens(text))) for text in area.topics]
                for area in self.directory.areas.values()
            }
        return cached

    def named_phrases(self) -> set[str]:
        """Every name of an area or measure as one term: such a phrase names, it never
        widens (a tactic meets "stroke unit" through its area's measures too)."""
        cached = getattr(self, "_named_phrases", None)
        if cached is None:
            cached = self._named_phrases = {" ".join(p) for p, _k, _i in self.named_things()}
        return cached

    # --- querying ---

    def _correct(self, typed: str, stemmed: str) -> str | None:
        """The directory word ``typed`` stands for (as written), or None when it matches
        nothing; a word the directory has comes back as typed."""
        if self.term_postings(stemmed):
            return typed
        if stemmed in self.topic_words():
            return None
        if len(typed) < 4 or any(c.isdigit() for c in typed):
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        vocabulary = self.vocabulary()
        close = process.extract(
            typed,
            vocabulary.keys(),
            scorer=OSA.distance,
            score_cutoff=_max_edits(typed),
            limit=None,
        )
        # fewest edits (a swapped pair of letters is one), then the word the directory uses
        # most ('wating' is 'waiting', not 'dating'), then the nearest length
        close = [c for c in close if len(c[0]) >= 4]
        if not close or is_english_word(typed):
            return None
        fewest = min(c[1] for c in close)
        close = [c for c in close if c[1] == fewest]
        uses = {c[0]: len(self.term_postings(vocabulary[c[0]])) for c in close}
        return min(close, key=lambda c: (-uses[c[0]], abs(len(c[0]) - len(typed)), c[0]))[0]

    def search(self, query: str, limit: int = 10, area: str | None = None) -> Results:
        """Tactics ranked for ``query``, best first; empty when nothing matches well enough.

        A tactic is offered only when most of the query's meaningful words meet it where
        it is described (a word only in its text counts half; a word naming one of its
        organisations is neutral), so words found in different tactics never add up to a
        match, and a lone generic word never makes one.
        """
        result = Results(query=query, hits=[])
        words: list[str] = []
        unknown: set[str] = set()
        # everyday English words the directory never uses ("tickets", "tennis"): the query
        # is likely about something else, so each speaks twice against a match
        foreign: set[str] = set()
        for typed, stemmed in raw_tokens(query):
            corrected = self._correct(typed, stemmed)
            if corrected is None:
                if typed not in result.unknown:
                    result.unknown.append(typed)
                unknown.add(stemmed)
                if is_common_english(typed) and stemmed not in self.topic_words():
                    foreign.add(stemmed)
                words.append(stemmed)
            elif corrected != typed:
                result.corrections[typed] = corrected
                words.append(self.vocabulary()[corrected])
            else:
                words.append(stemmed)

        # Terms to look up: every known word, and every phrase the index holds.
        found: dict[str, dict[int, tuple[float, int]]] = {}
        phrase_at: dict[int, list[str]] = defaultdict(list)  # position -> phrases over it
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)  # phrase -> where
        for size in range(min(MAX_PHRASE, len(words)), 1, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if phrase not in found:
                    rows = self.term_postings(phrase)
                    if not rows:
                        continue
                    found[phrase] = {num: (w, how) for num, w, how in rows}
                for position in range(start, start + size):
                    phrase_at[position].append(phrase)
                spans[phrase].append((start, start + size))
        for word in dict.fromkeys(words):
            if word not in unknown and word not in PHRASE_ONLY:
                found[word] = {num: (w, how) for num, w, how in self.term_postings(word)}

        # What the query names: areas and measures, by their phrases (or a phrase's start).
        # A name inside a longer phrase that describes some tactic ("clinic" in "hot
        # clinic", "care home" in "waiting for a care home place") names nothing: the
        # longer phrase says what the query is about, and its tactics count as named.
        names = self.named_phrases()
        described = [
            p
            for p in spans
            if p not in names and any(how == DESCRIBED for _w, how in found[p].values())
        ]
        named_areas: dict[str, None] = {}  # named directly, then through a measure
        named_measures: dict[str, None] = {}
        naming_covered: set[int] = set()
        naming_spans: list[tuple[int, int]] = []
        widening: set[str] = set()
        named_at: dict[tuple[str, str], set[int]] = defaultdict(set)  # what -> where
        # A topic ("PSIRF", "autism assessment") is a subject within an area, not a name
        # for it: it is met only by a tactic that has the topic as a whole, its area is
        # only near, and a name inside it ("autism") names nothing.
        occurrences = [
            (start, start + len(phrase), kind, ident, phrase)
            for phrase, kind, ident in self.named_things()
            for start in _positions(words, phrase)
        ]
        topics: dict[tuple[int, int], str] = {}  # span -> the topic as one term
        topic_areas: dict[str, None] = {}
        for start, end, kind, ident, phrase in occurrences:
            if kind == "topic":
                topics[(start, end)] = " ".join(phrase)
                topic_areas.setdefault(ident)
        result.topics = [
            text
            for area_id in topic_areas
            for text, term in self.topic_terms()[area_id]
            if term in topics.values()
        ]
        for (a, b), term in topics.items():
            if term not in found and b - a > 1:
                found[term] = {num: (w, how) for num, w, how in self.term_postings(term)}
        # a name inside a longer name or topic names nothing itself: "2 week" (cancer)
        # in "eip 2 week" (psychosis)
        outer = {(a, b) for a, b, *_rest in occurrences}
        for start, end, kind, ident, _phrase in occurrences:
            if kind == "topic":
                continue
            if any(a <= start and end <= b and b - a > end - start for a, b in outer):
                continue
            naming_covered.update(range(start, end))
            naming_spans.append((start, end))
            # a described phrase around the name widens it only with a telling word of
            # its own: "frail older people" is still the frailty area ("frail" names it
            # too), "hot clinic" is not outpatients
            wider = [
                p
                for p in described
                if any(
                    a <= start
                    and end <= b
                    and b - a > end - start
                    and not all(
                        w in GENERIC or w in self.name_words(kind, ident)
                        for w in words[a:start] + words[end:b]
                    )
                    for a, b in spans[p]
                )
            ]
            if wider:
                widening.update(wider)
            else:
                (named_areas if kind == "area" else named_measures).setdefault(ident)
                named_at[(kind, ident)].update(range(start, end))
        direct = list(named_areas)
        # each thing named, with the areas it is about, the measure (if it is one) and
        # where the query names it
        things: list[tuple[set[str], set[str], set[int]]] = [
            (self.area_family(a), set(), named_at[("area", a)]) for a in direct
        ]
        for measure_id in named_measures:
            measure = self.directory.measures.get(measure_id)
            family: set[str] = set()
            for a in measure.areas if measure else ():
                named_areas.setdefault(a)
                family |= self.area_family(a)
            things.append((family, {measure_id}, named_at[("measure", measure_id)]))
        result.areas = list(named_areas)
        result.measures = list(named_measures)
        result.near = list(dict.fromkeys([*named_areas, *topic_areas]))
        if not found:
            return result

        intent: set[str] = set()  # areas named directly, with the areas below them
        for a in direct:
            intent |= self.area_family(a)
        near: set[str] = set()  # the areas of a named measure or topic
        for a in result.near:
            near |= self.area_family(a)
        allowed = self.area_family(area) if area else None
        # a lone letter or digit ("band d", "year 6") names nothing either
        # nor does a number the directory never uses ("handovers > 60 min"): it says how
        # many, not what, unless a phrase holds it ("62 day")
        quiet = GENERIC.union(w for w in unknown if w.isdigit())
        meaningful = [
            p
            for p, w in enumerate(words)
            if (w not in quiet and len(w) > 1) or p in naming_covered or p in phrase_at
        ]
        # A phrase is one thing asked about, however many words it takes: "waiting list"
        # counts once, so "tennis club waiting list" is mostly about what the directory
        # lacks. Units: the longest phrases (found or naming), then each word left over.
        # A topic is a unit met only by a tactic that has the whole topic.
        units: list[tuple[list[int], str | None]] = []
        taken: set[int] = set()
        stretches = [(a, b) for p in spans for a, b in spans[p]] + naming_spans + [*topics]
        for a, b in sorted(set(stretches), key=lambda ab: (ab[0] - ab[1], ab[0])):
            if taken.isdisjoint(range(a, b)):
                taken.update(range(a, b))
                units.append((list(range(a, b)), topics.get((a, b))))
        units += [([p], topics.get((p, p + 1))) for p in range(len(words)) if p not in taken]
        meaningful_set = set(meaningful)
        units = [([p for p in u if p in meaningful_set], t) for u, t in units]
        units = sorted(((u, t) for u, t in units if u), key=lambda ut: ut[0][0])
        # a unit speaks with as many voices as it has telling words ("rtt 18 weeks": two,
        # "waiting list": one)
        unit_weight = [
            max(
                1,
                sum(
                    FOREIGN_VOICES if words[p] in foreign else 1
                    for p in u
                    if words[p] not in quiet and len(words[p]) > 1
                ),
            )
            # a topic no tactic has ("CHC") is a subject the directory lacks: like a
            # foreign word, it speaks twice against a match ("CHC fast track delays")
            * (FOREIGN_VOICES if t is not None and not found.get(t) else 1)
            for u, t in units
        ]
        candidates: set[int] = set()
        for rows in found.values():
            candidates.update(rows)

        least = self.absolute_floor()
        # tactics described by a phrase around a name count as named (see above)
        widened = {num for p in widening for num, (_w, how) in found[p].items() if how == DESCRIBED}
        scored: list[tuple[int, float, str, int, tuple[str, ...]]] = []
        tags = self.tactic_tags(candidates)
        for number, (ident, tactic_areas, tactic_measures) in tags.items():
            areas = set(tactic_areas)
            if allowed is not None and not allowed & areas:
                continue
            if intent & areas or named_measures.keys() & set(tactic_measures) or number in widened:
                tier = 0
            elif near & areas:
                tier = 1
            else:
                tier = 2
            met = []
            total = voices = 0.0
            for (unit, topic), weight in zip(units, unit_weight, strict=True):
                values = []
                if topic is not None:
                    values.append(1.0 if number in found.get(topic, ()) else 0.0)
                    unit = []
                for position in unit:
                    if any(number in found[p] for p in phrase_at.get(position, ())):
                        values.append(1.0)
                    elif position in naming_covered and tier == 0:
                        values.append(1.0)
                    else:
                        how = found.get(words[position], {}).get(number, (0.0, None))[1]
                        if how == DESCRIBED:
                            values.append(1.0)
                        elif how == MENTIONED:
                            values.append(0.5)
                        elif how is None:
                            values.append(0.0)
                if values:
                    met.append(sum(values) / len(values))
                    total += met[-1] * weight
                    voices += weight
            needed = 0.5 if tier == 0 else 0.51
            if not met or 1.0 not in met or total / voices < needed:
                continue
            matched = tuple(term for term, rows in found.items() if number in rows)
            score = sum(found[term][number][0] for term in matched)
            if tier == 2 and score < least:
                continue
            if named_measures.keys() & set(tactic_measures):
                score *= MEASURE_BOOST
            if tactic_areas and tactic_areas[0] in intent:
                score *= AREA_BOOST
            scored.append((tier, round(score, 4), ident, number, matched))
        if not scored:
            result.weak = True
            return result
        scored.sort(key=lambda s: (s[0], -s[1], s[2]))
        floor = max(s[1] for s in scored) * RELATIVE_FLOOR
        kept = [s for s in scored if s[0] < 2 or s[1] >= floor]
        kept = _take_turns(kept, _subjects(things), tags)[:limit]
        # Only the tactics shown are read in full: a warm run over a large directory
        # decides on ids, areas and measures alone.
        result.hits = [
            Hit(self.tactic_at(number), score, matched, tier)
            for tier, score, _ident, number, matched in kept
        ]
        return result

    def absolute_floor(self) -> float:
        """The least score a hit outside the query's areas needs (see ABSOLUTE_SHARE)."""
        # a word once in the title of a tactic of average length, met by no other tactic
        title = WEIGHTS["title"]
        rare = math.log(1 + (self.count - 0.5) / 1.5) * (K1 + 1) * title / (title + K1)
        return ABSOLUTE_SHARE * rare

    def tactic_tags(self, numbers: Iterable[int]) -> dict[int, tuple[str, tuple, tuple]]:
        """number -> (id, areas, measures): what ranking needs to know of each candidate."""
        return {
            n: (self.tactics[n].id, self.tactics[n].areas, self.tactics[n].measures)
            for n in numbers
        }


def _max_edits(word: str) -> int:
    """Edits allowed when correcting a typo: one in a short word, two from eight letters."""
    return 1 if len(word) < 8 else 2


def is_english_word(word: str) -> bool:
    """True for a real English word (pyspellchecker's frequency list, built from a large
    corpus of everyday English): such a word is never 'corrected' into another one."""
    global _ENGLISH
    if _ENGLISH is None:
        from spellchecker import SpellChecker

        _ENGLISH = SpellChecker(distance=1).word_frequency
    return _ENGLISH[word] >= ENGLISH_MIN_COUNT or _ENGLISH[word + "s"] >= ENGLISH_MIN_COUNT


_ENGLISH = None
#: How often a word must occur in the frequency list to count as real English, so that a
#: rare misspelling that crept into the list is still corrected.
ENGLISH_MIN_COUNT = 10
#: ... and to count as an everyday word ("tickets", "club", "horoscope"; not "premier").
COMMON_MIN_COUNT = 1000


def is_common_english(word: str) -> bool:
    """True for an everyday English word of three letters or more. One the directory never
    uses says a query is about something else ("theatre tickets", "tennis club waiting
    list"); jargon it lacks ("CIP", "VWA") does not, since it may be NHS talk."""
    is_english_word("a")  # loads the list
    return len(word) >= 3 and _ENGLISH[word] >= COMMON_MIN_COUNT


def measure_terms(measure: Measure) -> list[str]:
    """Every term that speaks for a measure: its id, name and codes, word by word and as
    phrases."""
    texts = [measure.id.replace("-", " "), measure.name, *measure.codes]
    return words_and_phrases(texts)


def area_terms(area: Area) -> list[str]:
    """Every term that speaks for an area: id, name and synonyms, words and phrases."""
    texts = [area.id.replace("-", " "), area.name, *area.synonyms]
    return words_and_phrases(texts)


def area_phrases(area: Area) -> list[tuple[str, ...]]:
    """The phrases that *name* an area: a query naming one of them is about that area."""
    names = [area.id.replace("-", " "), area.name, *area.synonyms]
    phrases = (_name_tokens(n) for n in names)
    return [p for p in phrases if p and not _is_generic(p)]


def _name_tokens(name: str) -> tuple[str, ...]:
    """A name's words, or none when stopwords leave one word of three or more: "out of
    area" would otherwise name mental health in every query with "area" in it ("handover
    cohort area"). ("Follow-ups" still names outpatients by "follow".)"""
    found = tuple(tokens(name))
    if len(found) == 1 and len(_words(name)) > 2:
        return ()
    return found


def topic_phrases(area: Area) -> list[tuple[str, ...]]:
    """The subjects within an area that people ask about by name ("PSIRF")."""
    phrases = (tuple(tokens(t)) for t in area.topics)
    return [p for p in phrases if p and not _is_generic(p)]


def _positions(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if tuple(words[i : i + size]) == phrase]


def suggestion_for(results: Results, index: Index) -> str | None:
    """A 'did you mean' for a query that matched nothing: the closest known word, offered
    only for a word that is not itself English ('weather' never suggests 'whether')."""
    from ..content.fuzzy import did_you_mean

    topic_words = index.topic_words()
    for word in results.unknown:
        if len(word) >= 3 and not is_english_word(word) and stem(word) not in topic_words:
            guess = did_you_mean(word, list(index.vocabulary()))
            if guess:
                return guess
    return None


def _subjects(
    things: list[tuple[set[str], set[str], set[int]]],
) -> list[tuple[set[str], set[str]]]:
    """The things a query names ((areas, measures, positions in the query) each), those
    that the same words name, or whose areas overlap, made one subject: "A&E" and "4
    hour" are one, and so are the area and the measure that "falls" names, but "theatre
    utilisation" and "staff sickness" are two, and so are two measures of one area named
    by different words ("sickness" and "bank spend"). The given sets are copied, never
    changed."""
    subjects: list[tuple[set[str], set[str], set[int]]] = []
    for family, moved, at in things:
        for areas, measures, where in subjects:
            # two measures named by different words are two things asked ("sickness" and
            # "bank spend"), even in one area
            if where & at or (areas & family and not (measures and moved)):
                areas |= family
                measures |= moved
                where |= at
                break
        else:
            subjects.append((set(family), set(moved), set(at)))
    return [(areas, measures) for areas, measures, _where in subjects]


def _take_turns(kept: list, subjects: list[tuple[set[str], set[str]]], tags: dict) -> list:
    """Tactics of two things asked about at once take turns at the top, each thing's in
    its own order, so the three a script offers answer both; one thing leaves the order.

    A tactic belongs to the first subject whose measure it moves, else the first whose
    areas it serves; those that serve none follow, then the tactics outside the named
    areas."""
    if len(subjects) < 2:
        return kept
    queues: list[list] = [[] for _ in subjects]
    pairs = list(zip(queues, subjects, strict=True))
    rest = []
    for entry in (s for s in kept if s[0] == 0):
        _ident, areas, measures = tags[entry[3]]
        # a tactic that moves a measure asked about belongs to that measure's subject,
        # before one that only shares its areas ("bank spend" tactics serve workforce,
        # the area of "sickness" too)
        home = next((q for q, (_f, moved) in pairs if moved & set(measures)), None)
        if home is None:
            home = next((q for q, (family, _m) in pairs if family & set(areas)), rest)
        home.append(entry)
    queues = sorted((q for q in queues if q), key=lambda q: -q[0][1])
    order: list = []
    for turn in range(max(map(len, queues), default=0)):
        order += [q[turn] for q in queues if turn < len(q)]
    return order + rest + [s for s in kept if s[0] != 0]
