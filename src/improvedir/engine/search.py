"""Ranking tactics for what people actually type.

A performance manager types "scopes", "DM01", "4hr breaches", "stuck in hospital" or
"endoscpy", not a tactic's title. This is BM25-style term weighting over weighted fields,
with four rules on top that come from watching queries nobody here wrote:

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
- **Typos, not real words.** A word the directory lacks is corrected to a directory word
  only when it is not itself an English word: "endoscpy" becomes "endoscopy", but "stuck"
  is never turned into "stack".
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..content.model import Area, Directory, Measure, Tactic

_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in into is it its my of on or our "
    "the their to we what when with you your about have has should could would there this "
    "that these those any some all get got need needs want please ideas idea help tip tips "
    "way ways us me".split()
)
#: Words that say little about *which* tactic is meant: they add to a score but never make a
#: match on their own, and they never name an area.
GENERIC = frozenset(
    "backlog target wait waiting hour time capacity performance number improve improvement "
    "improving reduce reducing reduction increase increasing patient service nhs trust team "
    "day week month year list delay demand problem issue best practice plan new more less too "
    "many much high low long poor bad better good care support management manage data "
    "standard rate level pressure access".split()
)
# Field weights: where a word appears says how much it speaks for the tactic.
WEIGHTS = {
    "title": 3.0,
    "keywords": 3.0,
    "measures": 2.5,
    "area": 2.5,
    "area_measures": 1.0,
    "parent_area": 1.0,
    "summary": 1.0,
    "steps": 0.5,
    "organisations": 1.0,
}
#: Fields that describe what a tactic is about; a match elsewhere is only a mention.
STRONG_FIELDS = frozenset({"title", "keywords", "measures", "area", "area_measures", "parent_area"})
#: Bump when tokens, weights or fields change: cached indexes are then rebuilt.
INDEX_VERSION = 4
#: A hit scoring under this share of the best one is noise, not a suggestion.
RELATIVE_FLOOR = 0.25
#: Longest phrase looked for in a query, in words.
MAX_PHRASE = 6
K1 = 1.2
B = 0.6

Posting = tuple[int, float, bool]  # tactic number, finished BM25 weight, strong field


def stem(word: str) -> str:
    """A very light English stemmer: enough to meet 'lists' with 'list', 'waits' with 'wait'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# word -> its stem, or "" for a stopword: indexing a large directory meets the same few
# thousand words hundreds of thousands of times, so each is stemmed once.
_STEMS: dict[str, str] = {}


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed words; 'A&E' stays one word, 'A and E' becomes 'a&e'."""
    lowered = text.lower().replace("\u2019", "'").replace("'s ", " ").replace(" & ", "&")
    found = _TOKEN.findall(lowered.replace("a and e", "a&e"))
    stems = _STEMS
    for word in set(found).difference(stems):
        stems[word] = "" if word in STOPWORDS else stem(word)
    return list(filter(None, map(stems.__getitem__, found)))


def phrase_terms(entries: tuple[str, ...] | list[str]) -> list[str]:
    """Each multi-word entry as one term ('hospital at home' -> 'hospital home')."""
    out = []
    for entry in entries:
        words = tokens(entry)
        if 1 < len(words) <= MAX_PHRASE:
            out.append(" ".join(words))
    return out


def _words_and_phrases(entries: tuple[str, ...]) -> list[str]:
    """Every word of ``entries`` plus each multi-word entry as one phrase term, tokenising
    each entry once."""
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


class Index:
    """An inverted index over the tactics of one directory, built in memory.

    :mod:`improvedir.store.cache` stores the same postings in SQLite and subclasses this to
    read them lazily, so a warm ``suggest`` never loads the whole directory.
    """

    def __init__(self, directory: Directory):
        self.directory = directory
        self.tactics: list[Tactic] = list(directory.tactics.values())
        self.count = len(self.tactics)
        measures = directory.measures
        area_words = {a.id: area_terms(a) for a in directory.areas.values()}
        area_measure_words = {
            a.id: [w for mid in a.measures if (m := measures.get(mid)) for w in measure_terms(m)]
            for a in directory.areas.values()
        }
        orgs: dict[str, list[str]] = defaultdict(list)
        for exemplar in directory.exemplars.values():
            for tactic_id in exemplar.tactics:
                orgs[tactic_id].append(exemplar.organisation.name)
        raw: dict[str, list[tuple[int, float, bool]]] = defaultdict(list)
        lengths: list[float] = []
        for number, tactic in enumerate(self.tactics):
            parents = {
                directory.areas[a].parent
                for a in tactic.areas
                if a in directory.areas and directory.areas[a].parent
            }
            named = [m for mid in tactic.measures if (m := measures.get(mid))]
            fields = {
                "title": tokens(tactic.title),
                "keywords": _words_and_phrases(tactic.keywords),
                "measures": [w for m in named for w in measure_terms(m)],
                "area": [w for a in tactic.areas for w in area_words.get(a, ())],
                "area_measures": [w for a in tactic.areas for w in area_measure_words.get(a, ())],
                "parent_area": [w for p in parents for w in area_words.get(p, ())],
                "summary": tokens(tactic.summary),
                "steps": tokens(" ".join(tactic.steps)),
                "organisations": tokens(" ".join(orgs.get(tactic.id, ()))),
            }
            weighted: dict[str, float] = {}
            strong: set[str] = set()
            length = 0.0
            for name, words in fields.items():
                weight = WEIGHTS[name]
                for word, n in Counter(words).items():  # counted in C, weighted per word
                    weighted[word] = weighted.get(word, 0.0) + n * weight
                if name in STRONG_FIELDS:
                    strong.update(words)
                length += weight * len(words)
            lengths.append(length)
            for word, tf in weighted.items():
                raw[word].append((number, tf, word in strong))
        # BM25 depends on nothing the query brings but the terms, so each posting stores
        # its finished contribution; a query only adds numbers up.
        average = (sum(lengths) / self.count if self.count else 0.0) or 1.0
        self.postings: dict[str, list[Posting]] = {}
        norm = [K1 * (1 - B + B * length / average) for length in lengths]
        for word, rows in raw.items():
            idf = math.log(1 + (self.count - len(rows) + 0.5) / (len(rows) + 0.5)) * (K1 + 1)
            self.postings[word] = [(num, idf * tf / (tf + norm[num]), s) for num, tf, s in rows]

    # --- storage: overridden by the cache-backed index ---

    def term_postings(self, word: str) -> list[Posting]:
        return self.postings.get(word, [])

    def vocabulary(self) -> list[str]:
        """Single words only: a typo is corrected to a word, never to a phrase."""
        return [w for w in self.postings if " " not in w]

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
        for measure in self.directory.measures.values():
            for text in (measure.id.replace("-", " "), measure.name, *measure.codes):
                phrase = tuple(tokens(text))
                if phrase and not _is_generic(phrase):
                    named.append((phrase, "measure", measure.id))
        self._named = named
        return named

    # --- querying ---

    def _correct(self, word: str) -> str | None:
        """The directory word ``word`` stands for, or None when it matches nothing."""
        if self.term_postings(word):
            return word
        if len(word) < 4 or any(c.isdigit() for c in word):
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(word, self.vocabulary(), scorer=fuzz.ratio, score_cutoff=80)
        if not best or is_english_word(word):
            return None
        return best[0]

    def search(self, query: str, limit: int = 10, area: str | None = None) -> Results:
        """Tactics ranked for ``query``, best first; empty when nothing matches well enough."""
        result = Results(query=query, hits=[])
        typed = tokens(query)
        words: list[str] = []
        for word in typed:
            corrected = self._correct(word)
            if corrected is None:
                if word not in result.unknown:
                    result.unknown.append(word)
                words.append(word)
            else:
                if corrected != word:
                    result.corrections[word] = corrected
                words.append(corrected)

        # What the query names: areas and measures, by their phrases.
        named_areas: dict[str, None] = {}  # named directly, then through a measure
        named_measures: dict[str, None] = {}
        naming_covered: set[int] = set()
        for phrase, kind, ident in self.named_things():
            for start in _positions(words, phrase):
                naming_covered.update(range(start, start + len(phrase)))
                (named_areas if kind == "area" else named_measures).setdefault(ident)
        direct = set(named_areas)
        for measure_id in named_measures:
            measure = self.directory.measures.get(measure_id)
            for a in measure.areas if measure else ():
                named_areas.setdefault(a)
        result.areas = list(named_areas)
        result.measures = list(named_measures)

        # Terms to look up: every known word, and every phrase the index holds.
        terms: dict[str, list[Posting]] = {}
        phrase_covered: set[int] = set()
        for size in range(min(MAX_PHRASE, len(words)), 1, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if phrase in terms:
                    continue
                found = self.term_postings(phrase)
                if found:
                    terms[phrase] = found
                    phrase_covered.update(range(start, start + size))
        for word in dict.fromkeys(words):
            if word not in result.unknown:
                terms[word] = self.term_postings(word)
        if not terms:
            return result

        # How well the query as a whole is matched: each meaningful word counts 1 when it
        # is matched where tactics are described, a half when only mentioned, nothing when
        # unknown; organisation names are neutral (a query may name who it asks about).
        strength: list[float] = []
        for position, word in enumerate(words):
            if position in naming_covered or position in phrase_covered:
                strength.append(1.0)
                continue
            if word in GENERIC:
                continue
            found = terms.get(word, ())
            if any(s for _, _, s in found):
                strength.append(1.0)
            elif found:
                strength.append(0.5 if self._mentioned(word, found) else -1.0)
            else:
                strength.append(0.0)
        counted = [s for s in strength if s >= 0]
        coverage = sum(counted) / len(counted) if counted else 0.0
        needed = 0.5 if named_areas else 0.51
        if not counted or coverage < needed or 1.0 not in counted:
            result.weak = bool(terms)
            result.near = list(named_areas)
            return result

        intent: set[str] = set()  # areas named directly, with the areas below them
        for a in direct:
            intent |= self.area_family(a)
        near: set[str] = set()  # areas of a named measure
        for a in named_areas:
            near |= self.area_family(a)
        allowed = self.area_family(area) if area else None
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        qualifies: set[int] = set()
        for term, found in terms.items():
            specific = " " in term or term not in GENERIC
            for number, weight, is_strong in found:
                scores[number] += weight
                matched[number].append(term)
                if is_strong and specific:
                    qualifies.add(number)
        hits: list[Hit] = []
        for number, score in scores.items():
            if number not in qualifies:
                continue
            tactic = self.tactic_at(number)
            if allowed is not None and not allowed & set(tactic.areas):
                continue
            areas = set(tactic.areas)
            if intent & areas or named_measures.keys() & set(tactic.measures):
                tier = 0
            elif near & areas:
                tier = 1
            else:
                tier = 2
            hits.append(Hit(tactic, round(score, 4), tuple(matched[number]), tier))
        if not hits:
            result.weak = True
            result.near = list(named_areas)
            return result
        hits.sort(key=lambda h: (h.tier, -h.score, h.tactic.id))
        best = max(h.score for h in hits)
        floor = best * RELATIVE_FLOOR
        result.hits = [h for h in hits if h.in_area or h.score >= floor][:limit]
        return result

    def _mentioned(self, word: str, found: list[Posting]) -> bool:
        """True when ``word`` is in a summary or steps, not only in organisation names."""
        for number, _, _ in found[:50]:
            tactic = self.tactic_at(number)
            if word in tokens(tactic.summary) or word in tokens(" ".join(tactic.steps)):
                return True
        return False


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


def measure_terms(measure: Measure) -> list[str]:
    """Every term that speaks for a measure: its id, name and codes, word by word and as
    phrases."""
    texts = [measure.id.replace("-", " "), measure.name, *measure.codes]
    return tokens(" ".join(texts)) + phrase_terms(texts)


def area_terms(area: Area) -> list[str]:
    """Every term that speaks for an area: id, name and synonyms, words and phrases."""
    texts = [area.id.replace("-", " "), area.name, *area.synonyms]
    return tokens(" ".join(texts)) + phrase_terms(texts)


def area_phrases(area: Area) -> list[tuple[str, ...]]:
    """The phrases that *name* an area: a query naming one of them is about that area."""
    names = [area.id.replace("-", " "), area.name, *area.synonyms]
    phrases = (tuple(tokens(n)) for n in names)
    return [p for p in phrases if p and not _is_generic(p)]


def _positions(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if tuple(words[i : i + size]) == phrase]


def suggestion_for(results: Results, index: Index) -> str | None:
    """A 'did you mean' for a query that matched nothing: the closest known word, offered
    only for a word that is not itself English ('weather' never suggests 'whether')."""
    from ..content.fuzzy import did_you_mean

    for word in results.unknown:
        if len(word) >= 3 and not is_english_word(word):
            guess = did_you_mean(word, index.vocabulary())
            if guess:
                return guess
    return None
